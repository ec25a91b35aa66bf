/**
 * PCI devices merged from several pastes of one machine: field by field from the best-ranked
 * paste that gives it (libvirt's nodedev, lspci -vvv, hwloc XML, lstopo, lspci -t), except that
 * a NUMA node beats "no locality" whoever says it; OS devices are listed once; the list is in
 * bus order whatever order the pastes gave. Real pastes: the lspci of Debian run over a corpus
 * sysfs dump, lstopo's XML and text of the same dump, libvirt's own nodedev XML.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { readCorpus, runPeer } from '../support/corpus.ts';
import { readPciDump } from '../ingest/lspci-sysfs.ts';

// Two Xeon E5 sockets with an NVMe disk, InfiniBand and a Xeon Phi (hwloc's Linux test dump).
const machine = '32em64t-2n8c+dax+nvme+mic+dimms';
const dump = readPciDump(machine);
const lspci = (name: string, ...args: string[]): Paste => ({ name, text: runPeer('lspci', ['-A', 'linux-sysfs', '-O', `sysfs.path=${dump.root}/sys/bus/pci`, ...args]) });
const vvv = lspci('lspci-vvv.txt', '-D', '-vvv');
const tree = lspci('lspci-tvnn.txt', '-tvnn');
const xml: Paste = { name: 'lstopo.xml', text: readCorpus('hwloc-linux', `${machine}.lstopo.xml`) };
const text: Paste = { name: 'lstopo.txt', text: readCorpus('hwloc-linux', `${machine}.lstopo.txt`) };
const device = (host: Host, bdf: string) => host.pci.find((p) => p.bdf === bdf);

describe('the NVMe disk whose sysfs numa_node is -1', () => {
  it('has no node in lspci, node 0 in hwloc (from its bus), and node 0 merged, whatever the order', () => {
    expect(device(ingest([vvv]).host, '0000:00:02.0')?.node).toBe(null);
    expect(device(ingest([xml]).host, '0000:00:02.0')?.node).toBe(0);
    expect(device(ingest([vvv, xml]).host, '0000:00:02.0')?.node).toBe(0);
    expect(device(ingest([xml, vvv]).host, '0000:00:02.0')?.node).toBe(0);
  });

  it('takes names from lspci -vvv, ids from lspci -tvnn and hwloc, its block device from hwloc', () => {
    expect(device(ingest([tree, xml, vvv]).host, '0000:00:02.0')).toStrictEqual({
      bdf: '0000:00:02.0',
      node: 0,
      parent: null,
      root: '0000:00',
      isBridge: false,
      className: 'Non-Volatile memory controller',
      classCode: '0108',
      vendor: 'Intel Corporation',
      vendorId: '8086',
      device: 'PCIe Data Center SSD',
      deviceId: '0953',
      virtfns: [],
      osDevices: [{ name: 'nvme0n1', kind: 'Block(Disk)' }],
    });
  });
});

describe('a paste without locality beside one with it', () => {
  it('keeps lspci -vvv\'s node 0 for the host bridge that lspci -t cannot place', () => {
    expect(device(ingest([tree]).host, '0000:00:00.0')?.node).toBe(null);
    expect(device(ingest([tree, vvv]).host, '0000:00:00.0')?.node).toBe(0);
    expect(device(ingest([vvv, tree]).host, '0000:00:00.0')?.node).toBe(0);
  });
});

describe('hwloc XML and lstopo text of the same dump', () => {
  const host = () => ingest([text, xml]).host;

  it('take the parent bridge from the XML over the text, which draws none', () => {
    expect(device(ingest([text]).host, '0000:82:00.0')?.parent).toBe(null);
    expect(device(host(), '0000:82:00.0')?.parent).toBe('0000:80:02.2');
    expect(device(host(), '0000:83:00.0')?.parent).toBe('0000:80:03.0');
  });

  it('list each OS device once, though both name it', () => {
    expect(device(host(), '0000:82:00.0')?.osDevices).toEqual([
      { name: 'ib0', kind: 'Network' },
      { name: 'mlx4_0', kind: 'OpenFabrics' },
    ]);
    expect(device(host(), '0000:00:1f.2')?.osDevices).toEqual([{ name: 'sda', kind: 'Block(Disk)' }]);
    expect(device(host(), '0000:00:01.1')?.osDevices).toEqual([]);
  });

  it('tell bridges from endpoints', () => {
    expect(host().pci.filter((p) => p.isBridge).map((p) => p.bdf)).toEqual(['0000:00:01.1', '0000:00:1c.0', '0000:04:00.0', '0000:80:02.2', '0000:80:03.0']);
  });

  it('have no conflicts', () => {
    expect(host().conflicts).toEqual([]);
  });
});

describe('device order', () => {
  it('is bus order, though hwloc XML (ranked before lspci -t) lists only the 12 devices it keeps', () => {
    const host = ingest([tree, xml]).host;
    expect(host.pci.map((p) => p.bdf)).toEqual([...dump.devices.keys()].sort());
    expect(host.pci).toHaveLength(137);
  });

  it('is bus order for nodedev XML pasted in another order', () => {
    const files = ['pci_0000_42_00_0_vpd.xml', 'pci_8086_10c9_sriov_pf.xml', 'pci_1002_71c4.xml', 'pci_0000_02_10_7_sriov_pf_vfs_all.xml'];
    const host = ingest([{ name: 'nodedev.xml', text: files.map((f) => readCorpus('libvirt-nodedev', f)).join('\n') }]).host;
    expect(host.pci.map((p) => [p.bdf, p.node])).toEqual([
      ['0000:01:00.0', 1],
      ['0000:02:00.0', 0],
      ['0000:02:10.7', 0],
      ['0000:42:00.0', 0],
    ]);
    expect(device(host, '0000:02:10.7')).toStrictEqual({
      bdf: '0000:02:10.7',
      node: 0,
      parent: '0000:00:04.0',
      isBridge: false,
      classCode: 'ffff',
      className: 'Unassigned class',
      vendor: 'Intel Corporation',
      vendorId: '8086',
      device: '82576 Virtual Function',
      deviceId: '10ca',
      link: '2.5GT/s x4',
      iommuGroup: 31,
      physfn: '0000:02:00.1',
      virtfns: ['0000:02:00.2', '0000:02:00.3', '0000:02:00.4', '0000:02:00.5'],
      osDevices: [],
    });
    // No class in the XML, so no class name is made up.
    expect(device(host, '0000:01:00.0')).not.toHaveProperty('className');
  });
});
