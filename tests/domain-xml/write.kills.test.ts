/**
 * The writer's less travelled paths, on real documents, with the exact text they produce: a
 * domain written from nothing (every owned part inserted, in libvirt's order), a document
 * without <vcpu>, <topology> attributes added in libvirt's order, the page size kept when the
 * cells go, single pins changed in place, and <numatune> modes. Written for the mutants the
 * other writer tests let through.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomainDocument, readLayout, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { readCorpus } from '../support/corpus.ts';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/domain-xml', name), 'utf8');

/** The edits writing `change(layout)` makes, as [old text, new text] pairs, the diagnostics and the text. */
function edit(text: string, change: (l: GuestLayout) => GuestLayout) {
  const doc = parseDomainDocument(text);
  const read = readLayout(doc);
  expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const w = writeLayout(doc, change(read.layout!));
  return { edits: w.edits.map((e) => [text.slice(e.from, e.to), e.text]), diagnostics: w.diagnostics.map((d) => `${d.severity}: ${d.message}`), text: w.text };
}

/** Two cells of two vCPUs on host nodes 0 and 1, 2 MiB pages, SMT-less clusters, pins out of order. */
const twoCells: GuestLayout = {
  vcpus: 4,
  currentVcpus: 2,
  topology: { sockets: 2, dies: 1, clusters: 2, cores: 1, threads: 1 },
  cells: [
    { id: 0, vcpus: [0, 1], memoryKiB: 1048576, hostNodes: [0], memoryMode: 'strict', distances: [10, 21], hugepageSizeKiB: 2048 },
    { id: 1, vcpus: [2, 3], memoryKiB: 1048576, hostNodes: [1], memoryMode: 'strict', distances: [21, 10], hugepageSizeKiB: 2048 },
  ],
  pins: [
    { vcpu: 1, cpus: [5] },
    { vcpu: 0, cpus: [4] },
  ],
  emulatorpin: [0],
  iothreadpins: [
    { iothread: 2, cpus: [1] },
    { iothread: 1, cpus: [0] },
  ],
  memoryKiB: 2097152,
  devices: [],
};

