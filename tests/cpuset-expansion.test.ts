/**
 * What expanding a list costs, counted id by id against its budget (16 × 2^20 ids written):
 * ranges that overlap are written once however they are ordered, ranges that only touch cost
 * what they name, and a run is charged for its own ids wherever it starts. Each list here costs
 * the budget exactly, so a single id written or counted twice refuses it.
 */
import { describe, expect, it } from 'vitest';
import { MAX_IDS, parseIdList } from '../src/core/cpuset.ts';

/** `times` copies of `chunk`, each ending in an exclusion, so its ranges are written before the next. */
const repeated = (chunk: string, times: number) => Array(times).fill(chunk).join(',');

describe('expansion budget', () => {
  it('writes two halves of the id space sharing one id as one range', () => {
    // 0-524288 and 524288-1048575 share id 524288: merged, each copy writes 2^20 ids
    const r = parseIdList(repeated('0-524288,524288-1048575,^7', 16));
    expect(r.ok && r.ids.length).toBe(MAX_IDS - 1);
    expect(r.ok && r.ids.slice(5, 8)).toEqual([5, 6, 8]);
  });

  it('writes halves that touch one after the other, at the cost of the ids they name', () => {
    const r = parseIdList(repeated('524288-1048575,0-524287,^7', 16));
    expect(r.ok && r.ids.length).toBe(MAX_IDS - 1);
    expect(parseIdList(`${repeated('524288-1048575,0-524287,^7', 16)},3,^7`)).toMatchObject({ ok: false, error: expect.stringContaining('names the same ids over and over') });
  });

  it('charges a run that does not start at 0 for its own ids only', () => {
    // per copy 524,288 + 524,286 ids (1-524288, 524290-1048575), then 32 more: the budget exactly
    const list = `${repeated('1-524288,524290-1048575,^7', 16)},0-31,^7`;
    const r = parseIdList(list);
    expect(r.ok && r.ids.length).toBe(MAX_IDS - 2);
    expect(r.ok && r.ids.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 8]);
    expect(r.ok && r.ids.includes(524289)).toBe(false);
    expect(parseIdList(`${list},0-31,^7`)).toMatchObject({ ok: false, error: expect.stringContaining('names the same ids over and over') });
  });
});
