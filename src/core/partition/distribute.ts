/**
 * Which guest vCPUs go to which cell (formats.md §3.5). `threads` is the guest SMT width, the
 * unit that siblings and interleave keep together.
 */
import type { Distribution } from './request.ts';

export function cellOfVcpu(vcpu: number, vcpus: number, cells: number, distribution: Distribution, threads: number): number {
  const perCell = vcpus / cells;
  switch (distribution) {
    case 'contiguous':
      return Math.floor(vcpu / perCell);
    case 'siblings':
      return Math.floor(Math.floor(vcpu / threads) / (perCell / threads));
    case 'round-robin':
      return vcpu % cells;
    case 'interleave':
      return Math.floor(vcpu / threads) % cells;
  }
}

/** vCPU ids of every cell, ascending; assumes vcpus divides into cells of whole guest cores. */
export function distributeVcpus(vcpus: number, cells: number, distribution: Distribution, threads: number): number[][] {
  const result: number[][] = Array.from({ length: cells }, () => []);
  for (let v = 0; v < vcpus; v++) result[cellOfVcpu(v, vcpus, cells, distribution, threads)].push(v);
  return result;
}
