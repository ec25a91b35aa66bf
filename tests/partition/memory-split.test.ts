/**
 * Splitting a guest over parts of limited room (src/core/partition/memory.ts): fillEvenly is how
 * mode auto cuts vCPUs (in whole guest cores) and memory (in whole granules) when one node of a
 * set has less room than an even share; splitMemoryBy weights memory by a cell's vCPUs.
 */
import { describe, expect, it } from 'vitest';
import { fillEvenly, memoryGranule, splitMemoryBy } from '../../src/core/partition/memory.ts';
import { occupancyOf, solve } from '../../src/core/partition/index.ts';
import { DEFAULT_REQUEST } from '../../src/core/partition/request.ts';
import { talkHost } from '../support/golden.ts';

const MiB = 1024;
const GiB = 1024 * MiB;

describe('mode auto on a node already half taken', () => {
  it('gives the short node what it holds and the other the rest, memory following the vCPUs', () => {
    const talk = talkHost();
    const first = solve(talk, { ...DEFAULT_REQUEST, vcpus: 16, memoryKiB: 8 * GiB, nodeset: '0' });
    const r = solve(talk, { ...DEFAULT_REQUEST, vcpus: 40, memoryKiB: 40 * GiB, nodeset: '0-1' }, occupancyOf([{ name: 'first', layout: first.layout }]));
    expect(r.diagnostics).toEqual([]);
    expect(r.layout.cells.map((c) => [c.vcpus.length, c.hostNodes, c.memoryKiB])).toEqual([
      [12, [0], 12 * GiB],
      [28, [1], 28 * GiB],
    ]);
    expect(r.explanation).toContain('40 vCPUs do not divide into 2 equal cells of whole 2-thread cores: cells of 12 + 28');
  });
});

describe('fillEvenly: as even as the room allows', () => {
  it('is even when every part has room', () => {
    expect(fillEvenly(40, [28, 28], 2)).toEqual([20, 20]);
    expect(fillEvenly(10, [null, null], 1)).toEqual([5, 5]);
  });

  it('fills a part short of an even share and gives the others the rest', () => {
    expect(fillEvenly(40, [12, 28], 2)).toEqual([12, 28]);
    expect(fillEvenly(12, [4, 20], 2)).toEqual([4, 8]);
    expect(fillEvenly(21, [8, 16], 2)).toEqual([8, 13]);
  });

  it('hands an extra whole unit, then the odd remainder, to the first part with room', () => {
    expect(fillEvenly(11, [null, null], 2)).toEqual([7, 4]);
    expect(fillEvenly(7, [3, null, 2], 2)).toEqual([3, 2, 2]);
    expect(fillEvenly(9, [5, 4], 2)).toEqual([5, 4]);
  });

  it('gives the extra units one each to the first parts, not all to the first', () => {
    expect(fillEvenly(8, [null, null, null], 1)).toEqual([3, 3, 2]);
  });

  it('raises the parts with room level by level, each level capped by the part nearest its room', () => {
    expect(fillEvenly(20, [2, 6, null], 2)).toEqual([2, 6, 12]);
  });

  it('counts unknown room (null) as unbounded, beside nodes whose room is known', () => {
    expect(fillEvenly(96 * GiB + 512, [40 * GiB, null, 20 * GiB + 512], MiB)).toEqual([38 * GiB + 512, 38 * GiB, 20 * GiB]);
  });

  it('gives a part with no room nothing', () => {
    expect(fillEvenly(6, [0, 8], 2)).toEqual([0, 6]);
  });

  it('is undefined when the parts together cannot hold it', () => {
    expect(fillEvenly(10, [4, 4], 1)).toBeUndefined();
    expect(fillEvenly(9, [4, 4], 2)).toBeUndefined();
  });
});

describe('splitMemoryBy and the granule', () => {
  it('puts everything on cell 0 when no cell has a vCPU, never NaN', () => {
    expect(splitMemoryBy(4 * GiB, [0, 0], MiB)).toEqual([4 * GiB, 0]);
  });

  it('cuts cells in whole MiB without hugepages, in whole pages with them', () => {
    expect(memoryGranule(undefined)).toBe(MiB);
    expect(memoryGranule(2 * MiB)).toBe(2 * MiB);
  });
});
