/**
 * Where a CPU-less node sits: the nodes with CPUs it is attached next to (NumaNode.localCpus),
 * as hwloc states it or, for pastes of sysfs (numactl, lscpu, virsh) that cannot, as merge
 * inferred it from the distance matrix the way hwloc does. Without a SLIT hwloc's word is the
 * only sign of which CPUs a KNL's MCDRAM or a CXL expander is near.
 */
import { formatIdList } from '../cpuset.ts';
import type { Host } from './model.ts';

export function cpuNodesBeside(host: Host, node: number): number[] {
  const near = new Set(host.nodes.find((n) => n.id === node)?.localCpus ?? []);
  if (near.size === 0) return [];
  return host.nodes.filter((n) => n.cpus.some((c) => near.has(c))).map((n) => n.id);
}

/**
 * A node's CPUs as a table cell: its own, or for a CPU-less node `none` and where it sits,
 * with "by distance" when that was inferred rather than stated by a source.
 */
export function nodeCpusText(host: Host, node: number, none: string): string {
  const found = host.nodes.find((n) => n.id === node);
  const own = found?.cpus ?? [];
  if (own.length > 0) return formatIdList(own);
  const beside = cpuNodesBeside(host, node);
  if (beside.length === 0) return none;
  return `${none} (beside node ${formatIdList(beside)}${found?.localCpusFrom === 'distances' ? ', by distance' : ''})`;
}
