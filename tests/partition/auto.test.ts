/**
 * Mode auto (issue 15, DESIGN.md §3): on the hosts people run today — corpus dumps and generated
 * 8- to 64-node machines — a guest of any size from one vCPU to the whole host is laid out when
 * it fits, on the fewest nodes that hold it (checked by brute force over every node subset on
 * hosts of up to 16 nodes), inside one package when one can hold it, one cell per node spanned,
 * keeping every invariant of DESIGN.md §3.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { solve } from '../../src/core/partition/index.ts';
import { DEFAULT_REQUEST, type PartitionRequest } from '../../src/core/partition/request.ts';
import { syntheticPaste } from '../../src/core/synthetic/compose.ts';
import { validate } from '../../src/core/guest/validate.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost } from '../support/golden.ts';
import { tieredDistances } from './build-host.ts';
import { expectValidLayout } from './invariants.ts';

const GiB = 1 << 20;
const MiB = 1024;

function synthetic(topology: string, distances: number[][]): Host {
  return ingest([{ name: 'synthetic', text: syntheticPaste({ topology, distances }) }]).host;
}

/** What each CPU node can give a 1:1 guest in mode auto: online threads past its first core, and its memory. */
function roomOf(host: Host): Map<number, { cpus: number; kib: number; pkg: number | undefined }> {
  const room = new Map<number, { cpus: number; kib: number; pkg: number | undefined }>();
  for (const node of host.nodes) {
    const online = host.cpus.filter((c) => c.node === node.id && c.online);
    if (online.length === 0) continue;
    const cores = [...new Set(online.map((c) => c.core))].sort((a, b) => (a ?? 0) - (b ?? 0));
    const firstCore = online.filter((c) => c.core === cores[0]).length;
    const kib = node.freeKiB ?? node.memoryKiB ?? Infinity;
    const pkgs = new Set(online.map((c) => c.package));
    room.set(node.id, { cpus: online.length - firstCore, kib: Math.floor(kib / MiB) * MiB, pkg: pkgs.size === 1 ? [...pkgs][0] : undefined });
  }
  return room;
}

/** The fewest nodes of `among` whose room holds the guest (brute force), or undefined. */
function fewestNodes(room: ReturnType<typeof roomOf>, among: number[], vcpus: number, kib: number): number | undefined {
  const n = among.length;
  let best: number | undefined;
  for (let mask = 1; mask < 1 << n; mask++) {
    let k = 0;
    let cpus = 0;
    let mem = 0;
    for (let i = 0; i < n; i++) {
      if (!(mask & (1 << i))) continue;
      k++;
      const r = room.get(among[i]);
      cpus += r?.cpus ?? 0;
      mem += r?.kib ?? 0;
    }
    if (cpus >= vcpus && mem >= kib && k <= vcpus && (best === undefined || k < best)) best = k;
  }
  return best;
}

function checkAuto(host: Host, vcpus: number, memoryKiB: number, exact: boolean): void {
  const request: PartitionRequest = { ...DEFAULT_REQUEST, vcpus, memoryKiB, devices: [] };
  const r = solve(host, request);
  const room = roomOf(host);
  const nodes = [...room.keys()];
  const label = `${vcpus} vCPUs / ${memoryKiB / GiB} GiB`;
  const totalCpus = nodes.reduce((s, n) => s + (room.get(n)?.cpus ?? 0), 0);
  const totalKiB = nodes.reduce((s, n) => s + (room.get(n)?.kib ?? 0), 0);
  if (totalCpus < vcpus || totalKiB < memoryKiB) return;
  expect(r.diagnostics.filter((d) => d.severity === 'error'), label).toEqual([]);
  expectValidLayout(host, request, r);
  const used = [...new Set(r.layout.cells.flatMap((c) => c.hostNodes))];
  // One cell per host node spanned.
  expect(r.layout.cells.every((c) => c.hostNodes.length === 1), label).toBe(true);
  expect(used.length, label).toBe(r.layout.cells.length);
  // The guest's own layout raises nothing libvirt or RHEL would warn about (but the machine-type
  // note every guest of over 255 vCPUs gets).
  const warned = validate(r.layout, host).filter((d) => d.severity !== 'info' && !(vcpus > 255 && d.path === '/domain/vcpu'));
  expect(warned, label).toEqual([]);
  const fewest = exact ? fewestNodes(room, nodes, vcpus, memoryKiB) : undefined;
  if (fewest !== undefined) expect(used.length, `${label}: fewest nodes`).toBe(fewest);
  // Inside one package when one package holds it with as few nodes.
  const packages = [...new Set(nodes.map((n) => room.get(n)?.pkg))];
  if (packages.every((p) => p !== undefined) && packages.length > 1) {
    const inOne = packages.some((p) => {
      const members = nodes.filter((n) => room.get(n)?.pkg === p);
      return members.length <= 16 && fewestNodes(room, members, vcpus, memoryKiB) === used.length;
    });
    if (inOne) expect(new Set(used.map((n) => room.get(n)?.pkg)).size, `${label}: one package`).toBe(1);
  }
}

