/**
 * Guest memory split over cells (formats.md §3.8): shares in proportion to each cell's vCPUs
 * (equal cells get equal shares), rounded down to the page size, the remainder to cell 0, so
 * the sum is exact.
 */
import { formatKiB } from '../units.ts';

/**
 * Without hugepages, cells are whole MiB: QEMU sizes NUMA nodes in MiB and libvirt rounds cell
 * memory to it, so finer shares would not survive a round trip.
 */
const BASE_CELL_GRANULE_KIB = 1024;

export function memoryGranule(hugepageSizeKiB: number | undefined): number {
  return hugepageSizeKiB ?? BASE_CELL_GRANULE_KIB;
}

export function splitMemory(totalKiB: number, cells: number, granuleKiB: number): number[] {
  return splitMemoryBy(totalKiB, Array.from({ length: cells }, () => 1), granuleKiB);
}

/**
 * Why a proportional split left a cell nothing: the vCPU-weighted shares round every cell but 0
 * down to the granule, so a small cell beside big ones can get 0 even when there are enough granules.
 */
export function tooLittle(kib: number, cells: number, granuleKiB: number): string {
  return `${formatKiB(kib)} is too little to give each of ${cells} cells a whole ${formatKiB(granuleKiB)}`;
}

/** Shares in proportion to `weights` (a cell's vCPUs); every cell but 0 rounded down to the granule. */
export function splitMemoryBy(totalKiB: number, weights: readonly number[], granuleKiB: number): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const shares = weights.map((w, i) => (i === 0 || sum === 0 ? 0 : Math.floor((totalKiB * w) / sum / granuleKiB) * granuleKiB));
  shares[0] = totalKiB - shares.reduce((s, x) => s + x, 0);
  return shares;
}

/**
 * `total` over parts each capped at `caps[i]` (null = no cap): as even as possible in whole
 * `unit`s, extra units to the first parts with room, then what is left to the first parts with
 * room. Undefined when the caps cannot hold it.
 */
export function fillEvenly(total: number, caps: readonly (number | null)[], unit: number): number[] | undefined {
  const n = caps.length;
  const capUnits = caps.map((c) => (c === null ? Infinity : Math.floor(c / unit)));
  let units = Math.floor(total / unit);
  const shares = new Array<number>(n).fill(0);
  // Raise every part with room by one unit per round: each round is as even as the caps allow.
  let open = [...capUnits.keys()].filter((i) => capUnits[i] > 0);
  while (units > 0 && open.length > 0) {
    const level = Math.min(Math.floor(units / open.length), ...open.map((i) => capUnits[i] - shares[i]));
    if (level > 0) {
      for (const i of open) shares[i] += level;
      units -= level * open.length;
    } else {
      for (const i of open) {
        if (units === 0) break;
        shares[i] += 1;
        units -= 1;
      }
    }
    open = open.filter((i) => shares[i] < capUnits[i]);
  }
  const out = shares.map((s) => s * unit);
  // What is left (under a unit, or units no part had whole room for) goes where there is room.
  let rest = total - out.reduce((s, x) => s + x, 0);
  for (let i = 0; i < n && rest > 0; i++) {
    const take = caps[i] === null ? rest : Math.min(rest, (caps[i] as number) - out[i]);
    out[i] += take;
    rest -= take;
  }
  return rest > 0 ? undefined : out;
}
