/**
 * CPU lists and masks are where one short string names a world: bounded before expanded, one
 * error for a list past what a host can have, and work that follows the text, not the ids named.
 * fast-check writes lists and masks of every shape, hostile ones weighted in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_IDS, parseHexMask, parseIdList, parseIdWords } from '../../src/core/cpuset.ts';
import { LIST_BOMB } from './fixtures.ts';
import { HANG_MS, survive } from './survive.ts';

/** The result, checked for the shape every caller relies on: sorted unique ids in range, or a reason. */
function wellFormed(result: ReturnType<typeof parseIdList>): void {
  if (!result.ok) {
    expect(result.error.length).toBeGreaterThan(0);
    // Messages quote the list, cut: a 10 MB list is not repeated into a diagnostic.
    expect(result.error.length).toBeLessThan(400);
    return;
  }
  const bad = result.ids.findIndex((n, i) => !Number.isInteger(n) || n < 0 || n >= MAX_IDS || (i > 0 && n <= result.ids[i - 1]));
  expect(bad, `id ${result.ids[bad]} at ${bad}`).toBe(-1);
}

const id = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.constantFrom(MAX_IDS - 1, MAX_IDS, 2 ** 32 - 1, 2 ** 53, 1e21));
const term = fc.oneof(
  id.map(String),
  fc.tuple(id, id).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  fc.tuple(id, id, fc.integer({ min: 0, max: 9 })).map(([a, b, s]) => `${Math.min(a, b)}-${Math.max(a, b)}:${s}`),
  id.map((n) => `^${n}`),
  fc.constantFrom('0-1048575', '0-1048575:2', '', ' ', '-', 'x', '1-', '^'),
);
const list = fc.array(term, { maxLength: 200 }).map((terms) => terms.join(','));

