/**
 * The partitioning benchmark's host shapes H1–H8 and guest mixes (shared/reference/
 * anchors-partitioning.md §(c)), as real Host objects: hwloc synthetic strings with distance
 * matrices go through ingest like a paste would; the talk's host comes from the corpus; what a
 * synthetic string cannot say (CPU-less CXL/HBM nodes, offline CPUs) is added to the Host
 * directly. Each case is expressed so that Nova can run it too: whole-node cells, an even split
 * of vCPUs and memory, dedicated (1:1) pinning and a thread policy.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Host, NumaNode } from '../src/core/host/model.ts';
import { ingest } from '../src/core/ingest/index.ts';
import type { Occupancy, OccupyingGuest, ThreadPolicy } from '../src/core/partition/request.ts';
import { CORPUS } from '../tests/support/corpus.ts';
import { seededRandom } from '../tests/support/random.ts';

const GiB = 1024 * 1024;

export interface BenchCase {
  id: string;
  /** Shape and guest mix, for the reader of the output. */
  what: string;
  host: Host;
  occupancy: Occupancy;
  vcpus: number;
  memoryKiB: number;
  /** Guest cells; each is one whole host node (Nova's model). Absent: mode auto chooses. */
  cells?: number;
  threadPolicy: ThreadPolicy;
}

function matrix(n: number, distance: (i: number, j: number) => number): string {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 10 : distance(i, j))).join(' ')).join('\n');
}

/** An hwloc synthetic string with its distance matrix, as a person pastes one. */
function syntheticWithDistances(text: string, n: number, distance: (i: number, j: number) => number): string {
  return `${text}\ndistances:\n${matrix(n, distance)}\n`;
}

function fromSynthetic(text: string, n: number, distance: (i: number, j: number) => number): Host {
  const { host } = ingest([{ name: 'bench', text: syntheticWithDistances(text, n, distance) }]);
  return withFreeMemory(host);
}

/** EPYC 9654 2S NPS4: 8 nodes of 24c×2t in 3 CCDs, 12 within a socket, 32 across (384 PUs). */
const EPYC_NPS4 = 'pack:2 group:4 [numa(memory=96GiB)] l3:3 core:8 pu:2';
const epycDistance = (i: number, j: number) => ((i >> 2) === (j >> 2) ? 12 : 32);
/** Superdome Flex, 32 sockets × 28c×2t in 8 chassis of 4: 21 in-chassis, 31 across (1792 PUs). */
const SUPERDOME_32S = 'pack:32 [numa(memory=384GiB)] l3:1 core:28 pu:2';
const superdomeDistance = (i: number, j: number) => ((i >> 2) === (j >> 2) ? 21 : 31);

/**
 * Large hosts for the drawing (bench/ui.bench.ts, and the tests that every label of the host
 * view reads at Fit): generated, 384 to 4096 PUs, each as a paste.
 */
export const DRAWING_HOSTS: readonly { id: string; what: string; paste: string }[] = [
  { id: 'epyc-2s-nps4', what: 'EPYC 2S NPS4, 8 nodes, 384 PUs', paste: syntheticWithDistances(EPYC_NPS4, 8, epycDistance) },
  { id: 'sixteen-sockets', what: '16 sockets × 16c×2t, 512 PUs', paste: syntheticWithDistances('pack:16 [numa(memory=256GiB)] l3:1 core:16 pu:2', 16, (i, j) => ((i >> 2) === (j >> 2) ? 16 : 32)) },
  { id: 'superdome-32s', what: '32 sockets × 28c×2t, 1792 PUs', paste: syntheticWithDistances(SUPERDOME_32S, 32, superdomeDistance) },
  { id: 'synthetic-4096', what: '4 packages × 8 L3 × 64c×2t, 4096 PUs', paste: 'pack:4 [numa(memory=512GiB)] l3:8 core:64 pu:2\n' },
];

/** A synthetic host says nothing about free memory: a freshly booted host has it all free. */
function withFreeMemory(host: Host): Host {
  for (const node of host.nodes) if (node.freeKiB === null) node.freeKiB = node.memoryKiB;
  return host;
}

