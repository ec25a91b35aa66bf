import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lspciTreeFormat } from '../../src/core/ingest/lspci-tree.ts';
import { lspciVerboseFormat } from '../../src/core/ingest/lspci-verbose.ts';
import { readCorpus } from '../support/corpus.ts';
import { PCI_MACHINES, lspciOn, readPciDump } from './lspci-sysfs.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/lspci', name), 'utf8');

describe('lspci -tv: the committed real output', () => {
  const text = fixture('32intel64-2p8co2t+8ve.tvnn.txt');
  const facts = lspciTreeFormat.parse(text, 'tree');

  it('is recognised by its first line and not by the verbose format', () => {
    expect(lspciTreeFormat.sniff(text)).toBeGreaterThan(0.9);
    expect(lspciVerboseFormat.sniff(text)).toBe(0);
  });

  it('follows bridges through switches, with ids from -nn', () => {
    expect(facts.unknownLines).toBe(0);
    expect(facts.diagnostics).toEqual([]);
    const byBdf = new Map(facts.pci.map((d) => [d.bdf, d]));
    expect(byBdf.get('0000:17:00.0')).toMatchObject({ parent: null, root: '0000:17', isBridge: true, secondaryBus: 0x18 });
    expect(byBdf.get('0000:19:0c.0')).toMatchObject({ parent: '0000:18:00.0', isBridge: true, secondaryBus: 0x1c });
    expect(byBdf.get('0000:1a:00.0')).toMatchObject({
      parent: '0000:19:04.0',
      root: '0000:17',
      vendor: 'Mellanox Technologies',
      vendorId: '15b3',
      device: 'MT27700 Family [ConnectX-4]',
      deviceId: '1013',
    });
    expect(byBdf.get('0000:1a:00.0')!.node).toBeUndefined();
    // Bus 60 sits behind 5e:00.0's range 5f-60 through a port the dump does not list (5f:03.0):
    // lspci draws it as a second bus "[0000:60]" of 5e:00.0, the nearest bridge it knows.
    expect(byBdf.get('0000:60:00.1')).toMatchObject({ parent: '0000:5e:00.0', root: '0000:5d', vendor: 'Intel Corporation' });
  });
});

describe.each(PCI_MACHINES)('lspci -t on the sysfs dump of %s', (machine) => {
  const dump = readPciDump(machine);
  const variants = { '-tv': lspciOn(dump, '-tv'), '-t': lspciOn(dump, '-t'), '-tvnn': lspciOn(dump, '-tvnn') };

  it.each(Object.keys(variants))('%s: every device, bridge and parent that sysfs has', (flags) => {
    const text = variants[flags as keyof typeof variants];
    expect(lspciTreeFormat.sniff(text)).toBeGreaterThan(0.9);
    const facts = lspciTreeFormat.parse(text, machine);
    expect(facts.unknownLines).toBe(0);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pci.map((d) => d.bdf).sort()).toEqual([...dump.devices.keys()].sort());
    for (const dev of facts.pci) {
      const truth = dump.devices.get(dev.bdf)!;
      expect({ bdf: dev.bdf, parent: dev.parent, root: dev.root }).toEqual({ bdf: truth.bdf, parent: truth.parent, root: truth.root });
      expect(dev.isBridge === true, dev.bdf).toBe(truth.classCode === '0604');
      if (truth.secondaryBus !== undefined) expect(dev.secondaryBus, dev.bdf).toBe(truth.secondaryBus);
      expect(dev.node).toBeUndefined();
      if (flags === '-tvnn' && !dev.isBridge) expect([dev.vendorId, dev.deviceId]).toEqual([truth.vendorId, truth.deviceId]);
    }
  });

  it('splits vendor from device exactly as lspci -vmm does', () => {
    const tree = lspciTreeFormat.parse(variants['-tv'], machine);
    const vmm = new Map(lspciVerboseFormat.parse(lspciOn(dump, '-vmm', '-D'), machine).pci.map((d) => [d.bdf, d]));
    for (const dev of tree.pci.filter((d) => !d.isBridge)) {
      expect([dev.vendor, dev.device], dev.bdf).toEqual([vmm.get(dev.bdf)!.vendor, vmm.get(dev.bdf)!.device]);
    }
  });
});

describe('lspci -tv: text that is not a tree', () => {
  const tree = fixture('32intel64-2p8co2t+8ve.tvnn.txt');
  const cases: Record<string, string> = {
    empty: '',
    blank: '\n\n  \n',
    garbage: 'hello world\nthis is not lspci\n',
    binary: '\u0000\u0001\u00ff\ufffd\u0007PNG\r\n\u001a\n',
    'lscpu text': readCorpus('util-linux-lscpu', 'x86_64-dell_e4310.lscpu.txt'),
    'lspci -vvv': fixture('pciutils-cap-pcie-1.vvv.txt'),
    'unknown glyphs': '-+-[0000:00]-#-00.0  Foo\n |           *-01.0\n |           ╰-02.0\n',
    'continuation without a list': '  |   +-00.0  Intel\n',
    'bad range': '-[0000:00]-+-01.0-[zz]----00.0\n',
  };

  it.each(Object.keys(cases))('%s: diagnostics, never a throw', (name) => {
    const facts = lspciTreeFormat.parse(cases[name], name);
    expect(facts.format).toBe('lspci-tree');
    expect(facts.diagnostics.length).toBeGreaterThan(0);
    expect(facts.diagnostics.filter((d) => d.severity === 'info').length).toBeLessThanOrEqual(3);
    if (!/^-/.test(cases[name])) expect(lspciTreeFormat.sniff(cases[name])).toBe(0);
  });

  it('counts lines it cannot place and keeps what it can', () => {
    const facts = lspciTreeFormat.parse(`${tree}garbage line\n`, 'x');
    expect(facts.pci).toHaveLength(28);
    expect(facts.unknownLines).toBe(1);
    expect(facts.lines).toBe(15);
    expect(facts.diagnostics).toEqual([expect.objectContaining({ severity: 'info', line: 15 })]);
  });

  it('keeps the devices of a truncated paste', () => {
    const cut = tree.slice(0, tree.indexOf('Vector Engine', tree.indexOf('[0000:3a]')) + 8);
    const facts = lspciTreeFormat.parse(cut, 'x');
    expect(facts.pci.map((d) => d.bdf).slice(-2)).toEqual(['0000:3c:04.0', '0000:3d:00.0']);
    expect(facts.pci.at(-1)!.device).toBe('Vector E');
    expect(facts.pci.every((d) => /^0000:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/.test(d.bdf))).toBe(true);
  });

  it('reads every line, whatever the line ends', () => {
    expect(lspciTreeFormat.parse(tree.replace(/\n/g, '\r\n'), 'x').pci).toHaveLength(28);
  });
});
