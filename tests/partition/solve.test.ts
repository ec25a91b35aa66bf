import { describe, expect, it } from 'vitest';
import { validate } from '../../src/core/guest/validate.ts';
import type { Host } from '../../src/core/host/model.ts';
import { occupancyOf, solve } from '../../src/core/partition/index.ts';
import type { PartitionRequest } from '../../src/core/partition/request.ts';
import { useApp } from '../../src/state/store.ts';
import { emptyTab, occupancyExcept } from '../../src/state/workspace.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';
import { expectValidLayout } from './invariants.ts';

const talk = talkHost();

describe('the talk host (formats.md §3.7 worked examples)', () => {
  it('16 vCPUs / 32 GiB, mode host, contiguous: 4 cells, SMT-aware pins that leave each first core to the host', () => {
    const r = solve(talk, TALK_REQUEST);
    expect(r.diagnostics).toEqual([]);
    expect(r.layout.topology).toEqual({ sockets: 4, dies: 1, clusters: 1, cores: 2, threads: 2 });
    expect(r.layout.cells).toEqual([0, 1, 2, 3].map((i) => ({
      id: i,
      vcpus: [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3],
      memoryKiB: 8388608,
      hostNodes: [i],
      memoryMode: 'strict',
      distances: [0, 1, 2, 3].map((j) => (i === j ? 10 : 21)),
    })));
    expect(r.layout.pins.map((p) => [p.vcpu, p.cpus])).toEqual([
      [0, [1]], [1, [61]], [2, [2]], [3, [62]], [4, [16]], [5, [76]], [6, [17]], [7, [77]],
      [8, [31]], [9, [91]], [10, [32]], [11, [92]], [12, [46]], [13, [106]], [14, [47]], [15, [107]],
    ]);
    expect(r.layout.emulatorpin).toEqual([0, 15, 30, 45, 60, 75, 90, 105]);
    expect(r.layout.memoryKiB).toBe(33554432);
    expect(r.score).toEqual({ nodes: 4, distanceCost: 66, smtShared: 0, remoteVcpus: 0, remoteDistance: 10, splitCores: 0, optimal: true, gap: 0 });
    expect(r.explanation).toContain('cells 0-3 on nodes 0-3: distance cost 66');
  });

  it('16 vCPUs / 32 GiB, mode node, nodeset 1: one cell floating over the whole of node 1, as the talk does', () => {
    const r = solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float' });
    expect(r.diagnostics).toEqual([]);
    expect(r.layout.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 8, threads: 2 });
    expect(r.layout.cells).toEqual([
      { id: 0, vcpus: Array.from({ length: 16 }, (_, i) => i), memoryKiB: 33554432, hostNodes: [1], memoryMode: 'strict', distances: [10] },
    ]);
    // cpuset='15-29,75-89': the first-core reserve is for 1:1 pinning.
    const node1 = [...Array.from({ length: 15 }, (_, i) => 15 + i), ...Array.from({ length: 15 }, (_, i) => 75 + i)];
    expect(r.layout.pins).toEqual(Array.from({ length: 16 }, (_, vcpu) => ({ vcpu, cpus: node1 })));
    expect(r.layout.emulatorpin).toEqual([]);
    const reserved = solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '1', reserve: 'first-core' });
    expect(reserved.layout.emulatorpin).toEqual([15, 75]);
  });

  it('a second 1:1 guest never reuses the first one\'s CPUs and the two together are not overcommitted', () => {
    const first = solve(talk, TALK_REQUEST);
    const occupancy = occupancyOf([{ name: 'first', layout: first.layout }]);
    const second = solve(talk, TALK_REQUEST, occupancy);
    expectValidLayout(talk, TALK_REQUEST, second, occupancy);
    expect(second.layout.pins.slice(0, 4).map((p) => p.cpus[0])).toEqual([3, 63, 4, 64]);
    expect(second.diagnostics).toEqual([]);
  });

  it('thread policy isolate keeps the siblings of the first guest\'s cores from the next guest', () => {
    const isolated: PartitionRequest = { ...TALK_REQUEST, vcpus: 4, memoryKiB: 4 << 20, nodeset: '0', threadPolicy: 'isolate' };
    const first = solve(talk, isolated);
    expect(first.layout.pins.map((p) => p.cpus[0])).toEqual([1, 2, 3, 4]);
    const next: PartitionRequest = { ...TALK_REQUEST, vcpus: 4, memoryKiB: 4 << 20, nodeset: '0', distribution: 'round-robin' };
    // Cores no other guest touches come first, even told only the pins …
    const blind = solve(talk, next, occupancyOf([{ name: 'first', layout: first.layout }]));
    expect(blind.layout.pins.map((p) => p.cpus[0])).toEqual([5, 6, 7, 8]);
    // … but a guest needing every core of the node takes the idle siblings 61-64 unless it is
    // told that the first guest isolates its cores.
    const whole: PartitionRequest = { ...next, vcpus: 14 };
    expect(solve(talk, whole, occupancyOf([{ name: 'first', layout: first.layout }])).layout.pins.map((p) => p.cpus[0]).slice(-4)).toEqual([61, 62, 63, 64]);
    const occupancy = occupancyOf([{ name: 'first', layout: first.layout, threadPolicy: 'isolate' }], talk);
    expect(occupancy.guests[0].isolatedCpus).toEqual([61, 62, 63, 64]);
    expect(solve(talk, whole, occupancy).diagnostics.map((d) => d.message)).toEqual(['cannot place 14 vCPUs and 4 GiB: node 0 has 10 cores free for 14']);
    const second = solve(talk, next, occupancy);
    expectValidLayout(talk, next, second, occupancy);
    expect(second.layout.pins.map((p) => p.cpus[0])).toEqual([5, 6, 7, 8]);
  });

  it('the workspace tells the next solve about a guest placed under isolate, so its idle siblings stay free', () => {
    const isolated: PartitionRequest = { ...TALK_REQUEST, vcpus: 4, memoryKiB: 4 << 20, nodeset: '0', threadPolicy: 'isolate' };
    const next: PartitionRequest = { ...TALK_REQUEST, vcpus: 4, memoryKiB: 4 << 20, nodeset: '0', distribution: 'round-robin' };
    useApp.setState({ host: talk });
    const first = { ...emptyTab('a', 'first', isolated), layout: solve(talk, isolated).layout };
    const occupancy = occupancyExcept([first, emptyTab('b', 'second', next)], 'b', talk);
    expect(occupancy.guests[0].isolatedCpus).toEqual([61, 62, 63, 64]);
    const second = solve(talk, next, occupancy);
    expectValidLayout(talk, next, second, occupancy);
    expect(second.layout.pins.map((p) => p.cpus[0])).toEqual([5, 6, 7, 8]);
  });

  it('floating guests on the same node count toward overcommit', () => {
    const float: PartitionRequest = { ...TALK_REQUEST, vcpus: 28, mode: 'node', nodeset: '2', pinning: 'node-float', memoryKiB: 4 << 20 };
    const a = solve(talk, float);
    const b = solve(talk, float, occupancyOf([{ name: 'a', layout: a.layout }]));
    expect(a.diagnostics).toEqual([]);
    expect(b.diagnostics.map((d) => d.message)).toEqual(['host is overcommitted: node 2 runs 56 vCPUs on 30 CPUs']);
  });

  it('picks the fewest nodes in mode node and explains why, the same way every time', () => {
    const request: PartitionRequest = { ...TALK_REQUEST, vcpus: 40, mode: 'node', memoryKiB: 64 << 20 };
    const r = solve(talk, request);
    expectValidLayout(talk, request, r);
    expect(r.layout.cells[0].hostNodes).toHaveLength(2);
    expect(r.layout.cells[0].memoryMode).toBe('interleave');
    expect(r.score).toMatchObject({ nodes: 2, optimal: true, gap: 0 });
    expect(JSON.stringify(solve(talk, request))).toBe(JSON.stringify(r));
  });

  it('reports what it cannot do as diagnostics, with libvirt\'s text where it has one', () => {
    expect(solve(talk, { ...TALK_REQUEST, nodeset: '0,7' }).diagnostics.map((d) => d.message)).toEqual(['NUMA node 7 is unavailable']);
    const few = solve(talk, { ...TALK_REQUEST, vcpus: 2, memoryKiB: 4 << 20 });
    expect(few.diagnostics.map((d) => d.message)).toEqual(['2 vCPUs cannot fill 4 cells: every cell needs at least one vCPU']);
    expect(few.suggestions?.map((x) => x.change)).toEqual([
      { mode: 'auto', cells: undefined, cellVcpus: undefined, cellMemoryKiB: undefined, pinning: undefined },
      { cells: 2, cellVcpus: undefined, cellMemoryKiB: undefined },
      { mode: 'node', cells: undefined, cellVcpus: undefined, cellMemoryKiB: undefined, pinning: undefined },
    ]);
    const huge = solve(talk, { ...TALK_REQUEST, hugepageSizeKiB: 1048576 });
    expect(huge.diagnostics[0].severity).toBe('error');
    expect(huge.diagnostics[0].message).toMatch(/^cannot place 16 vCPUs and 32 GiB: node 0 has 0 free 1 GiB pages for 8$/);
    const device = solve(talk, { ...TALK_REQUEST, devices: [{ bdf: '0000:41:00.0', policy: 'required' }] });
    expect(device.diagnostics[0].message).toBe('device 0000:41:00.0 is not on this host');
    expect(solve(talk, { ...TALK_REQUEST, vcpus: 240 }).diagnostics[0].message).toMatch(/^cannot place 240 vCPUs/);
  });
});

