/**
 * The CPUs the machine has, and the step that holds node lists to them before the merge. A
 * node's CPU list is the kernel's node cpumap, which may name possible CPUs that are not present
 * (s390 LPARs: `numactl -H` prints `node 0 cpus: 0 … 140` on a machine of 8 CPUs). numactl
 * cannot tell them apart; lscpu, sysfs and hwloc XML can, so their word bounds every node list.
 */
import { formatIdList } from '../cpuset.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { FormatId, HostFacts } from './facts.ts';

/**
 * Formats whose CPU table is every present CPU, offline ones included: hwloc's complete_cpuset,
 * `lscpu -e` (all CPUs unless told --online; `lscpu -p` lists online ones only, so it is not here).
 */
const TABLES_OF_PRESENT: ReadonlySet<FormatId> = new Set(['hwloc-xml', 'lscpu-e']);

/** The facts with node lists naming only CPUs some paste says exist, one info per paste trimmed. */
export function withinPresentCpus(all: readonly HostFacts[], notes: Diagnostic[]): HostFacts[] {
  const vouching = all.flatMap((f) => {
    const present = presentOf(f);
    return present ? [{ f, present }] : [];
  });
  if (vouching.length === 0) return [...all];
  const present = new Set(vouching.flatMap((v) => [...v.present]));
  return all.map((f) => {
    const absent = new Set<number>();
    for (const n of f.nodes) for (const id of n.cpus ?? []) if (!present.has(id)) absent.add(id);
    if (absent.size === 0) return f;
    const others = vouching.filter((v) => v.f !== f).map((v) => v.f.source);
    const who = others.length > 0 ? others.join(' and ') : 'its own CPU list';
    notes.push({
      severity: 'info',
      source: f.source,
      message: `node lists name CPUs ${formatIdList(absent)}, which ${who} says this machine does not have (its CPUs: ${formatIdList(present)}); they are left out, as the kernel's node map may name possible CPUs (s390 does)`,
    });
    return { ...f, nodes: f.nodes.map((n) => (n.cpus ? { ...n, cpus: n.cpus.filter((id) => present.has(id)) } : n)) };
  });
}

/**
 * The CPUs one paste says are present: all it names when it also counts them (lscpu's `CPU(s):`
 * beside its on-line and off-line lists, sysfs' `present`), or its table where that lists them all.
 */
function presentOf(f: HostFacts): Set<number> | undefined {
  const own: number[] = f.cpus.map((c) => c.id);
  for (const id of f.counts.online ?? []) own.push(id);
  for (const id of f.counts.offline ?? []) own.push(id);
  const ids = new Set(own);
  if (ids.size === 0) return undefined;
  if (f.counts.cpus === ids.size || TABLES_OF_PRESENT.has(f.format)) return ids;
  return undefined;
}
