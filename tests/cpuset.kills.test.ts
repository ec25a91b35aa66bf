/**
 * The id-set notations at their edges, each with the exact answer and, where the user reads it,
 * the exact message: terms libvirt refuses, long lists quoted cut, lscpu's "6,7" style,
 * hex words in every case and spacing the kernel and hwloc print, and the set operations every
 * reader leans on. Written for the mutants tests/cpuset.test.ts let through.
 */
import { describe, expect, it } from 'vitest';
import { difference, formatIdList, intersect, MAX_IDS, parseHexMask, parseIdList, parseIdWords, sameIds, sortIds, union } from '../src/core/cpuset.ts';

describe('id lists: what is refused, and how it is said', () => {
  it('names the empty term and the list it is in', () => {
    expect(parseIdList('0,,1')).toEqual({ ok: false, error: "empty term in list '0,,1'" });
    expect(parseIdList('0-3,')).toEqual({ ok: false, error: "empty term in list '0-3,'" });
  });

  it('names a term that is not a number or a range', () => {
    expect(parseIdList('0,x')).toEqual({ ok: false, error: "'x' is not a number or a range in list '0,x'" });
    expect(parseIdList('1-')).toEqual({ ok: false, error: "'1-' is not a number or a range in list '1-'" });
    expect(parseIdList('-1')).toMatchObject({ ok: false });
    expect(parseIdList('1:2')).toEqual({ ok: true, ids: [1] });
  });

  it('refuses an exclusion of a range, a zero stride and an id past the bound', () => {
    expect(parseIdList('^1-3')).toEqual({ ok: false, error: "exclusion '^1-3' must name a single id" });
    expect(parseIdList('3-1')).toEqual({ ok: false, error: "range '3-1' ends before it starts" });
    expect(parseIdList('0-4:0')).toEqual({ ok: false, error: "stride in '0-4:0' must be at least 1" });
    expect(parseIdList(`${MAX_IDS}`)).toEqual({ ok: false, error: `id ${MAX_IDS} in '${MAX_IDS}' is past ${MAX_IDS - 1}, more than any host has` });
    expect(parseIdList(`5-${MAX_IDS}`)).toEqual({ ok: false, error: `id ${MAX_IDS} in '5-${MAX_IDS}' is past ${MAX_IDS - 1}, more than any host has` });
  });

  it('reads spaces around terms, dashes and exclusion marks', () => {
    expect(parseIdList(' 2 - 4 , ^ 3 ')).toEqual({ ok: true, ids: [2, 4] });
    expect(parseIdList('0-6:3')).toEqual({ ok: true, ids: [0, 3, 6] });
    expect(parseIdList('  ')).toEqual({ ok: true, ids: [] });
  });

  it('quotes a list of up to 80 characters whole and cuts a longer one', () => {
    const eighty = `${'1,'.repeat(39)}x,`; // 80 characters, a bad term at the end
    expect(eighty).toHaveLength(80);
    expect(parseIdList(eighty)).toEqual({ ok: false, error: `'x' is not a number or a range in list '${eighty}'` });
    const long = `${'1,'.repeat(40)}x`; // 81 characters
    expect(parseIdList(long)).toEqual({ ok: false, error: `'x' is not a number or a range in list '${long.slice(0, 60)}… (81 characters)'` });
  });

  it('bounds the span at exactly maxIds, overlaps counted once, exclusions not at all', () => {
    expect(parseIdList('0-4,3-6,^1', 7)).toEqual({ ok: true, ids: [0, 2, 3, 4, 5, 6] });
    expect(parseIdList('0-4,3-7,^1', 7)).toEqual({ ok: false, error: "list '0-4,3-7,^1' spans 8 ids, more than the 7 a host has room for here" });
    expect(parseIdList('2-3,0-9,4-5', 10)).toMatchObject({ ok: true });
    expect(parseIdList('5-9,0-2', 8)).toMatchObject({ ok: true });
    expect(parseIdList('5-9,0-3', 8)).toMatchObject({ ok: false });
    // a range inside an earlier one adds nothing, and does not take back what the earlier one spanned
    expect(parseIdList('0-9,2-4', 9)).toEqual({ ok: false, error: "list '0-9,2-4' spans 10 ids, more than the 9 a host has room for here" });
  });
});

