/**
 * The sysfs reader on what the peer comparison (sysfs-peer.test.ts) does not show: the facts
 * hwloc does not print (free huge pages, a node's cpulist as the kernel wrote it), offline CPUs,
 * memory-only nodes, and a damaged file reported by its own path.
 */
import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { readTree } from '../../src/core/ingest/bundle.ts';
import { sysfsFormat } from '../../src/core/ingest/sysfs.ts';
import type { FileTree } from '../../src/core/ingest/tree.ts';
import { unpackArchive } from '../../src/worker/unpack.ts';
import { corpusPath } from '../support/corpus.ts';

async function dumpTree(tarball: string): Promise<Map<string, string>> {
  const { tree, diagnostics } = await unpackArchive(await openAsBlob(corpusPath('hwloc-linux', tarball)), tarball);
  expect(diagnostics).toEqual([]);
  return new Map(tree);
}

const factsOf = (tree: FileTree, name = 'dump') => sysfsFormat.parse(tree, name).facts[0];

describe('sysfs reader', () => {
  it('reads each node\'s huge pages, free ones included, and its free memory', async () => {
    const facts = factsOf(await dumpTree('32intel64-2p8co2t+8ve.tar.bz2'));
    expect(facts.format).toBe('sysfs');
    expect(facts.nodes.map((n) => n.hugepages)).toEqual([
      [{ sizeKiB: 2048, total: 2048, free: 2048 }, { sizeKiB: 1048576, total: 0, free: 0 }],
      [{ sizeKiB: 2048, total: 2048, free: 2048 }, { sizeKiB: 1048576, total: 0, free: 0 }],
    ]);
    expect(facts.nodes.every((n) => n.freeKiB !== undefined && n.freeKiB < n.memoryKiB!)).toBe(true);
  });

  it('keeps CPUs that are present but offline, without making up their topology', async () => {
    const facts = factsOf(await dumpTree('offline-cpu0-node0.tar.bz2'));
    expect(formatIdList(facts.cpus.map((c) => c.id))).toBe('0-23');
    expect(formatIdList(facts.counts.online ?? [])).toBe('4-20');
    expect(formatIdList(facts.counts.offline ?? [])).toBe('0-3,21-23');
    expect(facts.cpus[0]).toEqual({ id: 0, online: false });
    // Node 0 has no folder (all its CPUs offline, no memory); node 1's cpulist is the kernel's.
    expect(facts.nodes.map((n) => [n.id, formatIdList(n.cpus ?? [])])).toEqual([[1, '1,3,5,7,9,11,13,15,17,19,21,23']]);
    expect(facts.distances).toBeUndefined();
  });

  it('reads memory-only nodes (GPU memory) with their distances', async () => {
    const facts = factsOf(await dumpTree('nvidiagpunumanodes.tar.bz2'));
    const gpu = facts.nodes.filter((n) => n.id >= 250);
    expect(gpu.map((n) => [n.id, n.cpus, n.memoryKiB])).toEqual([250, 251, 252, 253, 254, 255].map((id) => [id, [], 15728640]));
    expect(facts.distances?.nodes).toEqual([0, 8, 250, 251, 252, 253, 254, 255]);
    expect(facts.distances?.values[1]).toEqual([40, 10, 80, 80, 80, 80, 80, 80]);
  });

  it('reports a damaged file by its path and keeps everything else', async () => {
    const tree = await dumpTree('32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2');
    const path = [...tree.keys()].find((p) => p.endsWith('sys/devices/system/cpu/cpu3/topology/core_id'))!;
    tree.set(path, 'three\n');
    const facts = factsOf(tree);
    expect(facts.diagnostics).toEqual([{ severity: 'warning', source: path, message: "'three' is not a number; the file is ignored" }]);
    expect(facts.cpus[3].core).toBeUndefined();
    expect(facts.cpus[3].siblings).toEqual([3]);
    expect(facts.cpus[4].core).toBe(4);
  });

  it('is what readTree makes of a sysfs tarball; a tree with neither sysfs nor a sosreport is an error', async () => {
    const tree = await dumpTree('20s390-2g6s4c.tar.bz2');
    const bundle = readTree(tree, 's390');
    expect(bundle.kind).toBe('sysfs');
    expect(bundle.facts[0].cpus[1].groups).toEqual([4, 0]);
    const other = readTree(new Map([['notes/readme.txt', 'hello']]), 'notes.tar');
    expect(other.kind).toBe('unknown');
    expect(other.diagnostics.map((d) => d.severity)).toEqual(['error']);
  });
});
