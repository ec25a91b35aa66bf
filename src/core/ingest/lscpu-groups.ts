/**
 * s390 drawers and books from lscpu's DRAWER and BOOK columns, made into Groups as hwloc's Linux
 * backend makes them: Group0(Drawer) ⊃ Group1(Book) ⊃ packages. hwloc merges a group whose CPUs
 * are those of another object into it (hwloc__insert_try_merge_group): a z/VM guest's book per
 * one-CPU socket, a drawer of one book, a book holding the whole machine. So does this.
 */
import type { CpuFact, GroupFact } from '../host/facts.ts';

/** A CPU's drawer and book as its row gives them. */
export interface S390Place {
  drawer?: number;
  book?: number;
}

const LEVELS = [
  ['drawer', 'Drawer'],
  ['book', 'Book'],
] as const;

/** Sets each CPU's group path; returns the groups kept, with their subtypes. */
export function s390Groups(rows: readonly { cpu: CpuFact; place: S390Place }[], cpus: readonly CpuFact[]): GroupFact[] {
  if (rows.length === 0) return [];
  const others = new Set<string>([signature(cpus)]);
  const byKey = (keyOf: (c: CpuFact) => string | undefined) => {
    const sets = new Map<string, CpuFact[]>();
    for (const c of cpus) {
      const key = keyOf(c);
      if (key !== undefined) (sets.get(key) ?? sets.set(key, []).get(key)!).push(c);
    }
    return sets;
  };
  for (const set of byKey((c) => (c.package === undefined ? undefined : `${c.package}`)).values()) others.add(signature(set));
  for (const set of byKey((c) => (c.core === undefined ? undefined : `${c.package}|${c.core}`)).values()) others.add(signature(set));

  const paths = new Map<CpuFact, number[]>(rows.map((r) => [r.cpu, []]));
  const kept: GroupFact[] = [];
  for (const [level, subtype] of LEVELS) {
    const members = new Map<string, { path: number[]; cpus: CpuFact[] }>();
    for (const { cpu, place } of rows) {
      const id = place[level];
      if (id === undefined) continue;
      const path = [...(paths.get(cpu) ?? []), id];
      const key = path.join('.');
      (members.get(key) ?? members.set(key, { path, cpus: [] }).get(key)!).cpus.push(cpu);
    }
    const groups = [...members.values()].filter((g) => !others.has(signature(g.cpus)));
    for (const g of groups) {
      others.add(signature(g.cpus));
      kept.push({ path: g.path, subtype });
      for (const c of g.cpus) paths.set(c, g.path);
    }
  }
  for (const [cpu, path] of paths) if (path.length > 0) cpu.groups = path;
  return kept;
}

function signature(cpus: readonly CpuFact[]): string {
  return cpus
    .map((c) => c.id)
    .sort((a, b) => a - b)
    .join(',');
}