describe('a domain written from nothing', () => {
  it('carries every owned part, each in libvirt\'s order, and the name escaped', () => {
    const w = writeLayout(null, twoCells, { name: 'a<b&c' });
    expect(w.diagnostics).toEqual([]);
    expect(w.edits).toEqual([{ from: 0, to: 0, text: w.text }]);
    expect(w.text).toBe(`<domain type='kvm'>
  <name>a&lt;b&amp;c</name>
  <memory unit='KiB'>2097152</memory>
  <currentMemory unit='KiB'>2097152</currentMemory>
  <memoryBacking>
    <hugepages>
      <page size='2048' unit='KiB' nodeset='0-1'/>
    </hugepages>
  </memoryBacking>
  <vcpu placement='static' current='2'>4</vcpu>
  <iothreads>2</iothreads>
  <cputune>
    <vcpupin vcpu='0' cpuset='4'/>
    <vcpupin vcpu='1' cpuset='5'/>
    <emulatorpin cpuset='0'/>
    <iothreadpin iothread='1' cpuset='0'/>
    <iothreadpin iothread='2' cpuset='1'/>
  </cputune>
  <numatune>
    <memory mode='strict' nodeset='0-1'/>
    <memnode cellid='0' mode='strict' nodeset='0'/>
    <memnode cellid='1' mode='strict' nodeset='1'/>
  </numatune>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <features>
    <acpi/>
    <apic/>
  </features>
  <cpu mode='host-passthrough' check='none' migratable='on'>
    <topology sockets='2' dies='1' clusters='2' cores='1' threads='1'/>
    <numa>
      <cell id='0' cpus='0-1' memory='1048576' unit='KiB'>
        <distances>
          <sibling id='0' value='10'/>
          <sibling id='1' value='21'/>
        </distances>
      </cell>
      <cell id='1' cpus='2-3' memory='1048576' unit='KiB'>
        <distances>
          <sibling id='0' value='21'/>
          <sibling id='1' value='10'/>
        </distances>
      </cell>
    </numa>
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
  });

  it('is named numascope-guest unless named, and reads back as written', () => {
    const w = writeLayout(null, { ...twoCells, pins: [...twoCells.pins].reverse(), iothreadpins: [...twoCells.iothreadpins].reverse() });
    expect(w.text).toContain('<name>numascope-guest</name>');
    const back = readLayout(parseDomainDocument(w.text));
    expect(back.diagnostics).toEqual([]);
    expect(back.layout?.cells).toEqual(twoCells.cells);
    expect(back.layout?.topology).toEqual(twoCells.topology);
  });

  it('is refused, with the source named "new domain", past libvirt\'s limits', () => {
    const w = writeLayout(null, { ...twoCells, vcpus: 99_999_999 });
    expect(w.text).toBe('');
    expect(w.edits).toEqual([]);
    expect(w.diagnostics.length).toBeGreaterThan(0);
    expect(w.diagnostics.every((d) => d.severity === 'error' && d.source === 'new domain' && d.message.startsWith('not written: '))).toBe(true);
  });

  it('writes the memory of its cells, not the layout\'s total, into the skeleton', () => {
    const w = writeLayout(null, { ...twoCells, memoryKiB: 1 });
    expect(w.text).toContain("<memory unit='KiB'>2097152</memory>\n  <currentMemory unit='KiB'>2097152</currentMemory>");
    const flat = writeLayout(null, { ...twoCells, cells: [], memoryKiB: 524288 });
    expect(flat.text).toContain("<memory unit='KiB'>524288</memory>");
  });
});

describe('documents the writer will not touch', () => {
  it('says a document that is not well-formed must be fixed, and leaves its text', () => {
    const text = '<domain><name>x</name';
    const doc = parseDomainDocument(text);
    const w = writeLayout(doc, twoCells);
    expect(w).toEqual({
      text,
      edits: [],
      diagnostics: [expect.objectContaining({ severity: 'error', message: 'the domain XML is not well-formed; fix it before numascope can change it' })],
    });
  });
});

describe('<vcpu>', () => {
  const staticVcpus = fixture('vcpu-placement-static.xml');

  it('is inserted after <currentMemory>, with current, into a document without one', () => {
    const text = staticVcpus.replace(/ {2}<vcpu[^\n]*\n/, '');
    const { edits, text: after } = edit(text, (l) => ({ ...l, vcpus: 4, currentVcpus: 2 }));
    expect(edits).toEqual([['', "\n  <vcpu placement='static' current='2'>4</vcpu>"]]);
    expect(after).toContain("<currentMemory unit='KiB'>65536</currentMemory>\n  <vcpu placement='static' current='2'>4</vcpu>\n  <iothreads>2</iothreads>");
  });

  it('is inserted without current when every vCPU is online', () => {
    const text = staticVcpus.replace(/ {2}<vcpu[^\n]*\n/, '');
    expect(edit(text, (l) => ({ ...l, vcpus: 4, currentVcpus: 4 })).edits).toEqual([['', "\n  <vcpu placement='static'>4</vcpu>"]]);
  });

  it('loses current when every vCPU comes online, the count untouched', () => {
    expect(edit(staticVcpus, (l) => ({ ...l, currentVcpus: 6 })).edits).toEqual([[" current='2'", '']]);
    expect(edit(staticVcpus, (l) => ({ ...l, currentVcpus: undefined })).edits).toEqual([[" current='2'", '']]);
  });

  it('keeps its count and changes only current', () => {
    expect(edit(staticVcpus, (l) => ({ ...l, currentVcpus: 5 })).edits).toEqual([['2', '5']]);
  });
});

describe('<topology> attributes in libvirt\'s order', () => {
  const withTopology = fixture('vcpu-placement-static.xml').replace(
    "<model fallback='forbid'>qemu64</model>",
    "<model fallback='forbid'>qemu64</model>\n    <topology sockets='3' cores='2' threads='1'/>",
  );
  const topologyLine = (text: string) => /<topology [^>]*\/>/.exec(text)![0];

  it('adds clusters after sockets when there are no dies', () => {
    const r = edit(withTopology, (l) => ({ ...l, topology: { sockets: 1, dies: 1, clusters: 3, cores: 2, threads: 1 } }));
    expect(topologyLine(r.text)).toBe("<topology sockets='1' clusters='3' cores='2' threads='1'/>");
  });

  it('adds dies after sockets, and no clusters of 1', () => {
    const r = edit(withTopology, (l) => ({ ...l, topology: { sockets: 1, dies: 3, clusters: 1, cores: 2, threads: 1 } }));
    expect(topologyLine(r.text)).toBe("<topology sockets='1' dies='3' cores='2' threads='1'/>");
  });

  it('adds dies and clusters together in order', () => {
    const r = edit(withTopology, (l) => ({ ...l, topology: { sockets: 1, dies: 3, clusters: 2, cores: 1, threads: 1 } }));
    expect(topologyLine(r.text)).toBe("<topology sockets='1' dies='3' clusters='2' cores='1' threads='1'/>");
  });

  it('keeps dies and clusters of 1 that the document names, changing only what differs', () => {
    const text = withTopology.replace("sockets='3' cores", "sockets='3' dies='1' clusters='1' cores");
    const r = edit(text, (l) => ({ ...l, topology: { sockets: 1, dies: 1, clusters: 1, cores: 6, threads: 1 } }));
    expect(r.edits).toEqual([
      ['3', '1'],
      ['2', '6'],
    ]);
    expect(topologyLine(r.text)).toBe("<topology sockets='1' dies='1' clusters='1' cores='6' threads='1'/>");
  });

  it('changes threads in place', () => {
    const r = edit(withTopology, (l) => ({ ...l, topology: { sockets: 3, dies: 1, clusters: 1, cores: 1, threads: 2 } }));
    expect(topologyLine(r.text)).toBe("<topology sockets='3' cores='1' threads='2'/>");
  });
});

describe('the page size that stays when the cells go', () => {
  const hugepages = fixture('hugepages-numa-nodeset.xml');
  const pagesAfterDroppingCells = (text: string) => /<hugepages>[\s\S]*?<\/hugepages>/.exec(edit(text, (l) => ({ ...l, cells: [] })).text)![0];

  it('is the size backing most of the memory', () => {
    expect(pagesAfterDroppingCells(hugepages)).toBe("<hugepages>\n      <page size='1048576' unit='KiB'/>\n    </hugepages>");
    const mostlySmall = hugepages.replace("nodeset='1'/>", "nodeset='0-2'/>").replace("nodeset='0,2-3'/>", "nodeset='3'/>");
    expect(pagesAfterDroppingCells(mostlySmall)).toBe("<hugepages>\n      <page size='2048' unit='KiB'/>\n    </hugepages>");
  });

  it('is the larger size on a tie', () => {
    const tie = hugepages.replace("nodeset='1'/>", "nodeset='1-2'/>").replace("nodeset='0,2-3'/>", "nodeset='0,3'/>");
    expect(pagesAfterDroppingCells(tie)).toBe("<hugepages>\n      <page size='1048576' unit='KiB'/>\n    </hugepages>");
    const smallFirst = hugepages
      .replace("<page size='2048' unit='KiB' nodeset='1'/>", "<page size='2048' unit='KiB' nodeset='0,3'/>")
      .replace("<page size='1048576' unit='KiB' nodeset='0,2-3'/>", "<page size='1048576' unit='KiB' nodeset='1-2'/>");
    expect(pagesAfterDroppingCells(smallFirst)).toBe("<hugepages>\n      <page size='1048576' unit='KiB'/>\n    </hugepages>");
  });

  it('weighs the cells by their memory, not their count', () => {
    const bigSmallCell = hugepages.replace("<cell id='1' cpus='1' memory='1048576'", "<cell id='1' cpus='1' memory='4194304'");
    expect(pagesAfterDroppingCells(bigSmallCell)).toBe("<hugepages>\n      <page size='2048' unit='KiB'/>\n    </hugepages>");
  });
});

describe('<cputune> pins', () => {
  const cputune = fixture('cputune.xml');

  it('are left alone when the layout lists the same pins in another order', () => {
    expect(edit(cputune, (l) => ({ ...l, pins: [...l.pins].reverse() })).edits).toEqual([]);
  });

  it('change in place when one vCPU moves', () => {
    expect(edit(cputune, (l) => ({ ...l, pins: [{ vcpu: 0, cpus: [0] }, { vcpu: 1, cpus: [2, 3] }] })).edits).toEqual([["1", '2-3']]);
  });

  it('change when only an iothread pin changes', () => {
    const r = edit(cputune, (l) => ({ ...l, iothreadpins: [{ iothread: 2, cpus: [3] }] }));
    expect(r.edits).toEqual([['', "\n    <iothreadpin iothread='2' cpuset='3'/>"]]);
    expect(r.text).toContain("<emulatorpin cpuset='1'/>\n    <iothreadpin iothread='2' cpuset='3'/>\n    <vcpusched");
  });

  it('change when only the emulator pin changes', () => {
    expect(edit(cputune, (l) => ({ ...l, emulatorpin: [0, 1] })).edits).toEqual([['1', '0-1']]);
  });

  it('go when their vCPU is no longer pinned, and new ones join in vCPU order', () => {
    const r = edit(cputune, (l) => ({ ...l, pins: [{ vcpu: 0, cpus: [0] }, { vcpu: 2, cpus: [2] }, { vcpu: 3, cpus: [3] }] }));
    expect(r.text).toContain("<quota>-1</quota>");
    expect(r.text).toContain("<vcpupin vcpu='0' cpuset='0'/>\n    <vcpupin vcpu='2' cpuset='2'/>\n    <vcpupin vcpu='3' cpuset='3'/>\n    <emulatorpin cpuset='1'/>");
    expect(r.text).not.toContain("vcpu='1'");
  });

  it('and the whole <cputune> go when pins were all it held', () => {
    const only = fixture('vcpu-placement-static.xml');
    const r = edit(only, (l) => ({ ...l, emulatorpin: [], iothreadpins: [] }));
    expect(r.text).not.toContain('cputune');
  });
});

describe('<numatune> modes (libvirt\'s numatune-memnode.xml)', () => {
  const memnode = readCorpus('libvirt-domain-numa', 'numatune-memnode.xml');
  const numatune = (text: string) => /<numatune>[\s\S]*?<\/numatune>/.exec(text)?.[0];

  it('binds the whole guest restrictively only when every cell is restrictive', () => {
    const r = edit(memnode, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, memoryMode: 'restrictive', hostNodes: [c.id] })) }));
    expect(numatune(r.text)).toBe(`<numatune>
    <memnode cellid='0' mode='restrictive' nodeset='0'/>
    <memory mode='restrictive' nodeset='0-2'/>
    <memnode cellid='1' mode='restrictive' nodeset='1'/>
    <memnode cellid='2' mode='restrictive' nodeset='2'/>
  </numatune>`);
    const mixed = edit(memnode, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, memoryMode: c.id === 0 ? 'restrictive' : 'strict', hostNodes: [0] })) }));
    expect(numatune(mixed.text)).toBe(`<numatune>
    <memnode cellid='0' mode='restrictive' nodeset='0'/>
    <memory mode='strict' nodeset='0'/>
    <memnode cellid='2' mode='strict' nodeset='0'/>
  </numatune>`);
  });
  it('puts <memory> first when the cells come to share one binding, keeping the memnodes it had', () => {
    const onlyMemnodes = memnode.replace("    <memory mode='strict' nodeset='0-7'/>\n", '');
    const r = edit(onlyMemnodes, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, memoryMode: 'strict', hostNodes: [0] })) }));
    expect(numatune(r.text)).toBe(`<numatune>
    <memory mode='strict' nodeset='0'/>
    <memnode cellid='0' mode='strict' nodeset='0'/>
    <memnode cellid='2' mode='strict' nodeset='0'/>
  </numatune>`);
  });

  it('reads a missing mode as strict, and touches only the nodeset that changed', () => {
    const modeless = memnode.replace("<memory mode='strict' nodeset='0-7'/>", "<memory nodeset='0-7'/>").replace("<memnode cellid='2' mode='strict' ", "<memnode cellid='2' ");
    const r = edit(modeless, (l) => ({ ...l, cells: l.cells.map((c) => (c.id === 2 ? { ...c, hostNodes: [1] } : c)) }));
    expect(r.edits).toEqual([['1-2,5-7,^6', '1']]);
  });

  it('replaces <memory placement=\'auto\'> by the cells\' nodes', () => {
    const auto = memnode.replace("<memory mode='strict' nodeset='0-7'/>", "<memory mode='strict' placement='auto'/>").replace(/\n {4}<memnode[^\n]*/g, '');
    const r = edit(auto, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, memoryMode: 'strict', hostNodes: [1, 3] })) }));
    expect(r.edits).toEqual([["<memory mode='strict' placement='auto'/>", "<memory mode='strict' nodeset='1,3'/>"]]);
  });

  it('drops <memory> when a cell is left unbound, and goes whole when none is bound', () => {
    const r = edit(memnode, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, hostNodes: c.id === 1 ? [] : [2] })) }));
    expect(numatune(r.text)).toBe(`<numatune>
    <memnode cellid='0' mode='preferred' nodeset='2'/>
    <memnode cellid='2' mode='strict' nodeset='2'/>
  </numatune>`);
    expect(numatune(edit(memnode, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, hostNodes: [] })) })).text)).toBeUndefined();
  });
});

describe('a host device\'s cell, on an expander bus that floats (pcie-expander-bus.xml)', () => {
  const withDevice = fixture('pcie-expander-bus.xml').replace(
    '    <memballoon',
    `    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x81' slot='0x00' function='0x1'/>
      </source>
      <address type='pci' bus='0x02' slot='0x00'/>
    </hostdev>
    <memballoon`,
  );
  const expander = (text: string) => /<controller type='pci' index='1' model='pcie-expander-bus'>[\s\S]*?<\/controller>/.exec(text)![0];
  const placeOnCell1 = (l: GuestLayout): GuestLayout => ({ ...l, devices: [{ bdf: '0000:81:00.1', cell: 1, policy: 'required' }] });

  it('goes into the bus\'s <target> when it has one', () => {
    const text = withDevice.replace('\n        <node>0</node>', '');
    expect(readLayout(parseDomainDocument(text)).layout?.devices).toEqual([{ bdf: '0000:81:00.1', cell: null, policy: 'required' }]);
    expect(expander(edit(text, placeOnCell1).text)).toBe(`<controller type='pci' index='1' model='pcie-expander-bus'>
      <model name='pxb-pcie'/>
      <target busNr='254'>
        <node>1</node>
      </target>
      <address type='pci' bus='0x00' slot='4'/>
    </controller>`);
  });

  it('brings a <target> after the bus\'s <model> when it has none', () => {
    const text = withDevice.replace("<target busNr='254'>\n        <node>0</node>\n      </target>\n      ", '');
    expect(expander(edit(text, placeOnCell1).text)).toBe(`<controller type='pci' index='1' model='pcie-expander-bus'>
      <model name='pxb-pcie'/>
      <target>
        <node>1</node>
      </target>
      <address type='pci' bus='0x00' slot='4'/>
    </controller>`);
  });

  it('is not written for a cell the guest does not have, nor when it has not moved', () => {
    expect(edit(withDevice, (l) => ({ ...l, devices: [{ bdf: '0000:81:00.1', cell: 2, policy: 'required' }] })).edits).toEqual([]);
    expect(edit(withDevice, (l) => ({ ...l, devices: [{ bdf: '0000:81:00.1', cell: 0, policy: 'required' }] })).edits).toEqual([]);
    expect(edit(withDevice, (l) => ({ ...l, devices: [{ bdf: '0000:81:00.1', cell: null, policy: 'required' }] })).edits).toEqual([]);
  });
});

describe('<memoryBacking> as cells gain and lose hugepages (hugepages-numa-nodeset.xml)', () => {
  const hugepages = fixture('hugepages-numa-nodeset.xml');
  const backing = (text: string) => /<memoryBacking>[\s\S]*?<\/memoryBacking>/.exec(text)?.[0];
  const noPages = (l: GuestLayout): GuestLayout => ({ ...l, cells: l.cells.map((c) => ({ ...c, hugepageSizeKiB: undefined })) });

  it('goes whole when hugepages were all it held', () => {
    expect(backing(edit(hugepages, noPages).text)).toBeUndefined();
  });

  it('keeps what else it holds, losing only <hugepages>', () => {
    const text = hugepages.replace('</hugepages>', '</hugepages>\n    <nosharepages/>');
    expect(backing(edit(text, noPages).text)).toBe('<memoryBacking>\n    <nosharepages/>\n  </memoryBacking>');
  });

  it('takes <hugepages> first, before what it already holds', () => {
    const text = hugepages.replace(/<hugepages>[\s\S]*?<\/hugepages>/, '<nosharepages/>');
    const r = edit(text, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, hugepageSizeKiB: 2048 })) }));
    expect(backing(r.text)).toBe(`<memoryBacking>
    <hugepages>
      <page size='2048' unit='KiB' nodeset='0-3'/>
    </hugepages>
    <nosharepages/>
  </memoryBacking>`);
  });

  it('keeps a default page size when the cells go, dropping only the per-cell pages', () => {
    const text = hugepages.replace('<hugepages>', "<hugepages>\n      <page size='4096' unit='KiB'/>");
    expect(backing(edit(text, (l) => ({ ...l, cells: [] })).text)).toBe(`<memoryBacking>
    <hugepages>
      <page size='4096' unit='KiB'/>
    </hugepages>
  </memoryBacking>`);
  });
});

describe('cells in place', () => {
  const hmat = readCorpus('libvirt-domain-numa', 'numatune-hmat.xml');
  const expanderBus = fixture('pcie-expander-bus.xml');
  const numa = (text: string) => /<numa>[\s\S]*?<\/numa>/.exec(text)![0];
  const firstCells = (n: number) => (l: GuestLayout): GuestLayout => ({ ...l, cells: l.cells.slice(0, n).map((c) => ({ ...c, distances: c.distances.slice(0, n) })) });
  const hmatTarget3 = hmat.replace("<latency initiator='0' target='0' type='access' value='5'/>", "<latency initiator='0' target='3' type='access' value='5'/>");

  it('warns of <interconnects> naming cell 3 once the guest has 3 cells, not while it has 4 (numatune-hmat.xml)', () => {
    expect(edit(hmatTarget3, firstCells(3)).diagnostics).toEqual(['warning: <interconnects> names a guest cell that no longer exists (the guest has 3); fix or remove those entries']);
    const four = edit(hmatTarget3, firstCells(4));
    expect(four.diagnostics).toEqual([]);
    expect(four.edits).toEqual([
      ["\n      <cell id='4' memory='2097152' unit='KiB'/>", ''],
      ["\n      <cell id='5' memory='2097152' unit='KiB'/>", ''],
    ]);
  });

  it('are found by position when they carry no id (pcie-expander-bus.xml)', () => {
    const r = edit(expanderBus, (l) => ({ ...l, cells: l.cells.map((c) => (c.id === 1 ? { ...c, memoryKiB: 219100 } : c)) }));
    expect(numa(r.text)).toBe(`<numa>
      <cell cpus='0-7' memory='109550' unit='KiB'/>
      <cell cpus='8-15' memory='219100' unit='KiB'/>
    </numa>`);
  });

  it('lose cpus when they become memory-only, and gain it after id when they get vCPUs', () => {
    expect(numa(edit(expanderBus, (l) => ({ ...l, cells: [l.cells[0], { ...l.cells[1], vcpus: [] }] })).text)).toContain("<cell memory='109550' unit='KiB'/>");
    const r = edit(hmat, (l) => ({ ...l, cells: l.cells.map((c) => (c.id === 3 ? { ...c, vcpus: [11] } : c.id === 2 ? { ...c, vcpus: [8, 9, 10] } : c)) }));
    expect(r.edits).toEqual([
      ['8-11', '8-10'],
      ['', " cpus='11'"],
    ]);
    expect(numa(r.text)).toContain("<cell id='2' cpus='8-10' memory='2097152' unit='KiB'/>\n      <cell id='3' cpus='11' memory='2097152' unit='KiB'/>");
  });

  it('gain <distances> only when they differ from libvirt\'s default', () => {
    const r = edit(expanderBus, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, distances: c.id === 0 ? [10, 15] : [15, 10] })) }));
    expect(numa(r.text)).toBe(`<numa>
      <cell cpus='0-7' memory='109550' unit='KiB'>
        <distances>
          <sibling id='0' value='10'/>
          <sibling id='1' value='15'/>
        </distances>
      </cell>
      <cell cpus='8-15' memory='109550' unit='KiB'>
        <distances>
          <sibling id='0' value='15'/>
          <sibling id='1' value='10'/>
        </distances>
      </cell>
    </numa>`);
    expect(edit(expanderBus, (l) => ({ ...l, cells: l.cells.map((c) => ({ ...c, distances: c.id === 0 ? [10, 20] : [20, 10] })) })).edits).toEqual([]);
  });

  it('gain a new cell after the last, with an id, and <memory> follows the sum', () => {
    const r = edit(expanderBus, (l) => ({ ...l, cells: [...l.cells, { id: 2, vcpus: [], memoryKiB: 1024, hostNodes: [], memoryMode: 'strict', distances: [] }] }));
    expect(r.edits).toEqual([
      ['2097152', '220124'],
      ['2097152', '220124'],
      ['', "\n      <cell id='2' memory='1024' unit='KiB'/>"],
    ]);
  });
});
