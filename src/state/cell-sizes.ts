/**
 * Explicit guest cell sizes as a person types them in the guest panel, Nova's hw:numa_cpus.N and
 * hw:numa_mem.N as lists: vCPUs per cell ("8,8,5") and memory per cell ("16GiB,16GiB,8GiB", in
 * the units hosts print, core's hostSizeToKiB). Each answers the sizes or a sentence saying what
 * is wrong; an empty field is "no explicit sizes" (the mode's own split).
 */
import { formatKiB, hostSizeToKiB } from '../core/units.ts';

export type SizesResult = { ok: true; sizes: number[] | undefined } | { ok: false; error: string };

function terms(text: string): string[] | undefined {
  const t = text.trim();
  return t === '' ? undefined : t.split(',').map((x) => x.trim());
}

/** "8,8,5" → [8, 8, 5]: a whole number of vCPUs above 0 per cell, in cell order. */
export function parseCellVcpus(text: string): SizesResult {
  const parts = terms(text);
  if (!parts) return { ok: true, sizes: undefined };
  const sizes: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p) || Number(p) < 1) return { ok: false, error: `'${p}' is not a number of vCPUs above 0` };
    sizes.push(Number(p));
  }
  return { ok: true, sizes };
}

/** "16GiB,16GiB,8GiB" → KiB per cell; every size needs its unit (a bare number would be bytes). */
export function parseCellMemory(text: string): SizesResult {
  const parts = terms(text);
  if (!parts) return { ok: true, sizes: undefined };
  const sizes: number[] = [];
  for (const p of parts) {
    const kib = /[a-z]\s*$/i.test(p) ? hostSizeToKiB(p) : undefined;
    if (kib === undefined || kib <= 0) return { ok: false, error: `'${p}' is not a size such as 16GiB or 512MiB` };
    sizes.push(kib);
  }
  return { ok: true, sizes };
}

/** The fields' text for sizes already in a request. */
export function formatCellVcpus(sizes: readonly number[] | undefined): string {
  return sizes ? sizes.join(',') : '';
}

export function formatCellMemory(sizes: readonly number[] | undefined): string {
  return sizes ? sizes.map((k) => formatKiB(k).replace(' ', '')).join(',') : '';
}

/** What the sizes say against the guest's totals, when they disagree (the core refuses such a request). */
export function cellSizesMismatch(vcpus: number, memoryKiB: number, cellVcpus: readonly number[] | undefined, cellMemoryKiB: readonly number[] | undefined): string | null {
  const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
  if (cellVcpus && sum(cellVcpus) !== vcpus) return `the cells hold ${sum(cellVcpus)} vCPUs, the guest has ${vcpus}`;
  if (cellMemoryKiB && !cellVcpus) return 'memory per cell needs vCPUs per cell';
  if (cellMemoryKiB && cellVcpus && cellMemoryKiB.length !== cellVcpus.length) return `${cellMemoryKiB.length} memory sizes for ${cellVcpus.length} cells`;
  if (cellMemoryKiB && sum(cellMemoryKiB) !== memoryKiB) return `the cells hold ${formatKiB(sum(cellMemoryKiB))}, the guest has ${formatKiB(memoryKiB)}`;
  return null;
}