/** Guests from one vCPU to the whole host's free CPUs, memory in step. */
function sweep(host: Host, exact: boolean): void {
  const room = roomOf(host);
  const cpus = [...room.values()].reduce((s, r) => s + r.cpus, 0);
  const kib = [...room.values()].reduce((s, r) => s + Math.min(r.kib, 1 << 40), 0);
  const steps = [...new Set([1, 2, 3, 5, 7, 16, 21, Math.floor(cpus / 3), Math.floor(cpus / 2) + 1, cpus - 1, cpus].filter((v) => v >= 1 && v <= cpus))];
  for (const vcpus of steps) {
    const share = Math.max(GiB, Math.floor((kib * vcpus) / cpus / GiB / 2) * GiB);
    checkAuto(host, vcpus, share, exact);
  }
}

describe('mode auto on corpus hosts', () => {
  const hosts: [string, () => Host][] = [
    ['the talk host', talkHost],
    ['EPYC 7451, 2 sockets × 4 nodes (lscpu)', () => corpusHost('util-linux-lscpu/lscpu-x86_64-epyc_7451')],
    ['192em64t, 24 nodes (hwloc XML)', () => corpusHost('hwloc-xml/192em64t-24n8c2t.xml')],
    ['Kunpeng 920, 2 sockets × 2 nodes (numactl -H)', () => corpusHost('pasted/numactl-H-kunpeng920-2s4n.txt')],
    ['POWER7, 8 nodes, 4 threads a core', () => corpusHost('hwloc-linux/256ppc-8n8s4t.lstopo.xml')],
    ['ARM, 2 packages × 8 clusters', () => corpusHost('hwloc-linux/128arm-2pa2n8cluster4co.lstopo.xml')],
    ['ia64 Superdome, 17 nodes', () => corpusHost('hwloc-linux/128ia64-17n4s2c.lstopo.xml')],
    ['offline CPUs', () => corpusHost('hwloc-linux/16em64t-4s2c2t-offlines.lstopo.xml')],
    ['KNL with MCDRAM', () => corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml')],
  ];
  for (const [name, make] of hosts) {
    it(`never refuses what fits on ${name}, and uses the fewest nodes`, () => {
      const host = make();
      sweep(host, roomOf(host).size <= 16);
    });
  }

  it('EPYC 7401 with memory on 2 of its 8 nodes: every guest up to the whole host fits, cells on memoryless nodes bind their memory where Linux takes it', () => {
    const host = corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt');
    // The dump has no distance table: every other node is 20 away, and Linux's zonelists spread
    // the memoryless nodes over nodes 1 and 5 (host/memory-home.ts).
    const homes = new Map([[0, 1], [2, 5], [3, 5], [4, 5], [6, 1], [7, 1]]);
    // 8 nodes × 12 CPUs, each node's first CPU kept for the host.
    for (const vcpus of [1, 11, 12, 16, 48, 88]) {
      const request: PartitionRequest = { ...DEFAULT_REQUEST, vcpus, memoryKiB: 16 * GiB, devices: [] };
      const r = solve(host, request);
      expect(r.diagnostics.filter((d) => d.severity === 'error'), `${vcpus} vCPUs`).toEqual([]);
      expectValidLayout(host, request, r);
      const nodesRun = r.layout.pins.map((p) => host.cpus.find((c) => c.id === p.cpus[0])?.node as number);
      for (const [i, cell] of r.layout.cells.entries()) {
        const runs = new Set(cell.vcpus.map((v) => nodesRun[v]));
        expect(runs.size).toBe(1);
        const node = [...runs][0];
        expect(cell.hostNodes).toEqual([homes.get(node) ?? node]);
        if (homes.has(node)) expect(r.explanation.join('\n')).toContain(`node ${node} has CPUs but no memory: its cell's memory is on node ${homes.get(node)}`);
        expect(i).toBe(cell.id);
      }
      // Nothing libvirt or the audit would call remote: that memory is as near as the host has.
      expect(r.score.remoteVcpus).toBe(0);
      expect(validate(r.layout, host).filter((d) => d.severity !== 'info')).toEqual([]);
    }
    // Nodes with memory of their own first: a guest that two nodes hold takes nodes 1 and 5.
    expect(solve(host, { ...DEFAULT_REQUEST, vcpus: 16, memoryKiB: 16 * GiB, devices: [] }).layout.cells.map((c) => c.hostNodes[0])).toEqual([1, 5]);
  });

  it('the talk host: 16 vCPUs in one node, 21 vCPUs too (mode host refuses neither any more)', () => {
    const host = talkHost();
    for (const vcpus of [16, 21]) {
      const r = solve(host, { ...DEFAULT_REQUEST, vcpus });
      expect(r.diagnostics).toEqual([]);
      expect(r.layout.cells.map((c) => c.hostNodes)).toHaveLength(1);
    }
    expect(solve(host, { ...DEFAULT_REQUEST, vcpus: 21 }).layout.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 21, threads: 1 });
  });
});

