import { describe, expect, it } from 'vitest';
import { formatIdList, parseHexMask, parseIdList, parseIdWords } from '../src/core/cpuset.ts';

describe('libvirt/Linux id lists', () => {
  it('applies ranges and exclusions left to right', () => {
    expect(parseIdList('0-3,^2')).toEqual({ ok: true, ids: [0, 1, 3] });
    expect(parseIdList('1-4,^3,6')).toEqual({ ok: true, ids: [1, 2, 4, 6] });
    expect(parseIdList(' 0-14 , 60-74 ')).toMatchObject({ ok: true });
    expect(parseIdList('')).toEqual({ ok: true, ids: [] });
  });
  it('refuses what libvirt refuses, with a reason', () => {
    expect(parseIdList('3-1')).toMatchObject({ ok: false, error: expect.stringContaining('ends before') });
    expect(parseIdList('^1-3')).toMatchObject({ ok: false });
    expect(parseIdList('a')).toMatchObject({ ok: false });
    expect(parseIdList('0,,1')).toMatchObject({ ok: false });
  });
  it('writes the canonical form back', () => {
    expect(formatIdList([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 60, 61, 62])).toBe('0-14,60-62');
    expect(formatIdList([5, 1, 3, 2])).toBe('1-3,5');
    expect(formatIdList([])).toBe('');
  });
  it('reads numactl word lists', () => {
    expect(parseIdWords('0 1 2 60 61')).toEqual({ ok: true, ids: [0, 1, 2, 60, 61] });
    expect(parseIdWords('')).toEqual({ ok: true, ids: [] });
  });
});

describe('hex masks', () => {
  it('reads kernel cpumap words, most significant first', () => {
    expect(parseHexMask('00000000,0000ffff')).toEqual({ ok: true, ids: [...Array(16).keys()] });
    expect(parseHexMask('00000001,00000000')).toEqual({ ok: true, ids: [32] });
  });
  it('reads hwloc masks with 0x words and empty zero words', () => {
    expect(parseHexMask('0x00000003,,0x00000001')).toEqual({ ok: true, ids: [0, 64, 65] });
    expect(parseHexMask('0xf...f,0x00000001')).toEqual({ ok: true, ids: [0] });
  });
});
