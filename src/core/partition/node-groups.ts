/**
 * Host nodes grouped the way mode auto keeps a guest together: by package when the host says
 * which package each node's CPUs sit in, otherwise by the distance matrix — nodes joined by the
 * smallest distance between two nodes, as the nodes of one socket are on today's hosts (EPYC
 * NPS4: 12 inside a socket, 32 across).
 */
import { formatIdList } from '../cpuset.ts';
import type { Host } from '../host/model.ts';
import type { DistanceOf } from '../host/distance.ts';

export interface NodeGroup {
  /** "package 1", or "nodes 0-3" for a group found by distance. */
  name: string;
  /** What the groups are, in the plural: "packages", "groups of nearest nodes". */
  kind: 'packages' | 'groups of nearest nodes';
  nodes: number[];
}

/** Per host, per node list: a host is read-only once built, and the worker keeps one across solves. */
const cache = new WeakMap<Host, Map<string, NodeGroup[]>>();

/** Groups of `nodes` (ascending); none when nothing tells them apart (one tier of distances, no packages). */
export function nodeGroups(host: Host, nodes: readonly number[], distance: DistanceOf): NodeGroup[] {
  const key = nodes.join(',');
  let known = cache.get(host);
  if (!known) cache.set(host, (known = new Map()));
  let groups = known.get(key);
  if (!groups) known.set(key, (groups = byPackage(host, nodes) ?? byDistance(nodes, distance)));
  return groups;
}

function byPackage(host: Host, nodes: readonly number[]): NodeGroup[] | undefined {
  const packageOf = new Map<number, number>();
  const wanted = new Set(nodes);
  for (const cpu of host.cpus) {
    if (cpu.node === undefined || !wanted.has(cpu.node)) continue;
    if (cpu.package === undefined) return undefined;
    const known = packageOf.get(cpu.node);
    // A node over two packages (rare, but sysfs allows it) leaves packages no use here.
    if (known !== undefined && known !== cpu.package) return undefined;
    packageOf.set(cpu.node, cpu.package);
  }
  if (nodes.some((n) => !packageOf.has(n))) return undefined;
  const groups = new Map<number, number[]>();
  for (const n of nodes) groups.set(packageOf.get(n) as number, [...(groups.get(packageOf.get(n) as number) ?? []), n]);
  return [...groups].sort((a, b) => a[0] - b[0]).map(([id, members]) => ({ name: `package ${id}`, kind: 'packages', nodes: members }));
}

function byDistance(nodes: readonly number[], distance: DistanceOf): NodeGroup[] {
  let nearest = Infinity;
  for (const a of nodes) for (const b of nodes) if (a !== b) nearest = Math.min(nearest, distance(a, b));
  const root = new Map(nodes.map((n) => [n, n]));
  const find = (n: number): number => (root.get(n) === n ? n : find(root.get(n) as number));
  for (const a of nodes) for (const b of nodes) if (a < b && distance(a, b) <= nearest) root.set(find(b), find(a));
  const groups = new Map<number, number[]>();
  for (const n of nodes) groups.set(find(n), [...(groups.get(find(n)) ?? []), n]);
  // one node, or one tier of distances: nothing to tell apart
  if (groups.size <= 1) return [];
  return [...groups.values()].map((members) => ({ name: `nodes ${formatIdList(members)}`, kind: 'groups of nearest nodes', nodes: members }));
}
