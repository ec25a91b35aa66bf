/** The guest panel's cell-size fields: Nova-style lists read into the request's cellVcpus / cellMemoryKiB. */
import { describe, expect, it } from 'vitest';
import { cellSizesMismatch, formatCellMemory, formatCellVcpus, parseCellMemory, parseCellVcpus } from '../../src/state/cell-sizes.ts';

const GiB = 1 << 20;

describe('cell sizes', () => {
  it('reads vCPUs per cell, unequal sizes included; empty is the mode’s own', () => {
    expect(parseCellVcpus('8,8,5')).toEqual({ ok: true, sizes: [8, 8, 5] });
    expect(parseCellVcpus(' 1, 2 ')).toEqual({ ok: true, sizes: [1, 2] });
    expect(parseCellVcpus('')).toEqual({ ok: true, sizes: undefined });
    expect(parseCellVcpus('8,0')).toEqual({ ok: false, error: "'0' is not a number of vCPUs above 0" });
    expect(parseCellVcpus('8,,5').ok).toBe(false);
    expect(parseCellVcpus('0-3').ok).toBe(false);
  });

  it('reads memory per cell with its units, and refuses a bare number', () => {
    expect(parseCellMemory('16GiB,16GiB,8GiB')).toEqual({ ok: true, sizes: [16 * GiB, 16 * GiB, 8 * GiB] });
    expect(parseCellMemory('1G, 512 MiB')).toEqual({ ok: true, sizes: [GiB, 512 * 1024] });
    expect(parseCellMemory('16')).toEqual({ ok: false, error: "'16' is not a size such as 16GiB or 512MiB" });
    expect(parseCellMemory('16 parsecs').ok).toBe(false);
  });

  it('writes a request’s sizes back as the fields show them', () => {
    expect(formatCellVcpus([8, 8, 5])).toBe('8,8,5');
    expect(formatCellMemory([16 * GiB, 1536 * 1024])).toBe('16GiB,1.5GiB');
    expect(parseCellMemory(formatCellMemory([16 * GiB, 1536 * 1024]))).toEqual({ ok: true, sizes: [16 * GiB, 1536 * 1024] });
  });

  it('says when the sizes do not add up to the guest', () => {
    expect(cellSizesMismatch(21, 40 * GiB, [8, 8, 5], [16 * GiB, 16 * GiB, 8 * GiB])).toBeNull();
    expect(cellSizesMismatch(16, 40 * GiB, [8, 8, 5], undefined)).toBe('the cells hold 21 vCPUs, the guest has 16');
    expect(cellSizesMismatch(21, 32 * GiB, [8, 8, 5], [16 * GiB, 16 * GiB, 8 * GiB])).toBe('the cells hold 40 GiB, the guest has 32 GiB');
    expect(cellSizesMismatch(21, 40 * GiB, [8, 8, 5], [20 * GiB, 20 * GiB])).toBe('2 memory sizes for 3 cells');
    expect(cellSizesMismatch(21, 40 * GiB, undefined, [20 * GiB, 20 * GiB])).toBe('memory per cell needs vCPUs per cell');
  });
});
