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
  if (nodeSources.some((a, i) => nodeSources.slice(i + 1).some((b) => nodeIdsDisagree(nodeListing(a), nodeListing(b))))) {
    report('NUMA node ids', nodeSources.map((f) => ({ facts: f, value: formatIdList([...nodeListing(f).cpus.keys()]) })), topologyRank);
  }
  const nodeIds = sortIds(nodeSources.flatMap((f) => [...nodeListing(f).cpus.keys()]));
  for (const id of nodeIds) {
    const claims = nodeSources
      .filter((f) => nodeListing(f).cpus.has(id))
      .map((f) => ({ facts: f, value: formatIdList(nodeListing(f).cpus.get(id)!) || '(none)' }));
    report(`CPUs of node ${id}`, claims, topologyRank);
  }

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

  for (const id of nodeIds) {
    const claims = all.flatMap((f) => {
      const kib = f.nodes.find((n) => n.id === id)?.memoryKiB;
      return kib === undefined ? [] : [{ facts: f, kib }];
    });
    const max = Math.max(...claims.map((c) => c.kib));
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
  for (const f of all) for (const p of f.pci) if (typeof p.node === 'number') (pciNodes.get(p.bdf) ?? pciNodes.set(p.bdf, []).get(p.bdf)!).push({ facts: f, value: `node ${p.node}` });
  for (const [bdf, claims] of pciNodes) report(`NUMA node of PCI device ${bdf}`, claims, pciRank);

  return conflicts;
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

/** Whether two pastes name different nodes, counting only the nodes that both could name. */
function nodeIdsDisagree(a: NodeListing, b: NodeListing): boolean {
  const visible = (own: NodeListing, other: NodeListing) =>
    formatIdList([...own.cpus].filter(([, cpus]) => !other.throughCpus || cpus.length > 0).map(([id]) => id));
  return visible(a, b) !== visible(b, a);
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
    for (let i = 0; i < d0.nodes.length; i++) {
      for (let j = 0; j < d0.nodes.length; j++) {
        const oi = index.get(d0.nodes[i]);
        const oj = index.get(d0.nodes[j]);
        if (oi === undefined || oj === undefined) continue;
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

