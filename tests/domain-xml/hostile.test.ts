/**
 * Hostile and broken domain XML (issue 18): every input comes back with diagnostics, never an
 * exception, a hang or a blow-up. The per-test timeout is the hang detector and the heap check
 * the blow-up detector; neither is a timing assertion.
 */
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import { goldenLayout } from './support.ts';

const HANG = 10_000;
const HEAP_GROWTH = 512 * 1024 * 1024;

function survive(text: string) {
  const heap = process.memoryUsage().heapUsed;
  const doc = parseDomainDocument(text, 'hostile.xml');
  const read = readLayout(doc);
  const written = writeLayout(doc, read.layout ?? goldenLayout());
  expect(process.memoryUsage().heapUsed - heap).toBeLessThan(HEAP_GROWTH);
  for (const d of read.diagnostics) expect(d.message.length).toBeLessThan(400);
  return { doc, read, written };
}

const pinned = (cpuset: string) => `<domain type='kvm'><name>h</name><memory>1048576</memory><vcpu>4</vcpu><cputune><vcpupin vcpu='0' cpuset='${cpuset}'/><emulatorpin cpuset='${cpuset}'/></cputune></domain>`;

describe('hostile domain XML', () => {
  it.each([
    ['10⁵ nested elements', '<domain>' + '<a>'.repeat(100_000) + '</a>'.repeat(100_000) + '</domain>', /^Excessive depth in document: 256/],
    ['10⁶ unclosed elements', '<domain>' + '<a>'.repeat(1_000_000), /^Excessive depth in document: 256/],
    ['200k stray end tags', '<domain>' + '</x>'.repeat(200_000) + '</domain>', /^Opening and ending tag mismatch/],
    ['1,000 × 0-1048575 in vcpupin and emulatorpin', pinned(Array(1000).fill('0-1048575').join(',')), /^Failed to parse bitmap '0-1048575,0-1048575.*…'/],
    ['a cpuset of 0-4294967295', pinned('0-4294967295'), /^Failed to parse bitmap '0-4294967295'/],
    ['<vcpu>99999999999999999999</vcpu>', "<domain type='kvm'><name>h</name><memory>1</memory><vcpu>99999999999999999999</vcpu></domain>", /^maximum vcpus count must be an integer/],
  ])('%s: diagnostics, the text unchanged', (_, text, first) => {
    const { read, written } = survive(text);
    expect(read.diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(first));
    // the parse lists its first 200 and counts the rest; the reader adds a few of its own
    expect(read.diagnostics.length).toBeLessThan(220);
    expect(written.text).toBe(text);
    expect(written.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  }, HANG);

  it('nesting up to libxml2\'s depth still reads', () => {
    const deep = "<domain type='kvm'><name>d</name><memory>1048576</memory><vcpu>1</vcpu><metadata>" + '<a>'.repeat(250) + '</a>'.repeat(250) + '</metadata></domain>';
    const { doc, read } = survive(deep);
    expect(doc.wellFormed).toBe(true);
    expect(read.diagnostics).toEqual([]);
  }, HANG);
});
