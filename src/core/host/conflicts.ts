/**
 * Where pastes disagree. The merged Host uses the best-ranked paste for each fact (priority.ts);
 * this module lists every disagreement so a person sees which paste said what instead of a
 * silently chosen answer.
 */
import { formatIdList, sortIds } from '../cpuset.ts';
import { formatKiB } from '../units.ts';
import type { FormatId, HostFacts } from './facts.ts';
import type { Conflict } from './model.ts';
import { byRank, memoryRank, pciRank, topologyRank } from './priority.ts';

type Claim = { facts: HostFacts; value: string };

export function findConflicts(all: readonly HostFacts[], labelOf: (format: FormatId) => string): Conflict[] {
  if (all.length < 2) return [];
  const conflicts: Conflict[] = [];
  const name = (f: HostFacts) => `${f.source} (${labelOf(f.format)})`;
  const report = (subject: string, claims: Claim[], rankOf: (f: FormatId) => number) => {
    if (new Set(claims.map((c) => c.value)).size < 2) return;
    const winner = byRank(claims.map((c) => ({ ...c, format: c.facts.format })), rankOf)[0];
    conflicts.push({
      subject,
      claims: claims.map((c) => ({ source: name(c.facts), value: c.value })),
      resolution: `numascope uses ${name(winner.facts)}, the more detailed source; paste matching outputs of one machine, or remove the other paste`,
    });
  };

  const nodeSources = all.filter((f) => nodeListing(f).cpus.size > 0);
  if (nodeIdsDisagree(nodeSources.map(nodeListing))) {
    report('NUMA node ids', nodeSources.map((f) => ({ facts: f, value: formatIdList([...nodeListing(f).cpus.keys()]) })), topologyRank);
  }
  // One pass over what each paste says, grouped by node: never every node against every paste.
  const cpuClaims = new Map<number, Claim[]>();
  for (const f of nodeSources) {
    for (const [id, cpus] of nodeListing(f).cpus) claimsOf(cpuClaims, id).push({ facts: f, value: formatIdList(cpus) || '(none)' });
  }
  const nodeIds = sortIds(cpuClaims.keys());
  for (const id of nodeIds) report(`CPUs of node ${id}`, cpuClaims.get(id)!, topologyRank);

  report(
    'online CPUs',
    all.flatMap((f) => {
      const online = onlineCpus(f);
      return online ? [{ facts: f, value: formatIdList(online) }] : [];
    }),
    topologyRank,
  );

  report(
    'number of sockets',
    all.flatMap((f) => {
      const n = socketCount(f);
      return n === undefined ? [] : [{ facts: f, value: String(n) }];
    }),
    topologyRank,
  );

  const memoryClaims = new Map<number, { facts: HostFacts; kib: number }[]>();
  for (const f of all) {
    // A paste naming one node twice is its reader's to report; its first word is its claim.
    const named = new Set<number>();
    for (const n of f.nodes) {
      if (named.has(n.id)) continue;
      named.add(n.id);
      if (n.memoryKiB !== undefined && cpuClaims.has(n.id)) claimsOf(memoryClaims, n.id).push({ facts: f, kib: n.memoryKiB });
    }
  }
  for (const id of nodeIds) {
    const claims = memoryClaims.get(id) ?? [];
    const max = claims.reduce((m, c) => Math.max(m, c.kib), -Infinity);
    // Tools round differently (numactl MiB, lstopo's display units): only real differences count.
    if (claims.length > 1 && claims.some((c) => max - c.kib > max * 0.01 + 4096)) {
      report(`memory of node ${id}`, claims.map((c) => ({ facts: c.facts, value: formatKiB(c.kib) })), memoryRank);
    }
  }

  const withDistances = all.filter((f) => f.distances);
  if (withDistances.length > 1) {
    const differing = distanceDifferences(withDistances);
    if (differing) report(`distance ${differing.pair}`, differing.claims, topologyRank);
  }

  const pciNodes = new Map<string, Claim[]>();
  for (const f of all) for (const p of f.pci) if (typeof p.node === 'number') claimsOf(pciNodes, p.bdf).push({ facts: f, value: `node ${p.node}` });
  for (const [bdf, claims] of pciNodes) report(`NUMA node of PCI device ${bdf}`, claims, pciRank);

  return conflicts;
}

