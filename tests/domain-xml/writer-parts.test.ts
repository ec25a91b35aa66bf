/**
 * Each part the writer owns, edit by edit, on real documents: the exact text edits it makes for
 * memory and currentMemory, <vcpu current>, a <vcpus> list, iothreads, numatune placement, the
 * warnings it gives for what it cannot write, and the domain it writes from nothing.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { readCorpus } from '../support/corpus.ts';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/domain-xml', name), 'utf8');

/** The edits writing `change(layout)` makes, as [old text, new text] pairs, and the diagnostics. */
function edit(text: string, change: (l: GuestLayout) => GuestLayout) {
  const doc = parseDomainDocument(text);
  const w = writeLayout(doc, change(readLayout(doc).layout!));
  return { edits: w.edits.map((e) => [text.slice(e.from, e.to), e.text]), diagnostics: w.diagnostics.map((d) => `${d.severity}: ${d.message}`), text: w.text };
}

const staticVcpus = fixture('vcpu-placement-static.xml');

describe('memory and currentMemory', () => {
  it('more memory: <memory> follows, a smaller currentMemory (ballooned down) stays', () => {
    expect(edit(staticVcpus, (l) => ({ ...l, memoryKiB: 262144 })).edits).toEqual([['131072', '262144']]);
  });

  it('less memory than currentMemory: both come down', () => {
    expect(edit(staticVcpus, (l) => ({ ...l, memoryKiB: 32768 })).edits).toEqual([
      ['131072', '32768'],
      ['65536', '32768'],
    ]);
  });

  it('a currentMemory equal to memory follows it up', () => {
    const text = staticVcpus.replace('<currentMemory unit=\'KiB\'>65536', "<currentMemory unit='KiB'>131072");
    expect(edit(text, (l) => ({ ...l, memoryKiB: 262144 })).edits).toEqual([
      ['131072', '262144'],
      ['131072', '262144'],
    ]);
  });

  it('with memory devices, <memory> is the cells plus the DIMMs (memory-hotplug-dimm.xml)', () => {
    const text = fixture('memory-hotplug-dimm.xml');
    const { edits, diagnostics } = edit(text, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, memoryKiB: c.memoryKiB * 2 })) }));
    expect(diagnostics).toEqual([]);
    expect(edits).toEqual([
      ['1267710', '1485823'],
      ['1267710', '1485823'],
      ['219136', '438272'],
    ]);
  });
});

describe('vCPUs', () => {
  it('more vCPUs and more online: the count, current and a topology', () => {
    expect(edit(staticVcpus, (l) => ({ ...l, vcpus: 8, currentVcpus: 3, topology: { sockets: 8, dies: 1, clusters: 1, cores: 1, threads: 1 } })).edits).toEqual([
      ['2', '3'],
      ['6', '8'],
      ['', "\n    <topology sockets='8' dies='1' cores='1' threads='1'/>"],
    ]);
  });

  it('every vCPU online: current goes', () => {
    expect(edit(staticVcpus, (l) => ({ ...l, currentVcpus: undefined })).edits).toEqual([[" current='2'", '']]);
  });

  it('a <vcpus> list is rewritten to the new counts, the first `current` enabled', () => {
    const list = "\n  <vcpus>\n    <vcpu id='0' enabled='yes' hotpluggable='no'/>\n    <vcpu id='1' enabled='yes' hotpluggable='no'/>\n    <vcpu id='2' enabled='no' hotpluggable='yes'/>\n    <vcpu id='3' enabled='no' hotpluggable='yes'/>\n    <vcpu id='4' enabled='no' hotpluggable='yes'/>\n    <vcpu id='5' enabled='no' hotpluggable='yes'/>\n  </vcpus>";
    const text = staticVcpus.replace("<vcpu placement='static' current='2'>6</vcpu>", `<vcpu placement='static' current='2'>6</vcpu>${list}`);
    expect(readLayout(parseDomainDocument(text)).diagnostics).toEqual([]);
    const { text: out, diagnostics } = edit(text, (l) => ({ ...l, vcpus: 4, currentVcpus: 3, topology: { sockets: 4, dies: 1, clusters: 1, cores: 1, threads: 1 } }));
    expect(diagnostics).toEqual([]);
    expect(out).toContain("<vcpus>\n    <vcpu id='0' enabled='yes' hotpluggable='no'/>\n    <vcpu id='1' enabled='yes' hotpluggable='no'/>\n    <vcpu id='2' enabled='yes' hotpluggable='no'/>\n    <vcpu id='3' enabled='no' hotpluggable='yes'/>\n  </vcpus>");
    const back = readLayout(parseDomainDocument(out));
    expect(back.diagnostics).toEqual([]);
    expect(back.layout).toMatchObject({ vcpus: 4, currentVcpus: 3 });
  });

  it('pinning iothread 4 raises <iothreads> to 4', () => {
    expect(edit(staticVcpus, (l) => ({ ...l, iothreadpins: [...l.iothreadpins, { iothread: 4, cpus: [5] }] })).edits).toEqual([
      ['2', '4'],
      ['', "\n    <iothreadpin iothread='4' cpuset='5'/>"],
    ]);
  });
});

