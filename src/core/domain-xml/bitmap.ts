/**
 * libvirt's bitmaps as virBitmapParse reads a domain's cpuset, cell cpus and nodeset: terms
 * `N`, `N-M` and `^N`, comma separated, applied left to right, every id below
 * VIR_DOMAIN_CPUMASK_LEN. Bounded before anything is expanded: an id past the limit is refused
 * without counting up to it, and the bits live in one fixed array, so a list repeating
 * "0-16383" a thousand times costs a pass over its text, not a set of millions.
 */
import { CPUMASK_LEN } from '../guest/limits.ts';

export type BitmapResult = { ok: true; ids: number[] } | { ok: false; error: string };

/** The ids a bitmap names, sorted; an empty text is the empty set (the caller says whether that is allowed). */
export function parseBitmap(text: string, size: number = CPUMASK_LEN): BitmapResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, ids: [] };
  const bits = new Uint8Array(size);
  let low = size;
  let high = -1;
  for (const raw of trimmed.split(',')) {
    const term = raw.trim();
    if (term === '') return { ok: false, error: `empty term in list '${text}'` };
    const m = /^(\^\s*)?(\d+)(?:\s*-\s*(\d+))?$/.exec(term);
    if (!m) return { ok: false, error: `'${term}' is not a number or a range` };
    const exclude = m[1] !== undefined;
    if (exclude && m[3] !== undefined) return { ok: false, error: `exclusion '${term}' must name a single id` };
    const from = Number(m[2]);
    const to = m[3] === undefined ? from : Number(m[3]);
    if (to < from) return { ok: false, error: `range '${term}' ends before it starts` };
    if (to >= size) return { ok: false, error: `id ${m[3] ?? m[2]} is past libvirt's limit of ${size - 1}` };
    if (exclude) bits[from] = 0;
    else {
      bits.fill(1, from, to + 1);
      low = Math.min(low, from);
      high = Math.max(high, to);
    }
  }
  const ids: number[] = [];
  for (let id = low; id <= high; id++) if (bits[id]) ids.push(id);
  return { ok: true, ids };
}