/** CPU-less memory nodes (CXL, HBM) appended to a host, with their distance rows. */
function withMemoryNodes(host: Host, added: { subtype: string; memoryKiB: number; distances: number[] }[]): Host {
  const first = host.nodes.length;
  added.forEach((m, i) => {
    const node: NumaNode = { id: first + i, cpus: [], memoryKiB: m.memoryKiB, freeKiB: m.memoryKiB, hugepages: [], kind: 'memory-only', subtype: m.subtype };
    host.nodes.push(node);
  });
  const all = host.nodes.length;
  host.distances = host.nodes.map((_, i) =>
    Array.from({ length: all }, (_, j) => {
      if (i < first && j < first) return host.distances[i][j];
      if (i === j) return 10;
      if (i >= first) return added[i - first].distances[j];
      return added[j - first].distances[i];
    }),
  );
  return host;
}

function talkHost(): Host {
  const read = (f: string) => ({ name: f, text: readFileSync(resolve(CORPUS, 'pasted', f), 'utf8') });
  return withFreeMemory(ingest([read('talk-e7-8895v2.lscpu.txt'), read('talk-e7-8895v2.numactl-H.txt')]).host);
}

/** Online CPUs of a node grouped by host core, in core order. */
export function nodeCores(host: Host, node: NumaNode): number[][] {
  const online = new Set(host.cpus.filter((c) => c.online).map((c) => c.id));
  const byCore = new Map<string, number[]>();
  for (const id of node.cpus) {
    if (!online.has(id)) continue;
    const cpu = host.cpus.find((c) => c.id === id);
    const key = cpu?.core !== undefined ? `c${cpu.core}` : `s${[...(cpu?.siblings ?? [id])].sort((a, b) => a - b).join(',')}`;
    byCore.set(key, [...(byCore.get(key) ?? []), id]);
  }
  return [...byCore.values()];
}

/**
 * Other guests holding CPUs and memory: on each node, `fraction(node)` of its online threads
 * (picked at random, so the free threads are fragmented across cores) and the same share of
 * its memory, as one 1:1-pinned guest per node.
 */
function occupy(host: Host, seed: number, fraction: (node: number) => number): Occupancy {
  const random = seededRandom(seed);
  const guests: OccupyingGuest[] = [];
  for (const node of host.nodes) {
    const f = fraction(node.id);
    if (f <= 0) continue;
    const threads = nodeCores(host, node).flat();
    const taken = threads
      .map((cpu) => ({ cpu, key: random() }))
      .sort((a, b) => a.key - b.key)
      .slice(0, Math.round(f * threads.length))
      .map((t) => t.cpu)
      .sort((a, b) => a - b);
    const kib = Math.floor(((node.memoryKiB ?? 0) * f) / GiB) * GiB;
    guests.push({ name: `other-on-node${node.id}`, pinnedCpus: taken, floatingCpus: [], floatingVcpus: 0, memory: kib > 0 ? [{ node: node.id, kib }] : [], hugepages: [] });
  }
  return { guests };
}

/** Leave only 1–3 free threads per node outside `spare`, the "fragmented" variant. */
function fragment(host: Host, seed: number, spare: number[]): Occupancy {
  const random = seededRandom(seed);
  const keepFree = new Map(host.nodes.map((n) => [n.id, 1 + Math.floor(random() * 3)]));
  return occupy(host, seed + 1, (node) => {
    if (spare.includes(node)) return 0;
    const threads = nodeCores(host, host.nodes.find((n) => n.id === node)!).flat().length;
    return threads === 0 ? 0 : (threads - keepFree.get(node)!) / threads;
  });
}

const EMPTY: Occupancy = { guests: [] };

