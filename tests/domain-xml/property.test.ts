/**
 * fast-check over real libvirt domains: random layouts written into random fixture documents
 * read back as written and touch nothing outside the owned elements; mutated documents never
 * make the engine throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestCell, GuestLayout, MemoryMode } from '../../src/core/guest/model.ts';
import { domainFiles, goldenLayout, withoutOwned } from './support.ts';

const files = domainFiles();
const MODES: MemoryMode[] = ['strict', 'preferred', 'interleave'];

const ids = (max: number) => fc.uniqueArray(fc.integer({ min: 0, max }), { minLength: 1, maxLength: 6 }).map((a) => [...a].sort((x, y) => x - y));

/** A layout libvirt would accept: cells partition the vCPUs, topology multiplies out, distances are valid. */
const layoutArb: fc.Arbitrary<GuestLayout> = fc
  .record({ threads: fc.constantFrom(1, 2), cores: fc.integer({ min: 1, max: 4 }), sockets: fc.integer({ min: 1, max: 4 }), cellCount: fc.integer({ min: 0, max: 4 }) })
  .chain(({ threads, cores, sockets, cellCount }) => {
    const vcpus = threads * cores * sockets;
    const cells = Math.min(cellCount, vcpus);
    return fc.record({
      vcpus: fc.constant(vcpus),
      current: fc.option(fc.integer({ min: 1, max: vcpus }), { nil: undefined }),
      topology: fc.constant({ sockets, dies: 1, clusters: 1, cores, threads }),
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, vcpus - 1) }), { minLength: Math.max(0, cells - 1), maxLength: Math.max(0, cells - 1) }),
      cellData: fc.array(fc.record({ mem: fc.integer({ min: 1, max: 64 }), nodes: ids(7), mode: fc.constantFrom(...MODES), huge: fc.constantFrom(undefined, 2048, 1048576) }), { minLength: cells, maxLength: cells }),
      far: fc.array(fc.integer({ min: 11, max: 255 }), { minLength: 16, maxLength: 16 }),
      pins: fc.array(fc.tuple(fc.integer({ min: 0, max: vcpus - 1 }), ids(127)), { maxLength: vcpus }),
      emulatorpin: fc.oneof(fc.constant([] as number[]), ids(127)),
      iothreadpins: fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), ids(127)), { maxLength: 3 }),
    });
  })
  .filter((r) => r.cellData.length <= 1 || r.cuts.length === r.cellData.length - 1)
  .map((r) => {
    const n = r.cellData.length;
    const bounds = [0, ...[...r.cuts].sort((a, b) => a - b), r.vcpus];
    const cells: GuestCell[] = r.cellData.map((d, i) => {
      const cell: GuestCell = {
        id: i,
        vcpus: n === 1 ? Array.from({ length: r.vcpus }, (_, v) => v) : Array.from({ length: bounds[i + 1] - bounds[i] }, (_, k) => bounds[i] + k),
        memoryKiB: d.mem * 1048576,
        hostNodes: d.nodes,
        memoryMode: d.mode,
        distances: Array.from({ length: n }, (_, j) => (i === j ? 10 : r.far[Math.min(i, j) * 4 + Math.max(i, j)])),
      };
      if (d.huge !== undefined) cell.hugepageSizeKiB = d.huge;
      return cell;
    });
    const pins = [...new Map(r.pins.map(([vcpu, cpus]) => [vcpu, cpus]))].map(([vcpu, cpus]) => ({ vcpu, cpus })).sort((a, b) => a.vcpu - b.vcpu);
    const iothreadpins = [...new Map(r.iothreadpins.map(([iothread, cpus]) => [iothread, cpus]))].map(([iothread, cpus]) => ({ iothread, cpus })).sort((a, b) => a.iothread - b.iothread);
    const layout: GuestLayout = {
      vcpus: r.vcpus,
      topology: r.topology,
      cells,
      pins,
      emulatorpin: r.emulatorpin,
      iothreadpins,
      memoryKiB: cells.length > 0 ? cells.reduce((s, c) => s + c.memoryKiB, 0) : 2097152,
      devices: [],
    };
    if (r.current !== undefined && r.current < r.vcpus) layout.currentVcpus = r.current;
    return layout;
  });

describe('property: random layouts into real domains', () => {
  it('read back equal, nothing outside the owned elements changes, and rewriting is a no-op', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), layoutArb, (file, layout) => {
        const doc = parseDomainDocument(file.text);
        const original = readLayout(doc).layout!;
        const w = writeLayout(doc, layout);
        expect(w.diagnostics).toEqual([]);
        const back = readLayout(parseDomainDocument(w.text)).layout!;
        // Without cells, <numatune> and hugepages are not the layout's to express, so they stay.
        const { memoryKiB: _m, devices: _d, ...got } = back;
        const { memoryKiB: _m2, devices: _d2, ...want } = layout;
        expect(got).toEqual(want);
        if (layout.cells.length === 0 && original.cells.length === 0) expect(back.memoryKiB).toBe(layout.memoryKiB);
        expect(withoutOwned(w.text)).toBe(withoutOwned(file.text));
        expect(writeLayout(parseDomainDocument(w.text), back).edits).toEqual([]);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('property: damaged documents', () => {
  const damage = fc.oneof(
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.stringMatching(/^[<>&'"/=!\-[\]a-z0-9 ?;#x]{1,12}$/) }),
    fc.record({ kind: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  );
  it('parse, read and write never throw, and a write never edits a broken document', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(damage, { minLength: 1, maxLength: 4 }), (file, damages) => {
        let text = file.text;
        for (const d of damages) {
          const at = d.at % (text.length + 1);
          if (d.kind === 'cut') text = text.slice(0, at) + text.slice(at + d.len);
          else if (d.kind === 'insert') text = text.slice(0, at) + d.text + text.slice(at);
          else text = text.slice(0, at) + text.slice(at, at + d.len) + text.slice(at);
        }
        const doc = parseDomainDocument(text, 'damaged.xml');
        const r = readLayout(doc);
        for (const diag of r.diagnostics) {
          expect(diag.message.length).toBeGreaterThan(0);
          if (diag.line !== undefined) expect(diag.line).toBeGreaterThanOrEqual(1);
        }
        const w = writeLayout(doc, r.layout ?? goldenLayout());
        if (!doc.wellFormed) expect(w.text).toBe(text);
        else expect(() => parseDomainDocument(w.text)).not.toThrow();
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
