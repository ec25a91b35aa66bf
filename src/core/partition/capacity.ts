/**
 * What each host node can still give a guest, after the host's reserved CPUs and what other
 * guests hold (Occupancy): usable cores as SMT sibling groups, free threads, free memory and
 * free hugepages per size.
 */
import type { Host } from '../host/model.ts';
import type { Occupancy, PartitionRequest } from './request.ts';
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
  /** Free memory after other guests' bindings; null when no paste said. */
  freeKiB: number | null;
  hugepages: { sizeKiB: number; freePages: number }[];
  /** Other guests' vCPUs running on this node's CPUs (floating ones shared out by cpuset). */
  guestLoad: number;
}

export function nodeCapacity(
  host: Host,
  node: number,
  cores: readonly number[][],
  reserve: PartitionRequest['reserve'],
  occupancy: Occupancy,
): NodeCapacity {
  const reserved = reservedOfNode(cores, reserve);
  const reservedSet = new Set(reserved);
  const pinned = new Set(occupancy.guests.flatMap((g) => g.pinnedCpus));
  const floating = new Set(occupancy.guests.flatMap((g) => g.floatingCpus));
  const onNode = new Set(cores.flat());
  const capCores: CoreCapacity[] = [];
  for (const core of cores) {
    const usable = core.filter((c) => !reservedSet.has(c));
    if (usable.length === 0) continue;
    capCores.push({
      usable,
      free: usable.filter((c) => !pinned.has(c)),
      shared: core.some((c) => pinned.has(c) || floating.has(c)),
    });
  }
  const hostNode = host.nodes.find((n) => n.id === node);
  const bound = occupancy.guests.flatMap((g) => g.memory).filter((m) => m.node === node);
  const base = hostNode?.freeKiB ?? hostNode?.memoryKiB ?? null;
  const freeKiB = base === null ? null : Math.max(0, base - bound.reduce((s, m) => s + m.kib, 0));
  const held = occupancy.guests.flatMap((g) => g.hugepages).filter((h) => h.node === node);
  const hugepages = (hostNode?.hugepages ?? []).map((h) => ({
    sizeKiB: h.sizeKiB,
    freePages: Math.max(0, (h.free ?? h.total) - held.filter((x) => x.sizeKiB === h.sizeKiB).reduce((s, x) => s + x.pages, 0)),
  }));
  let guestLoad = 0;
  for (const g of occupancy.guests) {
    guestLoad += g.pinnedCpus.filter((c) => onNode.has(c)).length;
    if (g.floatingCpus.length > 0) {
      guestLoad += (g.floatingVcpus * g.floatingCpus.filter((c) => onNode.has(c)).length) / g.floatingCpus.length;
    }
  }
  return { node, reserved, cores: capCores, onlineCpus: onNode.size, freeKiB, hugepages, guestLoad };
}

export function freeHugepages(cap: NodeCapacity, sizeKiB: number): number {
  return cap.hugepages.find((h) => h.sizeKiB === sizeKiB)?.freePages ?? 0;
}

/** How vCPUs take host CPUs: whole cores under a thread policy, loose threads, or floating. */
export type CoreUse =
  | { kind: '1:1'; threads: number; policy: PartitionRequest['threadPolicy'] }
  | { kind: 'threads' }
  | { kind: 'float' };

/**
 * Host CPU groups a guest may take on this node, in order, one group per guest core (or per vCPU
 * for loose threads). Nova's thread policies: prefer and require need `threads` free siblings of
 * one core (require at least two), isolate takes one thread of a core nobody else uses.
 */
export function placeableGroups(cap: NodeCapacity, use: CoreUse): number[][] {
  switch (use.kind) {
    case 'float':
      return cap.cores.map((c) => c.usable.filter((cpu) => c.free.includes(cpu))).filter((g) => g.length > 0);
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
