/**
 * The memory units of src/core/units.ts beyond rounding: which of libvirt's suffixes are units at
 * all, sizes as host tools print them, and the human form. Written for the mutants StrykerJS
 * found alive in units.ts (issue 18).
 */
import { describe, expect, it } from 'vitest';
import { bytesToKiB, formatKiB, hostSizeToKiB, libvirtUnitToKiB } from '../../src/core/units.ts';

describe('libvirt suffixes', () => {
  it.each(['KiB', 'k', 'K', ' MiB ', 'G', 'TiB', 'PB', 'e', 'b', 'bytes'])('%s is a unit', (unit) => {
    expect(libvirtUnitToKiB(1, unit)).toBeGreaterThan(0);
  });

  it.each(['', 'x', 'KiBi', 'xMiB', 'Mi', 'MiBx', 'bits', 'kiB '.repeat(2)])("'%s' is not", (unit) => {
    expect(libvirtUnitToKiB(1, unit)).toBeUndefined();
  });

  it('binary and decimal, each letter its power', () => {
    expect(['k', 'm', 'g', 't', 'p', 'e'].map((l) => libvirtUnitToKiB(1, `${l}iB`.replace(/^./, (c) => c.toUpperCase())))).toEqual([1, 1024, 1024 ** 2, 1024 ** 3, 1024 ** 4, 1024 ** 5]);
    expect(libvirtUnitToKiB(1024, 'KB')).toBe(1000);
    expect(libvirtUnitToKiB(1, 'TB')).toBe(976562500);
    expect(libvirtUnitToKiB(2)).toBe(2);
  });
});

describe('host tool sizes', () => {
  it.each([
    ['32K', 32],
    ['38400K', 38400],
    ['1.9 MiB', 1946],
    ['1.25 MiB', 1280],
    ['256 KiB', 256],
    ['125GB', 125 * 1024 ** 2],
    ['128602 MB', 128602 * 1024],
    ['  2 TiB  ', 2 * 1024 ** 3],
    ['2048', 2],
    ['1536', 2],
  ])('%s is %d KiB', (text, kib) => {
    expect(hostSizeToKiB(text)).toBe(kib);
  });

  it.each(['', 'MB', '1.2.3 MB', '12 XB', '-1 MB', '1 MB extra'])('%s is not a size', (text) => {
    expect(hostSizeToKiB(text)).toBeUndefined();
  });

  it('bytes round to the nearest KiB', () => {
    expect(bytesToKiB(8589934592)).toBe(8388608);
    expect(bytesToKiB(1535)).toBe(1);
    expect(bytesToKiB(1536)).toBe(2);
  });
});

describe('formatKiB', () => {
  it.each([
    [0, '0 KiB'],
    [1023, '1023 KiB'],
    [1024, '1 MiB'],
    [1536, '1.5 MiB'],
    [33554432, '32 GiB'],
    [1024 ** 3, '1 TiB'],
    [1024 ** 4, '1 PiB'],
    [1024 ** 5, '1024 PiB'],
  ])('%d KiB reads %s', (kib, text) => {
    expect(formatKiB(kib)).toBe(text);
  });
});
