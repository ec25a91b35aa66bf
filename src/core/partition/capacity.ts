/**
 * What each host node can still give a guest, after the host's reserved CPUs and what other
 * guests hold (Occupancy): usable cores as SMT sibling groups, free threads, free memory and
 * free hugepages per size.
 */
import type { Host } from '../host/model.ts';
import type { Occupancy, PartitionRequest, ReserveKeyword } from './request.ts';
import { reservedOfNode } from './reserve.ts';

export interface CoreCapacity {
  /** Online CPUs of the core that are not reserved for the host, ascending. */
  usable: number[];
  /** Usable CPUs no other guest pins one-to-one. */
  free: number[];
  /** Another guest's vCPUs run here (pinned or floating). */
  shared: boolean;
}

export interface NodeCapacity {
  node: number;
  /** CPUs of this node kept for the host when the guest uses the node. */
  reserved: number[];
  /** Cores with at least one usable CPU, in host order. */
  cores: CoreCapacity[];
  onlineCpus: number;
  /**
   * Memory the guest may bind: the node's size less what other guests bind there (the hard
   * limit); null when no paste said.
   */
  freeKiB: number | null;
  /**
   * What numactl -H (or another paste) reported free, less other guests' bindings: a snapshot
   * in which page cache counts as used, so it ranks choices and warns, never refuses.
   */
  snapshotKiB: number | null;
  hugepages: { sizeKiB: number; freePages: number }[];
  /** Other guests' vCPUs running on this node's CPUs (floating ones shared out by cpuset). */
  guestLoad: number;
}

export function nodeCapacity(
  host: Host,
  node: number,
  cores: readonly number[][],
  reserve: ReserveKeyword | number[],
  occupancy: Occupancy,
): NodeCapacity {
  return capacityOf(host, node, cores, reserve, holdings(occupancy));
}

/** Every node's capacity at once: what the other guests hold is gathered in one pass, not per node. */
export function nodeCapacities(
  host: Host,
  nodes: readonly number[],
  cores: Map<number, number[][]>,
  reserve: ReserveKeyword | number[],
  occupancy: Occupancy,
): Map<number, NodeCapacity> {
  const held = holdings(occupancy);
  return new Map(nodes.map((n) => [n, capacityOf(host, n, cores.get(n) ?? [], reserve, held)]));
}

/** What all other guests hold, in arrays indexed by CPU id: looked up for every CPU of the host. */
interface Holdings {
  /** Bit 1: no other guest may take the CPU (1:1 pins, idle siblings of isolated cores); bit 2: another guest runs or idles there. */
  flags: Uint8Array;
  /** One-to-one vCPUs per CPU (each counts 1) and floating vCPUs spread over their cpusets. */
  load: Float64Array;
  memory: Map<number, number>;
  /** node → size → pages held. */
  pages: Map<number, Map<number, number>>;
}

const PINNED = 1;
const TOUCHED = 2;

function holdings(occupancy: Occupancy): Holdings {
  let top = -1;
  for (const g of occupancy.guests) for (const list of [g.pinnedCpus, g.floatingCpus, g.isolatedCpus ?? []]) for (const c of list) if (c > top) top = c;
  const held: Holdings = { flags: new Uint8Array(top + 1), load: new Float64Array(top + 1), memory: new Map(), pages: new Map() };
  for (const g of occupancy.guests) {
    for (const c of g.pinnedCpus) {
      held.flags[c] |= PINNED | TOUCHED;
      held.load[c] += 1;
    }
    for (const c of g.isolatedCpus ?? []) held.flags[c] |= PINNED | TOUCHED;
    const share = g.floatingCpus.length > 0 ? g.floatingVcpus / g.floatingCpus.length : 0;
    for (const c of g.floatingCpus) {
      held.flags[c] |= TOUCHED;
      held.load[c] += share;
    }
    for (const m of g.memory) held.memory.set(m.node, (held.memory.get(m.node) ?? 0) + m.kib);
    for (const h of g.hugepages) {
      const sizes = held.pages.get(h.node) ?? new Map<number, number>();
      sizes.set(h.sizeKiB, (sizes.get(h.sizeKiB) ?? 0) + h.pages);
      held.pages.set(h.node, sizes);
    }
  }
  return held;
}