describe('counts that do not divide (Nova test_hardware.py refuses these; they fit)', () => {
  it('18 vCPUs in mode host: cells of 6 + 4 + 4 + 4 in whole cores, sockets that never span two cells', () => {
    const request = { ...TALK_REQUEST, vcpus: 18 };
    const r = solve(talk, request);
    expect(r.diagnostics).toEqual([]);
    expect(r.layout.cells.map((c) => c.vcpus.length)).toEqual([6, 4, 4, 4]);
    expect(r.layout.topology).toEqual({ sockets: 9, dies: 1, clusters: 1, cores: 1, threads: 2 });
    // Memory follows the vCPUs: 4/18 of 32 GiB in whole MiB for cells 1-3, the rest to cell 0.
    expect(r.layout.cells.map((c) => c.memoryKiB)).toEqual([33554432 - 3 * 7281 * 1024, 7281 * 1024, 7281 * 1024, 7281 * 1024]);
    expect(r.explanation).toContain('18 vCPUs do not divide into 4 equal cells of whole 2-thread cores: cells of 6 + 4 + 4 + 4');
    expect(validate(r.layout, talk).filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('3 vCPUs per cell on 2-thread cores: a core partly used, guest threads 1 so no guest core straddles host cores', () => {
    const r = solve(talk, { ...TALK_REQUEST, vcpus: 12 });
    expect(r.diagnostics).toEqual([]);
    expect(r.layout.topology).toEqual({ sockets: 4, dies: 1, clusters: 1, cores: 3, threads: 1 });
    // Cell 0 on node 0 past the reserved first core: 1, 61 (one core), then 2 alone.
    expect(r.layout.pins.slice(0, 3)).toEqual([{ vcpu: 0, cpus: [1] }, { vcpu: 1, cpus: [61] }, { vcpu: 2, cpus: [2] }]);
    expect(r.explanation).toContain('a cell of an odd size leaves its last host core partly used');
    expect(validate(r.layout, talk).filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('cells of the sizes Nova\'s hw:numa_cpus.N give: 1 + 2 vCPUs, 1 GiB + 3 GiB', () => {
    const request = { ...TALK_REQUEST, mode: 'auto' as const, vcpus: 3, memoryKiB: 4 << 20, cellVcpus: [1, 2], cellMemoryKiB: [1 << 20, 3 << 20] };
    const r = solve(talk, request);
    expect(r.diagnostics).toEqual([]);
    expect(r.layout.cells.map((c) => [c.vcpus, c.memoryKiB])).toEqual([[[0], 1 << 20], [[1, 2], 3 << 20]]);
    expect(r.layout.topology).toEqual({ sockets: 3, dies: 1, clusters: 1, cores: 1, threads: 1 });
    expect(solve(talk, { ...request, cellVcpus: [1, 1] }).diagnostics.map((d) => d.message)).toEqual(["cell vCPU counts 1 + 1 make 2, not the guest's 3 vCPUs"]);
  });
});

describe('node memory: the size is the limit, numactl\'s free a snapshot', () => {
  it('binding more than numactl -H saw free (page cache counts as used) lays out with a warning; more than the node holds is refused', () => {
    // Node 0: 128602 MiB, 125954 MiB free when dumped.
    const over = solve(talk, { ...TALK_REQUEST, mode: 'auto', nodeset: '0', memoryKiB: 126000 << 10 });
    expect(over.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['warning', 'node 0 had 125954 MiB free when the host was dumped and the guest binds 126000 MiB there: the rest must come from page cache the kernel can drop'],
    ]);
    const past = solve(talk, { ...TALK_REQUEST, mode: 'auto', nodeset: '0', memoryKiB: 128700 << 10 });
    expect(past.diagnostics.map((d) => d.message)).toEqual(['cannot place 16 vCPUs and 125.7 GiB: node 0 holds 125.6 GiB no other guest binds, for its 125.7 GiB']);
  });
});

describe('real corpus hosts', () => {
  const cases: [string, Host, PartitionRequest[]][] = [
    ['EPYC 7451, 8 nodes (lscpu)', corpusHost('util-linux-lscpu/x86_64-epyc_7451.lscpu.txt'), [
      { ...TALK_REQUEST, vcpus: 16, mode: 'host', cells: 2 },
      { ...TALK_REQUEST, vcpus: 40, mode: 'node', distribution: 'interleave' },
      { ...TALK_REQUEST, vcpus: 32, distribution: 'round-robin', threadPolicy: 'isolate' },
    ]],
    ['192em64t, 24 nodes (hwloc XML)', corpusHost('hwloc-xml/192em64t-24n8c2t.xml'), [
      { ...TALK_REQUEST, vcpus: 48, memoryKiB: 96 << 20 },
      { ...TALK_REQUEST, vcpus: 56, mode: 'node', memoryKiB: 200 << 20 },
      { ...TALK_REQUEST, vcpus: 64, mode: 'host', cells: 8, distribution: 'siblings', threadPolicy: 'require' },
    ]],
    ['memory and CXL devices (cxlmem+dax.v2)', corpusHost('hwloc-xml/cxlmem+dax.v2.xml'), [
      { ...TALK_REQUEST, vcpus: 2, memoryKiB: 1 << 20, devices: [{ bdf: '0000:11:00.0', policy: 'required' }] },
    ]],
    ['offline CPU 0 on node 0', corpusHost('hwloc-linux/offline-cpu0-node0.lstopo.xml'), [
      { ...TALK_REQUEST, vcpus: 4, memoryKiB: 4 << 20, mode: 'node', pinning: 'node-float' },
      { ...TALK_REQUEST, vcpus: 4, memoryKiB: 4 << 20, reserve: 'none' },
    ]],
    ['memory-only GPU nodes', corpusHost('hwloc-linux/nvidiagpunumanodes.lstopo.xml'), [
      { ...TALK_REQUEST, vcpus: 8, memoryKiB: 8 << 20, mode: 'node' },
    ]],
  ];
  for (const [name, host, requests] of cases) {
    it(`lays guests out on ${name}`, () => {
      for (const request of requests) {
        const r = solve(host, request);
        expectValidLayout(host, request, r);
        expect(JSON.stringify(solve(host, request))).toBe(JSON.stringify(r));
      }
    });
  }

  it('keeps a required device\'s node and binds the device to its cell', () => {
    const host = corpusHost('hwloc-xml/cxlmem+dax.v2.xml');
    const r = solve(host, { ...TALK_REQUEST, vcpus: 2, memoryKiB: 1 << 20, devices: [{ bdf: '0000:11:00.0', policy: 'required' }] });
    expect(r.layout.devices).toEqual([{ bdf: '0000:11:00.0', cell: 0, policy: 'required' }]);
    expect(r.explanation).toContain('node 0: 3 free cores, 2.9 GiB free, local to 0000:11:00.0');
  });
});

describe('hostile requests (issue 18)', () => {
  it('a nodeset of a million nodes the host lacks is one diagnostic, not a million', () => {
    const r = solve(talk, { ...TALK_REQUEST, nodeset: '0-1048575' });
    expect(r.diagnostics.map((d) => d.message)).toEqual(['NUMA nodes 4-1048575 are unavailable']);
  });

  it('a million vCPUs in a million cells are refused at once, before any count drives a loop', () => {
    const cellVcpus = new Array<number>(1_000_000).fill(1);
    const r = solve(talk, { ...TALK_REQUEST, vcpus: 1_000_000, cellVcpus });
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "1000000 vCPUs are more than QEMU's largest machine takes (4096)",
      "1000000 cells are more than QEMU's 128 NUMA nodes",
    ]);
  });
});
