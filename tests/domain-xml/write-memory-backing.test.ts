/**
 * <memoryBacking> when the cells change (libvirt's hugepages-numa-nodeset.xml): one without
 * <hugepages> (only <locked/>) is the user's and stays when the cell count changes; a bare
 * <hugepages/> (the default huge page size for the whole guest) stays as written when the cells
 * go; and the page size kept then is that of the cells that had pages, however much memory the
 * cells without pages held.
 */
import { describe, expect, it } from 'vitest';
import { edit, element, fixture } from './writer-edit.ts';

const hugepages = fixture('hugepages-numa-nodeset.xml');
const perCellPages = /<hugepages>[\s\S]*?<\/hugepages>/;

describe('<memoryBacking> without per-cell pages', () => {
  it('keeps <locked/>, and no <hugepages> appears, when a cell goes', () => {
    const text = hugepages.replace(perCellPages, '<locked/>');
    const r = edit(text, (l) => ({ ...l, cells: l.cells.slice(0, 3).map((c) => ({ ...c, distances: c.distances.slice(0, 3) })) }));
    expect(element(r.text, 'memoryBacking')).toBe('<memoryBacking>\n    <locked/>\n  </memoryBacking>');
  });

  it('keeps a bare <hugepages/> untouched when every cell goes', () => {
    const text = hugepages.replace(perCellPages, '<hugepages/>');
    const r = edit(text, (l) => ({ ...l, cells: [] }));
    expect(r.edits.filter(([before]) => before.includes('hugepages'))).toEqual([]);
    expect(element(r.text, 'memoryBacking')).toBe('<memoryBacking>\n    <hugepages/>\n  </memoryBacking>');
  });
});

describe('the page size kept when every cell goes', () => {
  it('is that of the one cell with pages, though the three without held more memory', () => {
    const text = hugepages.replace("\n      <page size='1048576' unit='KiB' nodeset='0,2-3'/>", '');
    const r = edit(text, (l) => ({ ...l, cells: [] }));
    expect(perCellPages.exec(r.text)![0]).toBe("<hugepages>\n      <page size='2048' unit='KiB'/>\n    </hugepages>");
  });
});
