/**
 * Parsers never throw and always explain themselves: fast-check mutates real corpus inputs
 * (cuts, dropped and duplicated lines, inserted garbage, changed characters) and feeds each
 * mutation to detection, every format's parser directly, and the whole ingest pipeline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/core/diagnostics.ts';
import { formats, ingest } from '../src/core/ingest/index.ts';
import { readCorpus } from './support/corpus.ts';

const SAMPLES = [
  ['pasted', 'talk-e7-8895v2.lscpu.txt'],
  ['pasted', 'talk-e7-8895v2.numactl-H.txt'],
  ['pasted', 'numactl-H-kunpeng920-2s4n.txt'],
  ['util-linux-lscpu', 'lscpu-x86_64-epyc_7451'],
  ['util-linux-lscpu', 'x86_64-epyc_7451.lscpu-e.txt'],
  ['hwloc-xml', '24em64t-2n6c2t-pci.xml'],
  ['hwloc-xml', '28intel64-2p2g7c-CoDgroups.v1.xml'],
  ['hwloc-xml-v3', 'cxlmem+dax.v3.xml'],
  ['hwloc-xml', '24em64t-2n6c2t-pci.lstopo-v-wholeio.txt'],
  ['hwloc-linux', '16em64t-4s2c2t-offlines.console'],
  ['libvirt-caps', 'vircaps-x86_64-hmat.xml'],
  ['libvirt-nodedev', 'pci_0000_02_10_7_sriov_pf_vfs_all.xml'],
] as const;
const texts = SAMPLES.map(([folder, file]) => readCorpus(folder, file));

const mutation = (text: string) => {
  const lines = text.split('\n');
  return fc.oneof(
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc.nat({ max: lines.length }).map((n) => lines.filter((_, i) => i !== n).join('\n')),
    fc.tuple(fc.nat({ max: lines.length }), fc.string({ unit: 'binary', maxLength: 80 })).map(([n, junk]) => [...lines.slice(0, n), junk, ...lines.slice(n)].join('\n')),
    fc.tuple(fc.nat({ max: lines.length }), fc.nat({ max: 20 })).map(([n, k]) => [...lines.slice(0, n + k), ...lines.slice(n, n + k), ...lines.slice(n + k)].join('\n')),
    fc.tuple(fc.nat({ max: Math.max(0, text.length - 1) }), fc.constantFrom('<', '>', '"', ':', '-', ',', ' ', '\t', '9', 'x', '&', '\u0000', '\r'))
      .map(([i, c]) => text.slice(0, i) + c + text.slice(i + 1)),
  );
};

function wellFormed(d: Diagnostic, lineCount: number): void {
  expect(['error', 'warning', 'info']).toContain(d.severity);
  expect(d.message.length).toBeGreaterThan(5);
  if (d.line !== undefined) {
    expect(Number.isInteger(d.line)).toBe(true);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lineCount + 1);
  }
}

describe('parsers survive mutated real inputs', () => {
  it.each(SAMPLES.map((s, i) => [s.join('/'), i] as const))('%s', (_name, index) => {
    fc.assert(
      fc.property(mutation(texts[index]), (text) => {
        const lineCount = text.split(/\r\n|\r|\n/).length;
        for (const format of formats) {
          const facts = format.parse(text, 'mutant');
          expect(Array.isArray(facts.diagnostics)).toBe(true);
          for (const d of facts.diagnostics) wellFormed(d, lineCount);
        }
        const { host } = ingest([{ name: 'mutant', text }]);
        for (const d of host.diagnostics) wellFormed(d, lineCount);
      }),
      { numRuns: 40, seed: 20261123 + index },
    );
  });

  it('arbitrary text, including binary, never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        for (const format of formats) format.parse(text, 'random');
        const { host } = ingest([{ name: 'random', text }]);
        expect(host.diagnostics.length + host.sources.length).toBeGreaterThan(0);
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('every format rejects what is clearly not its own with a diagnostic, not silence', () => {
    for (const format of formats) {
      for (const text of ['', 'hello world\n', '\u0000\u0001\u0002binary']) {
        const facts = format.parse(text, 'odd');
        expect(facts.diagnostics.length, `${format.id} on ${JSON.stringify(text)}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('pastes that are not host dumps get a clear message', () => {
  it.each([
    ['empty', '', /empty/],
    ['garbage', 'Lorem ipsum dolor sit amet\nconsectetur adipiscing elit\n', /not recognised as any host dump/],
    ['binary', '\u007fELF\u0002\u0001\u0001\u0000\u0000\u0000\u0000', /NUL bytes|control characters/],
  ])('%s', (_name, text, message) => {
    const { host } = ingest([{ name: 'paste', text }]);
    expect(host.diagnostics.map((d) => d.message).join('\n')).toMatch(message);
    expect(host.cpus).toEqual([]);
  });
});

