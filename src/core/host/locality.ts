/**
 * Where a CPU-less node sits: the nodes with CPUs it is attached next to (hwloc's locality,
 * NumaNode.localCpus). Without a SLIT this is the only sign of which CPUs a KNL's MCDRAM or a
 * CXL expander is near; Linux sysfs says nothing of it, so numactl/lscpu pastes give none.
 */
import { formatIdList } from '../cpuset.ts';
import type { Host } from './model.ts';

export function cpuNodesBeside(host: Host, node: number): number[] {
  const near = new Set(host.nodes.find((n) => n.id === node)?.localCpus ?? []);
  if (near.size === 0) return [];
  return host.nodes.filter((n) => n.cpus.some((c) => near.has(c))).map((n) => n.id);
}

/** A node's CPUs as a table cell: its own, or for a CPU-less node `none` and where it sits. */
export function nodeCpusText(host: Host, node: number, none: string): string {
  const own = host.nodes.find((n) => n.id === node)?.cpus ?? [];
  if (own.length > 0) return formatIdList(own);
  const beside = cpuNodesBeside(host, node);
  return beside.length === 0 ? none : `${none} (beside node ${formatIdList(beside)})`;
}
