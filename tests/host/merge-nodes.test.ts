/**
 * NUMA nodes merged from the pastes: memory kinds hwloc names (DRAM, MCDRAM), where hwloc puts a
 * CPU-less node, hugepage pools, and what kind of node each is (cpu+memory, memory-only). Real
 * pastes: hwloc's XML of a KNL-like SNC4 host with MCDRAM nodes, libvirt's HMAT capabilities, and
 * numactl -H, lscpu and hwloc XML of a POWER9 whose GPU memory is six CPU-less nodes.
 */
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { join } from 'node:path';
import { dumpRoot, numactlOver, readCorpus } from '../support/corpus.ts';

const paste = (folder: string, file: string): Paste => ({ name: file, text: readCorpus(folder, file) });

describe('a KNL-like host in SNC4 with an MCDRAM node per quadrant (hwloc XML)', () => {
  const host = () => ingest([paste('hwloc-xml', '64intel64-fakeKNL-SNC4-hybrid.xml')]).host;

  it('has four DRAM nodes with CPUs and four MCDRAM nodes without, each beside the CPUs hwloc gives it', () => {
    expect(host().nodes.map((n) => [n.id, n.kind, n.subtype, formatIdList(n.cpus), n.localCpus && formatIdList(n.localCpus), n.memoryKiB])).toEqual([
      [0, 'cpu+memory', 'DRAM', '0-3,16-19,32-35,48-51', undefined, 1048576],
      [1, 'cpu+memory', 'DRAM', '4-7,20-23,36-39,52-55', undefined, 1048576],
      [2, 'cpu+memory', 'DRAM', '8-11,24-27,40-43,56-59', undefined, 1048576],
      [3, 'cpu+memory', 'DRAM', '12-15,28-31,44-47,60-63', undefined, 1048576],
      [4, 'memory-only', 'MCDRAM', '', '4-7,20-23,36-39,52-55', 2097152],
      [5, 'memory-only', 'MCDRAM', '', '8-11,24-27,40-43,56-59', 2097152],
      [6, 'memory-only', 'MCDRAM', '', '12-15,28-31,44-47,60-63', 2097152],
      [7, 'memory-only', 'MCDRAM', '', '0-3,16-19,32-35,48-51', 2097152],
    ]);
  });

  it('keeps exactly what hwloc says of a node, and no more', () => {
    expect(host().nodes[0]).toStrictEqual({ id: 0, cpus: host().nodes[0].cpus, memoryKiB: 1048576, freeKiB: null, hugepages: [], kind: 'cpu+memory', subtype: 'DRAM' });
    expect(host().nodes[7]).toStrictEqual({
      id: 7,
      cpus: [],
      memoryKiB: 2097152,
      freeKiB: null,
      hugepages: [],
      kind: 'memory-only',
      subtype: 'MCDRAM',
      localCpus: [0, 1, 2, 3, 16, 17, 18, 19, 32, 33, 34, 35, 48, 49, 50, 51],
    });
    // hwloc placed the MCDRAM nodes itself: nothing is inferred.
    expect(host().diagnostics).toEqual([]);
  });
});

describe('libvirt capabilities with a CPU-less HMAT node', () => {
  const host = () => ingest([paste('libvirt-caps', 'vircaps-x86_64-hmat.xml')]).host;

  it('gives each cell its memory and hugepage pools, the CPU-less one memory-only', () => {
    expect(host().nodes).toStrictEqual([
      { id: 0, cpus: host().cpus.map((c) => c.id), memoryKiB: 1048576, freeKiB: null, hugepages: [{ sizeKiB: 2048, total: 4096 }, { sizeKiB: 1048576, total: 6144 }], kind: 'cpu+memory' },
      { id: 1, cpus: [], memoryKiB: 2097152, freeKiB: null, hugepages: [{ sizeKiB: 2048, total: 6144 }, { sizeKiB: 1048576, total: 8192 }], kind: 'memory-only' },
    ]);
    expect(formatIdList(host().nodes[0].cpus)).toBe('0-23');
  });
});

describe('numactl -H and libvirt capabilities of one 4-node host', () => {
  // numactl -H of the host libvirt's vircaps-x86_64-basic.xml describes, as the node-memory tests make it.
  const numactl: Paste = {
    name: 'numactl-H.txt',
    text: `${[
      'available: 4 nodes (0-3)',
      ...[0, 1, 2, 3].flatMap((i) => [`node ${i} cpus: ${[0, 1, 2, 3].map((c) => 4 * i + c).join(' ')}`, `node ${i} size: ${1024 * (i + 1)} MB`, `node ${i} free: ${1024 * (i + 1) - 100} MB`]),
    ].join('\n')}\n`,
  };
  const caps = paste('libvirt-caps', 'vircaps-x86_64-basic.xml');

  it('takes hugepages from the capabilities and free memory from numactl, which alone gives it', () => {
    for (const pastes of [[numactl, caps], [caps, numactl]]) {
      const host = ingest(pastes).host;
      expect(host.nodes.map((n) => [n.id, n.memoryKiB, n.freeKiB, n.hugepages.map((p) => `${p.total}×${p.sizeKiB}`).join(' ')])).toEqual([
        [0, 1048576, (1024 - 100) * 1024, '4096×2048 6144×1048576'],
        [1, 2097152, (2048 - 100) * 1024, '6144×2048 8192×1048576'],
        [2, 3145728, (3072 - 100) * 1024, '8192×2048 10240×1048576'],
        [3, 4194304, (4096 - 100) * 1024, '10240×2048 12288×1048576'],
      ]);
    }
  });
});

describe('a POWER9 with V100 GPU memory as nodes 250-255: numactl -H, hwloc XML and lscpu', () => {
  const numactl: Paste = { name: 'numactl-H.txt', text: numactlOver(join(dumpRoot('hwloc-linux', 'nvidiagpunumanodes.tar.bz2'), 'sys/devices/system')) };
  const host = () => ingest([numactl, paste('hwloc-linux', 'nvidiagpunumanodes.lstopo.xml'), paste('hwloc-linux', 'nvidiagpunumanodes.lscpu.txt')]).host;

  it('takes memory and hugepage pools from hwloc, free memory from numactl, the GPU nodes from numactl alone', () => {
    expect(host().nodes.map((n) => [n.id, n.kind, n.cpus.length, n.memoryKiB, n.freeKiB, n.hugepages.length])).toEqual([
      [0, 'cpu+memory', 16, 129839104, 118693 * 1024, 2],
      [8, 'cpu+memory', 16, 133952000, 124789 * 1024, 2],
      ...[250, 251, 252, 253, 254, 255].map((id) => [id, 'memory-only', 0, 15360 * 1024, 15359 * 1024, 0]),
    ]);
    expect(host().nodes[7]).toStrictEqual({ id: 255, cpus: [], memoryKiB: 15728640, freeKiB: 15727616, hugepages: [], kind: 'memory-only' });
  });

  it('has numactl\'s distances, the GPU nodes 80 from everything, and places none of them (hwloc hides them)', () => {
    expect(host().distances[0]).toEqual([10, 40, 80, 80, 80, 80, 80, 80]);
    expect(host().distances[7]).toEqual([80, 80, 80, 80, 80, 80, 80, 10]);
    expect(host().diagnostics).toEqual([]);
  });
});
