/**
 * Which host nodes back each guest cell (src/core/partition/cells.ts), on hwloc's 24-node test
 * host (192em64t-24n8c2t: pairs of nodes at 50, others at 65 or 79): one node per cell, a node
 * cut into slices when cells outnumber nodes, a group of nearest nodes when nodes outnumber cells.
 */
import { describe, expect, it } from 'vitest';
import { hostDistance } from '../../src/core/host/distance.ts';
import { mapCells } from '../../src/core/partition/cells.ts';
import { solve } from '../../src/core/partition/index.ts';
import { DEFAULT_REQUEST } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';

const host = corpusHost('hwloc-xml/192em64t-24n8c2t.xml');
const distance = hostDistance(host);

describe('fewer cells than nodes: each cell spans its nearest nodes', () => {
  it('mode host, nodes 0,10,12,13 in 2 cells: node 0 goes with 12 (65 away, 10 is 79), 10 with 13', () => {
    const r = solve(host, { ...DEFAULT_REQUEST, mode: 'host', vcpus: 16, memoryKiB: 16 * 1024 * 1024, nodeset: '0,10,12,13', cells: 2 });
    expect(r.diagnostics).toEqual([]);
    expect(r.layout.cells.map((c) => c.hostNodes)).toEqual([[0, 12], [10, 13]]);
    expect(r.score.distanceCost).toBe(329);
  });

  it('lists a group\'s nodes ascending, not nearest first', () => {
    expect(mapCells([0, 10, 12], 1, distance)).toEqual({ ok: true, cells: [{ cell: 0, nodes: [0, 10, 12], slice: 0, slices: 1 }] });
  });

  it('breaks distance ties by the lower node id', () => {
    // Nodes 2, 3 and 12 are all 65 from node 0.
    expect(mapCells([0, 2, 3, 12], 2, distance)).toEqual({
      ok: true,
      cells: [
        { cell: 0, nodes: [0, 2], slice: 0, slices: 1 },
        { cell: 1, nodes: [3, 12], slice: 0, slices: 1 },
      ],
    });
  });
});

describe('as many cells as nodes, or more', () => {
  it('maps cell i to the i-th node', () => {
    expect(mapCells([3, 7], 2, distance)).toEqual({
      ok: true,
      cells: [
        { cell: 0, nodes: [3], slice: 0, slices: 1 },
        { cell: 1, nodes: [7], slice: 0, slices: 1 },
      ],
    });
  });

  it('cuts each node into equal slices, cells of one node next to each other', () => {
    expect(mapCells([3, 7], 6, distance)).toEqual({
      ok: true,
      cells: [0, 1, 2, 3, 4, 5].map((i) => ({ cell: i, nodes: [i < 3 ? 3 : 7], slice: i % 3, slices: 3 })),
    });
  });
});

describe('what cannot be mapped', () => {
  it('refuses counts that neither divide nor multiply the nodes', () => {
    expect(mapCells([0, 1], 3, distance)).toEqual({ ok: false, error: 'cells must divide or be a multiple of the nodeset size (3 cells, 2 nodes)' });
    expect(mapCells([0, 1, 2], 2, distance)).toEqual({ ok: false, error: 'cells must divide or be a multiple of the nodeset size (2 cells, 3 nodes)' });
  });

  it('refuses no nodes and no cells', () => {
    expect(mapCells([], 2, distance)).toEqual({ ok: false, error: 'no host node to place the guest on' });
    expect(mapCells([0, 1], 0, distance)).toEqual({ ok: false, error: 'no host node to place the guest on' });
  });
});
