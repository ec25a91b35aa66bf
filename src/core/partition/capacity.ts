/**
 * What each host node can still give a guest, after the host's reserved CPUs and what other
 * guests hold (Occupancy): usable cores as SMT sibling groups, free threads, free memory and
 * free hugepages per size.
 */
import type { Host } from '../host/model.ts';
import type { Occupancy, PartitionRequest, ReserveKeyword, ThreadPolicy } from './request.ts';
import { reservedOfNode } from './reserve.ts';

export interface CoreCapacity {
  /** Online CPUs of the core that are not reserved for the host, ascending. */
  usable: number[];
  /** Usable CPUs no other guest runs on: what a 1:1 pin may take. */
  free: number[];
  /** Usable CPUs no other guest pins one-to-one: what floating vCPUs may share. */
  open: number[];
  /** Another guest's vCPUs run here (pinned or floating). */
  shared: boolean;
  /** Another guest pins a vCPU one-to-one on a thread of this core. */
  pinned: boolean;
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
  /**
   * Bit 1: no other guest may take the CPU (1:1 pins, idle siblings of isolated cores); bit 2:
   * another guest runs or idles there; bit 4: shared work floats there (another guest's floating
   * vCPUs, emulator or iothreads), so it is no CPU to pin a vCPU to one-to-one.
   */
  flags: Uint8Array;
  /** One-to-one vCPUs per CPU (each counts 1) and floating vCPUs spread over their cpusets. */
  load: Float64Array;
  memory: Map<number, number>;
  /** node → size → pages held. */
  pages: Map<number, Map<number, number>>;
}

const PINNED = 1;
const TOUCHED = 2;
const FLOATED = 4;

function holdings(occupancy: Occupancy): Holdings {
  let top = -1;
  for (const g of occupancy.guests) for (const list of [g.pinnedCpus, g.floatingCpus, g.isolatedCpus ?? [], g.emulatorCpus ?? []]) for (const c of list) if (c > top) top = c;
  const held: Holdings = { flags: new Uint8Array(top + 1), load: new Float64Array(top + 1), memory: new Map(), pages: new Map() };
  for (const g of occupancy.guests) {
    for (const c of g.pinnedCpus) {
      held.flags[c] |= PINNED | TOUCHED;
      held.load[c] += 1;
    }
    for (const c of g.isolatedCpus ?? []) held.flags[c] |= PINNED | TOUCHED;
    for (const c of g.floatingCpus) {
      held.flags[c] |= TOUCHED | FLOATED;
      held.load[c] += g.floatingVcpus / g.floatingCpus.length;
    }
    for (const c of g.emulatorCpus ?? []) held.flags[c] |= FLOATED;
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
    let any = 0;
    for (const c of core) any |= held.flags[c] ?? 0;
    const open = any & PINNED ? usable.filter((x) => !((held.flags[x] ?? 0) & PINNED)) : usable;
    const free = any & (PINNED | FLOATED) ? usable.filter((x) => !((held.flags[x] ?? 0) & (PINNED | FLOATED))) : usable;
    capCores.push({ usable, free, open, shared: (any & TOUCHED) !== 0, pinned: (any & PINNED) !== 0 });
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

/** Floating vCPUs share cores, but not the siblings of another guest's 1:1 pins (a core none pins keeps every usable CPU open). */
function floatable(c: CoreCapacity): boolean {
  return !c.pinned;
}

/** Does a 1:1 guest core of `threads` fit on this core under the policy? */
function takes(c: CoreCapacity, threads: number, policy: ThreadPolicy): boolean {
  if (policy === 'isolate') return c.free.length === c.usable.length && !c.shared;
  return c.free.length >= (policy === 'require' ? Math.max(2, threads) : threads);
}

/** Cores no other guest touches first, so that two guests share a core's siblings only when they must. */
function untouchedFirst(cores: readonly CoreCapacity[]): CoreCapacity[] {
  return cores.some((c) => c.shared) ? [...cores.filter((c) => !c.shared), ...cores.filter((c) => c.shared)] : [...cores];
}

/** How many groups placeableGroups would hand out, without building them. */
export function placeableCount(cap: NodeCapacity, use: CoreUse): number {
  let count = 0;
  for (const c of cap.cores) {
    switch (use.kind) {
      case 'float':
        if (floatable(c)) count++;
        break;
      case 'threads':
        count += c.free.length;
        break;
      case '1:1':
        if (takes(c, use.threads, use.policy)) count++;
        break;
    }
  }
  return count;
}

/**
 * Host CPU groups a guest may take on this node, in order, one group per guest core (or per vCPU
 * for loose threads). Nova's thread policies: prefer and require need `threads` free siblings of
 * one core (require at least two), isolate takes one thread of a core nobody else uses. Floating
 * vCPUs take whole cores no other guest pins to.
 */
export function placeableGroups(cap: NodeCapacity, use: CoreUse): number[][] {
  switch (use.kind) {
    case 'float':
      return cap.cores.filter(floatable).map((c) => [...c.open]);
    case 'threads':
      return untouchedFirst(cap.cores).flatMap((c) => c.free.map((cpu) => [cpu]));
    case '1:1': {
      const { threads, policy } = use;
      const fit = untouchedFirst(cap.cores).filter((c) => takes(c, threads, policy));
      return policy === 'isolate' ? fit.map((c) => [c.free[0]]) : fit.map((c) => c.free.slice(0, threads));
    }
  }
}
