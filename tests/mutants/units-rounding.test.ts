/**
 * libvirt rounds a scaled size up to whole KiB (virDomainParseMemory: VIR_DIV_UP(bytes, 1024)),
 * never to the nearest: a guest asking for 1,500 bytes more than a KiB gets two. Kills the
 * planted bug Math.ceil → Math.round in src/core/units.ts (issue 18).
 */
import { describe, expect, it } from 'vitest';
import { libvirtUnitToKiB } from '../../src/core/units.ts';

describe('libvirtUnitToKiB rounds up, as libvirt does', () => {
  it.each([
    [1500, 'b', 2],
    [1025, 'bytes', 2],
    [1, 'b', 1],
    [1, 'MB', 977],
    [1200, 'KB', 1172],
    [3, 'GB', 2929688],
  ])('%d %s is %d KiB', (value, unit, kib) => {
    expect(libvirtUnitToKiB(value, unit)).toBe(kib);
  });

  it('whole KiB stay as they are, exactly', () => {
    expect(libvirtUnitToKiB(4, 'GiB')).toBe(4194304);
    expect(libvirtUnitToKiB(1024, 'b')).toBe(1);
  });
});