describe('parseIdList', () => {
  it('keeps libvirt\'s meaning: left to right, exclusions remove what came before', () => {
    expect(parseIdList('0-3,^2')).toEqual({ ok: true, ids: [0, 1, 3] });
    expect(parseIdList('^2,0-3')).toEqual({ ok: true, ids: [0, 1, 2, 3] });
    expect(parseIdList('0-7:2,^4,3')).toEqual({ ok: true, ids: [0, 2, 3, 6] });
    expect(parseIdList('8-9,0-3,2-5')).toEqual({ ok: true, ids: [0, 1, 2, 3, 4, 5, 8, 9] });
  });

  it('reads up to id 2^20 − 1 and refuses 2^20, naming the term', () => {
    expect(parseIdList(`${MAX_IDS - 1}`)).toEqual({ ok: true, ids: [MAX_IDS - 1] });
    expect(parseIdList(`0-${MAX_IDS}`)).toMatchObject({ ok: false, error: expect.stringContaining(`id ${MAX_IDS} in '0-${MAX_IDS}' is past ${MAX_IDS - 1}`) });
    expect(parseIdList('0-99999999999999999999999')).toMatchObject({ ok: false });
  });

  it('expands 1,000 × 0-1048575 as one range', { timeout: HANG_MS }, () => {
    const r = survive(() => parseIdList(LIST_BOMB));
    expect(r.ok && r.ids.length).toBe(MAX_IDS);
  });

  it('refuses lists that rewrite the whole id space again and again', { timeout: HANG_MS }, () => {
    // Strided ranges and exclusions cannot be merged ahead: past the budget the list is refused.
    const strided = Array(1000).fill('0-1048575:2').join(',');
    expect(survive(() => parseIdList(strided))).toMatchObject({ ok: false, error: expect.stringContaining('over and over') });
    const flipping = Array(1000).fill('0-1048575,^7').join(',');
    expect(survive(() => parseIdList(flipping))).toMatchObject({ ok: false });
  });

  it('refuses, unexpanded, a list spanning more ids than its reader has room for', () => {
    expect(parseIdList('0-9', 10)).toEqual({ ok: true, ids: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    expect(parseIdList('0-9', 9)).toMatchObject({ ok: false, error: "list '0-9' spans 10 ids, more than the 9 a host has room for here" });
    // Overlaps count once; strides count their whole range, as the bound is taken before expanding.
    expect(parseIdList('0-4,2-6,^1', 7)).toMatchObject({ ok: true });
    expect(parseIdList('0-8:4', 8)).toMatchObject({ ok: false });
  });

  it('comes back well formed from anything', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.oneof(list, fc.string({ maxLength: 300 })), (text) => wellFormed(survive(() => parseIdList(text)))),
      { numRuns: 400 },
    );
  });

  it('agrees with a plain set on small lists', () => {
    const small = fc.array(
      fc.oneof(
        fc.tuple(fc.nat(40), fc.nat(40)).map(([a, b]) => ({ text: `${Math.min(a, b)}-${Math.max(a, b)}`, apply: (s: Set<number>) => { for (let i = Math.min(a, b); i <= Math.max(a, b); i++) s.add(i); } })),
        fc.tuple(fc.nat(40), fc.nat(40), fc.integer({ min: 1, max: 5 })).map(([a, b, k]) => ({ text: `${Math.min(a, b)}-${Math.max(a, b)}:${k}`, apply: (s: Set<number>) => { for (let i = Math.min(a, b); i <= Math.max(a, b); i += k) s.add(i); } })),
        fc.nat(40).map((n) => ({ text: `^${n}`, apply: (s: Set<number>) => void s.delete(n) })),
      ),
      { minLength: 1, maxLength: 20 },
    );
    fc.assert(
      fc.property(small, (terms) => {
        const expected = new Set<number>();
        for (const t of terms) t.apply(expected);
        expect(parseIdList(terms.map((t) => t.text).join(','))).toEqual({ ok: true, ids: [...expected].sort((a, b) => a - b) });
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseIdWords', () => {
  it('refuses a CPU past 2^20 − 1', () => {
    expect(parseIdWords(`0 1 ${MAX_IDS}`)).toMatchObject({ ok: false, error: expect.stringContaining('past') });
  });
});

describe('parseHexMask', () => {
  it('refuses a 10 MB mask by its width, before reading its digits', { timeout: HANG_MS }, () => {
    const text = `0x${'f'.repeat(10_000_000)}`;
    expect(survive(() => parseHexMask(text))).toMatchObject({ ok: false, error: expect.stringContaining(`wider than ${MAX_IDS} bits`) });
  });

  it('refuses a mask of more words than a host has, zeros included', { timeout: HANG_MS }, () => {
    expect(survive(() => parseHexMask(Array(40_000).fill('00000000').join(',')))).toMatchObject({ ok: false });
    expect(survive(() => parseHexMask(`0x1${','.repeat(5_000_000)}`))).toMatchObject({ ok: false });
  });

  it('still reads the widest real masks: 8192 CPUs (x86 MAXSMP), all set', () => {
    const r = parseHexMask(Array(256).fill('ffffffff').join(','));
    expect(r.ok && r.ids.length).toBe(8192);
    const top = parseHexMask(`${'f'.repeat(MAX_IDS / 4)}`);
    expect(top.ok && top.ids[top.ids.length - 1]).toBe(MAX_IDS - 1);
  });

  it('comes back well formed from anything', { timeout: 60_000 }, () => {
    const word = fc.oneof(fc.stringMatching(/^(0x)?[0-9a-fA-F]{0,12}$/), fc.constantFrom('', '0xf...f', ' ', 'g', '0x'));
    const mask = fc.array(word, { maxLength: 100 }).map((w) => w.join(','));
    fc.assert(fc.property(fc.oneof(mask, fc.string({ maxLength: 200 })), (text) => wellFormed(survive(() => parseHexMask(text)))), { numRuns: 400 });
  });
});
