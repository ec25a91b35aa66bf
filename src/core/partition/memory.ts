/**
 * Guest memory split over cells (formats.md §3.8): equal shares rounded down to the page size,
 * the remainder to cell 0, so the sum is exact.
 */

/**
 * Without hugepages, cells are whole MiB: QEMU sizes NUMA nodes in MiB and libvirt rounds cell
 * memory to it, so finer shares would not survive a round trip.
 */
const BASE_CELL_GRANULE_KIB = 1024;

export function memoryGranule(hugepageSizeKiB: number | undefined): number {
  return hugepageSizeKiB ?? BASE_CELL_GRANULE_KIB;
}

export function splitMemory(totalKiB: number, cells: number, granuleKiB: number): number[] {
  const share = Math.floor(totalKiB / cells / granuleKiB) * granuleKiB;
  return Array.from({ length: cells }, (_, i) => (i === 0 ? totalKiB - share * (cells - 1) : share));
}

