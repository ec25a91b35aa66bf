/**
 * Memory tiers: memory-only host nodes (CXL expanders, HBM/MCDRAM) back CPU-less guest cells
 * (`<cell id='k' memory='…'/>` without cpus, accepted since libvirt 6.6). Never vCPUs: a tier
 * has no CPU to run them on.
 *
 * - What goes there: `tierMemoryKiB` of the request, plus whatever the guest's CPU nodes cannot
 *   hold. That overflow is the last resort: solve() first looks for any set of CPU nodes with
 *   room for all the memory (more nodes if needed), and only when none has it does it pick the
 *   CPU nodes by the usual rules with each cell asking only for what the tiers cannot take,
 *   fill the CPU cells up to their equal share, and warn.
 * - Which tiers: memory-only nodes (all of them, or only those the request's nodeset names: a
 *   nodeset lists every node the guest may touch), nearest to the guest's CPU nodes first (sum
 *   of the host distances to each of them), then those attached next to more of them (hwloc's
 *   locality: a KNL's MCDRAM sits with its cluster's DRAM node, and hwloc XML of such hosts
 *   often has no distances at all), then most free memory, then lowest id. Each is
 *   filled before the next is used, so the guest spans as few tiers as it can; one CPU-less
 *   cell per tier used, ids after the CPU cells.
 * - The CPU nodes under overflow are the fewest that hold the vCPUs and what the tiers cannot
 *   take, chosen as always (distance cost, devices, free memory): the tiers are the overflow,
 *   not a reason to spread the vCPUs.
 * - Binding: memoryMode 'strict' (QEMU `policy=bind`). 'preferred' would let the kernel fall
 *   back to other nodes when the tier is short, so the memory could land on the CPU nodes
 *   other guests were promised, and the guest's SLIT would describe memory that is elsewhere.
 * - Distances: the host's between the cells' nodes, as for every cell. The score's distance
 *   cost weighs cells by their vCPUs, so a tier adds nothing to it; its distance to each CPU
 *   cell is spelled out in the explanation instead. score.nodes counts the tiers: the guest
 *   spans them.
 * - Memory stays exact: CPU cells give up whole granules (MiB or hugepages), the tiers take
 *   whole granules, and the request's total is the cells' sum.
 */
import { formatIdList, sortIds } from '../cpuset.ts';
import { minOf } from '../extremes.ts';
import type { GuestCell } from '../guest/model.ts';
import { cpuNodesBeside } from '../host/locality.ts';
import type { Host } from '../host/model.ts';
import { formatKiB } from '../units.ts';
import { freeHugepages } from './capacity.ts';
import type { NodeCapacity } from './capacity.ts';
import type { CellBacking } from './cells.ts';
import type { DistanceOf } from '../host/distance.ts';
import { splitMemory } from './memory.ts';

/** Memory-only host nodes the guest may use as tiers: every one, or those the nodeset names. */
export function tierCandidates(host: Host, nodeset: readonly number[] | undefined): number[] {
  const memoryOnly = host.nodes.filter((n) => n.kind === 'memory-only').map((n) => n.id);
  return sortIds(nodeset === undefined ? memoryOnly : memoryOnly.filter((id) => nodeset.includes(id)));
}

/** What a node can still take in this guest's pages: free KiB, and free hugepages when backed by them; null = unknown. */
export function roomOf(cap: NodeCapacity, hugepageSizeKiB: number | undefined): number | null {
  const pages = hugepageSizeKiB === undefined ? null : freeHugepages(cap, hugepageSizeKiB) * hugepageSizeKiB;
  if (cap.freeKiB === null) return pages;
  return pages === null ? cap.freeKiB : Math.min(cap.freeKiB, pages);
}

/** Whole granules of room; null (unknown) stays unknown. */
function wholeRoom(room: number | null, granule: number): number | null {
  return room === null ? null : Math.floor(room / granule) * granule;
}

/** Total room of these nodes in whole granules; null when any node's is unknown. */
export function roomTotal(nodes: readonly number[], roomOfNode: (node: number) => number | null, granule: number): number | null {
  let total = 0;
  for (const n of nodes) {
    const r = wholeRoom(roomOfNode(n), granule);
    if (r === null) return null;
    total += r;
  }
  return total;
}

/**
 * Tiers nearest to the guest's CPU nodes first (sum of distances), then local to more of them,
 * then most free memory, then lowest id.
 */
export function tierOrder(host: Host, tiers: readonly number[], cpuNodes: readonly number[], distance: DistanceOf, roomOfNode: (node: number) => number | null): number[] {
  const near = (t: number) => cpuNodes.reduce((sum, n) => sum + distance(n, t), 0);
  const local = (t: number) => localCpuNodes(host, t, cpuNodes);
  // Unknown room ranks below any known amount: a tier that says how much it has is the safer pick.
  const room = (t: number) => roomOfNode(t) ?? -1;
  return [...tiers].sort((a, b) => near(a) - near(b) || local(b) - local(a) || room(b) - room(a) || a - b);
}

