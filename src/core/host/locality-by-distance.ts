/**
 * Where a CPU-less node sits when no paste says (numactl -H, virsh capabilities, lscpu: sysfs
 * has no such file): beside the nodes nearest to it in the distance matrix, decided exactly as
 * hwloc's Linux backend decides it (topology-linux.c, fixup_cpuless_node_locality_from_distances)
 * so that the picture matches what lstopo draws from the same machine:
 * - the nearest other nodes, CPU-less ones included, give their CPUs; a tie gives all of theirs;
 * - no locality when every other node is equally near (a Superdome's shared memory, a GPU's
 *   memory at 80 from everything; so a host of two nodes never gets one), or when the nearest
 *   is no nearer than the node to itself;
 * - CPU-less nodes are settled in id order and one settled earlier lends the CPUs it was given.
 */
import { sortIds } from '../cpuset.ts';
import type { NumaNode } from './model.ts';

/**
 * The CPUs each CPU-less node without a stated locality is nearest to, by node id. `rowKnown`
 * says whether a node's row of distances came from a paste in full: a row Linux's default
 * filled in places nothing.
 */
export function localityByDistance(nodes: readonly NumaNode[], distances: readonly (readonly number[])[], rowKnown: (index: number) => boolean): Map<number, number[]> {
  const cpusOf = nodes.map((n) => (n.cpus.length > 0 ? n.cpus : (n.localCpus ?? [])));
  const placed = new Map<number, number[]>();
  nodes.forEach((node, i) => {
    if (node.cpus.length > 0 || node.localCpus !== undefined || !rowKnown(i)) return;
    const row = distances[i];
    const others = nodes.map((_, j) => j).filter((j) => j !== i);
    if (row === undefined || others.length === 0) return;
    const nearest = Math.min(...others.map((j) => row[j]));
    const at = others.filter((j) => row[j] === nearest);
    if (nearest <= row[i] || at.length === others.length) return;
    const near = sortIds(at.flatMap((j) => cpusOf[j]));
    cpusOf[i] = near;
    if (near.length > 0) placed.set(node.id, near);
  });
  return placed;
}
