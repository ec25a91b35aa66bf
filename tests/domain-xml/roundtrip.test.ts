import { describe, expect, it } from 'vitest';
import { applyEdits, parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { readCorpus } from '../support/corpus.ts';
import { changed, domainFiles, withoutOwned } from './support.ts';

const files = domainFiles();

function read(text: string): GuestLayout {
  const r = readLayout(parseDomainDocument(text));
  if (!r.layout) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.layout;
}

describe('round trips over real libvirt domains', () => {
  it.each(files.map((f) => [f.name, f.text]))('%s: read → write without change is byte-identical', (_, text) => {
    const doc = parseDomainDocument(text);
    const r = readLayout(doc);
    expect(r.diagnostics).toEqual([]);
    const w = writeLayout(doc, r.layout!);
    expect(w.edits).toEqual([]);
    expect(w.text).toBe(text);
  });

  it.each(files.map((f) => [f.name, f.text]))('%s: a changed layout changes nothing outside the owned elements and reads back', (_, text) => {
    const doc = parseDomainDocument(text);
    const before = read(text);
    const next = changed(before);
    const w = writeLayout(doc, next);
    expect(w.diagnostics).toEqual([]);
    expect(applyEdits(text, w.edits)).toBe(w.text);
    expect(withoutOwned(w.text)).toBe(withoutOwned(text));
    const back = readLayout(parseDomainDocument(w.text));
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { currentVcpus: _c, ...expected } = next;
    expect({ ...back.layout!, memoryKiB: 0 }).toEqual({ ...expected, memoryKiB: 0, devices: before.devices });
    // Rewriting the same layout again is a no-op: the writer reached a fixed point.
    expect(writeLayout(parseDomainDocument(w.text), back.layout!).edits).toEqual([]);
  });

  it('edits are minimal: one changed pin is one edit of one attribute value', () => {
    const text = readCorpus('libvirt-domain-numa', 'cputune-numatune.xml');
    const layout = read(text);
    const w = writeLayout(parseDomainDocument(text), { ...layout, emulatorpin: [1, 2, 3, 7] });
    expect(w.edits).toHaveLength(1);
    const e = w.edits[0];
    expect(text.slice(e.from, e.to)).toBe('1-3');
    expect(e.text).toBe('1-3,7');
  });

  it('a set written differently but equal ("1-2,5-7,^6") is left as the user wrote it', () => {
    const text = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml');
    const layout = read(text);
    expect(layout.cells.map((c) => [c.memoryMode, c.hostNodes])).toEqual([['preferred', [3]], ['strict', [0, 1, 2, 3, 4, 5, 6, 7]], ['strict', [1, 2, 5, 7]]]);
    const moved = { ...layout, cells: layout.cells.map((c) => (c.id === 0 ? { ...c, hostNodes: [2] } : c)) };
    const w = writeLayout(parseDomainDocument(text), moved);
    expect(w.edits).toEqual([{ from: text.indexOf("'3'/>") + 1, to: text.indexOf("'3'/>") + 2, text: '2' }]);
    expect(w.text).toContain("<memnode cellid='2' mode='strict' nodeset='1-2,5-7,^6'/>");
  });

  it('cells without ids (pcie-expander-bus): new cells follow them, numbered by position', () => {
    const text = files.find((f) => f.name === 'pcie-expander-bus.xml')!.text;
    const layout = read(text);
    expect(layout.cells.map((c) => [c.id, c.vcpus.length, c.memoryKiB])).toEqual([[0, 8, 109550], [1, 8, 109550]]);
    const three = {
      ...layout,
      cells: [
        { ...layout.cells[0], vcpus: [0, 1, 2, 3, 4, 5], distances: [10, 20, 20] },
        { ...layout.cells[1], vcpus: [6, 7, 8, 9, 10], distances: [20, 10, 20] },
        { id: 2, vcpus: [11, 12, 13, 14, 15], memoryKiB: 109550, hostNodes: [], memoryMode: 'strict' as const, distances: [20, 20, 10] },
      ],
    };
    const w = writeLayout(parseDomainDocument(text), three);
    expect(w.text).toContain(`      <cell cpus='0-5' memory='109550' unit='KiB'/>
      <cell cpus='6-10' memory='109550' unit='KiB'/>
      <cell id='2' cpus='11-15' memory='109550' unit='KiB'/>
    </numa>`);
    expect(w.text).toContain("<memory unit='KiB'>328650</memory>");
    expect(read(w.text).cells).toEqual(three.cells);
  });
});

describe('read(): values and diagnostics', () => {
  it('fills distances symmetrically from an upper triangle, like libvirt', () => {
    const layout = read(readCorpus('libvirt-domain-numa', 'numatune-distances.xml'));
    expect(layout.cells[5].distances).toEqual([61, 51, 41, 31, 21, 10]);
    expect(layout.cells[0].distances).toEqual([10, 21, 31, 41, 51, 61]);
    expect(layout.cells[0].vcpus).toEqual([0, 11]);
  });

  it('reads per-cell hugepages, memory devices and expander buses', () => {
    const byName = (n: string) => read(files.find((f) => f.name === n)!.text);
    expect(byName('hugepages-numa-nodeset.xml').cells.map((c) => c.hugepageSizeKiB)).toEqual([1048576, 2048, 1048576, 1048576]);
    const dimm = byName('memory-hotplug-dimm.xml');
    expect(dimm.memoryKiB).toBe(1267710);
    expect(dimm.topology).toEqual({ sockets: 2, dies: 1, clusters: 1, cores: 1, threads: 1 });
    const placed = byName('vcpu-placement-static.xml');
    expect(placed).toMatchObject({ vcpus: 6, currentVcpus: 2, emulatorpin: [1, 2, 3], iothreadpins: [{ iothread: 1, cpus: [2] }], cells: [] });
  });

  it('reads a passthrough device behind a pcie-expander-bus as placed on its cell, and moves it', () => {
    const text = files.find((f) => f.name === 'pcie-expander-bus.xml')!.text.replace(
      '    <memballoon',
      `    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x81' slot='0x00' function='0x1'/>
      </source>
      <address type='pci' bus='0x02' slot='0x00'/>
    </hostdev>
    <memballoon`,
    );
    const layout = read(text);
    expect(layout.devices).toEqual([{ bdf: '0000:81:00.1', cell: 0, policy: 'required' }]);
    const w = writeLayout(parseDomainDocument(text), { ...layout, devices: [{ bdf: '0000:81:00.1', cell: 1, policy: 'required' }] });
    expect(w.edits).toHaveLength(1);
    expect(w.text).toContain('<target busNr=\'254\'>\n        <node>1</node>');
  });

  const bad: [string, string, string, number, RegExp][] = [
    ['cpuset "0-3,^"', "<cputune>\n    <vcpupin vcpu='0' cpuset='0-3,^'/>\n  </cputune>", 'vcpupin', 31, /Failed to parse bitmap '0-3,\^'/],
    ['unknown unit', "<cpu>\n    <numa>\n      <cell id='0' cpus='0-3' memory='4' unit='GiBi'/>\n    </numa>\n  </cpu>", 'cell', 48, /unknown suffix 'GiBi'/],
    ['topology product', "<cpu>\n    <topology sockets='2' cores='3' threads='1'/>\n  </cpu>", 'topology', 5, /CPU topology doesn't match maximum vcpu count/],
    ['memnode cellid', "<numatune>\n    <memnode cellid='3' mode='strict' nodeset='0'/>\n  </numatune>\n  <cpu><numa><cell id='0' cpus='0-3' memory='1024'/></numa></cpu>", 'memnode', 5, /Invalid 'cellid' attribute in memnode element: 3. Max cellid is 0/],
    ['numatune mode', "<numatune>\n    <memory mode='bind' nodeset='0'/>\n  </numatune>", 'memory mode', 19, /Unsupported NUMA memory tuning mode 'bind'/],
    ['overlapping cells', "<cpu>\n    <numa>\n      <cell id='0' cpus='0-2' memory='1024'/>\n      <cell id='1' cpus='2-3' memory='1024'/>\n    </numa>\n  </cpu>", 'numa', 5, /NUMA cells 0 and 1 have overlapping vCPU ids/],
  ];
  it.each(bad)('%s: an error at the value, and the rest still reads', (_, owned, anchor, column, message) => {
    const text = `<domain type='kvm'>\n  <name>x</name>\n  <memory unit='KiB'>4096</memory>\n  <vcpu placement='static'>4</vcpu>\n  ${owned}\n</domain>\n`;
    const r = readLayout(parseDomainDocument(text, 'bad.xml'));
    const line = text.slice(0, text.indexOf(anchor === 'memory mode' ? "<memory mode" : `<${anchor}`)).split('\n').length;
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', source: 'bad.xml', line, column, message: expect.stringMatching(message) }));
    expect(r.layout?.vcpus).toBe(4);
  });
});
