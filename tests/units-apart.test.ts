/**
 * Two amounts a sentence sets against each other (formatKiBApart, src/core/units.ts) never print
 * alike: "126.0 GiB free for 126.0 GiB" told nobody why a guest did not fit.
 */
import { describe, expect, it } from 'vitest';
import { formatKiBApart } from '../src/core/units.ts';

const GiB = 1 << 20;

describe('two amounts told apart', () => {
  it('as formatKiB prints them when that tells them apart, or when they are equal', () => {
    expect(formatKiBApart(2 * GiB, 3 * GiB)).toEqual(['2 GiB', '3 GiB']);
    expect(formatKiBApart(126 * GiB, 126 * GiB)).toEqual(['126 GiB', '126 GiB']);
    expect(formatKiBApart(512, 1536)).toEqual(['512 KiB', '1.5 MiB']);
  });

  it('in whole MiB, rounded up, when formatKiB rounds both to one text', () => {
    expect(formatKiBApart(132114432, 132115456)).toEqual(['129018 MiB', '129019 MiB']);
    expect(formatKiBApart(132114433, 132115456)).toEqual(['132114433 KiB', '132115456 KiB']);
  });

  it('in exact KiB when even whole MiB agree, "16.0 GiB" and "16 GiB" being alike', () => {
    expect(formatKiBApart(16 * GiB - 1, 16 * GiB)).toEqual(['16777215 KiB', '16777216 KiB']);
    expect(formatKiBApart(16 * GiB, 16 * GiB + 1)).toEqual(['16384 MiB', '16385 MiB']);
  });
});
