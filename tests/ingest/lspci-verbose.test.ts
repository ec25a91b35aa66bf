import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitVendorDevice } from '../../src/core/ingest/lspci-common.ts';
import { lspciTreeFormat } from '../../src/core/ingest/lspci-tree.ts';
import { lspciVerboseFormat } from '../../src/core/ingest/lspci-verbose.ts';
import { readCorpus } from '../support/corpus.ts';
import { PCI_MACHINES, hwlocPciNodes, lspciOn, readPciDump } from './lspci-sysfs.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/lspci', name), 'utf8');

describe('lspci -vvv: committed outputs', () => {
  it('reads a PCIe root port: class and ids without names, bus range, link, driver', () => {
    const text = fixture('pciutils-cap-pcie-1.vvv.txt');
    expect(lspciVerboseFormat.sniff(text)).toBeGreaterThan(0.9);
    expect(lspciTreeFormat.sniff(text)).toBe(0);
    const facts = lspciVerboseFormat.parse(text, 'cap-pcie-1');
    expect(facts.unknownLines).toBe(0);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pci).toEqual([
      {
        bdf: '0000:00:01.0',
        line: 1,
        classCode: '0604',
        vendorId: '8086',
        deviceId: '3408',
        isBridge: true,
        secondaryBus: 1,
        // LnkSta wins over LnkCap (5GT/s x4) even when the link is down (x0): it is what runs now.
        link: '2.5GT/s x0',
        driver: 'pcieport-driver',
        parent: null,
        root: '0000:00',
      },
    ]);
  });

  it('links SR-IOV virtual functions to their physical function', () => {
    const facts = lspciVerboseFormat.parse(fixture('sriov-82576.vvvnn.txt'), 'sriov');
    expect(facts.unknownLines).toBe(0);
    const [pf, vf0, vf1] = facts.pci;
    expect(pf).toMatchObject({
      bdf: '0000:03:00.0',
      className: 'Ethernet controller',
      classCode: '0200',
      vendor: 'Intel Corporation',
      device: '82576 Gigabit Network Connection',
      link: '5GT/s x4',
      virtfns: ['0000:03:10.0', '0000:03:10.2'],
    });
    expect(vf0).toMatchObject({ bdf: '0000:03:10.0', physfn: '0000:03:00.0', device: '82576 Virtual Function', deviceId: '10ca' });
    expect(vf1).toMatchObject({ bdf: '0000:03:10.2', physfn: '0000:03:00.0' });
    expect(pf.physfn).toBeUndefined();
  });

  it('reads -vmmnn records with exact vendor/device fields', () => {
    const text = fixture('32intel64-2p8co2t+8ve.vmmnn.txt');
    expect(lspciVerboseFormat.sniff(text)).toBeGreaterThan(0.9);
    const facts = lspciVerboseFormat.parse(text, 'vmm');
    expect(facts.unknownLines).toBe(0);
    expect(facts.pci).toHaveLength(28);
    expect(facts.pci.find((d) => d.bdf === '0000:5e:00.0')).toEqual({
      bdf: '0000:5e:00.0',
      line: expect.any(Number),
      className: 'PCI bridge',
      classCode: '0604',
      vendor: 'Intel Corporation',
      vendorId: '8086',
      // pci.ids has no name for 37c0: lspci's placeholder "Device [37c0]" is not a name.
      deviceId: '37c0',
      node: 0,
    });
  });
});

const verboseFlags = [['-vvv'], ['-D', '-vvvnn'], ['-vv', '-k'], ['-v'], ['-n', '-v'], ['-vmm'], ['-vmmnn'], ['-nnvmm', '-D'], ['-mm']];

