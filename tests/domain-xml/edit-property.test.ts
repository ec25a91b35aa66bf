/**
 * fast-check over the corpus domains and random sequences of the edits a person makes in the
 * diagram (a cell's memory ± MiB, binding or unbinding one cell, its memory mode, a pin moved
 * or dropped, a hugepage size, every cell removed): after each edit, everything outside the
 * owned elements is byte-identical to the original document, the text reads back as the
 * layout that was written, and writing that again changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout, MemoryMode } from '../../src/core/guest/model.ts';
import { domainFiles, withoutOwned } from './support.ts';

const files = domainFiles();
const nodes = fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 4 }).map((a) => [...a].sort((x, y) => x - y));

type Op =
  | { kind: 'memory'; cell: number; mib: number }
  | { kind: 'bind'; cell: number; nodes: number[] }
  | { kind: 'unbind'; cell: number }
  | { kind: 'mode'; cell: number; mode: MemoryMode }
  | { kind: 'pin'; vcpu: number; cpus: number[] }
  | { kind: 'unpin'; vcpu: number }
  | { kind: 'hugepages'; cell: number; kib: number | undefined }
  | { kind: 'no-cells' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('memory' as const), cell: fc.nat(7), mib: fc.integer({ min: -64, max: 4096 }) }),
  fc.record({ kind: fc.constant('bind' as const), cell: fc.nat(7), nodes }),
  fc.record({ kind: fc.constant('unbind' as const), cell: fc.nat(7) }),
  fc.record({ kind: fc.constant('mode' as const), cell: fc.nat(7), mode: fc.constantFrom<MemoryMode>('strict', 'preferred', 'interleave') }),
  fc.record({ kind: fc.constant('pin' as const), vcpu: fc.nat(40), cpus: fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3 }).map((a) => [...a].sort((x, y) => x - y)) }),
  fc.record({ kind: fc.constant('unpin' as const), vcpu: fc.nat(40) }),
  fc.record({ kind: fc.constant('hugepages' as const), cell: fc.nat(7), kib: fc.constantFrom(undefined, 2048, 1048576) }),
  fc.constant({ kind: 'no-cells' as const }),
);

/** The layout after one edit; an edit naming a cell or vCPU the guest lacks changes nothing. */
function apply(layout: GuestLayout, o: Op): GuestLayout {
  const cell = (id: number, change: (c: GuestLayout['cells'][number]) => GuestLayout['cells'][number]) =>
    id < layout.cells.length ? { ...layout, cells: layout.cells.map((c) => (c.id === id ? change({ ...c }) : c)) } : layout;
  switch (o.kind) {
    case 'memory':
      if (layout.cells.length === 0) return { ...layout, memoryKiB: Math.max(1024, layout.memoryKiB + o.mib * 1024) };
      return cell(o.cell, (c) => ({ ...c, memoryKiB: Math.max(1024, c.memoryKiB + o.mib * 1024) }));
    case 'bind':
      return cell(o.cell, (c) => ({ ...c, hostNodes: o.nodes }));
    case 'unbind':
      return cell(o.cell, (c) => ({ ...c, hostNodes: [] }));
    case 'mode':
      return cell(o.cell, (c) => ({ ...c, memoryMode: o.mode }));
    case 'pin':
      if (o.vcpu >= layout.vcpus) return layout;
      return { ...layout, pins: [...layout.pins.filter((p) => p.vcpu !== o.vcpu), { vcpu: o.vcpu, cpus: o.cpus }].sort((a, b) => a.vcpu - b.vcpu) };
    case 'unpin':
      return { ...layout, pins: layout.pins.filter((p) => p.vcpu !== o.vcpu) };
    case 'hugepages':
      return cell(o.cell, (c) => {
        const next = { ...c };
        if (o.kib === undefined) delete next.hugepageSizeKiB;
        else next.hugepageSizeKiB = o.kib;
        return next;
      });
    case 'no-cells':
      return { ...layout, cells: [] };
  }
}

/**
 * What a text says about the owned parts the edits touch (memory and devices are compared
 * apart). An unbound cell's memory mode has no element to live in (a <memnode> needs a
 * nodeset), so it is not compared.
 */
const owned = ({ memoryKiB: _m, devices: _d, ...rest }: GuestLayout) => ({
  ...rest,
  cells: rest.cells.map((c) => (c.hostNodes.length > 0 ? c : { ...c, memoryMode: 'unbound' })),
});

describe('property: random diagram edits on real domains', () => {
  it('keep every byte outside the owned elements, read back as written, and reach a fixed point', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(op, { minLength: 1, maxLength: 6 }), (file, ops) => {
        let text = file.text;
        let layout = readLayout(parseDomainDocument(text)).layout!;
        for (const o of ops) {
          const next = apply(layout, o);
          const w = writeLayout(parseDomainDocument(text), next);
          expect(w.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const back = readLayout(parseDomainDocument(w.text));
          expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(owned(back.layout!)).toEqual(owned(next));
          if (next.cells.length === 0 && layout.cells.length === 0) expect(back.layout!.memoryKiB).toBe(next.memoryKiB);
          expect(withoutOwned(w.text)).toBe(withoutOwned(file.text));
          expect(writeLayout(parseDomainDocument(w.text), back.layout!).edits).toEqual([]);
          text = w.text;
          layout = back.layout!;
        }
      }),
      { numRuns: 250, seed: 18 },
    );
  });
});
