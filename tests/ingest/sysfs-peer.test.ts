/**
 * Every sysfs dump of the corpus — hwloc's own test tarballs (hwloc-linux/*.tar.bz2) and
 * util-linux's (util-linux-lscpu/*.tar.gz) — unpacked by numascope's streaming reader and read as
 * sysfs, against hwloc's Linux backend reading the same files (HWLOC_FSROOT): the same packages,
 * cores, PUs, caches, NUMA nodes with their CPUs, memory, huge pages and distance matrix.
 */
import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import type { HostFacts } from '../../src/core/host/facts.ts';
import { hwlocXmlFormat } from '../../src/core/ingest/hwloc-xml.ts';
import { sysfsFormat } from '../../src/core/ingest/sysfs.ts';
import { unpackArchive } from '../../src/worker/unpack.ts';
import { corpusFiles, corpusPath, dumpRoot, runPeer } from '../support/corpus.ts';

/** What hwloc and numascope must agree on; hwloc only knows the topology of online CPUs. */
function topology(f: HostFacts) {
  const online = f.cpus.filter((c) => c.online !== false);
  const onlineIds = new Set(online.map((c) => c.id));
  return {
    present: formatIdList(f.cpus.map((c) => c.id)),
    online: formatIdList(online.map((c) => c.id)),
    packages: new Set(online.map((c) => c.package ?? 0)).size,
    cores: new Set(online.map((c) => formatIdList((c.siblings ?? [c.id]).filter((s) => onlineIds.has(s))))).size,
    nodes: f.nodes
      .filter((n) => (n.cpus ?? []).some((c) => onlineIds.has(c)) || n.memoryKiB !== undefined || f.nodes.length > 1)
      .map((n) => `${n.id}:${formatIdList((n.cpus ?? []).filter((c) => onlineIds.has(c)))}`),
    memoryKiB: f.nodes.map((n) => [n.id, n.memoryKiB]),
    hugepages: f.nodes.map((n) => [n.id, (n.hugepages ?? []).map((h) => `${h.sizeKiB}kB×${h.total}`)]),
    caches: f.caches
      .map((c) => ({ ...c, cpus: c.cpus.filter((id) => onlineIds.has(id)) }))
      .filter((c) => c.cpus.length > 0)
      // hwloc writes an unknown size (no size file) as 0.
      .map((c) => `L${c.level}${c.type[0]} ${c.sizeKiB || 'unknown'} KiB ${formatIdList(c.cpus)}`)
      .sort(),
    distances: f.distances && f.distances.nodes.map((from, i) => f.distances!.nodes.map((to, j) => `${from}→${to}=${f.distances!.values[i][j]}`)),
  };
}

const dumps = [
  ...corpusFiles('hwloc-linux', /\.tar\.bz2$/).map((f) => ['hwloc-linux', f] as const),
  ...corpusFiles('util-linux-lscpu', /\.tar\.gz$/).map((f) => ['util-linux-lscpu', f] as const),
];

describe('sysfs tarballs read as hwloc reads them', () => {
  it('the corpus has the dumps this is about', () => {
    expect(dumps.length).toBeGreaterThanOrEqual(26);
  });

  for (const [folder, tarball] of dumps) {
    it(`${folder}/${tarball}`, async () => {
      const unpacked = await unpackArchive(await openAsBlob(corpusPath(folder, tarball)), tarball);
      expect(unpacked.diagnostics).toEqual([]);
      const reading = sysfsFormat.parse(unpacked.tree, tarball);
      expect(reading.diagnostics).toEqual([]);
      const [ours] = reading.facts;
      expect(ours.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      // NVIDIA's GPU memory nodes are real NUMA nodes to the kernel; hwloc hides them unless told.
      const xml = runPeer('lstopo-no-graphics', ['--of', 'xml', '-'], { HWLOC_FSROOT: dumpRoot(folder, tarball), HWLOC_COMPONENTS: 'linux,stop', HWLOC_KEEP_NVIDIA_GPU_NUMA_NODES: '1' });
      const hwloc = hwlocXmlFormat.parse(xml, `lstopo over ${tarball}`);
      if (ours.nodes.length === 0) {
        // No node folder: a kernel without NUMA. hwloc then makes one node of the whole machine;
        // numascope's facts say nothing, and merge() infers that node.
        expect(hwloc.nodes.map((n) => n.id)).toEqual([0]);
        expect(formatIdList(hwloc.nodes[0].cpus ?? [])).toBe(topology(ours).online);
        hwloc.nodes = [];
      }
      expect(topology(ours)).toEqual(topology(hwloc));
    });
  }
});
