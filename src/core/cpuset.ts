/**
 * CPU and node id sets in the notations hosts and libvirt print them:
 * lists with ranges and exclusions ("0-14,60-74,^2"), and kernel/hwloc hex masks
 * ("00000000,0000ffff", "0xffffffff,,0x1"). Sets are sorted arrays of unique ids:
 * plain data that survives JSON, structured clone and the Web Worker boundary.
 *
 * Text is hostile until read: every notation here can name far more ids than it is long
 * ("0-999999999", a 10 MB mask), so each is bounded before anything is expanded, and a list
 * past the bound is one error for the whole list.
 */
export type IdSet = number[];

export type ListResult = { ok: true; ids: IdSet } | { ok: false; error: string };

/**
 * Ids run from 0 to MAX_IDS − 1 (2^20): Linux's largest NR_CPUS is 8192 (x86 MAXSMP) and its
 * largest MAX_NUMNODES 1024, so this is far above any real host, and still small enough that a
 * set of every id is a few MB.
 */
export const MAX_IDS = 1 << 20;

/**
 * What one list may cost to expand, in ids written: a list naming the whole id space a few
 * times over is a mistake or an attack, and reading it must stay within milliseconds.
 */
const EXPANSION_BUDGET = 16 * MAX_IDS;

interface Term {
  lo: number;
  hi: number;
  stride: number;
  exclude: boolean;
}

/**
 * Parse a libvirt/Linux list: terms `N`, `N-M`, `N-M:S`, `^N`, applied left to right; spaces
 * around terms allowed. An empty string is the empty set. Every term is checked before any is
 * expanded, and runs of plain ranges are merged before they are written, so
 * 1,000 × "0-1048575" costs one pass over a bitmap, not a billion set insertions.
 * `maxIds` refuses, before expanding, a list whose ranges span more ids than that: a reader
 * that knows how many CPUs are left to name keeps ten 10 KB lines from becoming 10 million ids.
 */
export function parseIdList(text: string, maxIds = MAX_IDS): ListResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, ids: [] };
  const terms: Term[] = [];
  let top = 0;
  let bottom = MAX_IDS;
  for (const raw of trimmed.split(',')) {
    const term = raw.trim();
    if (term === '') return { ok: false, error: `empty term in list '${shorten(text)}'` };
    const exclude = term.startsWith('^');
    const body = exclude ? term.slice(1).trim() : term;
    const m = /^(\d+)(?:\s*-\s*(\d+))?(?::(\d+))?$/.exec(body);
    if (!m) return { ok: false, error: `'${shorten(term)}' is not a number or a range in list '${shorten(text)}'` };
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    const stride = m[3] !== undefined ? Number(m[3]) : 1;
    if (exclude && m[2] !== undefined) return { ok: false, error: `exclusion '${shorten(term)}' must name a single id` };
    if (hi < lo) return { ok: false, error: `range '${shorten(term)}' ends before it starts` };
    if (hi >= MAX_IDS) return { ok: false, error: `id ${m[2] ?? m[1]} in '${shorten(term)}' is past ${MAX_IDS - 1}, more than any host has` };
    if (stride < 1) return { ok: false, error: `stride in '${shorten(term)}' must be at least 1` };
    terms.push({ lo, hi, stride, exclude });
    top = Math.max(top, hi);
    bottom = Math.min(bottom, lo);
  }
  const spanned = span(terms);
  if (spanned > maxIds) return { ok: false, error: `list '${shorten(text)}' spans ${spanned} ids, more than the ${maxIds} a host has room for here` };
  return expand(terms, bottom, top, text);
}

/** How many ids the included ranges cover together, strides ignored: at least as many as the list names. */
function span(terms: readonly Term[]): number {
  const ranges = terms.filter((t) => !t.exclude).sort((a, b) => a.lo - b.lo);
  let total = 0;
  let end = -1;
  for (const t of ranges) {
    // only the ids past what the ranges before it reached: none, for a range inside them
    total += Math.max(0, t.hi - Math.max(t.lo, end + 1) + 1);
    end = Math.max(end, t.hi);
  }
  return total;
}

/**
 * Terms → ids. A list naming few ids far apart ("5,900000", a core's siblings "99998-99999")
 * is applied to a set; any other on a bitmap spanning its ids, where plain ranges wait in
 * `pending` and are merged before being written, as an exclusion or a strided range needs them
 * in order. Either way the work is the ids named or the span, whichever is smaller, not the
 * largest id.
 */
