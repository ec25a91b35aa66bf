/**
 * Which guest vCPUs go to which cell (src/core/partition/distribute.ts): cell sizes in whole
 * guest cores, and the four distributions of DESIGN.md §3 — contiguous and siblings fill a cell
 * before the next, round-robin deals single vCPUs, interleave deals SMT groups.
 */
import { describe, expect, it } from 'vitest';
import { dealVcpus, evenSizes } from '../../src/core/partition/distribute.ts';
import { solve } from '../../src/core/partition/index.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();

describe('14 vCPUs in mode host on the talk host: 4 cells, the last one short', () => {
  const cellsOf = (distribution: typeof TALK_REQUEST.distribution) => {
    const r = solve(talk, { ...TALK_REQUEST, distribution, vcpus: 14, memoryKiB: 14 * 1024 * 1024 });
    expect(r.diagnostics).toEqual([]);
    return r.layout.cells.map((c) => c.vcpus);
  };

  it('siblings: whole 2-thread cores, cells filled in turn', () => {
    expect(cellsOf('siblings')).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13]]);
  });

  it('round-robin: vCPU v in cell v mod 4', () => {
    expect(cellsOf('round-robin')).toEqual([[0, 4, 8, 12], [1, 5, 9, 13], [2, 6, 10], [3, 7, 11]]);
  });

  it('interleave: SMT pairs dealt in turn', () => {
    expect(cellsOf('interleave')).toEqual([[0, 1, 8, 9], [2, 3, 10, 11], [4, 5, 12, 13], [6, 7]]);
  });
});

describe('evenSizes', () => {
  it('is equal when the vCPUs divide', () => {
    expect(evenSizes(16, 4, 2)).toEqual([4, 4, 4, 4]);
  });

  it('cuts whole units, extra units to the first cells, a lone vCPU to cell 0', () => {
    expect(evenSizes(21, 2, 2)).toEqual([11, 10]);
    expect(evenSizes(14, 4, 2)).toEqual([4, 4, 4, 2]);
  });

  it('falls back to single vCPUs rather than leave a cell empty', () => {
    expect(evenSizes(3, 2, 2)).toEqual([2, 1]);
    expect(evenSizes(5, 4, 2)).toEqual([2, 1, 1, 1]);
    expect(evenSizes(10, 4, 4)).toEqual([3, 3, 2, 2]);
  });

  it('keeps the guest core whole when some cell must stay empty anyway', () => {
    expect(evenSizes(3, 4, 2)).toEqual([3, 0, 0, 0]);
  });
});

describe('dealVcpus', () => {
  it('round-robin deals single vCPUs whatever the SMT width', () => {
    expect(dealVcpus([4, 4], 'round-robin', 2)).toEqual([[0, 2, 4, 6], [1, 3, 5, 7]]);
  });

  it('interleave never overfills a cell of odd size: the group finishes in the next cell', () => {
    expect(dealVcpus([3, 3], 'interleave', 2)).toEqual([[0, 1, 4], [2, 3, 5]]);
    expect(dealVcpus([3, 2, 2], 'interleave', 2)).toEqual([[0, 1, 6], [2, 3], [4, 5]]);
  });

  it('skips a full cell and keeps dealing to the others', () => {
    expect(dealVcpus([1, 4], 'round-robin', 1)).toEqual([[0], [1, 2, 3, 4]]);
    expect(dealVcpus([2, 6, 2], 'interleave', 2)).toEqual([[0, 1], [2, 3, 6, 7, 8, 9], [4, 5]]);
  });
});