describe('cputune', () => {
  const cputune = fixture('cputune.xml');
  it('unpinning everything removes the pins and keeps the tuning around them', () => {
    expect(edit(cputune, (l) => ({ ...l, pins: [], emulatorpin: [], iothreadpins: [] })).edits).toEqual([
      ["\n    <vcpupin vcpu='0' cpuset='0'/>", ''],
      ["\n    <vcpupin vcpu='1' cpuset='1'/>", ''],
      ["\n    <emulatorpin cpuset='1'/>", ''],
    ]);
  });

  it('moving one pin changes one value', () => {
    expect(edit(cputune, (l) => ({ ...l, pins: l.pins.map((p) => (p.vcpu === 1 ? { ...p, cpus: [7] } : p)) })).edits).toEqual([['1', '7']]);
  });

  it('a <cputune> holding only pins goes with them', () => {
    const text = readCorpus('libvirt-domain-numa', 'cputune-numatune.xml');
    const { text: out, diagnostics } = edit(text, (l) => ({ ...l, pins: [], emulatorpin: [], iothreadpins: [] }));
    expect(diagnostics).toEqual([]);
    expect(out).not.toContain('cputune');
  });
});

describe('hugepages', () => {
  const hugepages = fixture('hugepages-numa-nodeset.xml');
  it('no cell on hugepages: a <memoryBacking> holding only them goes', () => {
    const { edits } = edit(hugepages, (l) => ({ ...l, cells: l.cells.map(({ hugepageSizeKiB: _h, ...c }) => c) }));
    expect(edits).toEqual([["\n  <memoryBacking>\n    <hugepages>\n      <page size='2048' unit='KiB' nodeset='1'/>\n      <page size='1048576' unit='KiB' nodeset='0,2-3'/>\n    </hugepages>\n  </memoryBacking>", '']]);
  });

  it('one size for every cell: one page element naming them all', () => {
    const { edits } = edit(hugepages, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, hugepageSizeKiB: 2048 })) }));
    expect(edits).toEqual([
      ["<hugepages>\n      <page size='2048' unit='KiB' nodeset='1'/>\n      <page size='1048576' unit='KiB' nodeset='0,2-3'/>\n    </hugepages>", "<hugepages>\n      <page size='2048' unit='KiB' nodeset='0-3'/>\n    </hugepages>"],
    ]);
  });
});

describe('cpu: topology and cells', () => {
  const distances = readCorpus('libvirt-domain-numa', 'numatune-distances.xml');
  it('a new topology goes before <numa>, dies named', () => {
    expect(edit(distances, (l) => ({ ...l, topology: { sockets: 3, dies: 2, clusters: 1, cores: 2, threads: 1 } })).edits).toEqual([['', "<topology sockets='3' dies='2' cores='2' threads='1'/>\n    "]]);
  });

  it('a distance changed rewrites the rows of the two cells, whole', () => {
    const { edits } = edit(distances, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, distances: c.distances.map((v, j) => (c.id + j === 1 ? 99 : v)) })) }));
    expect(edits.map(([, to]) => to)).toEqual([
      "<distances>\n          <sibling id='0' value='10'/>\n          <sibling id='1' value='99'/>\n          <sibling id='2' value='31'/>\n          <sibling id='3' value='41'/>\n          <sibling id='4' value='51'/>\n          <sibling id='5' value='61'/>\n        </distances>",
      "<distances>\n          <sibling id='0' value='99'/>\n          <sibling id='1' value='10'/>\n          <sibling id='2' value='21'/>\n          <sibling id='3' value='31'/>\n          <sibling id='4' value='41'/>\n          <sibling id='5' value='51'/>\n        </distances>",
    ]);
  });

  it('a cell left without vCPUs loses its cpus attribute', () => {
    expect(edit(distances, (l) => ({ ...l, cells: l.cells.map((c) => (c.id === 5 ? { ...c, vcpus: [] } : c.id === 4 ? { ...c, vcpus: [4, 5, 6, 7] } : c)) })).edits).toEqual([
      ['4,7', '4-7'],
      [" cpus='5-6'", ''],
    ]);
  });

  it('an unbound cell added: the others keep their binding as memnodes, <memory> goes', () => {
    const memnode = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml');
    const { edits, text } = edit(memnode, (l) => ({
      ...l,
      cells: [...l.cells, { id: 3, vcpus: [], memoryKiB: 1024, hostNodes: [], memoryMode: 'strict' as const, distances: [] }].map((c, i) => ({ ...c, distances: [0, 1, 2, 3].map((j) => (i === j ? 10 : 20)) })),
    }));
    expect(edits).toEqual([
      ['24682468', '24683492'],
      ['24682468', '24683492'],
      ['', "\n    <memnode cellid='1' mode='strict' nodeset='0-7'/>"],
      ["\n    <memory mode='strict' nodeset='0-7'/>", ''],
      ['', "\n      <cell id='3' memory='1024' unit='KiB'/>"],
    ]);
    expect(readLayout(parseDomainDocument(text)).layout!.cells.map((c) => c.hostNodes)).toEqual([[3], [0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 5, 7], []]);
  });
});