function expand(terms: readonly Term[], bottom: number, top: number, text: string): ListResult {
  let named = 0;
  for (const t of terms) named += t.exclude ? 1 : Math.floor((t.hi - t.lo) / t.stride) + 1;
  const width = top - bottom + 1;
  if (named * 8 < width) {
    const ids = new Set<number>();
    for (const t of terms) {
      if (t.exclude) ids.delete(t.lo);
      else for (let i = t.lo; i <= t.hi; i += t.stride) ids.add(i);
    }
    return { ok: true, ids: sortIds(ids) };
  }
  const member = new Uint8Array(width);
  let work = 0;
  let pending: Term[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    pending.sort((a, b) => a.lo - b.lo);
    let lo = pending[0].lo;
    let hi = pending[0].hi;
    // Overlapping ranges are written once; ranges that only touch are written one after the
    // other, at the same cost.
    for (const t of pending) {
      if (t.lo > hi) {
        member.fill(1, lo - bottom, hi - bottom + 1);
        work += hi - lo + 1;
        lo = t.lo;
      }
      hi = Math.max(hi, t.hi);
    }
    member.fill(1, lo - bottom, hi - bottom + 1);
    work += hi - lo + 1;
    pending = [];
  };
  for (const t of terms) {
    if (t.exclude) {
      flush();
      member[t.lo - bottom] = 0;
    } else if (t.stride === 1) {
      pending.push(t);
    } else {
      flush();
      for (let i = t.lo; i <= t.hi; i += t.stride) member[i - bottom] = 1;
      work += Math.floor((t.hi - t.lo) / t.stride) + 1;
    }
    if (work > EXPANSION_BUDGET) return { ok: false, error: `list '${shorten(text)}' names the same ids over and over, more than any host has` };
  }
  flush();
  const ids: number[] = [];
  for (let i = 0; i < member.length; i++) if (member[i] === 1) ids.push(bottom + i);
  return { ok: true, ids };
}

/** Long lists quoted in messages are cut: a diagnostic repeating a 10 MB paste helps no one. */
function shorten(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 60)}… (${text.length} characters)`;
}

/** Space- or comma-separated single ids, as `numactl -H` prints CPUs. */
export function parseIdWords(text: string): ListResult {
  const words = text.match(/[^\s,]+/g) ?? [];
  const ids: number[] = [];
  for (const w of words) {
    if (!/^\d+$/.test(w)) return { ok: false, error: `'${shorten(w)}' is not a CPU number` };
    const id = Number(w);
    if (id >= MAX_IDS) return { ok: false, error: `CPU ${shorten(w)} is past ${MAX_IDS - 1}, more than any host has` };
    ids.push(id);
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
    while (sorted[j + 1] === sorted[j] + 1) j++; // past the end, undefined ends the run
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
  // Words are read right to left, each ending at `end`; reading stops at the text's start
  // (end = comma = −1) or at a leading comma, whose word is empty: a zero word.
  for (let word = 0, end = text.length; end > 0; word++) {
    const comma = text.lastIndexOf(',', end - 1);
    let from = comma + 1;
    let to = end;
    while (from < to && isBlank(text.charCodeAt(from))) from++;
    while (to > from && isBlank(text.charCodeAt(to - 1))) to--;
    // 0x: in a word of one digit, what follows it is a comma, a blank or nothing, never an x
    if (text.charCodeAt(from) === 48 && (text.charCodeAt(from + 1) | 32) === 120) from += 2;
    // hwloc's infinite sets end in 'f...f' (all further bits set); a host has no such CPUs.
    if (text.startsWith('...', from + 1)) {
      end = comma;
      continue;
    }
    if (to - from > 8) wide = true;
    // Refused by its width, before a digit is read: zeros too, as no host prints a mask this wide.
    if (word * 32 + (to - from) * 4 > MAX_IDS) return { ok: false, error: `mask '${shorten(text)}' is wider than ${MAX_IDS} bits, more CPUs than any host has` };
    for (let i = to - 1, nibble = 0; i >= from; i--, nibble++) {
      const value = hexValue(text.charCodeAt(i));
      if (value < 0) return { ok: false, error: `'${shorten(text.slice(comma + 1, end).trim())}' is not a hex word in mask '${shorten(text)}'` };
      for (let bits = value, id = word * 32 + nibble * 4; bits > 0; bits >>= 1, id++) if (bits & 1) ids.push(id);
    }
    end = comma;
  }
  return { ok: true, ids: wide ? sortIds(ids) : ids };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** A hex digit's value; negative for any other character (below '0' too, as c − 48 < 0). */
function hexValue(c: number): number {
  if (c <= 57) return c - 48;
  const lower = c | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * Sorted and unique. Lists usually arrive sorted (every parser here sorts), so that is checked
 * first; otherwise a typed-array sort, several times faster than a comparator on a million ids.
 */
export function sortIds(ids: Iterable<number>): IdSet {
  const list = Array.isArray(ids) ? (ids as number[]) : [...ids];
  return ascending(list) ? list.slice() : Array.from(Float64Array.from(new Set(list)).sort());
}

function ascending(list: readonly number[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1] < list[i])) return false;
  return true;
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
