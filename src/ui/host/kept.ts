/**
 * What the page's folds leave drawn for the guests (fold.ts's Keep): the host CPUs vCPUs are
 * pinned to one to one, the nodes floating vCPUs run on and every node holding a guest's memory.
 * A pure function of the guests' affinity maps, so that the host view and the tests that check
 * its labels read with a guest laid out keep the same things.
 */
import { sortIds } from '../../core/cpuset.ts';
import type { AffinityMap } from '../../core/emit/affinity.ts';

export function guestKeep(maps: readonly AffinityMap[]): { cpus: number[]; nodes: number[] } {
  const rows = maps.flatMap((m) => m.rows);
  const cpus = rows.filter((r) => r.pinning === '1:1').flatMap((r) => r.cpus);
  const nodes = rows.flatMap((r) => (r.pinning === '1:1' ? r.memoryNodes : [...r.cpuNodes, ...r.memoryNodes]));
  return { cpus: sortIds([...new Set(cpus)]), nodes: sortIds([...new Set(nodes)]) };
}
