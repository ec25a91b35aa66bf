/**
 * Host nodes' online CPUs grouped into cores (SMT sibling groups), cores ordered by their first
 * CPU and threads ascending — the order pins are handed out in (formats.md §3.3).
 */
import type { Host } from '../host/model.ts';

/** Cores of every node, keyed by node id; one pass over the host. */
export function coresByNode(host: Host): Map<number, number[][]> {
  const cpus = new Map(host.cpus.map((c) => [c.id, c]));
  const result = new Map<number, number[][]>();
  for (const node of host.nodes) {
    const groups = new Map<string, number[]>();
    for (const id of node.cpus) {
      const cpu = cpus.get(id);
      // A paste that lists a CPU in a node and says nothing else about it (numactl -H alone)
      // still describes an online CPU; only an explicit offline flag removes it.
      if (cpu && !cpu.online) continue;
      const key = cpu?.core !== undefined ? `c${cpu.core}` : `s${Math.min(id, ...(cpu?.siblings ?? []))}`;
      const group = groups.get(key);
      if (group) group.push(id);
      else groups.set(key, [id]);
    }
    result.set(node.id, [...groups.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]));
  }
  return result;
}

export function coresOfNode(host: Host, node: number): number[][] {
  return coresByNode(host).get(node) ?? [];
}
