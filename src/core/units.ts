/**
 * Memory sizes. KiB is the canonical unit everywhere in the model (as in libvirt), stored as a
 * plain number: exact up to 8 EiB, far beyond any host.
 */

/**
 * The largest KiB count a number holds exactly (2^53 − 1 KiB, 8 EiB). A paste claiming more
 * is not a host; reading it anyway would round it silently.
 */
export const MAX_EXACT_KIB = Number.MAX_SAFE_INTEGER;

/** The KiB count when it is exact, undefined past MAX_EXACT_KIB (or not a whole number ≥ 0). */
export function exactKiB(kib: number): number | undefined {
  return Number.isSafeInteger(kib) && kib >= 0 ? kib : undefined;
}

const BINARY: Record<string, number> = { b: 1 / 1024, k: 1, m: 1024, g: 1024 ** 2, t: 1024 ** 3, p: 1024 ** 4, e: 1024 ** 5 };
const DECIMAL: Record<string, number> = { k: 1000 / 1024, m: 1e6 / 1024, g: 1e9 / 1024, t: 1e12 / 1024, p: 1e15 / 1024, e: 1e18 / 1024 };

/**
 * libvirt's scaled units (`unit='KiB'`, `'G'`, `'MB'` …): `b`/`bytes`; `k`/`KiB`=1024;
 * `KB`=1000; `M`/`MiB`; `MB` … Returns KiB rounded up, as libvirt does, or undefined.
 */
export function libvirtUnitToKiB(value: number, unit = 'KiB'): number | undefined {
  const factor = libvirtUnitFactor(unit);
  return factor === undefined ? undefined : Math.ceil(value * factor - 1e-9);
}

function libvirtUnitFactor(unit: string): number | undefined {
  const u = unit.trim();
  if (u === 'b' || u === 'bytes') return 1 / 1024;
  const m = /^([kKmMgGtTpPeE])(iB|B)?$/.exec(u);
  if (!m) return undefined;
  const letter = m[1].toLowerCase();
  return m[2] === 'B' ? DECIMAL[letter] : BINARY[letter];
}

/**
 * Sizes as host tools print them: "32K", "38400K", "1.9 MiB", "256 KiB", "125GB" (lstopo,
 * which means GiB), "128602 MB" (numactl, which means MiB). Binary units throughout, because
 * that is what these tools mean even when they write "MB".
 */
export function hostSizeToKiB(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGTPE]?)(?:i?B)?\s*$/i.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const letter = m[2].toLowerCase();
  if (letter === '') return exactKiB(Math.round(value / 1024)); // bare bytes
  return exactKiB(Math.round(value * BINARY[letter]));
}

export function bytesToKiB(bytes: number): number {
  return Math.round(bytes / 1024);
}

/** Human form for display: the largest binary unit that keeps at least 1, one decimal. */
export function formatKiB(kib: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = kib;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

/**
 * Two amounts a sentence sets against each other, told apart: formatKiB rounds 126.0 GiB and
 * 1 MiB more to the same text. Then whole MiB (rounded up, as a page-cache shortfall is said),
 * or exact KiB when even those agree.
 */
export function formatKiBApart(a: number, b: number): [string, string] {
  const [fa, fb] = [formatKiB(a), formatKiB(b)];
  // "16.0 GiB" (a KiB short of 16 GiB) reads as "16 GiB"
  if (a === b || fa.replace('.0 ', ' ') !== fb.replace('.0 ', ' ')) return [fa, fb];
  const [ma, mb] = [a, b].map((x) => Math.ceil(x / 1024));
  return ma !== mb ? [`${ma} MiB`, `${mb} MiB`] : [`${a} KiB`, `${b} KiB`];
}
