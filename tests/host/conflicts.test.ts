/**
 * Which node ids each paste can vouch for: a per-CPU table (lscpu -p) names a node only through
 * its CPUs, so a host's CPU-less nodes (CXL, HBM, GPU memory) that numactl -H lists are no
 * disagreement with it; a node it does not name but that has CPUs is. Every paste is the real
 * tool's output over a real corpus dump or over cxl-host.ts's tree of the same machine.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { dumpRoot, numactlOver, runPeer } from '../support/corpus.ts';
import { cxlHost, sysfsOf } from './cxl-host.ts';

const MAGNY_COURS = '48amd64-4pa2n6c-sparse.tar.bz2';
const GPU_NODES = 'nvidiagpunumanodes.tar.bz2';

const dump = (tarball: string) => dumpRoot('hwloc-linux', tarball);
const numactl = (root: string) => ({ name: 'numactl -H', text: numactlOver(join(root, 'sys/devices/system')) });
const lscpu = (root: string, ...args: string[]) => ({ name: `lscpu ${args.join(' ')}`.trim(), text: runPeer('lscpu', ['-s', root, ...args]) });

function nodeIdConflict(host: Host) {
  return host.conflicts.find((c) => c.subject === 'NUMA node ids');
}

describe('CPU-less nodes are no disagreement with a paste that names nodes through CPUs', () => {
  const cxl = sysfsOf('conflicts-cxl', cxlHost()).root;

  it('the Magny-Cours with CXL/HBM nodes: numactl -H and lscpu -p agree', () => {
    const { host } = ingest([numactl(cxl), lscpu(cxl, '-p')]);
    expect(host.nodes.map((n) => [n.id, n.cpus.length > 0])).toEqual([
      [0, true], [1, true], [2, true], [33, true], [34, true], [45, true], [72, true], [73, true],
      [80, false], [81, false], [82, false], [83, false], [84, false],
    ]);
    expect(host.conflicts).toEqual([]);
  });

  it('a real host with GPU memory nodes 250-255: numactl -H and lscpu -p agree', () => {
    const root = dump(GPU_NODES);
    const { host } = ingest([numactl(root), lscpu(root, '-p')]);
    expect(host.nodes.filter((n) => n.cpus.length === 0).map((n) => n.id)).toEqual([250, 251, 252, 253, 254, 255]);
    expect(host.conflicts).toEqual([]);
  });

  it('plain lscpu lists the CPU-less nodes itself and agrees too', () => {
    const { host } = ingest([numactl(cxl), lscpu(cxl)]);
    expect(host.conflicts).toEqual([]);
  });
});

describe('node ids that really differ are still reported', () => {
  it('lscpu -p of another machine names CPU nodes that numactl -H does not', () => {
    const { host } = ingest([numactl(dump(GPU_NODES)), lscpu(dump(MAGNY_COURS), '-p')]);
    expect(nodeIdConflict(host)?.claims).toEqual([
      { source: 'numactl -H (numactl -H)', value: '0,8,250-255' },
      { source: 'lscpu -p (lscpu -p)', value: '0-2,33-34,45,72-73' },
    ]);
  });

  it('numactl -H names a node with CPUs that lscpu -p of the same tree lacks', () => {
    // The same machine except that two CPUs of node 73 sit in a node 90 of their own in numactl's tree.
    const base = cxlHost();
    const moved = base.nodes.find((n) => n.id === 73)!.cpus.slice(0, 2);
    const split: Host = {
      ...base,
      nodes: [
        ...base.nodes.map((n) => (n.id === 73 ? { ...n, cpus: n.cpus.filter((c) => !moved.includes(c)) } : n)),
        { ...base.nodes.find((n) => n.id === 73)!, id: 90, cpus: moved },
      ],
      distances: [...base.distances.map((row) => [...row, 20]), [...base.distances[0].map(() => 20), 10]],
    };
    const { host } = ingest([numactl(sysfsOf('conflicts-split', split).root), lscpu(sysfsOf('conflicts-whole', base).root, '-p')]);
    expect(nodeIdConflict(host)?.claims.map((c) => c.value)).toEqual(['0-2,33-34,45,72-73,80-84,90', '0-2,33-34,45,72-73']);
  });

  it('two pastes that both list CPU-less nodes still disagree about them', () => {
    const { host } = ingest([numactl(sysfsOf('conflicts-cxl2', cxlHost()).root), lscpu(dump(MAGNY_COURS))]);
    expect(nodeIdConflict(host)?.claims.map((c) => c.value)).toEqual(['0-2,33-34,45,72-73,80-84', '0-2,33-34,45,72-73']);
  });
});