/** How many of these CPU nodes the tier is attached next to. */
function localCpuNodes(host: Host, tier: number, cpuNodes: readonly number[]): number {
  const beside = cpuNodesBeside(host, tier);
  return cpuNodes.filter((id) => beside.includes(id)).length;
}

/**
 * Each CPU cell's memory: its wanted share, less whole granules where its nodes lack the room.
 * Slices of one node split its room evenly, the first slice keeping what the others leave, so
 * a later slice is never starved by an earlier one; a cell over several nodes takes the memory
 * split's parts of each (equal parts when it must shrink).
 */
export function fillCpuCells(backing: readonly CellBacking[], wanted: readonly number[], granule: number, roomOfNode: (node: number) => number | null): number[] {
  const room = (n: number) => wholeRoom(roomOfNode(n), granule);
  const shrink = (want: number, cap: number) => (want <= cap ? want : want - Math.ceil((want - cap) / granule) * granule);
  const memories = [...wanted];
  const otherSlices = new Map<number, number>();
  backing.forEach((b, i) => {
    const r = room(b.nodes[0]);
    if (b.nodes.length > 1 || b.slice === 0 || r === null) return;
    memories[i] = shrink(wanted[i], Math.floor(r / b.slices / granule) * granule);
    otherSlices.set(b.nodes[0], (otherSlices.get(b.nodes[0]) ?? 0) + memories[i]);
  });
  backing.forEach((b, i) => {
    const rooms = b.nodes.map(room);
    if (rooms.some((r) => r === null)) return;
    const known = rooms as number[];
    if (b.nodes.length === 1) {
      if (b.slice === 0) memories[i] = shrink(wanted[i], known[0] - (otherSlices.get(b.nodes[0]) ?? 0));
      return;
    }
    const parts = splitMemory(wanted[i], b.nodes.length, granule);
    if (parts.every((p, j) => p <= known[j])) return;
    // Whole granules on every node: the split's parts are then equal, bar cell 0's odd KiB on its first node.
    const step = b.nodes.length * granule;
    const odd = wanted[i] % granule;
    // What the nodes hold in whole granules besides the odd KiB (which take a granule of the first node's room).
    const cap = b.nodes.length * minOf(known) - (odd > 0 ? step : 0);
    memories[i] = odd + Math.max(0, Math.floor(Math.min(wanted[i] - odd, cap) / step) * step);
  });
  return memories;
}

export interface TierShare {
  node: number;
  kib: number;
}

export type TierPlacement = { ok: true; shares: TierShare[] } | { ok: false; shortKiB: number };

/** `kib` (whole granules) over the ordered tiers, each filled before the next. */
export function placeOnTiers(kib: number, order: readonly number[], roomOfNode: (node: number) => number | null, granule: number): TierPlacement {
  const shares: TierShare[] = [];
  let left = kib;
  for (const node of order) {
    const room = wholeRoom(roomOfNode(node), granule);
    // nothing left to place, or no room here: the tier is not used
    const take = room === null ? left : Math.min(left, room);
    if (take <= 0) continue;
    shares.push({ node, kib: take });
    left -= take;
  }
  return left > 0 ? { ok: false, shortKiB: left } : { ok: true, shares };
}

/**
 * "cell 4 (memory only, 64 GiB on CXL node 2): 17 from cell 0, 21 from cells 1-3", and which
 * cells' CPUs the tier is attached next to where the host says (without a SLIT, the only reason
 * one tier was picked over another).
 */
export function tierSentence(host: Host, tier: GuestCell, cpuCells: readonly GuestCell[]): string {
  const node = tier.hostNodes[0];
  const subtype = host.nodes.find((n) => n.id === node)?.subtype;
  const local = cpuCells.filter((c) => localCpuNodes(host, node, c.hostNodes) > 0).map((c) => c.id);
  const beside = local.length === 0 ? '' : `; attached next to the CPUs of ${local.length === 1 ? 'cell' : 'cells'} ${formatIdList(local)}`;
  const byDistance = new Map<number, number[]>();
  for (const c of cpuCells) {
    const d = tier.distances[c.id];
    byDistance.set(d, [...(byDistance.get(d) ?? []), c.id]);
  }
  const parts = [...byDistance]
    .sort((a, b) => a[0] - b[0])
    .map(([d, cells]) => `${d} from ${cells.length === 1 ? 'cell' : 'cells'} ${formatIdList(cells)}`);
  return `cell ${tier.id} (memory only, ${formatKiB(tier.memoryKiB)} on ${subtype ? `${subtype} ` : 'memory-only '}node ${node}): ${parts.join(', ')}${beside}`;
}