describe.each(PCI_MACHINES)('lspci -v… on the sysfs dump of %s', (machine) => {
  const dump = readPciDump(machine);
  const outputs = new Map(verboseFlags.map((f) => [f.join(' '), lspciOn(dump, ...f)]));

  it.each([...outputs.keys()])('lspci %s: devices, NUMA nodes and parents as sysfs says', (flags) => {
    const text = outputs.get(flags)!;
    expect(lspciVerboseFormat.sniff(text)).toBeGreaterThan(0.7);
    expect(lspciTreeFormat.sniff(text)).toBe(0);
    const facts = lspciVerboseFormat.parse(text, machine);
    expect(facts.unknownLines).toBe(0);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pci.map((d) => d.bdf).sort()).toEqual([...dump.devices.keys()].sort());
    const hasTree = !flags.includes('mm');
    const numeric = /-n\b|nn/.test(flags);
    for (const dev of facts.pci) {
      const truth = dump.devices.get(dev.bdf)!;
      // lspci prints a node only for numa_node >= 0 (and -mm prints none at all).
      if (flags !== '-mm') expect(dev.node ?? null, dev.bdf).toBe(truth.node);
      if (hasTree) {
        expect({ bdf: dev.bdf, parent: dev.parent, root: dev.root }).toEqual({ bdf: truth.bdf, parent: truth.parent, root: truth.root });
        expect(dev.isBridge === true, dev.bdf).toBe(truth.classCode === '0604');
        if (truth.secondaryBus !== undefined) expect(dev.secondaryBus, dev.bdf).toBe(truth.secondaryBus);
      } else {
        expect(dev.parent).toBeUndefined();
      }
      if (numeric) expect([dev.classCode, dev.vendorId, dev.deviceId], dev.bdf).toEqual([truth.classCode, truth.vendorId, truth.deviceId]);
    }
  });

  it('puts as many devices on each NUMA node as hwloc does', () => {
    const facts = lspciVerboseFormat.parse(outputs.get('-vvv')!, machine);
    const hwloc = hwlocPciNodes(`${machine}.lstopo.xml`);
    expect(hwloc.size).toBeGreaterThan(0);
    const perNode = (nodes: (number | null | undefined)[]) => {
      const count = new Map<number, number>();
      for (const n of nodes) if (typeof n === 'number') count.set(n, (count.get(n) ?? 0) + 1);
      return [...count].sort((a, b) => a[0] - b[0]);
    };
    const shown = facts.pci.filter((d) => hwloc.has(d.bdf));
    expect(shown).toHaveLength(hwloc.size);
    // hwloc also places devices whose numa_node is -1 (from their bus's locality, e.g. the
    // NVMe 00:02.0 of the 32em64t dump); lspci prints no node for those, and neither do we.
    const placedByHwlocOnly = shown.filter((d) => d.node === undefined);
    for (const d of placedByHwlocOnly) expect(dump.devices.get(d.bdf)!.node, d.bdf).toBeNull();
    const agreed = shown.filter((d) => d.node !== undefined);
    expect(perNode(agreed.map((d) => d.node))).toEqual(perNode(agreed.map((d) => hwloc.get(d.bdf))));
    for (const d of agreed) expect(d.node, d.bdf).toBe(hwloc.get(d.bdf));
    expect(agreed.length).toBeGreaterThanOrEqual(hwloc.size - 1);
  });

  it('splits "<vendor> <device>" in the block headers as -vmm separates them', () => {
    const headers = lspciVerboseFormat.parse(outputs.get('-vvv')!, machine).pci;
    const vmm = new Map(lspciVerboseFormat.parse(outputs.get('-vmm')!, machine).pci.map((d) => [d.bdf, d]));
    for (const dev of headers) {
      const v = vmm.get(dev.bdf)!;
      expect([dev.className, dev.vendor, dev.device], dev.bdf).toEqual([v.className, v.vendor, v.device]);
    }
  });
});

describe('vendor/device split over the whole of pci.ids', () => {
  it('names the right vendor for most devices and rarely a wrong one', () => {
    const ids = readFileSync('/usr/share/misc/pci.ids', 'utf8').split('\n');
    let vendor = '';
    let total = 0;
    let right = 0;
    let wrong = 0;
    for (const line of ids) {
      if (line.startsWith('C ')) break; // the class list follows the vendors
      const v = /^[0-9a-f]{4} {2}(.*)$/.exec(line);
      if (v) vendor = v[1];
      const d = /^\t[0-9a-f]{4} {2}(.*)$/.exec(line);
      if (!d || !vendor) continue;
      total++;
      const split = splitVendorDevice(`${vendor} ${d[1]}`);
      if (split.vendor === vendor) right++;
      else if (split.vendor !== undefined) wrong++;
    }
    expect(total).toBeGreaterThan(10000);
    expect(right / total).toBeGreaterThan(0.85);
    expect(wrong / total).toBeLessThan(0.015);
  });
});

describe('lspci -vvv: text that is not lspci', () => {
  const cases: Record<string, string> = {
    empty: '',
    garbage: 'hello world\nthis is not lspci\n\tindented too\n',
    binary: '\u0000\u0001\u00ff\ufffd\u0007PNG\r\n\u001a\n',
    lscpu: readCorpus('util-linux-lscpu', 'x86_64-dell_e4310.lscpu.txt'),
    'lspci -tv': fixture('32intel64-2p8co2t+8ve.tvnn.txt'),
    'stray tags': 'Class:\tEthernet\nVendor:\tIntel\n',
  };

  it.each(Object.keys(cases))('%s: diagnostics, never a throw', (name) => {
    const facts = lspciVerboseFormat.parse(cases[name], name);
    expect(facts.format).toBe('lspci-verbose');
    expect(facts.pci).toEqual([]);
    expect(facts.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(facts.diagnostics.filter((d) => d.severity === 'info').length).toBeLessThanOrEqual(3);
    expect(lspciVerboseFormat.sniff(cases[name])).toBeLessThan(0.5);
  });

  it('keeps the blocks of a truncated paste and counts stray lines', () => {
    const text = fixture('sriov-82576.vvvnn.txt');
    const cut = text.slice(0, text.indexOf('03:10.2') + 30);
    const facts = lspciVerboseFormat.parse(`stray words\n${cut}`, 'x');
    expect(facts.pci.map((d) => d.bdf)).toEqual(['0000:03:00.0', '0000:03:10.0', '0000:03:10.2']);
    expect(facts.unknownLines).toBe(1);
    expect(facts.diagnostics).toEqual([expect.objectContaining({ severity: 'info', line: 1 })]);
  });

  it('warns about a device listed twice and keeps the first', () => {
    const text = fixture('pciutils-cap-pcie-1.vvv.txt');
    const facts = lspciVerboseFormat.parse(`${text}\n${text}`, 'x');
    expect(facts.pci).toHaveLength(1);
    expect(facts.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 56 })]);
  });
});
