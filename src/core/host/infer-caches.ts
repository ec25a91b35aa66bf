/**
 * lscpu's summary gives cache sizes but not which CPUs share them. When nothing better was
 * pasted, place them the way x86 and most servers build them: L1 and L2 per core, L3 per
 * package; and only when lscpu's instance counts (2.37+) agree with that placement.
 */
import type { CacheSummaryFact } from './facts.ts';
import type { Cache, Core, Package } from './model.ts';

export function inferCaches(summary: readonly CacheSummaryFact[], cores: readonly Core[], packages: readonly Package[]): Cache[] | undefined {
  if (summary.length === 0 || cores.length === 0) return undefined;
  const caches: Cache[] = [];
  for (const fact of [...summary].sort((a, b) => b.level - a.level || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))) {
    const groups = fact.level >= 3 ? packages.map((p) => p.cpus) : cores.map((c) => c.cpus);
    if (fact.instances !== undefined && fact.instances !== groups.length) return undefined;
    for (const cpus of groups) {
      const cache: Cache = { index: caches.length, level: fact.level, type: fact.type, cpus };
      if (fact.sizeKiB !== undefined) cache.sizeKiB = fact.sizeKiB;
      caches.push(cache);
    }
  }
  return caches;
}