export function benchCases(): BenchCase[] {
  // H1: 2S Intel 2×28c×2t, 10/21.
  const h1 = fromSynthetic('pack:2 [numa(memory=192GiB)] l3:1 core:28 pu:2', 2, () => 21);
  // H1s: the same in SNC2, 4 nodes of 14c×2t, 11 within a socket.
  const snc = (i: number, j: number) => ((i >> 1) === (j >> 1) ? 11 : 21);
  const h1s = fromSynthetic('pack:2 die:2 [numa(memory=96GiB)] l3:1 core:14 pu:2', 4, snc);
  // H2: the talk's 4S E7 15c×2t (real dumps).
  const h2 = talkHost();
  // H3: EPYC 2S NPS4 (EPYC_NPS4).
  const h3 = fromSynthetic(EPYC_NPS4, 8, epycDistance);
  // H3l: NPS1 + L3-as-NUMA, 24 nodes of 8c×2t: 11 within a quadrant, 12 within a socket, 32 across.
  const h3l = fromSynthetic('pack:2 group:12 [numa(memory=32GiB)] l3:1 core:8 pu:2', 24, (i, j) =>
    Math.floor(i / 4) === Math.floor(j / 4) ? 11 : Math.floor(i / 12) === Math.floor(j / 12) ? 12 : 32,
  );
  // H4: Superdome Flex, 32 sockets (SUPERDOME_32S).
  const h4 = fromSynthetic(SUPERDOME_32S, 32, superdomeDistance);
  // H5: 64 nodes of 16c×2t, 4 tiers: 8 groups of 8, groups paired, pairs in halves.
  const h5 = fromSynthetic('group:64 [numa(memory=64GiB)] l3:1 core:16 pu:2', 64, (i, j) =>
    (i >> 3) === (j >> 3) ? 16 : (i >> 4) === (j >> 4) ? 22 : (i >> 5) === (j >> 5) ? 28 : 32,
  );
  // H6: 2S Sapphire Rapids 2×56c×2t + 2 CPU-less CXL nodes (17 to their socket, 28 remote).
  const h6 = withMemoryNodes(fromSynthetic('pack:2 [numa(memory=512GiB)] l3:1 core:56 pu:2', 2, () => 21), [
    { subtype: 'CXL-DRAM', memoryKiB: 256 * GiB, distances: [17, 28, 10, 28] },
    { subtype: 'CXL-DRAM', memoryKiB: 256 * GiB, distances: [28, 17, 28, 10] },
  ]);
  // H7: Grace-like: one 72-core node without SMT, and a CPU-less HBM node.
  const h7 = withMemoryNodes(fromSynthetic('pack:1 [numa(memory=480GiB)] l3:1 core:72 pu:1', 1, () => 10), [
    { subtype: 'HBM', memoryKiB: 96 * GiB, distances: [80, 10] },
  ]);
  // H8: degraded 6 nodes of 8c×2t: half of node 2 offline, the rest fragmented or busy.
  const h8 = fromSynthetic('pack:2 group:3 [numa(memory=64GiB)] l3:1 core:8 pu:2', 6, (i, j) => (Math.floor(i / 3) === Math.floor(j / 3) ? 16 : 22));
  for (const cpu of h8.cpus) if (cpu.node === 2 && cpu.id % 16 >= 8) cpu.online = false;

  return [
    { id: 'H1-G1', what: '2S 28c×2t, small guest, empty host', host: h1, occupancy: EMPTY, vcpus: 8, memoryKiB: 32 * GiB, cells: 1, threadPolicy: 'prefer' },
    { id: 'H1-G2', what: '2S 28c×2t, 48 vCPUs mirrored, half busy', host: h1, occupancy: occupy(h1, 1, () => 0.4), vcpus: 48, memoryKiB: 96 * GiB, cells: 2, threadPolicy: 'prefer' },
    { id: 'H1s-G2', what: 'SNC2 4 nodes, 2 cells, node 1 partly busy', host: h1s, occupancy: occupy(h1s, 2, (n) => (n === 1 ? 0.25 : 0)), vcpus: 32, memoryKiB: 64 * GiB, cells: 2, threadPolicy: 'prefer' },
    { id: 'H2-G2', what: "the talk's host, 16 vCPUs / 32 GiB in 4 cells", host: h2, occupancy: EMPTY, vcpus: 16, memoryKiB: 32 * GiB, cells: 4, threadPolicy: 'prefer' },
    { id: 'H2-G2b', what: "the talk's host, 2 cells of 12, 50% busy", host: h2, occupancy: occupy(h2, 3, () => 0.5), vcpus: 24, memoryKiB: 48 * GiB, cells: 2, threadPolicy: 'prefer' },
    { id: 'H3-G2', what: 'EPYC NPS4, 2 cells of 24, random 0–90% busy', host: h3, occupancy: occupy(h3, 4, (n) => [0.9, 0.3, 0.6, 0.1, 0.2, 0.8, 0, 0.5][n]), vcpus: 48, memoryKiB: 128 * GiB, cells: 2, threadPolicy: 'prefer' },
    { id: 'H3-G3', what: 'EPYC NPS4, 384 vCPUs mirror the host', host: h3, occupancy: EMPTY, vcpus: 384, memoryKiB: 512 * GiB, cells: 8, threadPolicy: 'prefer' },
    { id: 'H3-G4', what: 'EPYC NPS4, NFV 2×16 require, 20% busy', host: h3, occupancy: occupy(h3, 5, () => 0.2), vcpus: 32, memoryKiB: 32 * GiB, cells: 2, threadPolicy: 'require' },
    { id: 'H3l-G2', what: '24 L3 nodes, 4 cells of 8, 50% busy', host: h3l, occupancy: occupy(h3l, 6, () => 0.5), vcpus: 32, memoryKiB: 32 * GiB, cells: 4, threadPolicy: 'prefer' },
    { id: 'H4-G2', what: 'Superdome 32 nodes, 4 cells of 32, fragmented but 6 nodes', host: h4, occupancy: fragment(h4, 7, [3, 9, 14, 17, 22, 30]), vcpus: 128, memoryKiB: 256 * GiB, cells: 4, threadPolicy: 'prefer' },
    { id: 'H4-G3', what: 'Superdome 32 nodes, 8 cells of 32, 30% busy', host: h4, occupancy: occupy(h4, 8, () => 0.3), vcpus: 256, memoryKiB: 1024 * GiB, cells: 8, threadPolicy: 'prefer' },
    { id: 'H5-G2', what: '64 nodes, 2 cells of 16, random 0–90% busy', host: h5, occupancy: occupy(h5, 9, (n) => ((n * 37) % 10) / 10), vcpus: 32, memoryKiB: 32 * GiB, cells: 2, threadPolicy: 'prefer' },
    { id: 'H5-G3', what: '64 nodes, 8 cells of 16, random 0–90% busy', host: h5, occupancy: occupy(h5, 10, (n) => ((n * 53) % 10) / 10), vcpus: 128, memoryKiB: 128 * GiB, cells: 8, threadPolicy: 'prefer' },
    { id: 'H6-G7', what: 'SPR + 2 CXL nodes, memory-heavy 64 vCPUs / 768 GiB', host: h6, occupancy: EMPTY, vcpus: 64, memoryKiB: 768 * GiB, cells: 2, threadPolicy: 'prefer' },
    { id: 'H7-G2', what: 'Grace-like, no SMT, 32 vCPUs / 64 GiB', host: h7, occupancy: EMPTY, vcpus: 32, memoryKiB: 64 * GiB, cells: 1, threadPolicy: 'prefer' },
    { id: 'H7-G4', what: 'Grace-like, thread policy require on a host without SMT', host: h7, occupancy: EMPTY, vcpus: 8, memoryKiB: 16 * GiB, cells: 1, threadPolicy: 'require' },
    { id: 'H8-G2', what: 'degraded 6 nodes, offline CPUs, 2 cells of 8', host: h8, occupancy: fragment(h8, 11, [2, 4]), vcpus: 16, memoryKiB: 16 * GiB, cells: 2, threadPolicy: 'prefer' },
    { id: 'H8-G4', what: 'degraded 6 nodes, isolate 2 cells of 4', host: h8, occupancy: occupy(h8, 12, (n) => (n === 1 || n === 4 ? 0 : n === 3 ? 0.2 : 0.5)), vcpus: 8, memoryKiB: 8 * GiB, cells: 2, threadPolicy: 'isolate' },
    // Mode auto: the fewest nodes that hold the guest (Nova is asked for 1, 2, … cells until it fits).
    { id: 'H3-A1', what: 'auto: EPYC NPS4, 16 vCPUs, random 0–90% busy', host: h3, occupancy: occupy(h3, 13, (n) => [0.9, 0.3, 0.6, 0.1, 0.2, 0.8, 0, 0.5][n]), vcpus: 16, memoryKiB: 32 * GiB, threadPolicy: 'prefer' },
    { id: 'H3-A2', what: 'auto: EPYC NPS4, 100 vCPUs, 20% busy', host: h3, occupancy: occupy(h3, 14, () => 0.2), vcpus: 100, memoryKiB: 200 * GiB, threadPolicy: 'prefer' },
    { id: 'H3l-A1', what: 'auto: 24 L3 nodes, 21 vCPUs, 50% busy', host: h3l, occupancy: occupy(h3l, 15, () => 0.5), vcpus: 21, memoryKiB: 21 * GiB, threadPolicy: 'prefer' },
    { id: 'H4-A1', what: 'auto: Superdome 32 nodes, 64 vCPUs, 30% busy', host: h4, occupancy: occupy(h4, 16, () => 0.3), vcpus: 64, memoryKiB: 128 * GiB, threadPolicy: 'prefer' },
    { id: 'H5-A1', what: 'auto: 64 nodes, 48 vCPUs, random 0–90% busy', host: h5, occupancy: occupy(h5, 17, (n) => ((n * 37) % 10) / 10), vcpus: 48, memoryKiB: 48 * GiB, threadPolicy: 'prefer' },
  ];
}