describe('numatune', () => {
  it("placement='auto' gives way to the cells' binding; all restrictive stays restrictive", () => {
    const { edits, diagnostics } = edit(staticVcpus, (l) => ({ ...l, cells: [{ id: 0, vcpus: [0, 1, 2, 3, 4, 5], memoryKiB: 131072, hostNodes: [1], memoryMode: 'restrictive', distances: [10] }] }));
    expect(diagnostics).toEqual([]);
    expect(edits).toEqual([
      ["<memory mode='strict' placement='auto'/>", "<memory mode='restrictive' nodeset='1'/>"],
      ['', "\n    <numa>\n      <cell id='0' cpus='0-5' memory='131072' unit='KiB'/>\n    </numa>"],
    ]);
  });

  it('cells bound to different nodes: <memory> is their union, each cell its memnode', () => {
    const text = readCorpus('libvirt-domain-numa', 'numatune-distances.xml');
    const { text: out } = edit(text, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, hostNodes: [c.id % 2], memoryMode: c.id === 5 ? 'interleave' : 'strict' })) }));
    expect(out).toContain("<numatune>\n    <memory mode='strict' nodeset='0-1'/>\n    <memnode cellid='0' mode='strict' nodeset='0'/>");
    expect(out).toContain("<memnode cellid='5' mode='interleave' nodeset='1'/>\n  </numatune>");
  });
});

describe('what the writer cannot write, it says', () => {
  it('a device with no expander bus to carry its cell', () => {
    const text = fixture('pcie-expander-bus.xml');
    const { diagnostics, edits } = edit(text, (l) => ({ ...l, devices: [{ bdf: '0000:99:00.0', cell: 0, policy: 'required' }] }));
    expect(diagnostics).toEqual(['warning: host device 0000:99:00.0 has no PCI expander bus in the domain XML, so its guest cell 0 is not written']);
    expect(edits).toEqual([]);
  });

  it('<interconnects> naming a cell that is gone', () => {
    const text = readCorpus('libvirt-domain-numa', 'numatune-hmat.xml').replace("<latency initiator='0' target='0' type='access' value='5'/>", "<latency initiator='0' target='4' type='access' value='5'/>");
    expect(readLayout(parseDomainDocument(text)).diagnostics).toEqual([]);
    const { diagnostics } = edit(text, (l) => ({ ...l, cells: l.cells.slice(0, 3).map((c) => ({ ...c, distances: c.distances.slice(0, 3) })) }));
    expect(diagnostics).toEqual(['warning: <interconnects> names a guest cell that no longer exists (the guest has 3); fix or remove those entries']);
  });
});

describe('a domain from nothing', () => {
  it('is the minimal q35 / host-passthrough domain libvirt accepts, its name escaped', () => {
    const layout: GuestLayout = { vcpus: 2, topology: { sockets: 1, dies: 1, clusters: 1, cores: 2, threads: 1 }, cells: [], pins: [], emulatorpin: [], iothreadpins: [], memoryKiB: 1048576, devices: [] };
    const w = writeLayout(null, layout, { name: 'a<b&c' });
    expect(w.diagnostics).toEqual([]);
    expect(w.edits).toEqual([{ from: 0, to: 0, text: w.text }]);
    expect(w.text).toBe(`<domain type='kvm'>
  <name>a&lt;b&amp;c</name>
  <memory unit='KiB'>1048576</memory>
  <currentMemory unit='KiB'>1048576</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <features>
    <acpi/>
    <apic/>
  </features>
  <cpu mode='host-passthrough' check='none' migratable='on'>
    <topology sockets='1' dies='1' cores='2' threads='1'/>
  </cpu>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <controller type='pci' index='0' model='pcie-root'/>
    <memballoon model='none'/>
  </devices>
</domain>
`);
    expect(writeLayout(null, layout).text).toContain('<name>numascope-guest</name>');
  });

  it('with cells, its memory is theirs', () => {
    const layout: GuestLayout = { vcpus: 2, topology: { sockets: 2, dies: 1, clusters: 1, cores: 1, threads: 1 }, cells: [0, 1].map((id) => ({ id, vcpus: [id], memoryKiB: 524288, hostNodes: [], memoryMode: 'strict' as const, distances: id === 0 ? [10, 20] : [20, 10] })), pins: [], emulatorpin: [], iothreadpins: [], memoryKiB: 1, devices: [] };
    const w = writeLayout(null, layout);
    expect(w.text).toContain("<memory unit='KiB'>1048576</memory>");
    expect(readLayout(parseDomainDocument(w.text)).layout!.memoryKiB).toBe(1048576);
  });
});