function capacityOf(host: Host, node: number, cores: readonly number[][], reserve: ReserveKeyword | number[], held: Holdings): NodeCapacity {
  const reserved = reservedOfNode(cores, reserve);
  const capCores: CoreCapacity[] = [];
  let guestLoad = 0;
  let onlineCpus = 0;
  for (const core of cores) {
    onlineCpus += core.length;
    for (const c of core) guestLoad += held.load[c] ?? 0;
    // Arrays are shared, not copied, when nothing is taken out: capacities are read-only.
    const usable = reserved.length === 0 ? core : core.filter((c) => !reserved.includes(c));
    if (usable.length === 0) continue;
    let free = usable;
    let shared = false;
    for (const c of core) {
      const f = held.flags[c] ?? 0;
      if (f & TOUCHED) shared = true;
      if (f & PINNED && free === usable) free = usable.filter((x) => !((held.flags[x] ?? 0) & PINNED));
    }
    capCores.push({ usable, free, shared });
  }
  const hostNode = host.nodes.find((n) => n.id === node);
  const bound = held.memory.get(node) ?? 0;
  const size = hostNode?.memoryKiB ?? hostNode?.freeKiB ?? null;
  const freeKiB = size === null ? null : Math.max(0, size - bound);
  const snapshotKiB = hostNode?.freeKiB == null ? null : Math.max(0, hostNode.freeKiB - bound);
  const pages = held.pages.get(node);
  const hugepages = (hostNode?.hugepages ?? []).map((h) => ({
    sizeKiB: h.sizeKiB,
    freePages: Math.max(0, (h.free ?? h.total) - (pages?.get(h.sizeKiB) ?? 0)),
  }));
  return { node, reserved, cores: capCores, onlineCpus, freeKiB, snapshotKiB, hugepages, guestLoad };
}

export function freeHugepages(cap: NodeCapacity, sizeKiB: number): number {
  return cap.hugepages.find((h) => h.sizeKiB === sizeKiB)?.freePages ?? 0;
}

/** How vCPUs take host CPUs: whole cores under a thread policy, loose threads, or floating. */
export type CoreUse =
  | { kind: '1:1'; threads: number; policy: PartitionRequest['threadPolicy'] }
  | { kind: 'threads' }
  | { kind: 'float' };

/** How many groups placeableGroups would hand out, without building them. */
export function placeableCount(cap: NodeCapacity, use: CoreUse): number {
  let count = 0;
  for (const c of cap.cores) {
    switch (use.kind) {
      case 'float':
        if (c.free.length > 0) count++;
        break;
      case 'threads':
        count += c.free.length;
        break;
      case '1:1':
        if (use.policy === 'isolate') {
          if (c.free.length === c.usable.length && !c.shared) count++;
        } else if (c.free.length >= (use.policy === 'require' ? Math.max(2, use.threads) : use.threads)) count++;
        break;
    }
  }
  return count;
}

/**
 * Host CPU groups a guest may take on this node, in order, one group per guest core (or per vCPU
 * for loose threads). Nova's thread policies: prefer and require need `threads` free siblings of
 * one core (require at least two), isolate takes one thread of a core nobody else uses.
 */
export function placeableGroups(cap: NodeCapacity, use: CoreUse): number[][] {
  switch (use.kind) {
    case 'float':
      return cap.cores.filter((c) => c.free.length > 0).map((c) => [...c.free]);
    case 'threads':
      return cap.cores.flatMap((c) => c.free.map((cpu) => [cpu]));
    case '1:1': {
      const { threads, policy } = use;
      if (policy === 'isolate') {
        return cap.cores.filter((c) => c.free.length === c.usable.length && !c.shared).map((c) => [c.free[0]]);
      }
      const need = policy === 'require' ? Math.max(2, threads) : threads;
      return cap.cores.filter((c) => c.free.length >= need).map((c) => c.free.slice(0, threads));
    }
  }
}
