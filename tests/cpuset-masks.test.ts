/**
 * Hex masks at their edges: the empty words hwloc writes for zero words, even as the first
 * word, and words wider than 32 bits (lscpu --hex prints a whole mask as one word), read as
 * sets whichever word they come in.
 */
import { describe, expect, it } from 'vitest';
import { parseHexMask } from '../src/core/cpuset.ts';

describe('empty words', () => {
  it('reads a leading empty word as a zero word, as it reads the others', () => {
    expect(parseHexMask(',0x00000001')).toEqual({ ok: true, ids: [0] });
    expect(parseHexMask(',,0x00000003,')).toEqual({ ok: true, ids: [32, 33] });
    expect(parseHexMask(' ,')).toEqual({ ok: true, ids: [] });
  });
});

describe('wide words', () => {
  it('sorts a mask whose every word is wider than 32 bits', () => {
    // word 0 sets bit 33 (its ninth digit), word 1 starts at bit 32
    expect(parseHexMask('0x000000001,0x200000000')).toEqual({ ok: true, ids: [32, 33] });
    expect(parseHexMask('100000000,300000000')).toEqual({ ok: true, ids: [32, 33, 64] });
  });

  it('reads one wide word as lscpu --hex prints it, every digit at its place', () => {
    expect(parseHexMask('3f00000000003f')).toEqual({ ok: true, ids: [0, 1, 2, 3, 4, 5, 48, 49, 50, 51, 52, 53] });
    expect(parseHexMask('0x80000000000000000000000000000001')).toEqual({ ok: true, ids: [0, 127] });
  });
});
