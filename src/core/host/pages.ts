import type { HugepageFact } from './facts.ts';

/**
 * hwloc's page_type list and libvirt's <pages> list include the base page (4 KiB on x86,
 * 64 KiB on many ppc64/arm64 kernels) next to the huge ones. The base page is always the
 * smallest size listed; what a guest can be backed by is the rest.
 */
export function hugepagesOnly(pools: readonly HugepageFact[]): HugepageFact[] {
  if (pools.length === 0) return [];
  const base = Math.min(...pools.map((p) => p.sizeKiB));
  return pools.filter((p) => p.sizeKiB !== base).sort((a, b) => a.sizeKiB - b.sizeKiB);
}
