import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { hwlocXmlFormat, parseHwlocXml } from '../../src/core/ingest/hwloc-xml.ts';
import { parseLstopo } from '../../src/core/ingest/lstopo.ts';
import { corpusFiles, corpusPath, readCorpus, runPeer } from '../support/corpus.ts';
import { dumpInContainer, errors, memoryAgrees, summary } from './hwloc-support.ts';

const xmlFiles = [
  ...corpusFiles('hwloc-xml', /\.xml$/).map((f) => ['hwloc-xml', f]),
  ...corpusFiles('hwloc-xml-v3', /\.xml$/).map((f) => ['hwloc-xml-v3', f]),
  ...corpusFiles('hwloc-linux', /\.xml$/).map((f) => ['hwloc-linux', f]),
];

describe('hwloc XML: every corpus file', () => {
  it.each(xmlFiles)('%s/%s parses without errors', (folder, file) => {
    const text = readCorpus(folder, file);
    expect(hwlocXmlFormat.sniff(text)).toBe(1);
    const f = parseHwlocXml(text, file);
    expect(errors(f)).toEqual([]);
    expect(f.cpus.length).toBeGreaterThan(0);
    expect(f.nodes.length).toBeGreaterThan(0);
    for (const c of f.cpus.filter((c) => c.online)) expect(c.siblings).toContain(c.id);
  });
});