describe('id lists: sparse and dense alike', () => {
  it('applies terms left to right on a sparse list', () => {
    // few ids far apart: the set path
    expect(parseIdList('5,900000,^5,7')).toEqual({ ok: true, ids: [7, 900000] });
    expect(parseIdList('900000-900001,3')).toEqual({ ok: true, ids: [3, 900000, 900001] });
    expect(parseIdList('0-40:20,100000')).toEqual({ ok: true, ids: [0, 20, 40, 100000] });
  });

  it('applies terms left to right on a dense list, ranges merged in any order', () => {
    expect(parseIdList('10-12,0-3,5-6,^2,2,8-9:1')).toEqual({ ok: true, ids: [0, 1, 2, 3, 5, 6, 8, 9, 10, 11, 12] });
    expect(parseIdList('4-5,0-1,2-3')).toEqual({ ok: true, ids: [0, 1, 2, 3, 4, 5] });
    expect(parseIdList('0-9,2-4,6')).toEqual({ ok: true, ids: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    expect(parseIdList('3-5,0-9:3,^6')).toEqual({ ok: true, ids: [0, 3, 4, 5, 9] });
    expect(parseIdList('7-9,1-2,^8')).toEqual({ ok: true, ids: [1, 2, 7, 9] });
  });

  it('refuses a list rewriting the id space past its budget, and reads one just within', () => {
    const strided = Array(40).fill('0-1048575:2').join(',');
    expect(parseIdList(strided)).toEqual({ ok: false, error: `list '${strided.slice(0, 60)}… (${strided.length} characters)' names the same ids over and over, more than any host has` });
    const within = Array(32).fill('0-1048575:2').join(','); // 32 × 2^19 = 16 × 2^20 ids written: the budget exactly
    const r = parseIdList(within);
    expect(r.ok && r.ids.length).toBe(MAX_IDS / 2);
    const flipping = Array(17).fill(`0-${MAX_IDS - 1},^7`).join(',');
    expect(parseIdList(flipping)).toMatchObject({ ok: false, error: expect.stringContaining('over and over') });
    const sixteen = parseIdList(Array(16).fill(`0-${MAX_IDS - 1},^7`).join(','));
    expect(sixteen.ok && sixteen.ids.length).toBe(MAX_IDS - 1);
  });

  it('counts every id it writes against the budget, to the id', () => {
    // 16 × (2^19 + 2^19 − 1) ids written by plain ranges with a gap, each run flushed by an exclusion:
    // 16,777,200, within the budget of 16 × 2^20 = 16,777,216; 17 ids more are past it.
    const gapped = Array(16).fill('0-524287,524289-1048575,^7').join(',');
    const within = parseIdList(gapped);
    expect(within.ok && within.ids.length).toBe(MAX_IDS - 2);
    expect(parseIdList(`${gapped},0-16,^7`)).toMatchObject({ ok: false, error: expect.stringContaining('names the same ids over and over') });
    // strided: 32 × 2^19 odd ids is the budget exactly; two ids more are past it
    const odd = Array(32).fill('1-1048575:2').join(',');
    const odds = parseIdList(odd);
    expect(odds.ok && odds.ids.length).toBe(MAX_IDS / 2);
    expect(odds.ok && odds.ids.slice(0, 3)).toEqual([1, 3, 5]);
    expect(parseIdList(`${Array(32).fill('0-1048575:2').join(',')},5-7:2`)).toMatchObject({ ok: false, error: expect.stringContaining('over and over') });
  });
});

describe('numactl word lists', () => {
  it('reads spaces, tabs and commas, sorted', () => {
    expect(parseIdWords(' 3\t1,2  0\n')).toEqual({ ok: true, ids: [0, 1, 2, 3] });
  });
  it('names what is not a CPU number', () => {
    expect(parseIdWords('0 1 x2')).toEqual({ ok: false, error: "'x2' is not a CPU number" });
    expect(parseIdWords('0 -1')).toEqual({ ok: false, error: "'-1' is not a CPU number" });
    expect(parseIdWords('1 2x')).toEqual({ ok: false, error: "'2x' is not a CPU number" });
    expect(parseIdWords(`${MAX_IDS - 1}`)).toEqual({ ok: true, ids: [MAX_IDS - 1] });
    expect(parseIdWords(`0 ${MAX_IDS}`)).toEqual({ ok: false, error: `CPU ${MAX_IDS} is past ${MAX_IDS - 1}, more than any host has` });
  });
});

describe('canonical lists', () => {
  it('writes runs of two as a range by default and as two ids for lscpu', () => {
    expect(formatIdList([6, 7])).toBe('6-7');
    expect(formatIdList([6, 7], 3)).toBe('6,7');
    expect(formatIdList([6, 7, 8], 3)).toBe('6-8');
    expect(formatIdList([0, 2, 3, 4, 9, 10], 3)).toBe('0,2-4,9,10');
    expect(formatIdList([1])).toBe('1');
    expect(formatIdList(new Set([3, 1, 2]))).toBe('1-3');
  });
});

describe('hex masks', () => {
  it('reads every hex digit, in either case', () => {
    expect(parseHexMask('9')).toEqual({ ok: true, ids: [0, 3] });
    expect(parseHexMask('a')).toEqual({ ok: true, ids: [1, 3] });
    expect(parseHexMask('F')).toEqual({ ok: true, ids: [0, 1, 2, 3] });
    expect(parseHexMask('A0')).toEqual({ ok: true, ids: [5, 7] });
    expect(parseHexMask('0X10')).toEqual({ ok: true, ids: [4] });
    expect(parseHexMask('0')).toEqual({ ok: true, ids: [] });
    expect(parseHexMask('1')).toEqual({ ok: true, ids: [0] });
  });

  it('takes 0x as a prefix only: a leading zero digit is a digit', () => {
    expect(parseHexMask('0f000000')).toEqual({ ok: true, ids: [24, 25, 26, 27] });
    expect(parseHexMask('0x')).toEqual({ ok: true, ids: [] });
    expect(parseHexMask('1x5')).toEqual({ ok: false, error: "'1x5' is not a hex word in mask '1x5'" });
  });

  it('refuses characters next to the hex digits in ASCII, naming the word', () => {
    for (const bad of ['/', ':', '@', 'G', '`', 'g']) {
      expect(parseHexMask(`0000000${bad},00000001`)).toEqual({ ok: false, error: `'0000000${bad}' is not a hex word in mask '0000000${bad},00000001'` });
    }
    expect(parseHexMask('ff, x1 ')).toEqual({ ok: false, error: "'x1' is not a hex word in mask 'ff, x1 '" });
  });

  it('trims spaces, tabs and line ends around words', () => {
    expect(parseHexMask(' 1 ,\t2\r\n')).toEqual({ ok: true, ids: [1, 32] });
    expect(parseHexMask('0x1,\t0x2\n')).toEqual({ ok: true, ids: [1, 32] });
  });

  it('skips hwloc\'s infinite tail wherever the mask ends', () => {
    expect(parseHexMask('0xf...f')).toEqual({ ok: true, ids: [] });
    expect(parseHexMask('0xf...f,0x00000003,0x00000001')).toEqual({ ok: true, ids: [0, 32, 33] });
  });

  it('sorts only masks with words wider than 32 bits, and sorts them right', () => {
    expect(parseHexMask('0x80000001,0x1')).toEqual({ ok: true, ids: [0, 32, 63] });
    expect(parseHexMask('0x1,0x000000001')).toEqual({ ok: true, ids: [0, 32] });
    expect(parseHexMask('0x1,0x100000003')).toEqual({ ok: true, ids: [0, 1, 32] });
  });

  it('refuses a mask one bit wider than the id space and reads one exactly as wide', () => {
    const full = `0x1${','.repeat(MAX_IDS / 32 - 1)}`;
    expect(parseHexMask(full)).toEqual({ ok: true, ids: [MAX_IDS - 32] });
    const past = `0x1${','.repeat(MAX_IDS / 32)}`;
    expect(parseHexMask(past)).toMatchObject({ ok: false, error: expect.stringContaining(`wider than ${MAX_IDS} bits, more CPUs than any host has`) });
    expect(parseHexMask(`1${'0'.repeat(MAX_IDS / 4)}`)).toMatchObject({ ok: false });
    // the widest mask, as the kernel prints it: 32,768 words of eight digits
    const kernel = parseHexMask(Array(MAX_IDS / 32).fill('00000001').join(','));
    expect(kernel.ok && kernel.ids.length).toBe(MAX_IDS / 32);
    expect(kernel.ok && kernel.ids.slice(-2)).toEqual([MAX_IDS - 64, MAX_IDS - 32]);
  });
});

describe('set operations', () => {
  it('sorts and removes duplicates, from arrays and other iterables, without touching the input', () => {
    const input = [5, 1, 5, 3];
    expect(sortIds(input)).toEqual([1, 3, 5]);
    expect(input).toEqual([5, 1, 5, 3]);
    expect(sortIds(new Set([10, 2, 33]))).toEqual([2, 10, 33]);
    expect(sortIds([1, 1])).toEqual([1]);
    const sorted = [1, 2, 3];
    expect(sortIds(sorted)).not.toBe(sorted);
    expect(sortIds([])).toEqual([]);
  });

  it('unites, intersects and subtracts', () => {
    expect(union([0, 2], [1, 2], [9])).toEqual([0, 1, 2, 9]);
    expect(intersect([0, 1, 2, 3], [3, 1, 7])).toEqual([1, 3]);
    expect(difference([0, 1, 2, 3], [3, 1, 7])).toEqual([0, 2]);
  });

  it('compares sets by length and members', () => {
    expect(sameIds([0, 1], [0, 1])).toBe(true);
    expect(sameIds([0, 1], [0, 2])).toBe(false);
    expect(sameIds([0, 1], [0, 1, 2])).toBe(false);
    expect(sameIds([], [])).toBe(true);
  });
});
