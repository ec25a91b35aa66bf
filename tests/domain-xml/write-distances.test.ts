/**
 * Which new cells carry <distances> (a domain written from nothing): all of them as soon as one
 * distance differs from libvirt's 10/20 default, a default row included, so that every row reads
 * back as it was; none when the layout knows only some rows, which libvirt would complete with
 * defaults the layout never meant.
 */
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestCell, GuestLayout } from '../../src/core/guest/model.ts';

/** One vCPU and 1 GiB per cell, with these distance rows. */
function layoutWithRows(rows: number[][]): GuestLayout {
  const cells: GuestCell[] = rows.map((distances, id) => ({ id, vcpus: [id], memoryKiB: 1048576, hostNodes: [], memoryMode: 'strict', distances }));
  return { vcpus: rows.length, topology: { sockets: rows.length, dies: 1, clusters: 1, cores: 1, threads: 1 }, cells, pins: [], emulatorpin: [], iothreadpins: [], memoryKiB: rows.length * 1048576, devices: [] };
}

describe('<distances> of new cells', () => {
  it('are written for every cell, a default row too, when one pair is farther than 20', () => {
    const rows = [
      [10, 20, 20],
      [20, 10, 30],
      [20, 30, 10],
    ];
    const w = writeLayout(null, layoutWithRows(rows));
    expect(w.text).toContain(`<cell id='0' cpus='0' memory='1048576' unit='KiB'>
        <distances>
          <sibling id='0' value='10'/>
          <sibling id='1' value='20'/>
          <sibling id='2' value='20'/>
        </distances>
      </cell>`);
    expect(readLayout(parseDomainDocument(w.text)).layout!.cells.map((c) => c.distances)).toEqual(rows);
  });

  it('are not written when the layout knows the row of only some cells', () => {
    const w = writeLayout(null, layoutWithRows([[10, 21], []]));
    expect(w.diagnostics).toEqual([]);
    expect(w.text).not.toContain('<distances');
    expect(w.text).toContain("<numa>\n      <cell id='0' cpus='0' memory='1048576' unit='KiB'/>\n      <cell id='1' cpus='1' memory='1048576' unit='KiB'/>\n    </numa>");
  });
});
