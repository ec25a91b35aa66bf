/**
 * Where the memory of a memoryless CPU node comes from: EPYC hosts with DIMMs on some channels
 * only, or CPU nodes whose memory is offline, have nodes with CPUs and no memory. Linux serves
 * their allocations from the nearest node with memory (the node's zonelist, ordered by SLIT
 * distance), so a guest cell running there binds its memory to that node: as local as the host
 * allows, not a misplacement.
 */
import type { Host } from './model.ts';
import { DEFAULT_REMOTE_DISTANCE } from './model.ts';

/** Memoryless CPU node → its nearest node with memory (ties: the lower id); nodes with memory are absent. */
export function memoryHomes(host: Host): Map<number, number> {
  const homes = new Map<number, number>();
  const index = new Map(host.nodes.map((n, i) => [n.id, i]));
  const withMemory = host.nodes.filter((n) => (n.memoryKiB ?? 0) > 0);
  if (withMemory.length === 0) return homes;
  const distance = (a: number, b: number) => host.distances[index.get(a) as number]?.[index.get(b) as number] ?? DEFAULT_REMOTE_DISTANCE;
  for (const n of host.nodes) {
    if (n.memoryKiB !== 0 || n.cpus.length === 0) continue;
    let best = withMemory[0].id;
    for (const m of withMemory) {
      const d = distance(n.id, m.id);
      const b = distance(n.id, best);
      if (d < b || (d === b && m.id < best)) best = m.id;
    }
    homes.set(n.id, best);
  }
  return homes;
}