describe('hwloc XML: facts', () => {
  it('v2 with PCI: CPUs, nodes, caches, PCI locality and bridges', () => {
    const f = parseHwlocXml(readCorpus('hwloc-xml', '24em64t-2n6c2t-pci.xml'), 'x');
    expect(f.machine).toMatchObject({ hostname: 'mirage004', arch: 'x86_64' });
    expect(f.cpus.find((c) => c.id === 12)).toMatchObject({ package: 0, core: 0, node: 0, siblings: [0, 12], online: true });
    expect(f.nodes[0]).toMatchObject({ id: 0, memoryKiB: 18863900, hugepages: [{ sizeKiB: 2048, total: 0 }] });
    expect(f.caches.find((c) => c.level === 3 && c.cpus.includes(0))).toMatchObject({ sizeKiB: 12288, lineSize: 64, ways: 16 });
    const eth0 = f.pci.find((p) => p.bdf === '0000:04:00.0');
    expect(eth0).toMatchObject({ parent: '0000:00:01.0', root: '0000:00', node: 0, classCode: '0200', vendorId: '8086', deviceId: '10c9', vendor: 'Intel Corporation', isBridge: false });
    expect(eth0?.osDevices).toEqual([{ name: 'eth0', kind: 'Network' }]);
    expect(f.pci.find((p) => p.bdf === '0000:00:01.0')).toMatchObject({ isBridge: true, parent: null, secondaryBus: 4, link: '0.4 GB/s' });
    expect(f.distances).toMatchObject({ nodes: [0, 1], values: [[10, 20], [20, 10]] });
  });

  it('distances2 split over several indexes/u64values elements, in OS order', () => {
    const f = parseHwlocXml(readCorpus('hwloc-xml', '192em64t-24n8c2t.xml'), 'x');
    expect(f.distances?.nodes).toEqual([...Array(24).keys()]);
    expect(f.distances?.values[0].slice(0, 3)).toEqual([10, 50, 65]);
    const g = parseHwlocXml(readCorpus('hwloc-xml', '16amd64-4distances.xml'), 'x');
    expect(g.distances?.nodes).toEqual([1, 0, 2, 5, 4, 3, 6, 7]);
  });

  it('v1: Socket/Cache/NUMANode parents and relative latency distances', () => {
    const f = parseHwlocXml(readCorpus('hwloc-xml', '28intel64-2p2g7c-CoDgroups.v1.xml'), 'x');
    expect(f.nodes.map((n) => n.cpus?.length)).toEqual([7, 7, 7, 7]);
    expect(f.distances?.values[0]).toEqual([10, 21, 31, 31]);
    // PCI sits under a NUMANode in 1.x: its node is known.
    expect(f.pci.filter((p) => !p.isBridge && p.node === 0).length).toBeGreaterThan(0);
  });

  it('groups inside packages are kept (Cluster-on-Die, SNC), and groups carry their subtype', () => {
    const cod = parseHwlocXml(readCorpus('hwloc-xml', '28intel64-2p2g7c-CoDgroups.v1.xml'), 'x');
    // hwloc 2 makes a Group of each 1.x NUMANode that holds 7 of its package's 14 cores.
    const paths = new Set(cod.cpus.map((c) => `${c.package}:${c.groups?.join('.')}`));
    expect([...paths]).toHaveLength(4);
    expect(cod.cpus.every((c) => c.groups?.length === 1)).toBe(true);
    const snc = parseHwlocXml(readCorpus('hwloc-xml', 'memorysidecaches.xml'), 'x');
    expect(new Set(snc.cpus.map((c) => c.groups?.join('.'))).size).toBe(4);
    const s390 = parseHwlocXml(readCorpus('hwloc-linux', '20s390-2g6s4c.lstopo.xml'), 'x');
    expect(s390.groups?.map((g) => `${g.path.length}:${g.subtype}`)).toEqual(['1:Drawer', '2:Book', '2:Book', '1:Drawer', '2:Book', '2:Book']);
  });

  it('memory-only nodes (MCDRAM/HBM) own no CPUs; their subtype is kept', () => {
    for (const [folder, file, kind] of [['hwloc-xml', '64intel64-fakeKNL-SNC4-hybrid.xml', 'MCDRAM'], ['hwloc-xml-v3', '64intel64-heteromem.xml', 'HBM']]) {
      const f = parseHwlocXml(readCorpus(folder, file), file);
      const mem = f.nodes.filter((n) => n.subtype === kind);
      expect(mem.length).toBe(4);
      expect(mem.every((n) => n.cpus?.length === 0)).toBe(true);
      expect(f.nodes.filter((n) => n.subtype === 'DRAM').every((n) => n.cpus?.length === 16)).toBe(true);
    }
    const ia64 = parseHwlocXml(readCorpus('hwloc-linux', '128ia64-17n4s2c.lstopo.xml'), 'x');
    expect(ia64.nodes.find((n) => n.id === 16)?.cpus).toEqual([]);
  });

  it('offline CPUs come from complete_cpuset; CPUs outside allowed_cpuset are online, said once', () => {
    const f = parseHwlocXml(readCorpus('hwloc-linux', 'offline-cpu0-node0.lstopo.xml'), 'x');
    expect(f.cpus.filter((c) => !c.online).map((c) => c.id)).toEqual([0, 1, 2, 3, 21, 22, 23]);
    expect(f.diagnostics).toEqual([]);
    const text = readCorpus('hwloc-xml', '64intel64-3g2n+2n-irregulargroups+pci.xml');
    const g = parseHwlocXml(text, 'x');
    expect(g.cpus.filter((c) => c.online).length).toBe(64);
    const machineLine = text.split('\n').findIndex((l) => l.includes('type="Machine"')) + 1;
    expect(g.diagnostics.map((d) => [d.severity, d.line, d.message.slice(0, 40)])).toEqual([['info', machineLine, '48 CPU(s) (16-63) were outside the allow']]);
  });

  it('hybrid CPU kinds, clusters and v3 osdev bitmasks', () => {
    const h = parseHwlocXml(readCorpus('hwloc-linux', '20em64t-hybrid-1p6c2t+2ca4co1t.lstopo.xml'), 'x');
    expect(new Set(h.cpus.map((c) => c.kind)).size).toBe(2);
    expect(h.cpus.find((c) => c.id === 0)?.maxMHz).toBe(5000);
    const arm = parseHwlocXml(readCorpus('hwloc-linux', '128arm-2pa2n8cluster4co.lstopo.xml'), 'x');
    expect(arm.cpus[0].cluster).toBe(138);
    const v3 = parseHwlocXml(readCorpus('hwloc-xml-v3', 'cxlmem+dax.v3.xml'), 'x');
    expect(v3.pci.find((p) => p.bdf === '0000:00:02.0')?.osDevices).toEqual([{ name: 'enp0s2', kind: 'Network' }]);
    expect(v3.pci.find((p) => p.bdf === '0000:11:00.0')?.osDevices).toEqual([{ name: 'mem2', kind: 'Memory(CXLMem)' }]);
  });
});