function claimsOf<K, C>(map: Map<K, C[]>, key: K): C[] {
  let claims = map.get(key);
  if (!claims) map.set(key, (claims = []));
  return claims;
}

/** The nodes one paste names, and whether it names them only through the CPUs in them. */
interface NodeListing {
  /** node id → CPUs. */
  cpus: Map<number, number[]>;
  /**
   * A per-CPU table (lscpu -p, -e, -J) names a node only as some CPU's node, so it is silent
   * on nodes without CPUs (CXL, HBM, GPU memory) rather than saying they do not exist.
   */
  throughCpus: boolean;
}

const nodeListingCache = new WeakMap<HostFacts, NodeListing>();

/** The nodes of one paste, from its node list or else from its per-CPU table. */
function nodeListing(f: HostFacts): NodeListing {
  let listing = nodeListingCache.get(f);
  if (listing) return listing;
  const cpus = new Map<number, number[]>();
  for (const n of f.nodes) if (n.cpus) cpus.set(n.id, sortIds(n.cpus));
  const throughCpus = cpus.size === 0;
  if (throughCpus) {
    for (const c of f.cpus) if (c.node !== undefined) (cpus.get(c.node) ?? cpus.set(c.node, []).get(c.node)!).push(c.id);
    for (const [k, v] of cpus) cpus.set(k, sortIds(v));
  }
  listing = { cpus, throughCpus };
  nodeListingCache.set(f, listing);
  return listing;
}

/**
 * Whether any two pastes name different nodes, counting only the nodes that both could name:
 * a per-CPU table cannot name a node without CPUs. What a paste shows another depends only on
 * whether that other is a per-CPU table, so each paste has two faces, and the pairs are
 * compared through sets of faces in one pass instead of pair by pair.
 */
function nodeIdsDisagree(listings: readonly NodeListing[]): boolean {
  const all = (l: NodeListing) => formatIdList([...l.cpus.keys()]);
  const withCpus = (l: NodeListing) => formatIdList([...l.cpus].filter(([, cpus]) => cpus.length > 0).map(([id]) => id));
  const lists = listings.filter((l) => !l.throughCpus);
  const tables = listings.filter((l) => l.throughCpus);
  // Two node lists see all of each other; a table names only nodes with CPUs, so it is only
  // ever compared with that face of another paste.
  if (new Set(lists.map(all)).size > 1) return true;
  if (new Set(tables.map(all)).size > 1) return true;
  return lists.length > 0 && tables.length > 0 && new Set([...lists.map(withCpus), ...tables.map(all)]).size > 1;
}

function onlineCpus(f: HostFacts): number[] | undefined {
  if (f.counts.online) return sortIds(f.counts.online);
  // Tables that list offline CPUs too (lscpu -e, hwloc) say so per CPU.
  if (f.cpus.some((c) => c.online !== undefined)) return sortIds(f.cpus.filter((c) => c.online !== false).map((c) => c.id));
  return undefined;
}

function socketCount(f: HostFacts): number | undefined {
  if (f.counts.sockets !== undefined) return f.counts.sockets;
  const packages = new Set(f.cpus.filter((c) => c.package !== undefined && c.online !== false).map((c) => c.package));
  return packages.size > 0 ? packages.size : undefined;
}

function distanceDifferences(sources: readonly HostFacts[]): { pair: string; claims: Claim[] } | undefined {
  const [first, ...rest] = sources;
  const d0 = first.distances!;
  for (const other of rest) {
    const d1 = other.distances!;
    const index = new Map(d1.nodes.map((n, i) => [n, i]));
    // Only the nodes both name are compared: work is the smaller matrix, not the first one's
    // size once for every other paste.
    const common: [number, number][] = [];
    for (let i = 0; i < d0.nodes.length; i++) {
      const o = index.get(d0.nodes[i]);
      if (o !== undefined) common.push([i, o]);
    }
    for (const [i, oi] of common) {
      for (const [j, oj] of common) {
        const a = d0.values[i]?.[j];
        const b = d1.values[oi]?.[oj];
        if (a !== undefined && b !== undefined && a !== b) {
          return {
            pair: `node ${d0.nodes[i]} → node ${d0.nodes[j]}`,
            claims: [
              { facts: first, value: String(a) },
              { facts: other, value: String(b) },
            ],
          };
        }
      }
    }
  }
  return undefined;
}

