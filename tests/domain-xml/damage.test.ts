/**
 * The writer's damage cases (issue 18): what the reader skipped is never dropped by a rewrite,
 * cells removed take their memnodes with them, and binding one cell never rebinds the others.
 * Each case is a real libvirt domain from the corpus with one thing done to it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { readCorpus } from '../support/corpus.ts';
import { withoutOwned } from './support.ts';

const memnodeXml = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml');
const distancesXml = readCorpus('libvirt-domain-numa', 'numatune-distances.xml');
const cputuneXml = readFileSync(resolve(import.meta.dirname, '../fixtures/domain-xml/cputune.xml'), 'utf8');

function read(text: string) {
  return readLayout(parseDomainDocument(text));
}

function layoutOf(text: string): GuestLayout {
  const r = read(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.layout!;
}

/** A layout that differs from the document's in every owned part a diagram edit touches. */
function moved(layout: GuestLayout): GuestLayout {
  return { ...layout, pins: layout.pins.map((p) => ({ ...p, cpus: [p.cpus[0] + 1] })), cells: layout.cells.map((c) => ({ ...c, memoryKiB: c.memoryKiB + 1024 })) };
}

describe('a document that reads with errors is not rewritten', () => {
  const cases: [string, string, string, RegExp][] = [
    ['a duplicate cell', distancesXml, distancesXml.replace("<cell id='5' cpus='5-6'", "<cell id='0' cpus='5-6'"), /Duplicate NUMA cell info for cell id '0'/],
    ['an out-of-range cell', distancesXml, distancesXml.replace("<cell id='5' cpus='5-6'", "<cell id='9' cpus='5-6'"), /non-contiguous ranges/],
    ['a vcpupin past any host', cputuneXml, cputuneXml.replace("<vcpupin vcpu='1' cpuset='1'/>", "<vcpupin vcpu='1' cpuset='0-4294967295'/>"), /Failed to parse bitmap '0-4294967295'/],
  ];
  it.each(cases)('%s: writeLayout refuses, says why, and returns the text unchanged', (_, original, text, error) => {
    expect(text).not.toBe(original);
    const r = read(text);
    expect(r.diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(error));
    const w = writeLayout(parseDomainDocument(text), moved(r.layout!));
    expect(w.text).toBe(text);
    expect(w.edits).toEqual([]);
    expect(w.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/reads with errors/) }));
  });
});

describe('cells removed take their memnodes with them', () => {
  it('numatune-memnode.xml without cells keeps <memory> and loses every <memnode>', () => {
    const layout = layoutOf(memnodeXml);
    const w = writeLayout(parseDomainDocument(memnodeXml), { ...layout, cells: [] });
    expect(w.diagnostics).toEqual([]);
    expect(w.text).not.toContain('<memnode');
    expect(w.text).toContain("<memory mode='strict' nodeset='0-7'/>");
    expect(w.text).not.toContain('<numa>');
    const back = read(w.text);
    expect(back.diagnostics).toEqual([]);
    expect(back.layout!.cells).toEqual([]);
    expect(withoutOwned(w.text)).toBe(withoutOwned(memnodeXml));
  });

  it('a <numatune> holding only memnodes goes with them', () => {
    const only = memnodeXml.replace("    <memory mode='strict' nodeset='0-7'/>\n", '');
    const layout = layoutOf(only);
    const w = writeLayout(parseDomainDocument(only), { ...layout, cells: [] });
    expect(w.diagnostics).toEqual([]);
    expect(w.text).not.toContain('numatune');
    expect(read(w.text).diagnostics).toEqual([]);
  });
});

describe('binding one cell never rebinds the others', () => {
  it('cell 0 of numatune-distances.xml bound to nodes 1-2: one memnode, no domain-wide <memory>', () => {
    const layout = layoutOf(distancesXml);
    expect(layout.cells).toHaveLength(6);
    const bound = { ...layout, cells: layout.cells.map((c) => (c.id === 0 ? { ...c, hostNodes: [1, 2] } : c)) };
    const w = writeLayout(parseDomainDocument(distancesXml), bound);
    expect(w.diagnostics).toEqual([]);
    expect(w.text).not.toMatch(/<memory mode=/);
    expect(w.text).toContain("<memnode cellid='0' mode='strict' nodeset='1-2'/>");
    const back = layoutOf(w.text);
    expect(back.cells.map((c) => c.hostNodes)).toEqual([[1, 2], [], [], [], [], []]);
    expect(withoutOwned(w.text)).toBe(withoutOwned(distancesXml));
  });

  it('unbinding one cell of numatune-memnode.xml drops the domain-wide <memory> and keeps the others bound as they were', () => {
    const layout = layoutOf(memnodeXml);
    const before = layout.cells.map((c) => [c.memoryMode, c.hostNodes]);
    const w = writeLayout(parseDomainDocument(memnodeXml), { ...layout, cells: layout.cells.map((c) => (c.id === 1 ? { ...c, hostNodes: [] } : c)) });
    expect(w.diagnostics).toEqual([]);
    const back = layoutOf(w.text);
    expect(back.cells.map((c) => [c.memoryMode, c.hostNodes])).toEqual([before[0], ['strict', []], before[2]]);
  });

  it('every cell bound alike still writes one <memory> and no memnode', () => {
    const layout = layoutOf(distancesXml);
    const w = writeLayout(parseDomainDocument(distancesXml), { ...layout, cells: layout.cells.map((c) => ({ ...c, hostNodes: [1, 2] })) });
    expect(w.text).toContain("<memory mode='strict' nodeset='1-2'/>");
    expect(w.text).not.toContain('<memnode');
    expect(layoutOf(w.text).cells.every((c) => c.hostNodes.join() === '1,2')).toBe(true);
  });
});

describe('cells removed take what names them with them', () => {
  const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/domain-xml', name), 'utf8');

  it('per-cell hugepages become one page size for the whole guest (hugepages-numa-nodeset.xml)', () => {
    const text = fixture('hugepages-numa-nodeset.xml');
    const w = writeLayout(parseDomainDocument(text), { ...layoutOf(text), cells: [] });
    expect(w.diagnostics).toEqual([]);
    expect(w.text).not.toMatch(/<page [^>]*nodeset/);
    // 3 of the 4 GiB were on 1 GiB pages
    expect(w.text).toContain("<page size='1048576' unit='KiB'/>");
    expect(read(w.text).diagnostics).toEqual([]);
  });

  it('a PCI expander bus on a removed cell loses its <node> (pcie-expander-bus.xml)', () => {
    const text = fixture('pcie-expander-bus.xml');
    const w = writeLayout(parseDomainDocument(text), { ...layoutOf(text), cells: [] });
    expect(w.diagnostics).toEqual([]);
    expect(w.text).not.toMatch(/<node>\d+<\/node>/);
    expect(read(w.text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(withoutOwned(w.text)).toBe(withoutOwned(text));
  });
});
