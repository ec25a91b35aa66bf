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

  const nodeSources = all.filter((f) => nodeCpus(f).size > 0);
  report('NUMA node ids', nodeSources.map((f) => ({ facts: f, value: formatIdList([...nodeCpus(f).keys()]) })), topologyRank);
  const nodeIds = sortIds(nodeSources.flatMap((f) => [...nodeCpus(f).keys()]));
  for (const id of nodeIds) {
    const claims = nodeSources
      .filter((f) => nodeCpus(f).has(id))
      .map((f) => ({ facts: f, value: formatIdList(nodeCpus(f).get(id)!) || '(none)' }));
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

const nodeCpuCache = new WeakMap<HostFacts, Map<number, number[]>>();

/** node id → CPUs, as one paste states it (from its node list or its per-CPU table). */
function nodeCpus(f: HostFacts): Map<number, number[]> {
  let map = nodeCpuCache.get(f);
  if (map) return map;
  map = new Map();
  for (const n of f.nodes) if (n.cpus) map.set(n.id, sortIds(n.cpus));
  if (map.size === 0) {
    for (const c of f.cpus) if (c.node !== undefined) (map.get(c.node) ?? map.set(c.node, []).get(c.node)!).push(c.id);
    for (const [k, v] of map) map.set(k, sortIds(v));
  }
  nodeCpuCache.set(f, map);
  return map;
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

