/**
 * CPU and node id sets in the notations hosts and libvirt print them:
 * lists with ranges and exclusions ("0-14,60-74,^2"), and kernel/hwloc hex masks
 * ("00000000,0000ffff", "0xffffffff,,0x1"). Sets are sorted arrays of unique ids:
 * plain data that survives JSON, structured clone and the Web Worker boundary.
 */
export type IdSet = number[];

export type ListResult = { ok: true; ids: IdSet } | { ok: false; error: string };

const MAX_ID = 1 << 20; // far above any real host; stops "0-999999999" from allocating a world

/**
 * Parse a libvirt/Linux list: terms `N`, `N-M`, `^N`, applied left to right; spaces around
 * terms allowed. An empty string is the empty set.
 */
export function parseIdList(text: string): ListResult {
  const ids = new Set<number>();
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, ids: [] };
  for (const raw of trimmed.split(',')) {
    const term = raw.trim();
    if (term === '') return { ok: false, error: `empty term in list '${text}'` };
    const exclude = term.startsWith('^');
    const body = exclude ? term.slice(1).trim() : term;
    const m = /^(\d+)(?:\s*-\s*(\d+))?(?::(\d+))?$/.exec(body);
    if (!m) return { ok: false, error: `'${term}' is not a number or a range in list '${text}'` };
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    const stride = m[3] !== undefined ? Number(m[3]) : 1;
    if (exclude && m[2] !== undefined) return { ok: false, error: `exclusion '${term}' must name a single id` };
    if (hi < lo) return { ok: false, error: `range '${term}' ends before it starts` };
    if (hi > MAX_ID) return { ok: false, error: `id ${hi} in '${term}' is out of range` };
    if (stride < 1) return { ok: false, error: `stride in '${term}' must be at least 1` };
    for (let i = lo; i <= hi; i += stride) {
      if (exclude) ids.delete(i);
      else ids.add(i);
    }
  }
  return { ok: true, ids: sortIds(ids) };
}

/** Space- or comma-separated single ids, as `numactl -H` prints CPUs. */
export function parseIdWords(text: string): ListResult {
  const words = text.trim().split(/[\s,]+/).filter(Boolean);
  const ids: number[] = [];
  for (const w of words) {
    if (!/^\d+$/.test(w)) return { ok: false, error: `'${w}' is not a CPU number` };
    ids.push(Number(w));
  }
  return { ok: true, ids: sortIds(ids) };
}

/**
 * Canonical list form, as libvirt and the kernel write it: sorted, runs collapsed, no
 * exclusions. util-linux writes a run of two as "6,7": pass shortestRange 3 to print like lscpu.
 */
export function formatIdList(ids: Iterable<number>, shortestRange = 2): string {
  const sorted = sortIds(ids);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i + 1 >= shortestRange) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(`${sorted[k]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Kernel and hwloc hex masks: comma-separated 32-bit words, most significant first, with or
 * without `0x`; hwloc writes an all-ones tail as `0xf...f,` and empty words for zero words.
 * Scanned by character code from the right: every object of a 4096-PU hwloc XML carries
 * 128-word masks, and splitting them into strings would dominate the parse.
 */
export function parseHexMask(text: string): ListResult {
  const ids: number[] = [];
  let wide = false;
  let end = text.length;
  for (let word = 0; end >= 0; word++) {
    const comma = text.lastIndexOf(',', end - 1);
    let from = comma + 1;
    let to = end;
    while (from < to && isBlank(text.charCodeAt(from))) from++;
    while (to > from && isBlank(text.charCodeAt(to - 1))) to--;
    if (to - from >= 2 && text.charCodeAt(from) === 48 && (text.charCodeAt(from + 1) | 32) === 120) from += 2; // 0x
    // hwloc's infinite sets end in 'f...f' (all further bits set); a host has no such CPUs.
    if (text.startsWith('...', from + 1)) {
      end = comma;
      if (comma < 0) break;
      continue;
    }
    if (to - from > 8) wide = true;
    for (let i = to - 1, nibble = 0; i >= from; i--, nibble++) {
      const value = hexValue(text.charCodeAt(i));
      if (value < 0) return { ok: false, error: `'${text.slice(comma + 1, end).trim()}' is not a hex word in mask '${text}'` };
      if (value === 0) continue;
      const base = word * 32 + nibble * 4;
      for (let bit = 0; bit < 4; bit++) if (value & (1 << bit)) ids.push(base + bit);
    }
    if (comma < 0) break;
    end = comma;
  }
  return { ok: true, ids: wide ? sortIds(ids) : ids };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

export function sortIds(ids: Iterable<number>): IdSet {
  return [...new Set(ids)].sort((a, b) => a - b);
}

export function union(...sets: readonly IdSet[]): IdSet {
  return sortIds(sets.flat());
}

export function intersect(a: readonly number[], b: readonly number[]): IdSet {
  const inB = new Set(b);
  return a.filter((x) => inB.has(x));
}

export function difference(a: readonly number[], b: readonly number[]): IdSet {
  const inB = new Set(b);
  return a.filter((x) => !inB.has(x));
}

export function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
