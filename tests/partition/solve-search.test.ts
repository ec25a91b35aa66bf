/**
 * The node-set search solve runs for modes host and node with a cell count (searchAllSizes in
 * src/core/partition/solve.ts) on a 24-node hwloc host (192em64t-24n8c2t): the fewest nodes that
 * fit, exact up to 16 eligible nodes' worth of steps and anytime past that, with the bound on how
 * far from the best the answer may be.
 */
import { describe, expect, it } from 'vitest';
import { solve } from '../../src/core/partition/solve.ts';
import type { PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const big = corpusHost('hwloc-xml/192em64t-24n8c2t.xml');
const run = (patch: Partial<PartitionRequest>) => solve(big, { ...TALK_REQUEST, ...patch });

describe('24 nodes of 8 two-thread cores', () => {
  it('three floating cells of 16: three neighbouring nodes, found exactly', () => {
    const r = run({ mode: 'node', vcpus: 48, cells: 3, memoryKiB: 3 * GiB });
    expect(r.diagnostics).toEqual([]);
    expect(r.layout.cells.map((c) => c.hostNodes)).toEqual([[1], [2], [3]]);
    expect(r.explanation[0]).toBe('nodes 1-3: the fewest nodes (3) that fit, lowest distance cost among 24 eligible nodes (exact search, 352 steps)');
    expect(r.explanation.at(-1)).toBe('cells 0-2 on nodes 1-3: distance cost 800');
    expect(r.score).toEqual({ nodes: 3, distanceCost: 800, smtShared: 0, remoteVcpus: 0, remoteDistance: 10, splitCores: 0, optimal: true, gap: 0 });
  });

  it('one floating cell of 80 vCPUs: five nodes, memory interleaved over them', () => {
    const r = run({ mode: 'node', vcpus: 80, memoryKiB: 5 * GiB });
    expect(r.layout.cells.map((c) => [c.hostNodes, c.memoryMode])).toEqual([[[1, 2, 3, 4, 5], 'interleave']]);
    expect(r.explanation[0]).toBe('nodes 1-5: the fewest nodes (5) that fit, lowest distance cost among 24 eligible nodes (exact search, 1022 steps)');
    expect(r.explanation.at(-1)).toBe('cell 0 on nodes 1-5: distance cost 1664');
  });

  it('six pinned cells of 16 need twelve nodes: the search stops at its budget and says how far from the best it may be', () => {
    const r = run({ vcpus: 96, cells: 6, memoryKiB: 6 * GiB });
    expect(r.diagnostics).toEqual([]);
    expect(r.layout.cells.map((c) => c.hostNodes)).toEqual([[2, 3], [4, 5], [6, 7], [8, 9], [10, 11], [14, 15]]);
    expect(r.explanation[0]).toBe(
      'nodes 2-11,14-15: the fewest nodes (12) that fit; search of 24 eligible nodes stopped after 4001 steps, distance cost within 149.333 of the best',
    );
    expect(r.explanation.at(-2)).toBe('cells 0-5 on nodes 2-11,14-15: distance cost 2509.333');
    expect(r.score).toEqual({ nodes: 12, distanceCost: 2509.333, smtShared: 0, remoteVcpus: 0, remoteDistance: 10, splitCores: 0, optimal: false, gap: 149.333 });
  });
});
