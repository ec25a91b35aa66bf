/**
 * Edges of solve's requests (src/core/partition/solve.ts) on the talk's host and corpus hosts:
 * which refusals come with suggestions (only modes host and node, only what was tried and fits,
 * the cell counts counted from the nodeset or the CPU nodes), numbers exactly at QEMU's and
 * libvirt's limits, refusals that stop before the devices are looked at, memoryless nodes named
 * alone in a nodeset, thread policy require on cores another guest half holds, and tier memory
 * next to memory that overflows.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/solve.ts';
import type { Occupancy, PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const talk = talkHost();
const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
const epyc = corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt');
const NO_SLIT = 'info: the host gave no node distances: assuming 10 within a node and 20 between nodes, as Linux does';
const AUTO = 'mode auto: the fewest nodes that hold the guest, one cell per node';
const NODE = 'mode node: vCPUs float over whole nodes';

function run(host: Host, patch: Partial<PartitionRequest>, occupancy?: Occupancy) {
  const r = solve(host, { ...TALK_REQUEST, ...patch }, occupancy);
  return { ...r, said: r.diagnostics.map((d) => `${d.severity}: ${d.message}`), offered: r.suggestions?.map((s) => s.text) };
}

describe('suggestions', () => {
  it('a layout that works offers none', () => {
    const r = run(talk, {});
    expect(r.said).toEqual([]);
    expect(r.suggestions).toBeUndefined();
  });

  it('mode auto offers none even when mode node would hold the guest (116 vCPUs: 112 pinnable, 120 to float over)', () => {
    const r = run(talk, { mode: 'auto', vcpus: 116, memoryKiB: GiB });
    expect(r.said).toEqual(['error: cannot place 116 vCPUs and 1 GiB: nodes 0-3 have 112 CPUs free for its 116 vCPUs']);
    expect(r.suggestions).toBeUndefined();
    expect(run(talk, { mode: 'node', vcpus: 116, memoryKiB: GiB }).said).toEqual([]);
  });

  it('mode node pinned 1:1 is not offered mode node again, and nothing else fits', () => {
    const r = run(talk, { mode: 'node', pinning: '1:1', vcpus: 116, memoryKiB: GiB });
    expect(r.said).toEqual(['error: cannot place 116 vCPUs and 1 GiB: no set of nodes among 0-3 has room for it']);
    expect(r.suggestions).toBeUndefined();
  });

  it('a refusal nothing would fix offers nothing, not an empty list', () => {
    const r = run(talk, { vcpus: 8, cells: 8, memoryKiB: 1000 * GiB });
    expect(r.said).toEqual(['error: cannot place 8 vCPUs and 1000 GiB: no set of nodes among 0-3 has room for it']);
    expect(r.explanation).toHaveLength(4);
    expect(r.suggestions).toBeUndefined();
  });

  it('one cell fewer when it fits: 3 cells on a nodeset of 2 nodes become 2', () => {
    const r = run(talk, { vcpus: 16, cells: 3, nodeset: '0-1', memoryKiB: 2 * GiB });
    expect(r.said).toEqual(['error: cannot place 16 vCPUs and 2 GiB: cells must divide or be a multiple of the nodeset size (3 cells, 2 nodes)']);
    expect(r.offered).toEqual([AUTO, '2 cells instead of 3', NODE]);
    expect(r.suggestions?.[1].change).toEqual({ cells: 2, cellVcpus: undefined, cellMemoryKiB: undefined });
  });

  it('else halves, down to one: 6 cells on 4 nodes become 1 (5 and 3 do not divide 4)', () => {
    const r = run(talk, { vcpus: 16, cells: 6, nodeset: '0-3', memoryKiB: 2 * GiB });
    expect(r.offered).toEqual([AUTO, '1 cell instead of 6', NODE]);
  });

  it('mode host without a cell count counts the nodeset\'s nodes', () => {
    const r = run(talk, { vcpus: 2, nodeset: '0-2', memoryKiB: 2 * GiB });
    expect(r.said).toEqual(['error: 2 vCPUs cannot fill 3 cells: every cell needs at least one vCPU']);
    expect(r.offered).toEqual([AUTO, '1 cell instead of 3', NODE]);
  });

  it('... or the host\'s nodes with CPUs, not its memory-only ones (KNL: 4 DRAM nodes, 4 MCDRAM)', () => {
    const r = run(knl, { vcpus: 2, memoryKiB: GiB });
    expect(r.said).toEqual([NO_SLIT, 'error: 2 vCPUs cannot fill 4 cells: every cell needs at least one vCPU']);
    expect(r.offered).toEqual([AUTO, '2 cells instead of 4', NODE]);
  });
});

describe('numbers at the limits are taken', () => {
  it('1 KiB of memory in one cell', () => {
    const r = run(talk, { memoryKiB: 1, cells: 1 });
    expect(r.said).toEqual([]);
    expect(r.layout.cells.map((c) => c.memoryKiB)).toEqual([1]);
  });

  it('4096 vCPUs and 128 cells pass the limits and meet the host', () => {
    expect(run(talk, { vcpus: 4096 }).said).toEqual(['error: cannot place 4096 vCPUs and 32 GiB: node 0 has 28 threads free for 1024']);
    expect(run(talk, { vcpus: 128, cells: 128 }).said).toEqual(['error: cannot place 128 vCPUs and 32 GiB: no set of nodes among 0-3 has room for it']);
  });

  it('the largest memory libvirt expresses passes the limit and meets the host', () => {
    expect(run(talk, { memoryKiB: Number.MAX_SAFE_INTEGER, cells: 1 }).said).toEqual(['error: cannot place 16 vCPUs and 8192.0 PiB: no set of nodes among 0-3 has room for it']);
  });

  it('a diagnostic names the partitioning as its source', () => {
    expect(solve(talk, { ...TALK_REQUEST, vcpus: 0 }).diagnostics.map((d) => d.source)).toEqual(['partition']);
  });
});

describe('a refusal of the request\'s numbers stops before the devices are looked at', () => {
  const devices = [{ bdf: '0000:99:00.0', policy: 'preferred' as const }];

  it('tier memory refused', () => {
    expect(run(knl, { vcpus: 4, memoryKiB: GiB, tierMemoryKiB: -1, devices }).said).toEqual([NO_SLIT, "error: tier memory must be a whole number of KiB below the guest's 1 GiB, not -1"]);
  });

  it('cells refused', () => {
    expect(run(talk, { vcpus: 2, cells: 4, devices }).said).toEqual(['error: 2 vCPUs cannot fill 4 cells: every cell needs at least one vCPU']);
  });
});

describe('a nodeset of memoryless nodes (EPYC 7401)', () => {
  it('binds each cell\'s memory at its node\'s home, outside the nodeset', () => {
    const r = run(epyc, { vcpus: 4, nodeset: '0,2', memoryKiB: 4 * GiB });
    expect(r.said).toEqual([NO_SLIT]);
    expect(r.layout.cells.map((c) => [c.hostNodes, c.memoryKiB])).toEqual([
      [[1], 2 * GiB],
      [[5], 2 * GiB],
    ]);
    expect(r.explanation.slice(4, 6)).toEqual([
      "node 0 has CPUs but no memory: its cell's memory is on node 1, the nearest with memory (distance 20), where Linux would take it from too",
      "node 2 has CPUs but no memory: its cell's memory is on node 5, the nearest with memory (distance 20), where Linux would take it from too",
    ]);
  });

  it('warns when the home had less free than it binds', () => {
    expect(run(epyc, { vcpus: 4, nodeset: '0,2', memoryKiB: 60 * GiB }).said).toEqual([
      NO_SLIT,
      'warning: node 1 had 29.7 GiB free when the host was dumped and the guest binds 30 GiB there: the rest must come from page cache the kernel can drop',
    ]);
  });

  it('refuses when two cells\' homes are one node without room for both', () => {
    const r = run(epyc, { vcpus: 4, nodeset: '0,6', memoryKiB: 40 * GiB });
    expect(r.said).toEqual([NO_SLIT, 'error: cannot place 4 vCPUs and 40 GiB: node 1 has 30.8 GiB free for 40 GiB']);
    expect(r.explanation).toEqual(['node 0: 11 free cores, 0 KiB free', 'node 6: 11 free cores, 0 KiB free']);
  });
});

describe('thread policy require where another guest holds every core\'s second thread', () => {
  it('is refused, never given loose threads', () => {
    const siblings: Occupancy = {
      guests: [{ name: 'other', pinnedCpus: talk.cpus.filter((c) => c.id >= 60).map((c) => c.id), floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }],
    };
    const r = run(talk, { vcpus: 8, nodeset: '0', memoryKiB: GiB, threadPolicy: 'require' }, siblings);
    expect(r.said).toEqual(['error: cannot place 8 vCPUs and 1 GiB: node 0 has 0 cores with 2 free threads free for 4']);
    expect(r.explanation).toEqual(['node 0: 0 free cores, 125.6 GiB free, 123.0 GiB of it unused when the host was dumped']);
  });
});

describe('tier memory asked, and more overflowing (KNL, 1 GiB of DRAM per node)', () => {
  const MEMORY_ONLY = (n: number) => `info: host node ${n} is memory-only: it can hold the guest's memory as a CPU-less cell, never its vCPUs`;

  it('mode host: the CPU cell keeps what its node has, the tier takes what was asked and the overflow', () => {
    const r = run(knl, { vcpus: 4, nodeset: '0,4', memoryKiB: 3 * GiB, tierMemoryKiB: GiB });
    const overflow = 'node 0 lacks the free memory for 2 GiB: 1 GiB of it overflows to memory-only node 4';
    expect(r.said).toEqual([NO_SLIT, MEMORY_ONLY(4), `warning: ${overflow}`]);
    expect(r.layout.cells.map((c) => [c.vcpus.length, c.memoryKiB, c.hostNodes])).toEqual([
      [4, GiB, [0]],
      [0, 2 * GiB, [4]],
    ]);
    expect(r.explanation.slice(3, 5)).toEqual([overflow, 'cell 1 (memory only, 2 GiB on MCDRAM node 4): 20 from cell 0']);
  });

  it('mode auto: the overflow spreads over the tiers nearest first', () => {
    const r = run(knl, { mode: 'auto', vcpus: 4, nodeset: '0,4-5', memoryKiB: 4 * GiB, tierMemoryKiB: GiB });
    expect(r.said.at(-1)).toBe('warning: node 0 lacks the free memory for 3 GiB: 2 GiB of it overflows to memory-only nodes 4-5');
    expect(r.layout.cells.map((c) => [c.memoryKiB, c.hostNodes])).toEqual([
      [GiB, [0]],
      [2 * GiB, [4]],
      [GiB, [5]],
    ]);
    expect(r.score.nodes).toBe(3);
  });
});
