/**
 * Edges of the merge a person meets with one paste: lscpu -e alone (its ONLINE column is all
 * that says which CPUs are offline; offline CPUs keep the caches it lists but have no core),
 * plain xl info (cores without packages), a host without dies or clusters, libvirt nodedev
 * alone (devices but no CPUs, so no made-up node 0), and facts merged without a labeller (each
 * source named by its format id).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIdList } from '../../src/core/cpuset.ts';
import { mergeFacts } from '../../src/core/host/merge.ts';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { readCorpus } from '../support/corpus.ts';

const paste = (folder: string, file: string): Paste => ({ name: file, text: readCorpus(folder, file) });
const offlineE = paste('hwloc-linux', 'offline-cpu0-node0.lscpu-e.txt');

describe('lscpu -e of a Haswell pair with CPUs 0-3 and 21-23 offline', () => {
  it('alone: its ONLINE column says which CPUs are offline, and only online CPUs have cores', () => {
    const host = ingest([offlineE]).host;
    expect(formatIdList(host.cpus.filter((c) => !c.online).map((c) => c.id))).toBe('0-3,21-23');
    expect(host.cores.map((c) => formatIdList(c.cpus))).toEqual(Array.from({ length: 17 }, (_, i) => String(4 + i)));
    expect(host.cpus[0]).toStrictEqual({ id: 0, online: false, siblings: [0], caches: [26, 50, 2] });
    expect(host.nodes.map((n) => [n.id, formatIdList(n.cpus)])).toEqual([[1, '5,7,9,11,13,15,17,19']]);
    expect(host.diagnostics).toEqual([]);
  });

  it('with lscpu: the packages lscpu -e gives are kept, no socket guess is made, nothing is said', () => {
    const host = ingest([paste('hwloc-linux', 'offline-cpu0-node0.lscpu.txt'), offlineE]).host;
    expect(host.cores).toHaveLength(17);
    expect(host.cpus.filter((c) => c.package === undefined).map((c) => c.id)).toEqual([0, 1, 2, 3, 21, 22, 23]);
    expect(host.diagnostics).toEqual([]);
  });

  it('merged without a labeller, each source is labelled by its format id', () => {
    const { facts } = ingest([offlineE]);
    expect(mergeFacts(facts).sources).toStrictEqual([{ name: 'offline-cpu0-node0.lscpu-e.txt', format: 'lscpu-e', label: 'lscpu-e', lines: 25, unknownLines: 0, errors: 0, warnings: 0 }]);
  });
});

describe('plain xl info: 56 CPUs by count', () => {
  it('makes each a core of its own, in no package', () => {
    const xl: Paste = { name: 'xl-info.txt', text: readFileSync(join(import.meta.dirname, '../fixtures/xl-info/xen418-intel-56cpu.xl-info.txt'), 'utf8') };
    const host = ingest([xl]).host;
    expect(host.cores[0]).toStrictEqual({ index: 0, cpus: [0] });
    expect(host.cores[55]).toStrictEqual({ index: 55, cpus: [55] });
    expect(host.packages).toEqual([]);
  });
});

describe('a host whose pastes name no dies or clusters (the i7-1370P\'s hwloc XML)', () => {
  it('has none', () => {
    const host = ingest([paste('hwloc-linux', '20em64t-hybrid-1p6c2t+2ca4co1t.lstopo.xml')]).host;
    expect(host.dies).toStrictEqual([]);
    expect(host.clusters).toStrictEqual([]);
    expect(host.packages).toStrictEqual([{ id: 0, cpus: host.cpus.map((c) => c.id) }]);
  });
});

describe('libvirt nodedev XML alone', () => {
  it('gives its device and no CPUs, nodes or distances, and says nothing about NUMA', () => {
    const host = ingest([paste('libvirt-nodedev', 'pci_1002_71c4.xml')]).host;
    expect(host.pci.map((p) => [p.bdf, p.node])).toEqual([['0000:01:00.0', 1]]);
    expect(host.cpus).toEqual([]);
    expect(host.nodes).toEqual([]);
    expect(host.distances).toEqual([]);
    expect(host.diagnostics).toEqual([]);
  });
});
