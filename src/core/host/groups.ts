/**
 * hwloc Groups (POWER7's Group0/Group1, s390 drawers and books) from the CPUs' group paths. A group is its whole path, not its id alone: a source may number books within
 * their drawer, so book 0 of drawer 1 is not book 0 of drawer 0.
 */
import type { Cpu, Group } from './model.ts';

/** Every group at every depth, outermost depth first, then by first CPU. */
export function groupsOf(cpus: readonly Cpu[]): Group[] {
  const byPath = new Map<string, Group>();
  for (const cpu of cpus) {
    const path = cpu.groups ?? [];
    for (let depth = 0; depth < path.length; depth++) {
      const key = path.slice(0, depth + 1).join('.');
      let group = byPath.get(key);
      if (!group) byPath.set(key, (group = { depth, id: path[depth], cpus: [] }));
      group.cpus.push(cpu.id);
    }
  }
  return [...byPath.values()].sort((a, b) => a.depth - b.depth || a.cpus[0] - b.cpus[0]);
}
