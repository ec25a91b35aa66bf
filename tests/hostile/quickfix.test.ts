/**
 * The editor's quick fixes on hostile domains: a fix reads counts and lists from the document
 * itself, so it must refuse them where readLayout does (a <vcpu> past QEMU's 4096, a list past
 * libvirt's 16384 ids) instead of building on them.
 */
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import { quickFixes } from '../../src/core/guest/quickfix.ts';
import { talkExample1 } from '../support/golden.ts';
import { HANG_MS, survive } from './survive.ts';

const golden = writeLayout(null, talkExample1(), { name: 'talk' }).text;

/** Every fix offered for every diagnostic readLayout gives the text. */
function fixesOf(text: string): { diagnostics: string[]; fixes: string[] } {
  const doc = parseDomainDocument(text, 'x.xml');
  const read = readLayout(doc);
  return { diagnostics: read.diagnostics.map((d) => d.message), fixes: read.diagnostics.flatMap((d) => quickFixes(doc, read.layout, d).map((f) => f.title)) };
}

describe('quick fixes on counts and lists past libvirt', () => {
  // Once: "Add vCPUs 1-4294967294 to cell 0", a list built in memory until the heap ran out.
  it('a <vcpu> of 2^32 − 1 with a cell listing none of vCPU 0 gets no fix, and no heap blow-up', { timeout: HANG_MS }, () => {
    const text = golden.replace(/>16<\/vcpu>/, '>4294967295</vcpu>').replace(/<topology [^>]*\/>/, "<topology sockets='1' dies='1' cores='1' threads='1'/>").replace("cpus='0-3'", "cpus='5'");
    const r = survive(() => fixesOf(text));
    expect(r.diagnostics).toContain('<numa> cells list 0 of 1 vCPUs; libvirt puts the rest in cell 0');
    expect(r.fixes).toEqual([]);
  });

  it('a <vcpu> past 2^32 makes no topology fix out of it', { timeout: HANG_MS }, () => {
    const r = survive(() => fixesOf(golden.replace(/>16<\/vcpu>/, '>4294967296</vcpu>')));
    expect(r.diagnostics).toContain("CPU topology doesn't match maximum vcpu count");
    // Once: "Set sockets to 1073741824".
    expect(r.fixes.filter((t) => /sockets/.test(t))).toEqual([]);
  });

  it("a cell list past libvirt's 16384 ids is as unreadable to the fixes as to readLayout", () => {
    const text = golden.replace("cpus='12-15'", "cpus='12-14,20000'");
    const r = fixesOf(text);
    expect(r.diagnostics).toContain("Failed to parse bitmap '12-14,20000': id 20000 is past libvirt's limit of 16383");
    expect(r.diagnostics).toContain('<numa> cells list 12 of 16 vCPUs; libvirt puts the rest in cell 0');
    // Once: "Add vCPUs 15 to cell 0", as if vCPU 20000 were a vCPU of cell 3.
    expect(r.fixes).toEqual([]);
  });
});