describe('mode auto on generated hosts of 8 to 64 nodes', () => {
  // hwloc synthetic strings, CPUs numbered as Linux numbers them (siblings n and n + cores).
  const cases: [string, string, number[][]][] = [
    ['EPYC 2S NPS4, 384 PUs', 'pack:2 group:4 [numa(memory=96GiB)] l3:3(size=32MiB) core:8 pu:2', tieredDistances(8, 4, 12, 32)],
    ['16 sockets, 1 node each', 'pack:16 [numa(memory=64GiB)] core:8 pu:2', tieredDistances(16, 4, 16, 32)],
    ['SPR 2S SNC2', 'pack:2 group:2 [numa(memory=128GiB)] core:28 pu:2', tieredDistances(4, 2, 12, 21)],
    ['24 nodes', 'pack:8 group:3 [numa(memory=32GiB)] core:8 pu:2', tieredDistances(24, 3, 13, 30)],
    ['32 sockets', 'pack:32 [numa(memory=64GiB)] core:28 pu:2', tieredDistances(32, 8, 20, 40)],
    ['64 nodes', 'pack:16 group:4 [numa(memory=16GiB)] core:4 pu:2', tieredDistances(64, 4, 12, 40)],
  ];
  for (const [name, topology, distances] of cases) {
    it(`never refuses what fits on ${name}, fewest nodes, one package when one holds it`, () => {
      const host = synthetic(topology, distances);
      expect(host.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      sweep(host, roomOf(host).size <= 16);
    });
  }

  it('EPYC 2S NPS4: 16 vCPUs in one node, 40 in two nodes of one socket, 200 across both sockets', () => {
    const host = synthetic(cases[0][1], cases[0][2]);
    const nodesOf = (vcpus: number) => solve(host, { ...DEFAULT_REQUEST, vcpus, memoryKiB: 16 * GiB }).layout.cells.map((c) => c.hostNodes[0]);
    expect(nodesOf(16)).toHaveLength(1);
    const two = nodesOf(60);
    expect(two).toHaveLength(2);
    expect(new Set(two.map((n) => Math.floor(n / 4))).size).toBe(1);
    expect(nodesOf(200)).toHaveLength(5);
  });

  it('cells of unequal size when the vCPUs do not divide: 11 + 10, memory in proportion', () => {
    const host = synthetic('pack:2 [numa(memory=64GiB)] core:8 pu:2', tieredDistances(2, 1, 21, 21));
    const r = solve(host, { ...DEFAULT_REQUEST, vcpus: 21, memoryKiB: 21 * GiB });
    expect(r.diagnostics).toEqual([]);
    expect(r.layout.cells.map((c) => c.vcpus.length)).toEqual([11, 10]);
    expect(r.layout.cells.map((c) => c.memoryKiB)).toEqual([11 * GiB, 10 * GiB]);
    expect(r.explanation).toContain('21 vCPUs do not divide into 2 equal cells of whole 2-thread cores: cells of 11 + 10');
  });

  it('a node with less room than an even share gets less: nothing that fits is refused', () => {
    const host = synthetic('pack:2 [numa(memory=64GiB)] core:8 pu:2', tieredDistances(2, 1, 21, 21));
    // Another guest holds 12 of node 0's 14 free threads: 20 vCPUs still fit, 2 + 18 would not be even.
    const other = solve(host, { ...DEFAULT_REQUEST, vcpus: 12, memoryKiB: GiB, nodeset: '0' });
    expect(other.diagnostics).toEqual([]);
    const occupancy = { guests: [{ name: 'other', pinnedCpus: other.layout.pins.map((p) => p.cpus[0]), floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }] };
    const r = solve(host, { ...DEFAULT_REQUEST, vcpus: 16, memoryKiB: 4 * GiB }, occupancy);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.layout.cells.map((c) => c.vcpus.length).reduce((a, b) => a + b, 0)).toBe(16);
  });
});
