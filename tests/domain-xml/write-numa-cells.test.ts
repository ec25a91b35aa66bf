/**
 * <numa> cells edited in place in libvirt's own test domains (numatune-hmat.xml with a cell
 * <cache> and <interconnects>, numatune-distances.xml, pcie-expander-bus.xml): a cell found by
 * its id wherever it is written, lists and sizes kept as the user wrote them when they did not
 * change, <distances> kept when the layout does not know them and put before <cache> when new,
 * new cells before <interconnects>, and <memory> following the cells when they merge.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { readCorpus } from '../support/corpus.ts';
import { edit, element, fixture } from './writer-edit.ts';

const hmat = readCorpus('libvirt-domain-numa', 'numatune-hmat.xml');
const distances = readCorpus('libvirt-domain-numa', 'numatune-distances.xml');
const expanderBus = fixture('pcie-expander-bus.xml');

/** The cell element with that id, whole. */
const cell = (text: string, id: number) => new RegExp(`<cell id='${id}'[^>]*?(/>|>[\\s\\S]*?</cell>)`).exec(text)![0];
/** The first `n` cells, their distance rows cut to match. */
const firstCells = (n: number) => (l: GuestLayout): GuestLayout => ({ ...l, cells: l.cells.slice(0, n).map((c) => ({ ...c, distances: c.distances.slice(0, n) })) });

describe('a cell in the document', () => {
  it('is found by its id when the cells are not written in id order', () => {
    const swapped = hmat.replace(
      "<cell id='1' cpus='4-7' memory='2097152' unit='KiB'/>\n      <cell id='2' cpus='8-11' memory='2097152' unit='KiB'/>",
      "<cell id='2' cpus='8-11' memory='2097152' unit='KiB'/>\n      <cell id='1' cpus='4-7' memory='2097152' unit='KiB'/>",
    );
    const r = edit(swapped, (l) => ({ ...l, cells: l.cells.map((c) => (c.id === 1 ? { ...c, memoryKiB: 1048576 } : c)) }));
    expect(r.text).toContain("<cell id='2' cpus='8-11' memory='2097152' unit='KiB'/>\n      <cell id='1' cpus='4-7' memory='1048576' unit='KiB'/>");
  });

  it('keeps its vCPU list as written (0-3,4-7) when only its memory changes', () => {
    const text = expanderBus.replace("<cell cpus='0-7'", "<cell cpus='0-3,4-7'");
    const r = edit(text, (l) => ({ ...l, cells: l.cells.map((c) => (c.id === 0 ? { ...c, memoryKiB: 219100 } : c)) }));
    expect(r.text).toContain("<cell cpus='0-3,4-7' memory='219100' unit='KiB'/>");
  });

  it('keeps a size in GB, which KiB cannot say exactly, when only its vCPUs change', () => {
    const text = hmat.replace("<cell id='3' memory='2097152' unit='KiB'/>", "<cell id='3' memory='1' unit='GB'/>");
    const r = edit(text, (l) => ({ ...l, cells: l.cells.map((c) => (c.id === 3 ? { ...c, vcpus: [11] } : c.id === 2 ? { ...c, vcpus: [8, 9, 10] } : c)) }));
    expect(r.edits).toEqual([
      ['8-11', '8-10'],
      ['', " cpus='11'"],
    ]);
    expect(cell(r.text, 3)).toBe("<cell id='3' cpus='11' memory='1' unit='GB'/>");
  });
});

describe('<distances>', () => {
  it("stay as the document has them when the layout does not know them (rows left empty)", () => {
    const r = edit(distances, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, distances: [], memoryKiB: c.id === 5 ? 1048576 : c.memoryKiB })) }));
    const numa = element(r.text, 'numa')!;
    expect(numa).toBe(element(distances, 'numa')!.replace("<cell id='5' cpus='5-6' memory='2097152'", "<cell id='5' cpus='5-6' memory='1048576'"));
  });

  it("go before a cell's <cache> when a cell that has one gains them", () => {
    const r = edit(hmat, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, distances: l.cells.map((_, j) => (j === c.id ? 10 : 21)) })) }));
    expect(cell(r.text, 0)).toBe(`<cell id='0' cpus='0-3' memory='2097152' unit='KiB'>
        <distances>
          <sibling id='0' value='10'/>
          <sibling id='1' value='21'/>
          <sibling id='2' value='21'/>
          <sibling id='3' value='21'/>
          <sibling id='4' value='21'/>
          <sibling id='5' value='21'/>
        </distances>
        <cache level='1' associativity='direct' policy='writeback'>
          <size value='10' unit='KiB'/>
          <line value='8' unit='B'/>
        </cache>
      </cell>`);
  });
});

describe('cells coming and going', () => {
  it('a new cell goes after the last one, before <interconnects>', () => {
    const r = edit(hmat, (l) => ({ ...l, cells: [...l.cells, { id: 6, vcpus: [], memoryKiB: 1048576, hostNodes: [], memoryMode: 'strict', distances: [] }] }));
    expect(r.text).toContain("<cell id='5' memory='2097152' unit='KiB'/>\n      <cell id='6' memory='1048576' unit='KiB'/>\n      <interconnects>");
  });

  it('an <interconnects> entry whose initiator is gone is named, though its target stays', () => {
    const text = hmat.replace("<latency initiator='0' target='0' type='access' value='5'/>", "<latency initiator='4' target='0' type='access' value='5'/>");
    expect(edit(text, firstCells(3)).diagnostics).toEqual(['warning: <interconnects> names a guest cell that no longer exists (the guest has 3); fix or remove those entries']);
  });

  it("two cells merged into one of the same size set <memory> to the cells' sum, as libvirt would", () => {
    // numatune-hmat.xml says 8 GiB of memory while its six cells hold 12 GiB: libvirt takes the cells'.
    const merged = (l: GuestLayout): GuestLayout => {
      const five = firstCells(5)(l);
      return { ...five, cells: five.cells.map((c) => (c.id === 4 ? { ...c, memoryKiB: 4194304 } : c)) };
    };
    expect(edit(hmat, merged).edits).toEqual([
      ['8388608', '12582912'],
      ['8388608', '12582912'],
      ['2097152', '4194304'],
      ["\n      <cell id='5' memory='2097152' unit='KiB'/>", ''],
    ]);
  });
});
