/**
 * Guest memory split over cells: every cell but cell 0 gets its share rounded down to the
 * granule and cell 0 takes the remainder (formats.md §3.8), so the first cell, where the guest
 * boots and the kernel lives, is never the smaller one. Kills the planted bug "the memory
 * remainder put on the last cell instead of cell 0" (partition/memory.ts).
 */
import { describe, expect, it } from 'vitest';
import { splitMemory, splitMemoryBy } from '../../src/core/partition/memory.ts';

const MiB = 1024;

describe('the memory remainder goes to cell 0', () => {
  it('3073 MiB over two cells: 1537 + 1536', () => {
    expect(splitMemory(3073 * MiB, 2, MiB)).toEqual([1537 * MiB, 1536 * MiB]);
  });

  it('10 GiB + 512 KiB over three cells: the odd KiB and MiB on cell 0', () => {
    const shares = splitMemory(10 * 1024 * MiB + 512, 3, MiB);
    expect(shares).toEqual([3414 * MiB + 512, 3413 * MiB, 3413 * MiB]);
    expect(shares.reduce((s, x) => s + x, 0)).toBe(10 * 1024 * MiB + 512);
  });

  it('weighted by vCPUs (11 + 10): cell 0 gets its share and the rounding', () => {
    const shares = splitMemoryBy(21 * 1024 * MiB, [11, 10], 2 * MiB);
    expect(shares[1]).toBe(Math.floor((21 * 1024 * 10) / 21 / 2) * 2 * MiB);
    expect(shares[0]).toBe(21 * 1024 * MiB - shares[1]);
    expect(shares[0]).toBeGreaterThan(shares[1]);
  });
});
