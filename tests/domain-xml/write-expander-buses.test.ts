/**
 * Host devices' guest cells through PCI expander buses (libvirt's pcie-expander-bus.xml, grown to
 * three cells and more buses): when cells go, only a bus on a cell that is gone floats, unless a
 * device moves it onto a remaining cell; a floating bus gains its <target><node> in libvirt's
 * order (before <alias> and <address>); memory devices on a cell that is gone are named; a
 * domain without <devices> loses cells without complaint; and what a new domain cannot carry is
 * said of the "new domain".
 */
import { describe, expect, it } from 'vitest';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { readCorpus } from '../support/corpus.ts';
import { edit, fixture } from './writer-edit.ts';

/** A passthrough device (host 0000:BB:00.0) on guest bus `bus`. */
const hostdev = (hostBus: string, bus: number) => `<hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x${hostBus}' slot='0x00' function='0x0'/>
      </source>
      <address type='pci' bus='${bus}' slot='0'/>
    </hostdev>`;

/**
 * pcie-expander-bus.xml with its second cell split in two, buses 36 on cell 2 and 37 on cell 1,
 * floating buses 38 (an address only) and 39 (a user alias and an address), and a device behind
 * 36, 38 and 39 each.
 */
const buses = fixture('pcie-expander-bus.xml')
  .replace("<cell cpus='8-15' memory='109550' unit='KiB'/>", "<cell cpus='8-11' memory='109550' unit='KiB'/>\n      <cell cpus='12-15' memory='109550' unit='KiB'/>")
  .replace(
    "<controller type='pci' index='35' model='pcie-switch-downstream-port'/>",
    `<controller type='pci' index='35' model='pcie-switch-downstream-port'/>
    <controller type='pci' index='36' model='pcie-expander-bus'>
      <model name='pxb-pcie'/>
      <target busNr='252'>
        <node>2</node>
      </target>
      <address type='pci' bus='0x00' slot='5'/>
    </controller>
    <controller type='pci' index='37' model='pcie-expander-bus'>
      <model name='pxb-pcie'/>
      <target busNr='250'>
        <node>1</node>
      </target>
      <address type='pci' bus='0x00' slot='6'/>
    </controller>
    <controller type='pci' index='38' model='pcie-expander-bus'>
      <address type='pci' bus='0x00' slot='7'/>
    </controller>
    <controller type='pci' index='39' model='pcie-expander-bus'>
      <alias name='ua-pxb39'/>
      <address type='pci' bus='0x00' slot='8'/>
    </controller>`,
  )
  .replace("<memballoon model='none'/>", `${hostdev('03', 36)}\n    ${hostdev('04', 38)}\n    ${hostdev('05', 39)}\n    <memballoon model='none'/>`);

const controller = (text: string, index: number) => new RegExp(`<controller type='pci' index='${index}'[\\s\\S]*?</controller>`).exec(text)![0];
const firstCells = (n: number) => (l: GuestLayout): GuestLayout => ({ ...l, cells: l.cells.slice(0, n).map((c) => ({ ...c, distances: c.distances.slice(0, n) })) });

describe('expander buses when cells go (three cells to two)', () => {
  it('float the bus on cell 2, and only that one', () => {
    const r = edit(buses, firstCells(2));
    expect(r.diagnostics).toEqual([]);
    expect(r.edits.filter(([before]) => before.includes('<node>'))).toEqual([['\n        <node>2</node>', '']]);
    expect(controller(r.text, 1)).toContain('<node>0</node>');
    expect(controller(r.text, 37)).toContain('<node>1</node>');
    expect(controller(r.text, 38)).toBe("<controller type='pci' index='38' model='pcie-expander-bus'>\n      <address type='pci' bus='0x00' slot='7'/>\n    </controller>");
  });

  it('keep the bus on cell 2 when its device moves it to cell 1', () => {
    const r = edit(buses, (l) => ({ ...firstCells(2)(l), devices: l.devices.map((d) => (d.bdf === '0000:03:00.0' ? { ...d, cell: 1 } : d)) }));
    expect(controller(r.text, 36)).toContain("<target busNr='252'>\n        <node>1</node>\n      </target>");
  });
});

describe('a floating bus given a cell by its device', () => {
  const toCell0 = (l: GuestLayout): GuestLayout => ({ ...l, devices: l.devices.map((d) => (d.cell === null ? { ...d, cell: 0 } : d)) });

  it('gains <target><node> before its <address>', () => {
    expect(controller(edit(buses, toCell0).text, 38)).toBe(`<controller type='pci' index='38' model='pcie-expander-bus'>
      <target>
        <node>0</node>
      </target>
      <address type='pci' bus='0x00' slot='7'/>
    </controller>`);
  });

  it('gains <target><node> before its <alias>', () => {
    expect(controller(edit(buses, toCell0).text, 39)).toBe(`<controller type='pci' index='39' model='pcie-expander-bus'>
      <target>
        <node>0</node>
      </target>
      <alias name='ua-pxb39'/>
      <address type='pci' bus='0x00' slot='8'/>
    </controller>`);
  });
});

describe('memory devices and cells that go', () => {
  it('a virtio-mem device on the cell that goes is named, with what to do', () => {
    const text = fixture('memory-hotplug-virtio-mem.xml')
      .replace("<cell id='0' cpus='0-1' memory='2095104' unit='KiB'/>", "<cell id='0' cpus='0-1' memory='2095104' unit='KiB'/>\n      <cell id='1' memory='1048576' unit='KiB'/>")
      .replace("<size unit='KiB'>2097152</size>\n        <node>0</node>", "<size unit='KiB'>2097152</size>\n        <node>1</node>");
    const r = edit(text, firstCells(1));
    expect(r.diagnostics).toEqual(["warning: can't add memory backend for guest node '1' as the guest has only '1' NUMA nodes configured: move that memory device to a remaining cell"]);
  });

  it('a domain without <devices> loses cells without complaint', () => {
    const text = readCorpus('libvirt-domain-numa', 'numatune-hmat.xml').replace(/\n {2}<devices>[\s\S]*<\/devices>/, '');
    const r = edit(text, firstCells(5));
    expect(r.diagnostics).toEqual([]);
    // <memory> follows the five cells left (10 GiB)
    expect(r.edits).toEqual([
      ['8388608', '10485760'],
      ['8388608', '10485760'],
      ["\n      <cell id='5' memory='2097152' unit='KiB'/>", ''],
    ]);
  });
});

describe('a new domain', () => {
  it('says of the "new domain" that a device with no expander bus keeps no cell', () => {
    const layout: GuestLayout = {
      vcpus: 1,
      topology: { sockets: 1, dies: 1, clusters: 1, cores: 1, threads: 1 },
      cells: [{ id: 0, vcpus: [0], memoryKiB: 1048576, hostNodes: [], memoryMode: 'strict', distances: [10] }],
      pins: [],
      emulatorpin: [],
      iothreadpins: [],
      memoryKiB: 1048576,
      devices: [{ bdf: '0000:03:00.0', cell: 0, policy: 'required' }],
    };
    const w = writeLayout(null, layout);
    expect(w.diagnostics.map((d) => [d.source, d.severity, d.message])).toEqual([['new domain', 'warning', 'host device 0000:03:00.0 has no PCI expander bus in the domain XML, so its guest cell 0 is not written']]);
  });
});
