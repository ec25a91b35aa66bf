/**
 * Host nodes' online CPUs grouped into cores (SMT sibling groups), cores ordered by their first
 * CPU and threads ascending — the order pins are handed out in (formats.md §3.3).
 */
import type { Cpu, Host } from '../host/model.ts';

/** Cores of every node, keyed by node id; one pass over the host. */
export function coresByNode(host: Host): Map<number, number[][]> {
  // Arrays indexed by CPU id and core index: this runs on every solve over every CPU of hosts
  // with thousands, so no per-CPU maps or string keys.
  const byId: (Cpu | undefined)[] = [];
  for (const c of host.cpus) byId[c.id] = c;
  const groupOfCore: (number[] | undefined)[] = [];
  const result = new Map<number, number[][]>();
  for (const node of host.nodes) {
    const groups: number[][] = [];
    const touched: number[] = [];
    let bySibling: Map<number, number[]> | undefined;
    for (const id of node.cpus) {
      const cpu = byId[id];
      // A paste that lists a CPU in a node and says nothing else about it (numactl -H alone)
      // still describes an online CPU; only an explicit offline flag removes it.
      if (cpu && !cpu.online) continue;
      if (cpu?.core !== undefined) {
        let group = groupOfCore[cpu.core];
        if (!group) {
          group = [];
          groupOfCore[cpu.core] = group;
          touched.push(cpu.core);
          groups.push(group);
        }
        group.push(id);
        continue;
      }
      // Sibling lists are sorted ids: a core is known by its first thread.
      const low = cpu?.siblings[0] ?? id;
      bySibling ??= new Map();
      const group = bySibling.get(low);
      if (group) group.push(id);
      else {
        const fresh = [id];
        bySibling.set(low, fresh);
        groups.push(fresh);
      }
    }
    for (const core of touched) groupOfCore[core] = undefined;
    for (const g of groups) g.sort((a, b) => a - b);
    result.set(node.id, groups.sort((a, b) => a[0] - b[0]));
  }
  return result;
}

export function coresOfNode(host: Host, node: number): number[][] {
  return coresByNode(host).get(node) ?? [];
}
