/**
 * virsh capabilities: the corpus (libvirt's own test data and virt-manager's real hosts) and the
 * real virsh (Debian libvirt-clients + libvirt-daemon) printing its test driver's capabilities.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { virshCapsFormat } from '../../src/core/ingest/virsh-caps.ts';
import { corpusFiles, readCorpus, runPeer } from '../support/corpus.ts';

const parse = (file: string) => virshCapsFormat.parse(readCorpus('libvirt-caps', file), file);
const errors = (f: ReturnType<typeof parse>) => f.diagnostics.filter((d) => d.severity !== 'info');

describe('virsh capabilities corpus', () => {
  it('every corpus file sniffs and parses without errors or warnings; cells and CPUs match the XML', () => {
    const files = corpusFiles('libvirt-caps', /\.xml$/);
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const text = readCorpus('libvirt-caps', file);
      expect(virshCapsFormat.sniff(text), file).toBeGreaterThan(0.9);
      const f = virshCapsFormat.parse(text, file);
      expect(errors(f), file).toEqual([]);
      const cellCount = (text.match(/<cell id=/g) ?? []).length;
      const cpuCount = (text.match(/<cpu id=/g) ?? []).length;
      expect(f.nodes, file).toHaveLength(cellCount);
      expect(f.cpus, file).toHaveLength(cpuCount);
      expect(f.nodes.flatMap((n) => n.cpus ?? []).length, file).toBe(cpuCount);
    }
  });

  it('real Skylake desktop: one cell, 4c/8t, hugepage pools, one L3 bank, one socket', () => {
    const f = parse('virt-manager-kvm-x86_64.xml');
    expect(f.machine).toMatchObject({ arch: 'x86_64', model: 'Skylake-Client-noTSX-IBRS', vendor: 'Intel' });
    expect(f.nodes).toHaveLength(1);
    expect(f.cpus).toHaveLength(8);
    expect(f.cpus[0]).toMatchObject({ id: 0, package: 0, die: 0, core: 0, node: 0, online: true });
    expect(f.cpus[0].siblings).toHaveLength(2);
    expect(f.counts).toMatchObject({ sockets: 1, coresPerSocket: 4, threadsPerCore: 2, nodes: 1, cpus: 8 });
    expect(f.caches).toEqual([{ level: 3, type: 'unified', sizeKiB: 8192, cpus: [0, 1, 2, 3, 4, 5, 6, 7], id: 0 }]);
    expect(f.nodes[0].hugepages?.map((p) => p.sizeKiB)).toEqual([2048, 1048576]);
  });

  it('aarch64 server: 2 × 80 CPUs, distances 10/20; host sockets is used only when the cells agree', () => {
    const f = parse('virt-manager-kvm-aarch64.xml');
    expect(f.distances).toMatchObject({ nodes: [0, 1], values: [[10, 20], [20, 10]] });
    expect(f.nodes.map((n) => n.cpus?.length)).toEqual([80, 80]);
    // host/cpu/topology says sockets='1' (per node, old libvirt) but the cells name sockets 0 and 1.
    expect(new Set(f.cpus.map((c) => c.package)).size).toBe(2);
    expect(f.counts.sockets).toBeUndefined();
    expect(f.diagnostics.some((d) => d.severity === 'info' && /sockets per NUMA node/.test(d.message))).toBe(true);
  });

  it('clusters and sparse socket ids (aarch64)', () => {
    const f = parse('vircaps-aarch64-basic-clusters.xml');
    expect(f.cpus[4]).toMatchObject({ id: 4, package: 3180, cluster: 256, core: 256, siblings: [4, 5] });
  });

  it('HMAT: cell 1 is memory-only (<cpus num=0/>)', () => {
    const f = parse('vircaps-x86_64-hmat.xml');
    expect(f.nodes[1]).toMatchObject({ id: 1, memoryKiB: 2097152, cpus: [] });
    expect(f.caches.length).toBeGreaterThan(0);
    expect(f.caches[0]).toMatchObject({ level: 3, type: 'unified', sizeKiB: 16384, cpus: [0] });
  });

  it('offline CPUs: a bare <cpu id/> is an offline CPU', () => {
    const text = readCorpus('libvirt-caps', 'virt-manager-kvm-x86_64.xml').replace(/<cpu id='7'[^>]*\/>/, "<cpu id='7'/>");
    const f = virshCapsFormat.parse(text, 'offline');
    expect(f.cpus[7]).toEqual({ id: 7, node: 0, online: false });
    expect(f.counts.offline).toEqual([7]);
  });
});

describe('virsh capabilities from the real virsh (test driver)', () => {
  it('parses what virsh -c test:///default capabilities prints', () => {
    const text = runPeer('virsh', ['-c', 'test:///default', 'capabilities']);
    expect(virshCapsFormat.sniff(text)).toBeGreaterThan(0.9);
    const f = virshCapsFormat.parse(text, 'virsh-test');
    expect(errors(f)).toEqual([]);
    // The test driver's host: 2 cells of 8 CPUs, socket 0 and 1, 2 and 4 GiB.
    expect(f.nodes.map((n) => [n.id, n.memoryKiB, n.cpus])).toEqual([
      [0, 2097152, [0, 1, 2, 3, 4, 5, 6, 7]],
      [1, 4194304, [8, 9, 10, 11, 12, 13, 14, 15]],
    ]);
    expect(f.cpus.filter((c) => c.package === 1).map((c) => c.id)).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    expect(f.machine.arch).toBe('i686');
    expect(f.distances).toBeUndefined();
  });
});

describe('virsh capabilities robustness', () => {
  it('guest-only capabilities → a warning that there is no NUMA topology', () => {
    const text = readCorpus('libvirt-caps', 'virt-manager-kvm-x86_64.xml').replace(/<host>[\s\S]*<\/host>/, '');
    const f = virshCapsFormat.parse(text, 'guest-only');
    expect(f.nodes).toEqual([]);
    expect(f.diagnostics.some((d) => d.severity === 'warning' && /no NUMA topology/.test(d.message))).toBe(true);
  });

  it('domain capabilities → a clear warning', () => {
    const f = virshCapsFormat.parse("<domainCapabilities>\n  <path>/usr/bin/qemu-system-x86_64</path>\n</domainCapabilities>\n", 'domcaps');
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0].message).toMatch(/domcapabilities/);
  });

  it.each([
    ['empty', ''],
    ['garbage', 'hello\nworld\n'],
    ['binary', '\u0000\u0001\u0002ELF\u0000'],
    ['numactl -H', readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt')],
    ['nodedev XML', readCorpus('libvirt-nodedev', 'pci_1002_71c4.xml')],
  ])('%s → an error, no throw', (_, text) => {
    const f = virshCapsFormat.parse(text, 'x');
    expect(f.nodes).toEqual([]);
    expect(f.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('truncated capabilities keep the cells read so far and say it is cut', () => {
    const text = readCorpus('libvirt-caps', 'virt-manager-kvm-aarch64.xml');
    const f = virshCapsFormat.parse(text.slice(0, text.indexOf("<cell id='1'>") + 200), 'cut');
    expect(f.nodes.length).toBeGreaterThanOrEqual(1);
    expect(f.diagnostics.some((d) => d.severity === 'error' && /truncated|cut off/.test(d.message))).toBe(true);
  });

  it('never throws on mutated corpus text', () => {
    const base = readCorpus('libvirt-caps', 'vircaps-aarch64-basic-clusters.xml');
    fc.assert(
      fc.property(fc.nat(base.length), fc.nat(base.length), fc.string({ maxLength: 20 }), (a, b, insert) => {
        const f = virshCapsFormat.parse(base.slice(0, Math.min(a, b)) + insert + base.slice(Math.max(a, b)), 'm');
        expect(Array.isArray(f.diagnostics)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