describe('hwloc XML against the real lstopo (hwloc 2.9) reading the same file', () => {
  const peerFiles = ['24em64t-2n6c2t-pci.xml', '64intel64-fakeKNL-SNC4-hybrid.xml', '96em64t-4n4d3ca2co-pci.xml', 'memorysidecaches.xml', '28intel64-2p2g7c-CoDgroups.v1.xml'];
  it.each(peerFiles)('%s', (file) => {
    const xml = parseHwlocXml(readCorpus('hwloc-xml', file), file);
    const console = runPeer('lstopo-no-graphics', ['--input', corpusPath('hwloc-xml', file), '--of', 'console', '-v', '--whole-io', '-']);
    const text = parseLstopo(console, 'peer');
    expect(errors(text)).toEqual([]);
    expect(summary(text)).toEqual(summary(xml));
    expect(memoryAgrees(xml, text, 0.0001)).toBe(true);
    expect(text.distances?.values).toEqual(xml.distances?.values);
  });
});

describe('a generated 4096-PU host', () => {
  it('parses fast', () => {
    const text = runPeer('lstopo-no-graphics', ['--input', 'pack:4 [numa] l3:8 core:64 pu:2', '--of', 'xml', '-']);
    parseHwlocXml(text, 'warm-up');
    const t0 = performance.now();
    const f = parseHwlocXml(text, '4096');
    const ms = performance.now() - t0;
    console.log(`hwloc XML, 4096 PUs (${(text.length / 1e6).toFixed(1)} MB): ${ms.toFixed(1)} ms`);
    expect(f.cpus.length).toBe(4096);
    expect(f.nodes.map((n) => n.cpus?.length)).toEqual([1024, 1024, 1024, 1024]);
    expect(errors(f)).toEqual([]);
  });
});

describe('hwloc XML: damaged and foreign input never throws', () => {
  const good = readCorpus('hwloc-xml', '24em64t-2n6c2t-pci.xml');
  it.each([
    ['empty', ''],
    ['garbage', 'hello world\nthis is not xml'],
    ['binary', '\u0000\u0001\u00ff\u00fe<\u0000PK\u0003\u0004'],
    ['truncated', good.slice(0, Math.floor(good.length / 2))],
    ['libvirt capabilities', readCorpus('libvirt-caps', 'vircaps-x86_64-basic.xml')],
    ['internal DTD', '<?xml version="1.0"?><!DOCTYPE topology [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><topology version="2.0"><object type="Machine" name="&b;"/></topology>'],
  ])('%s → error diagnostics', (_, text) => {
    const f = parseHwlocXml(text, 'bad');
    expect(errors(f).length).toBeGreaterThan(0);
  });
  it('a truncated dump keeps what came before the cut', () => {
    const f = parseHwlocXml(good.slice(0, Math.floor(good.length / 2)), 'cut');
    expect(f.cpus.length).toBeGreaterThan(0);
    expect(errors(f).some((e) => /truncated|never closed|cut off/.test(e))).toBe(true);
  });
});

describe('hwloc XML of a collector run inside a container (real lstopo, cpuset cgroup)', () => {
  it('--whole-system: every host CPU is online; the 24 the container may not use are named once', () => {
    const root = dumpInContainer();
    const xml = runPeer('lstopo-no-graphics', ['--whole-system', '--of', 'xml', '-'], { HWLOC_FSROOT: root, HWLOC_COMPONENTS: 'linux,stop' });
    rmSync(dirname(root), { recursive: true, force: true });
    expect(xml).toMatch(/type="Machine"[^>]*allowed_cpuset="0x000000ff"/);
    const f = parseHwlocXml(xml, 'container');
    expect(formatIdList(f.cpus.filter((c) => c.online).map((c) => c.id))).toBe('0-31');
    expect(f.nodes.map((n) => formatIdList(n.cpus ?? []))).toEqual(['0-7,16-23', '8-15,24-31']);
    const machineLine = xml.split('\n').findIndex((l) => l.includes('type="Machine"')) + 1;
    expect(f.diagnostics).toEqual([{
      severity: 'info',
      source: 'container',
      line: machineLine,
      column: expect.any(Number),
      message: '24 CPU(s) (8-31) were outside the allowed set of the process that ran lstopo (allowed_cpuset, its cgroup or container); they are host CPUs and read as online',
    }]);
  });
});
