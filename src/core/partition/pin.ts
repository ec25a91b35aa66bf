/**
 * vCPU → host CPU pins (formats.md §3.6).
 */
import type { VcpuPin } from '../guest/model.ts';
import { sortIds } from '../cpuset.ts';

/**
 * One-to-one: the cell's vCPUs, in order, onto `hostThreads` in order. `hostThreads` lists one
 * group per guest core (a host core's free siblings), so guest thread t of guest core k lands
 * on thread t of the k-th host core and guest siblings share one host core.
 */
export function pinOneToOne(cellVcpus: readonly number[], hostThreads: readonly (readonly number[])[]): VcpuPin[] {
  const flat = hostThreads.flat();
  return cellVcpus.map((vcpu, i) => ({ vcpu, cpus: [flat[i]] }));
}

/** Floating: every vCPU of the cell may run anywhere on its nodes' usable CPUs. */
export function pinFloating(cellVcpus: readonly number[], cpus: readonly number[]): VcpuPin[] {
  const set = sortIds(cpus);
  return cellVcpus.map((vcpu) => ({ vcpu, cpus: [...set] }));
}

/** Share of `count` units for each of `parts` nodes: as even as possible, extra to the first. */
export function evenShares(count: number, parts: number): number[] {
  const base = Math.floor(count / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < count % parts ? 1 : 0));
}
