/**
 * A cell written with a unit other than KiB (`memory='4' unit='GiB'`) stays right when its
 * memory changes: the amount in that unit when it is whole in it, else KiB with the unit
 * rewritten to say so — never a KiB number left under unit='GiB'. Kills the planted bug "a cell
 * written with unit='GiB' not rewritten on a memory edit" (domain-xml/write.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import { readCorpus } from '../support/corpus.ts';
import { withoutOwned } from './support.ts';

const GiB = 1048576;
// numatune-memnode.xml with its cells in GiB and MiB, as people write them by hand
const text = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml')
  .replace("<memory unit='KiB'>24682468</memory>", "<memory unit='GiB'>7</memory>")
  .replace("memory='20002' unit='KiB'", "memory='4' unit='GiB'")
  .replace("memory='660066' unit='KiB'", "memory='1024' unit='MiB'")
  .replace("memory='24002400' unit='KiB'", "memory='2' unit='G'");

describe('cells in other units', () => {
  const doc = parseDomainDocument(text);
  const layout = readLayout(doc).layout!;

  it('read as KiB', () => {
    expect(layout.cells.map((c) => c.memoryKiB)).toEqual([4 * GiB, GiB, 2 * GiB]);
  });

  it('a whole number of the unit stays in it', () => {
    const w = writeLayout(doc, { ...layout, cells: layout.cells.map((c) => ({ ...c, memoryKiB: c.memoryKiB + GiB })) });
    expect(w.diagnostics).toEqual([]);
    expect(w.text).toContain("<cell id='0' cpus='0' memory='5' unit='GiB'/>");
    expect(w.text).toContain("<cell id='1' cpus='1-27,29' memory='2048' unit='MiB'/>");
    expect(w.text).toContain("<cell id='2' cpus='28,30-31' memory='3' unit='G'/>");
    expect(w.text).toContain("<memory unit='GiB'>10</memory>");
    expect(readLayout(parseDomainDocument(w.text)).layout!.cells.map((c) => c.memoryKiB)).toEqual([5 * GiB, 2 * GiB, 3 * GiB]);
  });

  it('an amount not whole in the unit is written in KiB, the unit rewritten', () => {
    const w = writeLayout(doc, { ...layout, cells: layout.cells.map((c) => (c.id === 0 ? { ...c, memoryKiB: c.memoryKiB + 1024 } : c)) });
    expect(w.diagnostics).toEqual([]);
    expect(w.text).toContain(`<cell id='0' cpus='0' memory='${4 * GiB + 1024}' unit='KiB'/>`);
    expect(readLayout(parseDomainDocument(w.text)).layout!.cells[0].memoryKiB).toBe(4 * GiB + 1024);
    expect(withoutOwned(w.text)).toBe(withoutOwned(text));
  });
});
