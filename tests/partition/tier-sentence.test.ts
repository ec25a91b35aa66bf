/**
 * The sentence for a memory-only cell (src/core/partition/tiers.ts tierSentence) when the tier
 * is attached next to the CPUs of several cells: on the fake KNL in SNC-4 (no SLIT), MCDRAM
 * node 4 sits beside DRAM node 1, which two CPU cells share.
 */
import { describe, expect, it } from 'vitest';
import type { GuestCell } from '../../src/core/guest/model.ts';
import { tierSentence } from '../../src/core/partition/tiers.ts';
import { corpusHost } from '../support/corpus.ts';

const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
const GiB = 1 << 20;
const cell = (id: number, node: number, vcpus: number[], distances: number[]): GuestCell => ({ id, vcpus, memoryKiB: GiB, hostNodes: [node], memoryMode: 'strict', distances });

describe('a tier beside several cells', () => {
  it('names them all', () => {
    const cpuCells = [cell(0, 1, [0], [10, 11, 20]), cell(1, 1, [1], [11, 10, 20])];
    expect(tierSentence(knl, cell(2, 4, [], [20, 20, 10]), cpuCells)).toBe('cell 2 (memory only, 1 GiB on MCDRAM node 4): 20 from cells 0-1; attached next to the CPUs of cells 0-1');
  });
});
