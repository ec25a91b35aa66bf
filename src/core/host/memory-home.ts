/**
 * Where the memory of a memoryless CPU node comes from: EPYC hosts with DIMMs on some channels
 * only, or CPU nodes whose memory is offline, have nodes with CPUs and no memory. Linux serves
 * their allocations from the first node with memory in the node's zonelist, so a guest cell
 * running there binds its memory to that node: as local as the host allows, not a misplacement.
 *
 * The zonelists are built as Linux builds them (mm/page_alloc.c build_zonelists and
 * find_next_best_node, 5.16 on): nearest by SLIT distance first; among equally near nodes, those
 * numbered above the node, then those without CPUs, then the least loaded — each zonelist built
 * adds load to the first node of each distance tier it reaches, in node order, so that the
 * memoryless nodes of a host without a SLIT (every remote distance 20) spread over the nodes
 * with memory rather than all falling on one.
 */
import { hostDistance, type DistanceOf } from './distance.ts';
import type { Host } from './model.ts';

/** Past this many nodes the exact zonelists (cubic in nodes) give way to nearest, lowest id on ties. */
const EXACT_NODES = 256;

/** Memoryless CPU node → the node its memory comes from; nodes with memory are absent. */
export function memoryHomes(host: Host): Map<number, number> {
  const homes = new Map<number, number>();
  const withMemory = host.nodes.filter((n) => (n.memoryKiB ?? 0) > 0);
  const memoryless = new Set(host.nodes.filter((n) => n.memoryKiB === 0 && n.cpus.length > 0).map((n) => n.id));
  if (withMemory.length === 0 || memoryless.size === 0) return homes;
  const distance = hostDistance(host);
  const hasCpus = new Set(host.nodes.filter((n) => n.cpus.length > 0).map((n) => n.id));
  const load = new Map<number, number>();
  // find_next_best_node's value, lower is better: distance, +1 for a node numbered below (it
  // "prefers the next node"), +1 for a node with CPUs, then its load breaks what is left equal.
  const value = (from: number, to: number) => (distance(from, to) + (to < from ? 1 : 0) + (hasCpus.has(to) ? 1 : 0)) * (EXACT_NODES + 1) + (load.get(to) ?? 0);
  const exact = host.nodes.length <= EXACT_NODES;
  let lastMemoryless = -1;
  for (const id of memoryless) lastMemoryless = Math.max(lastMemoryless, id);
  const order = host.nodes.map((n) => n.id).sort((a, b) => a - b);
  for (const from of order) {
    if (!exact) {
      if (memoryless.has(from)) homes.set(from, nearest(from, withMemory.map((n) => n.id), distance));
      continue;
    }
    // nodes after the last memoryless one cannot change where its memory comes from
    if (from > lastMemoryless) break;
    const used = new Set([from]);
    let previous = from;
    for (;;) {
      let best: number | undefined;
      let bestValue = Infinity;
      for (const m of withMemory) {
        if (used.has(m.id)) continue;
        const v = value(from, m.id);
        if (v < bestValue) [best, bestValue] = [m.id, v];
      }
      if (best === undefined) break;
      if (memoryless.has(from) && !homes.has(from)) homes.set(from, best);
      if (distance(from, best) !== distance(from, previous)) load.set(best, (load.get(best) ?? 0) + 1);
      used.add(best);
      previous = best;
    }
  }
  return homes;
}

/** The nearest of `candidates`, the lowest id among equals. */
function nearest(from: number, candidates: readonly number[], distance: DistanceOf): number {
  let best = candidates[0];
  for (const c of candidates) if (distance(from, c) < distance(from, best) || (distance(from, c) === distance(from, best) && c < best)) best = c;
  return best;
}
