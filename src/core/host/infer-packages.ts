/**
 * When no paste says which package each CPU is in (plain `lscpu` + `numactl -H` whose CPU
 * numbering infer-cores.ts could not settle), lscpu's `Socket(s):` and the nodes still tell:
 * with one socket every node is in it; with as many sockets as CPUs, each CPU is one; otherwise
 * a socket holds whole nodes, as many in each, and
 * - the nodes of one socket are nearer to each other than to any other (the SLIT's
 *   within-socket tier: 12 on EPYC NPS4, 11 under SNC, 16 on Magny-Cours): the nearest tier
 *   that splits the nodes into `sockets` equal groups is taken;
 * - without such distances, sockets filled in CPU order under one of Linux's two numberings
 *   (infer-cores.ts) are taken when exactly one answer keeps every node whole.
 * Anything less clear is left unknown, and either way it is said.
 */
import { formatIdList } from '../cpuset.ts';
import type { CountFacts } from './facts.ts';

export interface NodeCpus {
  id: number;
  cpus: readonly number[];
}

export type PackagePlacement =
  | { packages: number[][]; explanation: string }
  | { packages?: undefined; reason: string };

type CpuNode = NodeCpus & { index: number };

const PASTE = 'paste `lscpu -e` for the real mapping';

/**
 * Packages (CPU lists, in the order of their first node or CPU) from lscpu's counts, the nodes
 * and the node distance matrix (rows in `nodes` order; `measured(i)` is false for a row no
 * paste gave).
 */
export function inferPackages(
  counts: CountFacts & { sockets: number },
  cpuIds: readonly number[],
  nodes: readonly NodeCpus[],
  distances: readonly (readonly number[])[],
  measured: (index: number) => boolean,
): PackagePlacement {
  const { sockets } = counts;
  if (sockets === 1) {
    return { packages: [[...cpuIds]], explanation: `lscpu says 1 socket: every CPU is in package 0; ${PASTE}` };
  }
  if (sockets === cpuIds.length) {
    return { packages: cpuIds.map((id) => [id]), explanation: `lscpu says ${sockets} sockets for ${sockets} CPUs: each CPU is a package of its own` };
  }
  const withCpus: CpuNode[] = nodes.map((n, i) => ({ ...n, index: i })).filter((n) => n.cpus.length > 0);
  const perSocket = withCpus.length / sockets;
  const counted = `lscpu says ${sockets} sockets and ${withCpus.length} node(s) have CPUs`;
  if (!Number.isInteger(perSocket) || perSocket < 1) {
    return { reason: `${counted}, which do not split evenly, so packages are unknown; ${PASTE}` };
  }
  const cpusOf = (group: readonly CpuNode[]) => group.flatMap((n) => n.cpus).sort((a, b) => a - b);
  if (perSocket === 1) {
    return { packages: withCpus.map((n) => cpusOf([n])), explanation: `${counted}: one node per package; ${PASTE}` };
  }
  const measuredAll = withCpus.every((n) => measured(n.index));
  const tiered = measuredAll ? byDistanceTier(withCpus, sockets, distances) : undefined;
  if (tiered) {
    const named = tiered.groups.map((g) => formatIdList(g.map((n) => n.id))).join(' | ');
    return {
      packages: tiered.groups.map(cpusOf),
      explanation: `packages inferred from lscpu's ${sockets} sockets and the node distances: nodes ${named} are within ${tiered.tier} of each other, ${perSocket} per socket; ${PASTE}`,
    };
  }
  const numbered = byNumbering(counts, cpuIds, withCpus);
  if (numbered) {
    return {
      packages: numbered.packages,
      explanation: `packages inferred from lscpu's counts (${sockets} sockets × ${counts.coresPerSocket} cores × ${counts.threadsPerCore} threads), filled in CPU order with ${numbered.name}: the one way that keeps every node in one socket; ${PASTE}`,
    };
  }
  const why = measuredAll ? `no distance tier splits those nodes into ${sockets} groups of ${perSocket}` : 'without their distances which nodes share a socket is unknown';
  return { reason: `${counted}, but ${why}, nor does filling sockets in CPU order keep each node in one, so packages are unknown; ${PASTE}` };
}

function byDistanceTier(nodes: readonly CpuNode[], sockets: number, distances: readonly (readonly number[])[]): { groups: CpuNode[][]; tier: number } | undefined {
  const far = (a: CpuNode, b: CpuNode) => Math.max(distances[a.index][b.index], distances[b.index][a.index]);
  const tiers = [...new Set(nodes.flatMap((a) => nodes.filter((b) => b !== a).map((b) => far(a, b))))].sort((x, y) => x - y);
  for (const tier of tiers) {
    const groups = groupsWithin(nodes, tier, far);
    if (groups.length === sockets && groups.every((g) => g.length === groups[0].length)) return { groups, tier };
  }
  return undefined;
}

/** Nodes grouped so that every pair within a group is at most `tier` apart and no pair across groups is; [] when no such grouping exists. */
function groupsWithin<T>(nodes: readonly T[], tier: number, far: (a: T, b: T) => number): T[][] {
  const groups: T[][] = [];
  for (const node of nodes) {
    const home = groups.find((g) => far(g[0], node) <= tier);
    if (home) home.push(node);
    else groups.push([node]);
  }
  for (const g of groups) for (const a of g) for (const b of g) if (far(a, b) > tier) return [];
  for (const g of groups) for (const h of groups) if (g !== h && g.some((a) => h.some((b) => far(a, b) <= tier))) return [];
  return groups;
}

/**
 * Sockets filled with cores in order under Linux's two numberings (thread siblings `cores`
 * apart, or numbered together); only on the dense 0..n-1 numbering the counts describe. The
 * packages when the numberings that keep every node in one socket agree.
 */
function byNumbering(counts: CountFacts & { sockets: number }, cpuIds: readonly number[], nodes: readonly CpuNode[]): { packages: number[][]; name: string } | undefined {
  const { sockets, coresPerSocket: perSocket, threadsPerCore: threads } = counts;
  if (!perSocket || !threads) return undefined;
  const cores = sockets * perSocket;
  if (cores * threads !== cpuIds.length || cpuIds.some((id, i) => id !== i)) return undefined;
  const numberings = [
    { name: `thread siblings ${cores} apart`, packageOf: (cpu: number) => Math.floor((cpu % cores) / perSocket) },
    { name: 'thread siblings numbered together', packageOf: (cpu: number) => Math.floor(cpu / (perSocket * threads)) },
  ];
  const fitting = numberings.filter((n) => nodes.every((node) => node.cpus.every((cpu) => n.packageOf(cpu) === n.packageOf(node.cpus[0]))));
  if (fitting.length === 0) return undefined;
  const partitions = fitting.map((n) => {
    const packages = Array.from({ length: sockets }, () => [] as number[]);
    for (const id of cpuIds) packages[n.packageOf(id)].push(id);
    return packages;
  });
  const same = partitions.every((p) => JSON.stringify(p) === JSON.stringify(partitions[0]));
  if (!same) return undefined;
  return { packages: partitions[0], name: fitting.map((n) => n.name).join(' or ') };
}
