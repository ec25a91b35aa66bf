/**
 * Which guest vCPUs go to which cell (formats.md §3.5). Cells may differ in size (a vCPU count
 * that does not divide, or sizes the user gave); `unit` is the host SMT width the solver packs,
 * the group that siblings and interleave keep together.
 */
import type { Distribution } from './request.ts';

/**
 * Cell sizes: equal when the vCPUs divide (a last host core partly used when a cell is not whole
 * cores), otherwise as even as whole units (guest cores) allow, extra units to the first cells
 * and the vCPUs short of a whole unit to cell 0: 21 vCPUs of 2-thread units in 2 cells → 11, 10.
 */
export function evenSizes(vcpus: number, cells: number, unit: number): number[] {
  if (vcpus % cells === 0) return Array.from({ length: cells }, () => vcpus / cells);
  const units = Math.floor(vcpus / unit);
  const sizes = Array.from({ length: cells }, (_, i) => (Math.floor(units / cells) + (i < units % cells ? 1 : 0)) * unit);
  sizes[0] += vcpus - units * unit;
  // Fewer whole units than cells: single vCPUs, so that no cell is left empty when none need be.
  return vcpus >= cells && sizes.includes(0) ? evenSizes(vcpus, cells, 1) : sizes;
}

/** vCPU ids of every cell, ascending, for cells of these sizes. */
export function dealVcpus(sizes: readonly number[], distribution: Distribution, unit: number): number[][] {
  const cells: number[][] = sizes.map(() => []);
  const vcpus = sizes.reduce((s, x) => s + x, 0);
  if (distribution === 'contiguous' || distribution === 'siblings') {
    let v = 0;
    sizes.forEach((size, c) => {
      for (let k = 0; k < size; k++) cells[c].push(v++);
    });
    return cells;
  }
  // Dealt in turn to the cells, a full cell taking none: single vCPUs, or SMT groups of `unit`.
  const step = distribution === 'round-robin' ? 1 : Math.max(1, unit);
  for (let v = 0, c = 0; v < vcpus; c = (c + 1) % sizes.length) {
    for (let k = 0; k < step && cells[c].length < sizes[c]; k++) cells[c].push(v++);
  }
  return cells;
}
