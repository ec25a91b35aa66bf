/**
 * What a drag means: a source (vCPUs, a cell, a cell's memory), a target on the host view (PU,
 * core, NUMA node), and the edit() operations the drop asks of the partition core. The core
 * decides everything else (swaps, cells following the vCPU, refusals).
 */
import { formatIdList } from '../../core/cpuset.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import { guestSiblings } from '../../core/guest/siblings.ts';
import type { Host } from '../../core/host/model.ts';
import type { EditOp, PinTarget } from '../../core/partition/index.ts';
import { formatKiB } from '../../core/units.ts';
import { describeOp } from '../../state/workspace.ts';

export type DragSource =
  | { kind: 'vcpus'; guestId: string; vcpus: number[] }
  | { kind: 'cell'; guestId: string; cell: number }
  /** `kib` absent: all of the cell's memory. */
  | { kind: 'memory'; guestId: string; cell: number; kib?: number };

export type DropTarget = { kind: 'pu'; cpu: number; node: number | null } | { kind: 'core'; core: number; node: number | null } | { kind: 'node'; node: number };

/** The host view's DOM id of a target (PU_60, Core_5, NUMANode_1). */
export function targetId(t: DropTarget): string {
  return t.kind === 'pu' ? `PU_${t.cpu}` : t.kind === 'core' ? `Core_${t.core}` : `NUMANode_${t.node}`;
}

export function sameTarget(a: DropTarget | null, b: DropTarget | null): boolean {
  return a === b || (a !== null && b !== null && targetId(a) === targetId(b));
}

/** A host view element id → the target it stands for (a node's memory box is the node). */
export function targetOfId(id: string, host: Host): DropTarget | null {
  const m = /^(PU|Core|NUMANode|Memory)_(\d+)$/.exec(id);
  if (!m) return null;
  const n = Number(m[2]);
  if (m[1] === 'PU') {
    const cpu = host.cpus.find((c) => c.id === n);
    return cpu ? { kind: 'pu', cpu: n, node: cpu.node ?? null } : null;
  }
  if (m[1] === 'Core') {
    const core = host.cores[n];
    if (!core) return null;
    const node = host.cpus.find((c) => c.id === core.cpus[0])?.node ?? null;
    return { kind: 'core', core: n, node };
  }
  return host.nodes.some((x) => x.id === n) ? { kind: 'node', node: n } : null;
}

export function describeTarget(t: DropTarget, host: Host): string {
  const node = t.node === null ? '' : ` on node ${t.node}`;
  if (t.kind === 'pu') return `CPU ${t.cpu}${node}`;
  if (t.kind === 'core') return `core ${host.cores[t.core]?.cpus.join('/') ?? t.core}${node}`;
  return `node ${t.node}`;
}

export function describeSource(s: DragSource): string {
  if (s.kind === 'vcpus') return s.vcpus.length === 1 ? `vCPU ${s.vcpus[0]}` : `vCPUs ${formatIdList(s.vcpus)}`;
  if (s.kind === 'cell') return `cell ${s.cell}`;
  return s.kib === undefined ? `cell ${s.cell}'s memory` : `${formatKiB(s.kib)} of cell ${s.cell}'s memory`;
}

/**
 * vCPUs move as whole guest cores where the selection holds every SMT sibling of one (the pair
 * stays on one host core), one by one otherwise; the first lands on the target, the others on
 * its node, where edit() finds them free threads.
 */
export function opsFor(source: DragSource, target: DropTarget, layout: GuestLayout): EditOp[] {
  const node = target.node;
  if (source.kind === 'cell') return node === null ? [] : [{ kind: 'move-cell', cell: source.cell, node }];
  if (source.kind === 'memory') {
    if (node === null) return [];
    return [source.kib === undefined ? { kind: 'move-memory', cell: source.cell, node } : { kind: 'move-memory', cell: source.cell, node, kib: source.kib }];
  }
  const chosen = new Set(source.vcpus);
  const units: { vcpu: number; pair: boolean }[] = [];
  const done = new Set<number>();
  for (const v of [...source.vcpus].sort((a, b) => a - b)) {
    if (done.has(v)) continue;
    const siblings = guestSiblings(layout, v);
    if (siblings.length > 1 && siblings.every((s) => chosen.has(s))) {
      siblings.forEach((s) => done.add(s));
      units.push({ vcpu: siblings[0], pair: true });
    } else {
      done.add(v);
      units.push({ vcpu: v, pair: false });
    }
  }
  const exact: PinTarget = target.kind === 'pu' ? { thread: target.cpu } : target.kind === 'core' ? { core: target.core } : { node: target.node };
  return units.map((u, i) => {
    const where: PinTarget = i === 0 || node === null ? exact : { node };
    return u.pair ? { kind: 'pin-vcpu', vcpu: u.vcpu, target: where, pair: true } : { kind: 'pin-vcpu', vcpu: u.vcpu, target: where };
  });
}

export function labelFor(source: DragSource, target: DropTarget, ops: readonly EditOp[], host: Host): string {
  if (ops.length === 1) return describeOp(ops[0]);
  return `Move ${describeSource(source)} to ${describeTarget(target, host)}`;
}
