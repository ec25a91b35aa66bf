/**
 * hwloc Groups (POWER7's Group0/Group1, s390 drawers and books, a Cluster-on-Die package's halves)
 * from the CPUs' group paths. A group is its whole path, not its id alone: a source may number
 * books within their drawer, so book 0 of drawer 1 is not book 0 of drawer 0.
 */
import type { GroupFact } from './facts.ts';
import type { Cpu, Group } from './model.ts';

/** The key of a group path in CPU paths and GroupFacts alike. */
const pathKey = (path: readonly number[]) => path.join('.');

/**
 * Every group at every depth, outermost depth first, then by first CPU; each with the subtype
 * the first of `named` (best source first) gives its path.
 */
export function groupsOf(cpus: readonly Cpu[], named: readonly GroupFact[] = []): Group[] {
  const subtypes = new Map<string, string>();
  for (const g of named) if (g.subtype !== undefined && !subtypes.has(pathKey(g.path))) subtypes.set(pathKey(g.path), g.subtype);
  const byPath = new Map<string, Group>();
  for (const cpu of cpus) {
    const path = cpu.groups ?? [];
    for (let depth = 0; depth < path.length; depth++) {
      const key = pathKey(path.slice(0, depth + 1));
      let group = byPath.get(key);
      if (!group) {
        const subtype = subtypes.get(key);
        byPath.set(key, (group = { depth, id: path[depth], ...(subtype !== undefined ? { subtype } : {}), cpus: [] }));
      }
      group.cpus.push(cpu.id);
    }
  }
  return [...byPath.values()].sort((a, b) => a.depth - b.depth || a.cpus[0] - b.cpus[0]);
}
