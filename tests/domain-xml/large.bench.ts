/**
 * How long a 5 MB domain XML takes to parse, read and write (DESIGN.md §5: measured, printed,
 * never asserted). Run: npx tsx tests/domain-xml/large.bench.ts
 */
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import { changed, goldenLayout } from './support.ts';

/** Padded with NICs; `comment` goes into each (with or without an entity: both paths are scanned). */
function bigDomain(bytes: number, comment: string): string {
  const base = writeLayout(null, goldenLayout(), { name: 'big' }).text;
  const devices: string[] = [];
  let size = base.length;
  for (let i = 0; size < bytes; i++) {
    const mac = (i % 0xffffff).toString(16).padStart(6, '0').replace(/(..)(..)(..)/, '$1:$2:$3');
    const dev = `    <!-- nic ${i}: ${comment} -->\n    <interface type='network'>\n      <mac address='52:54:00:${mac}'/>\n      <source network='net${i % 7}'/>\n      <model type='virtio'/>\n    </interface>\n`;
    devices.push(dev);
    size += dev.length;
  }
  return base.replace('    <memballoon', `${devices.join('')}    <memballoon`);
}

function time<T>(label: string, runs: number, f: () => T): T {
  let result = f();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) result = f();
  console.log(`${label.padEnd(40)} ${((performance.now() - t0) / runs).toFixed(1)} ms`);
  return result;
}

const text = bigDomain(5 * 1024 * 1024, 'keep &amp; me');
console.log(`domain XML: ${(text.length / 1024 / 1024).toFixed(2)} MB, ${text.split('\n').length} lines`);
const doc = time('parseDomainDocument', 5, () => parseDomainDocument(text));
const layout = time('readLayout', 5, () => readLayout(doc).layout!);
time('writeLayout (unchanged: no edits)', 5, () => writeLayout(doc, layout));
const w = time('writeLayout (every owned part changed)', 5, () => writeLayout(doc, changed(layout)));
console.log(`edits: ${w.edits.length}, diagnostics: ${w.diagnostics.length}`);
time('parse + read + write, end to end', 5, () => {
  const d = parseDomainDocument(text);
  return writeLayout(d, changed(readLayout(d).layout!));
});

// No '&' anywhere: every text and attribute is scanned for entities up to its own end only.
const plain = bigDomain(5 * 1024 * 1024, 'keep me');
time('parseDomainDocument, no entities', 5, () => parseDomainDocument(plain));
