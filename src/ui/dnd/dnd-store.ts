/**
 * One drag at a time, by pointer or keyboard: what is picked up, where it would land, what the
 * core says that would cost (asked before the drop), and the sentence screen readers hear.
 * A drop is one edit() job in the workspace queue, never applied in the page.
 */
import { create } from 'zustand';
import { formatIdList } from '../../core/cpuset.ts';
import type { Host } from '../../core/host/model.ts';
import { useApp } from '../../state/store.ts';
import { useWorkspace, type DropPreview } from '../../state/workspace.ts';
import { describeSource, describeTarget, labelFor, opsFor, sameTarget, type DragSource, type DropTarget } from './gesture.ts';

export interface ActiveDrag {
  source: DragSource;
  via: 'pointer' | 'keyboard';
  target: DropTarget | null;
  /** Pointer position (viewport pixels) for the hint; for the keyboard, the target's. */
  x: number;
  y: number;
  /** null while the core has not answered for this target. */
  preview: DropPreview | null;
}

export interface DndState {
  selection: { guestId: string; vcpus: number[] } | null;
  active: ActiveDrag | null;
  announcement: string;
  select(guestId: string, vcpu: number, additive: boolean): void;
  clearSelection(): void;
  begin(source: DragSource, via: ActiveDrag['via'], x: number, y: number): void;
  moveTo(x: number, y: number): void;
  setTarget(target: DropTarget | null): void;
  drop(): Promise<boolean>;
  cancel(): void;
  announce(text: string): void;
}

let announceFlip = false;

function previewText(p: DropPreview): string {
  if (!p.ok) return `refused: ${p.refusal ?? 'not possible'}`;
  const lines = [...p.explanation, ...p.warnings];
  return lines.length > 0 ? lines.join('; ') : 'no change in cost';
}

export const useDnd = create<DndState>()((set, get) => {
  let previewSeq = 0;
  /** The pick-up sentence, said together with the first target's cost so neither hides the other. */
  let pickup: string | null = null;

  const askPreview = (target: DropTarget | null) => {
    const active = get().active;
    if (!active || !target) return;
    const guest = useWorkspace.getState().guests.find((g) => g.id === active.source.guestId);
    if (!guest?.layout) return;
    const ops = opsFor(active.source, target, guest.layout);
    const mine = ++previewSeq;
    void useWorkspace
      .getState()
      .previewEditOps(active.source.guestId, ops)
      .then((preview) => {
        const now = get().active;
        if (mine !== previewSeq || !now || !sameTarget(now.target, target) || preview === null) return;
        set({ active: { ...now, preview } });
        const host = useApp.getState().host;
        if (now.via !== 'keyboard' || !host) return;
        get().announce(`${pickup ? `${pickup} ` : ''}${describeTarget(target, host)}: ${previewText(preview)}`);
        pickup = null;
      });
  };

  return {
    selection: null,
    active: null,
    announcement: '',

    select(guestId, vcpu, additive) {
      const sel = get().selection;
      let vcpus: number[];
      if (additive && sel?.guestId === guestId) vcpus = sel.vcpus.includes(vcpu) ? sel.vcpus.filter((v) => v !== vcpu) : [...sel.vcpus, vcpu].sort((a, b) => a - b);
      else vcpus = sel?.guestId === guestId && sel.vcpus.length === 1 && sel.vcpus[0] === vcpu ? [] : [vcpu];
      set({ selection: vcpus.length > 0 ? { guestId, vcpus } : null });
      get().announce(vcpus.length > 0 ? `Selected vCPU${vcpus.length > 1 ? 's' : ''} ${formatIdList(vcpus)}` : 'Selection cleared');
    },
    clearSelection() {
      if (get().selection) set({ selection: null });
    },
    begin(source, via, x, y) {
      previewSeq++;
      set({ active: { source, via, target: null, x, y, preview: null } });
      pickup = null;
      if (via === 'keyboard') {
        pickup = `Picked up ${describeSource(source)}. Arrow keys choose where it goes (left and right: host CPUs, up and down: NUMA nodes), Enter drops it there, Escape cancels.`;
        get().announce(pickup);
      }
    },
    moveTo(x, y) {
      const a = get().active;
      if (a && (a.x !== x || a.y !== y)) set({ active: { ...a, x, y } });
    },
    setTarget(target) {
      const a = get().active;
      if (!a || sameTarget(a.target, target)) return;
      set({ active: { ...a, target, preview: null } });
      askPreview(target);
    },
    async drop() {
      const a = get().active;
      set({ active: null });
      previewSeq++;
      const host = useApp.getState().host;
      if (!a || !a.target || !host) {
        if (a) get().announce('Nothing moved.');
        return false;
      }
      const ws = useWorkspace.getState();
      const guest = ws.guests.find((g) => g.id === a.source.guestId);
      if (!guest?.layout) return false;
      const ops = opsFor(a.source, a.target, guest.layout);
      if (ops.length === 0) {
        get().announce(`${describeSource(a.source)} cannot go to ${describeTarget(a.target, host)}.`);
        return false;
      }
      const label = labelFor(a.source, a.target, ops, host);
      const ok = await ws.applyEditOps(a.source.guestId, ops, label);
      const message = useWorkspace.getState().message;
      get().announce(ok ? `${label}: done.` : `${label}: ${message?.text ?? 'refused'}`);
      return ok;
    },
    cancel() {
      if (!get().active) return;
      previewSeq++;
      set({ active: null });
      get().announce('Move cancelled.');
    },
    announce(text) {
      // the same sentence twice must be read twice: alternate an invisible suffix
      announceFlip = !announceFlip;
      set({ announcement: announceFlip ? text : `${text}\u200b` });
    },
  };
});

/** Keyboard targets: host CPUs in node order (left/right), nodes (up/down). */
export function keyboardTargets(host: Host): { cpus: DropTarget[]; nodes: DropTarget[] } {
  const cpus = host.cpus
    .filter((c) => c.online)
    .slice()
    .sort((a, b) => (a.node ?? 0) - (b.node ?? 0) || a.id - b.id)
    .map((c): DropTarget => ({ kind: 'pu', cpu: c.id, node: c.node ?? null }));
  const nodes = host.nodes.map((n): DropTarget => ({ kind: 'node', node: n.id }));
  return { cpus, nodes };
}

/** The next keyboard target from `current` for an arrow key. */
export function stepTarget(host: Host, source: DragSource, current: DropTarget | null, key: string): DropTarget | null {
  const { cpus, nodes } = keyboardTargets(host);
  const byNode = source.kind !== 'vcpus' || key === 'ArrowUp' || key === 'ArrowDown';
  const list = byNode ? nodes : cpus;
  if (list.length === 0) return null;
  const forward = key === 'ArrowRight' || key === 'ArrowDown';
  let i = current ? list.findIndex((t) => sameTarget(t, current)) : -1;
  if (i < 0 && current && byNode) i = nodes.findIndex((t) => t.node === current.node);
  if (i < 0 && current && !byNode) i = cpus.findIndex((t) => t.node === current.node) - (forward ? 1 : 0);
  if (i < 0) return list[forward ? 0 : list.length - 1];
  return list[(i + (forward ? 1 : -1) + list.length) % list.length];
}
