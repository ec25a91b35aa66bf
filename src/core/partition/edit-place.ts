/**
 * Placing a group of vCPUs on host nodes for hand edits: the same capacity rules as solve
 * (capacity.ts), with this guest's other pins counted as taken so an edit never double-books.
 */
import type { GuestLayout, VcpuPin } from '../guest/model.ts';
import type { Host } from '../host/model.ts';
import { placeableGroups, type CoreUse, nodeCapacity } from './capacity.ts';
import { coresByNode } from './cores.ts';
import { evenShares, pinFloating, pinOneToOne } from './pin.ts';
import type { Occupancy, OccupyingGuest } from './request.ts';

export const SELF = 'this guest';

/** How a layout pins: one host CPU per vCPU, a node's cpuset per vCPU, or not at all. */
export type PinStyle = '1:1' | 'float' | 'none';

export function pinStyle(layout: GuestLayout): PinStyle {
  if (layout.pins.length === 0) return 'none';
  return layout.pins.every((p) => p.cpus.length === 1) ? '1:1' : 'float';
}

/** Other guests plus this guest's pins outside `except` (the vCPUs being placed). */
export function occupancyWithSelf(occupancy: Occupancy, pins: readonly VcpuPin[], except: ReadonlySet<number>): Occupancy {
  const mine = pins.filter((p) => !except.has(p.vcpu));
  const self: OccupyingGuest = {
    name: SELF,
    pinnedCpus: mine.filter((p) => p.cpus.length === 1).map((p) => p.cpus[0]),
    floatingCpus: [],
    floatingVcpus: 0,
    memory: [],
    hugepages: [],
  };
  return { guests: [...occupancy.guests, self] };
}

/**
 * Host CPU groups for `count` guest cores of `threads` vCPUs on `node`: whole free cores first,
 * keeping each node's first core for the host when possible (the talk's default), then any
 * free core, then loose free threads.
 */
function groupsOnNode(host: Host, node: number, occupancy: Occupancy, threads: number, count: number): number[][] | undefined {
  const cores = coresByNode(host).get(node) ?? [];
  const uses: CoreUse[] = [{ kind: '1:1', threads, policy: 'prefer' }, { kind: 'threads' }];
  for (const use of uses)
    for (const reserve of ['first-core', 'none'] as const) {
      const groups = placeableGroups(nodeCapacity(host, node, cores, reserve, occupancy), use);
      const need = use.kind === 'threads' ? count * threads : count;
      if (groups.length >= need) return use.kind === 'threads' ? chunk(groups.slice(0, need).flat(), threads) : groups.slice(0, need);
    }
  return undefined;
}

function chunk(ids: readonly number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

export type Placement = { ok: true; pins: VcpuPin[] } | { ok: false; error: string };

/** Pins for `vcpus` (guest order, `threads` per guest core) spread evenly over `nodes`. */
export function placeVcpus(
  host: Host,
  vcpus: readonly number[],
  nodes: readonly number[],
  threads: number,
  style: PinStyle,
  occupancy: Occupancy,
): Placement {
  if (style === 'none') return { ok: true, pins: [] };
  const cores = coresByNode(host);
  if (style === 'float') return { ok: true, pins: pinFloating(vcpus, nodes.flatMap((n) => (cores.get(n) ?? []).flat())) };
  const guestCores = chunk(vcpus, threads);
  const shares = evenShares(guestCores.length, nodes.length);
  const pins: VcpuPin[] = [];
  let next = 0;
  for (const [i, node] of nodes.entries()) {
    const mine = guestCores.slice(next, next + shares[i]);
    next += shares[i];
    const groups = groupsOnNode(host, node, occupancyWithSelf(occupancy, pins, new Set()), threads, mine.length);
    if (!groups) return { ok: false, error: `host node ${node} has no ${mine.length} free cores of ${threads} threads for vCPUs ${mine.flat().join(',')}` };
    pins.push(...pinOneToOne(mine.flat(), groups));
  }
  return { ok: true, pins };
}

/** Free 1:1 groups on one node for a unit of `threads` vCPUs, or undefined. */
export function freeGroupOnNode(host: Host, node: number, occupancy: Occupancy, threads: number): number[] | undefined {
  return groupsOnNode(host, node, occupancy, threads, 1)?.[0];
}
