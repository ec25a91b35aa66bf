/**
 * The talk: an ordered list of scenes and the one on screen. Without recorded scenes the talk is
 * the standard walk through a host (sockets → nodes and memory → caches → distances → PCI → a
 * guest → its pins), built from what the host and guests have; the speaker can record the
 * current view as a scene, reorder and delete scenes. Showing a scene lights what it names
 * through the app's shared highlight, so every view agrees with the presenter.
 */
import { create } from 'zustand';
import { formatIdList } from '../../core/cpuset.ts';
import { formatKiB } from '../../core/units.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import type { Host } from '../../core/host/model.ts';
import type { Scene } from '../../state/permalink.ts';
import { useApp, type Highlight } from '../../state/store.ts';
import { guestName } from '../guest/colours.ts';

interface TalkState {
  /** Scenes the speaker recorded or reordered; null = the standard walk for the current host. */
  custom: Scene[] | null;
  presenting: boolean;
  index: number;
  /** What the pointer last lit up in any view: what "record" captures. */
  lastHighlight: Highlight | null;
}

export const useTalk = create<TalkState>()(() => ({ custom: null, presenting: false, index: 0, lastHighlight: null }));

useApp.subscribe((s, prev) => {
  if (s.highlight !== prev.highlight && s.highlight) useTalk.setState({ lastHighlight: s.highlight });
});

function guestLabel(g: GuestLayout, i: number): string {
  return `${guestName(i)}: ${g.vcpus} vCPUs, ${formatKiB(g.memoryKiB)} in ${g.cells.length} cell${g.cells.length === 1 ? '' : 's'}`;
}

/** The standard walk through this host, skipping what it has nothing to show for. */
function standardScenes(host: Host, guests: readonly GuestLayout[]): Scene[] {
  const scenes: Scene[] = [
    { kind: 'sockets', title: `${host.packages.length} socket${host.packages.length === 1 ? '' : 's'}, ${host.cores.length} cores, ${host.cpus.length} threads`, nodes: [], cpus: host.packages[0]?.cpus ?? [] },
    { kind: 'nodes', title: `${host.nodes.length} NUMA node${host.nodes.length === 1 ? '' : 's'} and their memory`, nodes: host.nodes.map((n) => n.id), cpus: [] },
  ];
  const l3 = host.caches.filter((c) => c.level === 3);
  if (host.caches.length > 0) {
    const first = l3[0] ?? host.caches[host.caches.length - 1];
    scenes.push({ kind: 'caches', title: `Caches: L${first.level} shared by CPUs ${formatIdList(first.cpus)}`, nodes: [], cpus: first.cpus });
  }
  if (host.distances.length > 0) scenes.push({ kind: 'distances', title: 'Distances between nodes (10 = local)', nodes: [], cpus: [] });
  if (host.pci.length > 0) scenes.push({ kind: 'pci', title: `${host.pci.length} PCI devices and their nodes`, nodes: [], cpus: [] });
  guests.forEach((g, i) => {
    scenes.push({ kind: 'guest', title: guestLabel(g, i), guest: i, nodes: [...new Set(g.cells.flatMap((c) => c.hostNodes))], cpus: [] });
    scenes.push({ kind: 'pins', title: `${guestName(i)}: where each vCPU runs`, guest: i, nodes: [], cpus: g.pins.flatMap((p) => p.cpus) });
  });
  return scenes;
}

/** The talk: the speaker's own list once they changed it, else the standard walk of the host. */
export function scenesOf(custom: Scene[] | null, host: Host | null, guests: readonly GuestLayout[]): Scene[] {
  return custom ?? (host ? standardScenes(host, guests) : []);
}

export function currentScenes(): Scene[] {
  const { host, guests } = useApp.getState();
  return scenesOf(useTalk.getState().custom, host, guests);
}

/** Lights what the scene names and switches the index mode it was recorded with. */
export function showScene(scene: Scene | undefined): void {
  const app = useApp.getState();
  if (!scene) return;
  if (scene.indexMode && scene.indexMode !== app.indexMode) useApp.setState({ indexMode: scene.indexMode });
  app.setHighlight(scene.nodes.length > 0 || scene.cpus.length > 0 ? { nodes: scene.nodes, cpus: scene.cpus } : null);
}

export function recordScene(): void {
  const { indexMode } = useApp.getState();
  const lit = useTalk.getState().lastHighlight;
  const scenes = currentScenes();
  const what = lit ? [lit.nodes.length > 0 ? `node ${formatIdList(lit.nodes)}` : '', lit.cpus.length > 0 ? `CPUs ${formatIdList(lit.cpus)}` : ''].filter(Boolean).join(', ') : 'the whole host';
  const scene: Scene = { kind: 'recorded', title: `Scene ${scenes.length + 1}: ${what}`, indexMode, nodes: lit?.nodes ?? [], cpus: lit?.cpus ?? [] };
  useTalk.setState({ custom: [...scenes, scene] });
}

export function moveScene(from: number, to: number): void {
  const scenes = [...currentScenes()];
  if (to < 0 || to >= scenes.length) return;
  const [s] = scenes.splice(from, 1);
  scenes.splice(to, 0, s);
  useTalk.setState({ custom: scenes });
}

export function deleteScene(at: number): void {
  useTalk.setState({ custom: currentScenes().filter((_, i) => i !== at) });
}

export function resetScenes(): void {
  useTalk.setState({ custom: null });
}
