/**
 * What changed between two layouts of a guest, element by owned element, in the words of the
 * XML ("vcpupin 5: 16 → 31", "cell 1 memory → node 2"): the history's entries say it, whether
 * the change came from a drop or was typed in the editor. Layouts are compared, not texts, so a
 * comment or a reindent changes nothing here.
 */
import { formatIdList, sameIds } from '../core/cpuset.ts';
import type { GuestCell, GuestLayout, GuestTopology } from '../core/guest/model.ts';
import { formatKiB } from '../core/units.ts';

const list = (ids: readonly number[]) => (ids.length === 0 ? 'none' : formatIdList(ids));
const TOPOLOGY_FIELDS = ['sockets', 'dies', 'clusters', 'cores', 'threads'] as const;

/** "topology sockets 4 → 3, cores 2 → 3": only the fields that changed. */
function topologyChange(a: GuestTopology, b: GuestTopology): string | null {
  const changed = TOPOLOGY_FIELDS.filter((f) => a[f] !== b[f]).map((f) => `${f} ${a[f]} → ${b[f]}`);
  return changed.length === 0 ? null : `topology ${changed.join(', ')}`;
}

function cellChanges(a: GuestCell, b: GuestCell): string[] {
  const out: string[] = [];
  const at = `cell ${b.id}`;
  if (!sameIds(a.vcpus, b.vcpus)) out.push(`${at} vCPUs ${list(a.vcpus)} → ${list(b.vcpus)}`);
  if (!sameIds(a.hostNodes, b.hostNodes)) out.push(`${at} memory → node ${list(b.hostNodes)}`);
  if (a.memoryKiB !== b.memoryKiB) out.push(`${at} memory ${formatKiB(a.memoryKiB)} → ${formatKiB(b.memoryKiB)}`);
  if (a.memoryMode !== b.memoryMode) out.push(`${at} memory mode ${a.memoryMode} → ${b.memoryMode}`);
  if (a.hugepageSizeKiB !== b.hugepageSizeKiB) out.push(`${at} hugepages ${b.hugepageSizeKiB === undefined ? 'none' : formatKiB(b.hugepageSizeKiB)}`);
  return out;
}

function pinChanges(what: string, a: readonly { id: number; cpus: number[] }[], b: readonly { id: number; cpus: number[] }[]): string[] {
  const before = new Map(a.map((p) => [p.id, p.cpus]));
  const after = new Map(b.map((p) => [p.id, p.cpus]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort((x, y) => x - y);
  const out: string[] = [];
  for (const id of ids) {
    const was = before.get(id);
    const now = after.get(id);
    if (was && now && sameIds(was, now)) continue;
    out.push(`${what} ${id}: ${was ? list(was) : 'unpinned'} → ${now ? list(now) : 'unpinned'}`);
  }
  return out;
}

/** Every owned element that differs, in document order (vcpu, cputune, numatune, cpu). */
export function layoutChanges(before: GuestLayout | null, after: GuestLayout | null): string[] {
  if (!before || !after) return [];
  const out: string[] = [];
  if (before.vcpus !== after.vcpus) out.push(`vCPUs ${before.vcpus} → ${after.vcpus}`);
  if (before.memoryKiB !== after.memoryKiB) out.push(`memory ${formatKiB(before.memoryKiB)} → ${formatKiB(after.memoryKiB)}`);
  out.push(...pinChanges('vcpupin', before.pins.map((p) => ({ id: p.vcpu, cpus: p.cpus })), after.pins.map((p) => ({ id: p.vcpu, cpus: p.cpus }))));
  if (!sameIds(before.emulatorpin, after.emulatorpin)) out.push(`emulatorpin: ${list(before.emulatorpin)} → ${list(after.emulatorpin)}`);
  out.push(...pinChanges('iothreadpin', before.iothreadpins.map((p) => ({ id: p.iothread, cpus: p.cpus })), after.iothreadpins.map((p) => ({ id: p.iothread, cpus: p.cpus }))));
  for (const b of after.cells) {
    const a = before.cells.find((c) => c.id === b.id);
    out.push(...(a ? cellChanges(a, b) : [`cell ${b.id} added (vCPUs ${list(b.vcpus)}, ${formatKiB(b.memoryKiB)} on node ${list(b.hostNodes)})`]));
  }
  for (const a of before.cells) if (!after.cells.some((c) => c.id === a.id)) out.push(`cell ${a.id} removed`);
  // distances follow the memory's nodes: one line for them, after what moved
  const distances = after.cells.filter((b) => {
    const a = before.cells.find((c) => c.id === b.id);
    return a && a.distances.join() !== b.distances.join();
  });
  if (distances.length > 0) out.push(`distances of cell${distances.length > 1 ? 's' : ''} ${formatIdList(distances.map((c) => c.id))}`);
  const topology = topologyChange(before.topology, after.topology);
  if (topology) out.push(topology);
  return out;
}

/** The most that fits a history line: the first changes, and how many more there are. */
const SHOWN = 2;

/**
 * A history label: what changed (after `prefix`, when given), or `fallback` when no owned
 * element did (a comment typed, a drop that changed nothing).
 */
export function changeLabel(fallback: string, before: GuestLayout | null, after: GuestLayout | null, prefix?: string): string {
  const changes = layoutChanges(before, after);
  if (changes.length === 0) return fallback;
  const shown = changes.slice(0, SHOWN).join('; ') + (changes.length > SHOWN ? ` (+${changes.length - SHOWN} more)` : '');
  return prefix ? `${prefix}: ${shown}` : shown;
}
