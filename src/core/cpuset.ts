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

/** Canonical list form, as libvirt writes it back: sorted, runs collapsed, no exclusions. */
export function formatIdList(ids: Iterable<number>): string {
  const sorted = sortIds(ids);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Kernel and hwloc hex masks: comma-separated 32-bit words, most significant first, with or
 * without `0x`; hwloc writes an all-ones tail as `0xf...f,,` and empty words for zero words.
 */
export function parseHexMask(text: string): ListResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, ids: [] };
  const words = trimmed.split(',');
  const ids: number[] = [];
  for (let k = 0; k < words.length; k++) {
    const word = words[words.length - 1 - k].trim().replace(/^0x/i, '');
    // hwloc's infinite sets end in 'f...f' (all further bits set); a host has no such CPUs.
    if (word === '' || word.toLowerCase() === 'f...f') continue;
    if (!/^[0-9a-f]+$/i.test(word)) return { ok: false, error: `'${words[words.length - 1 - k]}' is not a hex word in mask '${text}'` };
    // hwloc words are 32 bits, but a single long word (no commas) may be wider.
    for (let nibble = 0; nibble < word.length; nibble++) {
      const value = parseInt(word[word.length - 1 - nibble], 16);
      for (let bit = 0; bit < 4; bit++) if (value & (1 << bit)) ids.push(k * 32 + nibble * 4 + bit);
    }
  }
  return { ok: true, ids: sortIds(ids) };
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
