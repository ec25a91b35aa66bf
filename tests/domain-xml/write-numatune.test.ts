/**
 * <numatune> in place (libvirt's numatune-memnode.xml and hugepages-numa-nodeset.xml): automatic
 * placement kept while the cells' bindings do not change, a missing mode added after cellid,
 * <memory>'s mode changed in place, and its nodeset left as the user wrote it when it names the
 * same nodes, or added after the mode when it has none.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout, MemoryMode } from '../../src/core/guest/model.ts';
import { readCorpus } from '../support/corpus.ts';
import { edit, element, fixture } from './writer-edit.ts';

const memnode = readCorpus('libvirt-domain-numa/numatune-memnode.xml');
/** hugepages-numa-nodeset.xml (four cells) with a <numatune> after <vcpu>. */
const fourCells = (numatune: string) => fixture('hugepages-numa-nodeset.xml').replace("<vcpu placement='static'>4</vcpu>", `<vcpu placement='static'>4</vcpu>\n  <numatune>\n    ${numatune}\n  </numatune>`);
const bindAll = (nodes: number[], mode: (id: number) => MemoryMode) => (l: GuestLayout): GuestLayout => ({ ...l, cells: l.cells.map((c) => ({ ...c, hostNodes: nodes, memoryMode: mode(c.id) })) });

describe("<memory placement='auto'>", () => {
  it('stays while the cells keep their (automatic) binding', () => {
    const text = fourCells("<memory mode='strict' placement='auto'/>");
    expect(edit(text, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, memoryKiB: 2097152 })) })).edits).toEqual([
      ['4194304', '8388608'],
      ['4194304', '8388608'],
      ['1048576', '2097152'],
      ['1048576', '2097152'],
      ['1048576', '2097152'],
      ['1048576', '2097152'],
    ]);
  });
});

describe('a <memnode> without a mode (strict)', () => {
  it('gains the new mode after its cellid', () => {
    const text = memnode.replace("<memnode cellid='2' mode='strict' nodeset='1-2,5-7,^6'/>", "<memnode cellid='2' nodeset='1-2,5-7,^6'/>");
    const r = edit(text, (l) => ({ ...l, cells: l.cells.map((c) => (c.id === 2 ? { ...c, memoryMode: 'interleave' } : c)) }));
    expect(r.edits).toEqual([['', " mode='interleave'"]]);
    expect(r.text).toContain("<memnode cellid='2' mode='interleave' nodeset='1-2,5-7,^6'/>");
  });
});

describe("<numatune>'s <memory>", () => {
  it("changes its mode from restrictive to strict when a cell is no longer restrictive", () => {
    const text = fourCells("<memory mode='restrictive' nodeset='0-1'/>");
    const r = edit(text, bindAll([0, 1], (id) => (id === 3 ? 'preferred' : 'restrictive')));
    expect(element(r.text, 'numatune')).toBe("<numatune>\n    <memory mode='strict' nodeset='0-1'/>\n    <memnode cellid='0' mode='restrictive' nodeset='0-1'/>\n    <memnode cellid='1' mode='restrictive' nodeset='0-1'/>\n    <memnode cellid='2' mode='restrictive' nodeset='0-1'/>\n    <memnode cellid='3' mode='preferred' nodeset='0-1'/>\n  </numatune>");
  });

  it('keeps a nodeset written differently but naming the same nodes', () => {
    const text = fourCells("<memory mode='strict' nodeset='0,1'/>");
    expect(edit(text, bindAll([0, 1], () => 'restrictive')).edits).toEqual([['strict', 'restrictive']]);
  });

  it('gains its mode after what it has when it had none', () => {
    const text = fourCells("<memory nodeset='0-1'/>");
    expect(edit(text, bindAll([0, 1], () => 'restrictive')).edits).toEqual([['', " mode='restrictive'"]]);
    expect(element(edit(text, bindAll([0, 1], () => 'restrictive')).text, 'numatune')).toBe("<numatune>\n    <memory nodeset='0-1' mode='restrictive'/>\n  </numatune>");
  });

  it('gains a nodeset after its mode when it had none', () => {
    const text = fourCells("<memory mode='strict'/>");
    expect(element(edit(text, bindAll([2], () => 'strict')).text, 'numatune')).toBe("<numatune>\n    <memory mode='strict' nodeset='2'/>\n  </numatune>");
  });
});
