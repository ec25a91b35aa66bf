/**
 * Whole layouts solve (src/core/partition/solve.ts) makes on the talk's host and on a corpus EPYC
 * whose memory sits on 2 of its 8 nodes, for the request's knobs one at a time: cells that do
 * not divide evenly or that the request sizes itself, round-robin and interleave, thread
 * policies, mode node's floating vCPUs, iothreads and an explicit reserve, hosts whose SMT
 * siblings are taken by another guest, and memoryless nodes — each with the sentences the user
 * reads about it.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/solve.ts';
import type { Occupancy, PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const talk = talkHost();
const NODE = [
  'node 0: 14 free cores, 125.6 GiB free, 123.0 GiB of it unused when the host was dumped',
  'node 1: 14 free cores, 126.0 GiB free, 115.6 GiB of it unused when the host was dumped',
  'node 2: 14 free cores, 126.0 GiB free, 120.9 GiB of it unused when the host was dumped',
  'node 3: 14 free cores, 126.0 GiB free, 124.4 GiB of it unused when the host was dumped',
];
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function run(host: Host, patch: Partial<PartitionRequest>, occupancy?: Occupancy) {
  const r = solve(host, { ...TALK_REQUEST, ...patch }, occupancy);
  return {
    ...r,
    said: r.diagnostics.map((d) => `${d.severity}: ${d.message}`),
    cells: r.layout.cells.map((c) => ({ vcpus: c.vcpus.length, kib: c.memoryKiB, nodes: c.hostNodes, mode: c.memoryMode })),
    pins: r.layout.pins.map((p) => p.cpus),
  };
}

describe('cell sizes', () => {
  it('21 vCPUs in two cells on one node: 11 + 10, memory in proportion, one-thread sockets', () => {
    const r = run(talk, { mode: 'auto', vcpus: 21, cells: 2 });
    expect(r.said).toEqual([]);
    expect(r.cells).toEqual([
      { vcpus: 11, kib: 17576960, nodes: [3], mode: 'strict' },
      { vcpus: 10, kib: 15977472, nodes: [3], mode: 'strict' },
    ]);
    expect(r.layout.topology).toEqual({ sockets: 21, dies: 1, clusters: 1, cores: 1, threads: 1 });
    expect(r.explanation).toEqual([
      'node 3: the fewest nodes (1) that fit, lowest distance cost among 4 eligible nodes (exact search, 4 steps)',
      NODE[3],
      'cells 0-1 on node 3: distance cost 5.238',
      '21 vCPUs do not divide into 2 equal cells of whole 2-thread cores: cells of 11 + 10',
      'a cell of an odd size leaves its last host core partly used',
      'guest topology 21 sockets × 1 core × 1 thread: the nearest to the cells in which no guest socket or core spans two cells',
      'CPUs 45,105 left to the host (first core of each node used): emulator pinned there',
    ]);
    expect(r.score).toEqual({ nodes: 1, distanceCost: 5.238, smtShared: 0, remoteVcpus: 0, remoteDistance: 10, splitCores: 0, optimal: true, gap: 0 });
  });

  it('15 vCPUs over the nodeset 0-1: whole cores first, 9 + 6, in 3-core sockets', () => {
    const r = run(talk, { vcpus: 15, cells: 2, nodeset: '0-1' });
    expect(r.cells).toEqual([
      { vcpus: 9, kib: 20132864, nodes: [0], mode: 'strict' },
      { vcpus: 6, kib: 13421568, nodes: [1], mode: 'strict' },
    ]);
    expect(r.layout.topology).toEqual({ sockets: 5, dies: 1, clusters: 1, cores: 3, threads: 1 });
    expect(r.explanation.slice(3)).toEqual([
      'cells 0-1 on nodes 0-1: distance cost 39.6',
      '15 vCPUs do not divide into 2 equal cells of whole 2-thread cores: cells of 9 + 6',
      'a cell of an odd size leaves its last host core partly used',
      'guest topology 5 sockets × 3 cores × 1 thread: the nearest to the cells in which no guest socket or core spans two cells',
      'CPUs 0,15,60,75 left to the host (first core of each node used): emulator pinned there',
    ]);
  });

  it('cells the request sizes (Nova\'s hw:numa_cpus.N): 8 + 4, memory in proportion', () => {
    const r = run(talk, { vcpus: 12, cellVcpus: [8, 4], nodeset: '0-1' });
    expect(r.cells).toEqual([
      { vcpus: 8, kib: 22370304, nodes: [0], mode: 'strict' },
      { vcpus: 4, kib: 11184128, nodes: [1], mode: 'strict' },
    ]);
    expect(r.layout.topology).toEqual({ sockets: 3, dies: 1, clusters: 1, cores: 2, threads: 2 });
    expect(r.explanation.slice(3)).toEqual([
      'cells 0-1 on nodes 0-1: distance cost 29.333',
      'cells of 8 + 4 vCPUs, as the request gives them',
      'guest topology 3 sockets × 2 cores × 2 threads: the nearest to the cells in which no guest socket or core spans two cells',
      'CPUs 0,15,60,75 left to the host (first core of each node used): emulator pinned there',
    ]);
  });

  it('two equal cells of whole cores need no word about their sizes or the topology', () => {
    const r = run(talk, { vcpus: 8, cells: 2, memoryKiB: 2 * GiB });
    expect(r.cells).toEqual([
      { vcpus: 4, kib: GiB, nodes: [3], mode: 'strict' },
      { vcpus: 4, kib: GiB, nodes: [3], mode: 'strict' },
    ]);
    expect(r.pins).toEqual([[46], [106], [47], [107], [48], [108], [49], [109]]);
    expect(r.explanation).toEqual([
      'node 3: the fewest nodes (1) that fit, lowest distance cost among 4 eligible nodes (exact search, 4 steps)',
      NODE[3],
      'cells 0-1 on node 3: distance cost 2',
      'CPUs 45,105 left to the host (first core of each node used): emulator pinned there',
    ]);
  });
});

describe('distribution', () => {
  const request = { nodeset: '0-1', vcpus: 8, memoryKiB: 2 * GiB };

  it('siblings: consecutive vCPUs on one core, cells in vCPU order', () => {
    const r = run(talk, { ...request, distribution: 'siblings' });
    expect(r.layout.cells.map((c) => c.vcpus)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(r.pins).toEqual([[1], [61], [2], [62], [16], [76], [17], [77]]);
  });

  it('interleave: cores dealt to the cells in turn', () => {
    const r = run(talk, { ...request, distribution: 'interleave' });
    expect(r.layout.cells.map((c) => c.vcpus)).toEqual([[0, 1, 4, 5], [2, 3, 6, 7]]);
    expect(r.pins).toEqual([[1], [61], [16], [76], [2], [62], [17], [77]]);
    expect(r.explanation[3]).toBe('cells 0-1 on nodes 0-1: distance cost 22');
  });

  it('round-robin: one thread per guest core, so one vCPU per host core', () => {
    const r = run(talk, { ...request, vcpus: 6, memoryKiB: GiB, distribution: 'round-robin' });
    expect(r.layout.cells.map((c) => c.vcpus)).toEqual([[0, 2, 4], [1, 3, 5]]);
    expect(r.layout.topology).toEqual({ sockets: 2, dies: 1, clusters: 1, cores: 3, threads: 1 });
    expect(r.cells.map((c) => c.kib)).toEqual([GiB / 2, GiB / 2]);
    expect(r.explanation.slice(3)).toEqual(['cells 0-1 on nodes 0-1: distance cost 16.5', 'CPUs 0,15,60,75 left to the host (first core of each node used): emulator pinned there']);
  });
});

// Another guest pinned to the second thread of every core (CPUs 60-119 on the talk's host).
const siblingsTaken: Occupancy = { guests: [{ name: 'other', pinnedCpus: range(60, 119), floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }] };
// Another guest pinned to both threads of every odd core (CPU n and its sibling n + 60 are odd together).
const halfTaken: Occupancy = {
  guests: [{ name: 'other', pinnedCpus: talk.cpus.filter((c) => c.id % 2 === 1).map((c) => c.id), floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }],
};

describe('thread policies', () => {
  const request = { mode: 'auto' as const, vcpus: 8, memoryKiB: GiB };

  it('isolate gives each vCPU a host core of its own; require keeps guest siblings on host siblings', () => {
    const isolate = run(talk, { ...request, threadPolicy: 'isolate' });
    expect(isolate.layout.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 8, threads: 1 });
    expect(isolate.pins).toEqual(range(46, 53).map((c) => [c]));
    const require = run(talk, { ...request, threadPolicy: 'require' });
    expect(require.layout.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 4, threads: 2 });
    expect(require.pins).toEqual([[46], [106], [47], [107], [48], [108], [49], [109]]);
    expect(require.explanation[0]).toBe('node 3: the fewest nodes (1) that hold the guest inside package 3, one cell per node, lowest distance cost among 4 eligible nodes (exact search, 4 steps)');
  });

  it('require on a node too small for the cell counts cores with two free threads', () => {
    const r = run(talk, { vcpus: 60, cells: 1, nodeset: '0', memoryKiB: GiB, threadPolicy: 'require' });
    expect(r.said).toEqual(['error: cannot place 60 vCPUs and 1 GiB: node 0 has 14 cores with 2 free threads free for 30']);
    expect(r.explanation).toEqual([NODE[0]]);
  });

  it('isolate on a node another guest half fills counts cores', () => {
    const r = run(talk, { vcpus: 8, memoryKiB: GiB, nodeset: '0', threadPolicy: 'isolate' }, halfTaken);
    expect(r.said).toEqual(['error: cannot place 8 vCPUs and 1 GiB: node 0 has 7 cores free for 8']);
    expect(r.explanation).toEqual(['node 0: 7 free cores, 125.6 GiB free, 123.0 GiB of it unused when the host was dumped']);
    expect(r.suggestions?.map((s) => s.text)).toEqual(['mode node: vCPUs float over whole nodes']);
  });
});

describe('thread policy prefer on a host whose siblings another guest holds', () => {
  const WARNING = 'warning: the nearest nodes with room lack 2 free sibling threads on enough cores, so some guest SMT siblings are pinned to separate host cores';

  for (const [mode, patch, first, cpus] of [
    ['auto', {}, 'node 3: the fewest nodes (1) that hold the guest inside package 3, one cell per node, lowest distance cost among 4 eligible nodes (exact search, 4 steps)', range(46, 53)],
    ['host', { nodeset: '0' }, "node 0: as the nodeset '0' names", range(1, 8)],
    ['node', { pinning: '1:1' as const, cells: 1 }, 'node 3: the fewest nodes (1) that fit, lowest distance cost among 4 eligible nodes (exact search, 4 steps)', range(46, 53)],
  ] as const) {
    it(`mode ${mode}: any free threads, with a warning, the shared cores counted`, () => {
      const r = run(talk, { mode, vcpus: 8, memoryKiB: GiB, ...patch }, siblingsTaken);
      expect(r.said).toEqual([WARNING]);
      expect(r.explanation[0]).toBe(first);
      expect(r.explanation[1]).toMatch(/^node \d: 0 free cores, /);
      expect(r.pins).toEqual(cpus.map((c) => [c]));
      expect(r.layout.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 4, threads: 2 });
      expect(r.score.smtShared).toBe(4);
    });
  }

  it('whole cores left on the node: siblings kept, no warning', () => {
    const r = run(talk, { vcpus: 8, memoryKiB: GiB, nodeset: '0' }, halfTaken);
    expect(r.said).toEqual([]);
    expect(r.pins).toEqual([[2], [62], [4], [64], [6], [66], [8], [68]]);
    expect(r.explanation[1]).toBe('node 0: 7 free cores, 125.6 GiB free, 123.0 GiB of it unused when the host was dumped');
    expect(r.score.smtShared).toBe(0);
  });
});

describe('mode node: vCPUs float over whole nodes, nothing kept for the host', () => {
  it('40 vCPUs over the two nearest-and-roomiest nodes, memory interleaved', () => {
    const r = run(talk, { mode: 'node', vcpus: 40, memoryKiB: GiB });
    expect(r.cells).toEqual([{ vcpus: 40, kib: GiB, nodes: [0, 3], mode: 'interleave' }]);
    expect(r.layout.emulatorpin).toEqual([]);
    expect(r.pins[0]).toEqual([...range(0, 14), ...range(45, 74), ...range(105, 119)]);
    expect(r.explanation).toEqual([
      'nodes 0,3: the fewest nodes (2) that fit, lowest distance cost among 4 eligible nodes (exact search, 15 steps)',
      'node 0: 15 free cores, 125.6 GiB free, 123.0 GiB of it unused when the host was dumped',
      'node 3: 15 free cores, 126.0 GiB free, 124.4 GiB of it unused when the host was dumped',
      'cell 0 on nodes 0,3: distance cost 110',
    ]);
  });

  it('three cells of 20 on three nodes, each cell floating over its own node', () => {
    const r = run(talk, { mode: 'node', vcpus: 60, cells: 3, memoryKiB: 3 * GiB });
    expect(r.cells.map((c) => c.nodes)).toEqual([[0], [2], [3]]);
    expect(r.pins[0]).toEqual([...range(0, 14), ...range(60, 74)]);
    expect(r.pins[59]).toEqual([...range(45, 59), ...range(105, 119)]);
    expect(r.explanation[0]).toBe('nodes 0,2-3: the fewest nodes (3) that fit, lowest distance cost among 4 eligible nodes (exact search, 15 steps)');
    expect(r.explanation[4]).toBe('cells 0-2 on nodes 0,2-3: distance cost 220');
  });

  it('a nodeset of one node: the one eligible node, in the singular', () => {
    const r = run(talk, { mode: 'node', vcpus: 4, memoryKiB: GiB, nodeset: '2' });
    expect(r.explanation[0]).toBe('node 2: the fewest nodes (1) that fit, lowest distance cost among 1 eligible node (exact search, 1 step)');
    expect(r.pins).toEqual(Array(4).fill([...range(30, 44), ...range(90, 104)]));
  });
});

describe('what is kept for the host', () => {
  it('iothreads are pinned with the emulator on the first core of each node', () => {
    const r = run(talk, { nodeset: '0', vcpus: 4, memoryKiB: GiB, iothreads: 2 });
    expect(r.layout.emulatorpin).toEqual([0, 60]);
    expect(r.layout.iothreadpins).toEqual([
      { iothread: 1, cpus: [0, 60] },
      { iothread: 2, cpus: [0, 60] },
    ]);
    expect(r.explanation.at(-1)).toBe('CPUs 0,60 left to the host (first core of each node used): emulator and iothreads pinned there');
  });

  it('an explicit reserve is said as it is, and the node keeps its other cores free', () => {
    const r = run(talk, { nodeset: '0', vcpus: 4, memoryKiB: GiB, iothreads: 1, reserve: [1, 2] });
    expect(r.layout.emulatorpin).toEqual([1, 2]);
    expect(r.layout.iothreadpins).toEqual([{ iothread: 1, cpus: [1, 2] }]);
    expect(r.explanation).toEqual([
      "node 0: as the nodeset '0' names",
      'node 0: 15 free cores, 125.6 GiB free, 123.0 GiB of it unused when the host was dumped',
      'cell 0 on node 0: distance cost 0',
      'CPUs 1-2 left to the host: emulator and iothreads pinned there',
    ]);
  });

  it('no reserve: no emulator pin and no iothread pins, whatever the iothreads', () => {
    const r = run(talk, { nodeset: '0', vcpus: 4, memoryKiB: GiB, iothreads: 2, reserve: 'none' });
    expect(r.layout.emulatorpin).toEqual([]);
    expect(r.layout.iothreadpins).toEqual([]);
    expect(r.explanation).toEqual(["node 0: as the nodeset '0' names", 'node 0: 15 free cores, 125.6 GiB free, 123.0 GiB of it unused when the host was dumped', 'cell 0 on node 0: distance cost 0']);
  });
});

describe('memoryless nodes (EPYC 7401, memory on nodes 1 and 5, numactl -H)', () => {
  const epyc = corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt');
  const NO_SLIT = 'info: the host gave no node distances: assuming 10 within a node and 20 between nodes, as Linux does';

  it('mode host mirrors all 8 nodes; each memoryless node\'s cell binds its memory where Linux takes it', () => {
    const r = run(epyc, { vcpus: 16, memoryKiB: 16 * GiB });
    expect(r.said).toEqual([NO_SLIT]);
    expect(r.cells.map((c) => c.nodes)).toEqual([[1], [1], [5], [5], [5], [5], [1], [1]]);
    expect(r.cells.map((c) => c.kib)).toEqual(Array(8).fill(2 * GiB));
    const memoryless = (n: number, home: number) =>
      `node ${n} has CPUs but no memory: its cell's memory is on node ${home}, the nearest with memory (distance 20), where Linux would take it from too`;
    expect(r.explanation).toEqual([
      'nodes 0-7: mode host mirrors every host node with CPUs',
      'node 0: 11 free cores, 0 KiB free',
      'node 1: 11 free cores, 30.8 GiB free, 29.7 GiB of it unused when the host was dumped',
      'node 2: 11 free cores, 0 KiB free',
      'node 3: 11 free cores, 0 KiB free',
      'node 4: 11 free cores, 0 KiB free',
      'node 5: 11 free cores, 31.5 GiB free, 30.9 GiB of it unused when the host was dumped',
      'node 6: 11 free cores, 0 KiB free',
      'node 7: 11 free cores, 0 KiB free',
      'cells 0-7 on nodes 0-7: distance cost 43',
      memoryless(0, 1),
      memoryless(2, 5),
      memoryless(3, 5),
      memoryless(4, 5),
      memoryless(6, 1),
      memoryless(7, 1),
      'CPUs 0-7 left to the host (first core of each node used): emulator pinned there',
    ]);
  });

  it('mode auto takes a node with its own memory when one holds the guest', () => {
    const r = run(epyc, { mode: 'auto', vcpus: 11, memoryKiB: 16 * GiB });
    expect(r.cells).toEqual([{ vcpus: 11, kib: 16 * GiB, nodes: [5], mode: 'strict' }]);
    expect(r.explanation).toEqual([
      'node 5: the fewest nodes (1) that hold the guest, one cell per node, lowest distance cost among 8 eligible nodes (exact search, 8 steps)',
      'node 5: 11 free cores, 31.5 GiB free, 30.9 GiB of it unused when the host was dumped',
      'cell 0 on node 5: distance cost 0',
      'CPUs 3 left to the host (first core of each node used): emulator pinned there',
    ]);
  });
});

describe('hugepages', () => {
  it('a node without free pages of the size asked refuses, in pages', () => {
    expect(run(talk, { vcpus: 4, memoryKiB: 4 * GiB, hugepageSizeKiB: GiB, nodeset: '0' }).said).toEqual(['error: cannot place 4 vCPUs and 4 GiB: node 0 has 0 free 1 GiB pages for 4']);
    const small = run(talk, { vcpus: 4, memoryKiB: 4 * GiB, hugepageSizeKiB: 2048, nodeset: '0' });
    expect(small.said).toEqual(['error: cannot place 4 vCPUs and 4 GiB: node 0 has 0 free 2 MiB pages for 2048']);
    expect(small.explanation).toEqual(['node 0: 14 free cores, 125.6 GiB free, 123.0 GiB of it unused when the host was dumped, 0 free 2 MiB pages']);
  });
});

describe('memory-only tiers (KNL SNC-4 hybrid, hwloc XML)', () => {
  const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');

  it('tier memory goes to the nearest MCDRAM node as a CPU-less cell, the nodes named by kind', () => {
    const r = run(knl, { mode: 'auto', vcpus: 4, memoryKiB: 2 * GiB, tierMemoryKiB: GiB });
    expect(r.cells).toEqual([
      { vcpus: 4, kib: GiB, nodes: [0], mode: 'strict' },
      { vcpus: 0, kib: GiB, nodes: [7], mode: 'strict' },
    ]);
    expect(r.score.nodes).toBe(2);
    expect(r.explanation).toEqual([
      'node 0: the fewest nodes (1) that hold the guest, one cell per node, lowest distance cost among 4 eligible nodes (exact search, 4 steps)',
      'node 0 (DRAM): 3 free cores, 1 GiB free',
      'cell 0 on node 0: distance cost 0',
      '1 GiB on memory-only node 7, as the request asks (nearest first)',
      'cell 1 (memory only, 1 GiB on MCDRAM node 7): 20 from cell 0; attached next to the CPUs of cell 0',
      'CPUs 0,16,32,48 left to the host (first core of each node used): emulator pinned there',
    ]);
  });

  it('mode host mirrors the DRAM nodes only', () => {
    const r = run(knl, { vcpus: 8, memoryKiB: 2 * GiB });
    expect(r.cells.map((c) => [c.vcpus, c.kib, c.nodes])).toEqual([0, 1, 2, 3].map((n) => [2, GiB / 2, [n]]));
    expect(r.explanation.slice(0, 2)).toEqual(['nodes 0-3: mode host mirrors every host node with CPUs', 'node 0 (DRAM): 3 free cores, 1 GiB free']);
    expect(r.explanation[5]).toBe('cells 0-3 on nodes 0-3: distance cost 30');
  });
});

describe('devices', () => {
  it('one not on the host: a warning when preferred, a refusal when required', () => {
    const preferred = run(talk, { mode: 'auto', vcpus: 4, memoryKiB: GiB, devices: [{ bdf: '0000:99:00.0', policy: 'preferred' }] });
    expect(preferred.said).toEqual(['warning: device 0000:99:00.0 is not on this host']);
    expect(preferred.layout.devices).toEqual([]);
    expect(preferred.cells.map((c) => c.nodes)).toEqual([[3]]);
    const required = run(talk, { mode: 'auto', vcpus: 4, memoryKiB: GiB, devices: [{ bdf: '0000:99:00.0', policy: 'required' }] });
    expect(required.said).toEqual(['error: device 0000:99:00.0 is not on this host']);
    expect(required.explanation).toEqual([]);
  });
});
