/**
 * <currentMemory> that already says the new memory, in a unit the writer would not write it in
 * (bytes: the writer writes KiB or the element's own unit of at least a KiB), stays as the user
 * wrote it when <memory> comes down to it (libvirt's cputune.xml).
 */
import { describe, expect, it } from 'vitest';
import { edit, fixture } from './writer-edit.ts';

describe('<currentMemory> in bytes', () => {
  it('stays as written when <memory> comes down to the same amount', () => {
    const text = fixture('cputune.xml').replace("<currentMemory unit='KiB'>219136</currentMemory>", "<currentMemory unit='bytes'>134217728</currentMemory>");
    const r = edit(text, (l) => ({ ...l, memoryKiB: 131072 }));
    expect(r.edits).toEqual([['219136', '131072']]);
    expect(r.text).toContain("<memory unit='KiB'>131072</memory>\n  <currentMemory unit='bytes'>134217728</currentMemory>");
  });
});
