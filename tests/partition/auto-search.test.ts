/**
 * Mode auto's search (src/core/partition/search-auto.ts) where its shortcuts and cuts decide the
 * answer: nodes another guest has filled are not eligible (and the sentence counts only the
 * others), round-robin needs a core per vCPU, memoryless nodes sharing one home split its room,
 * and a 24-node host is searched exactly for guests of 5 and 8 nodes.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/index.ts';
import { DEFAULT_REQUEST, type Occupancy, type PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost } from '../support/golden.ts';

const GiB = 1 << 20;
const talk = talkHost();

function auto(host: Host, vcpus: number, memoryGiB: number, extra: Partial<PartitionRequest> = {}, occupancy?: Occupancy) {
  const r = solve(host, { ...DEFAULT_REQUEST, vcpus, memoryKiB: memoryGiB * GiB, devices: [], ...extra }, occupancy);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { cells: r.layout.cells.map((c) => [c.hostNodes, c.vcpus.length, c.memoryKiB]), why: r.explanation[0].replace(/\d+ steps?\)/, 'N steps)'), score: r.score };
}

describe('eligible nodes', () => {
  // Another guest pins all but the first three cores of node 0 and binds 125 GiB on node 1.
  const busy: Occupancy = { guests: [{ name: 'x', pinnedCpus: talk.nodes[0].cpus.filter((c) => c % 60 > 2), floatingCpus: [], floatingVcpus: 0, memory: [{ node: 1, kib: 125 * GiB }], hugepages: [] }] };

  it('leaves out a node without the CPUs and one without the memory a one-node guest needs', () => {
    expect(auto(talk, 16, 32, {}, busy)).toMatchObject({
      cells: [[[3], 16, 32 * GiB]],
      why: 'node 3: the fewest nodes (1) that hold the guest inside package 3, one cell per node, lowest distance cost among 2 eligible nodes (exact search, N steps)',
    });
  });

  it('for a two-node guest, leaves out only the node that cannot hold what the other leaves over', () => {
    expect(auto(talk, 40, 64, {}, busy)).toMatchObject({
      cells: [[[2], 20, 32 * GiB], [[3], 20, 32 * GiB]],
      why: 'nodes 2-3: the fewest nodes (2) that hold the guest, across packages since none of them holds it alone, one cell per node, lowest distance cost among 3 eligible nodes (exact search, N steps)',
    });
  });
});

describe('cell shapes', () => {
  it('round-robin takes a core per vCPU: 21 need two of the talk host\'s 14-core nodes, cells of 11 and 10', () => {
    const rr = auto(talk, 21, 16, { distribution: 'round-robin' });
    expect(rr.cells.map(([nodes, vcpus]) => [nodes, vcpus])).toEqual([[[0], 11], [[3], 10]]);
    expect(rr.cells.reduce((s, c) => s + (c[2] as number), 0)).toBe(16 * GiB);
    expect(auto(talk, 21, 16).cells).toEqual([[[3], 21, 16 * GiB]]);
  });

  it('two memoryless nodes whose memory comes from one node share its room; the rest goes to the third node (EPYC 7401)', () => {
    const epyc = corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt');
    const r = auto(epyc, 30, 48);
    // nodes 0 and 1 both bind node 1's 30.8 GiB: half each, in whole MiB; node 5 takes the rest
    const half = Math.floor(epyc.nodes[1].memoryKiB! / 2 / 1024) * 1024;
    expect(half).toBe(16171008);
    expect(r.cells).toEqual([[[1], 10, half], [[1], 10, half], [[5], 10, 48 * GiB - 2 * half]]);
  });
});

describe('a 24-node host (hwloc: 4 distances, 10/50/65/79)', () => {
  const big = corpusHost('hwloc-xml/192em64t-24n8c2t.xml');

  it('finds the cheapest 5 nodes for 60 vCPUs exactly', () => {
    const r = auto(big, 60, 16);
    expect(r.cells.map((c) => c[0])).toEqual([[1], [2], [3], [4], [5]]);
    expect(r.why).toBe('nodes 1-5: the fewest nodes (5) that hold the guest, across packages since none of them holds it alone, one cell per node, lowest distance cost among 24 eligible nodes (exact search, N steps)');
    expect(r.score).toMatchObject({ optimal: true, gap: 0 });
  });

  it('cells of 14 and 12 vCPUs for 100 over 8 nodes of 7 free cores', () => {
    const r = auto(big, 100, 16);
    expect(r.cells.map((c) => [c[0], c[1]])).toEqual([[[2], 14], [[3], 14], [[6], 12], [[7], 12], [[10], 12], [[11], 12], [[14], 12], [[15], 12]]);
  });
});
