/**
 * solve (src/core/partition/solve.ts) on small real hosts read from lscpu and virsh capabilities:
 * a one-node host without SMT (Loongson 3C6000 under KVM), a one-node laptop, the same
 * with no distance table at all, and hugepage-backed cells (libvirt's basic x86_64 capabilities).
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/solve.ts';
import type { PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const loongson = corpusHost('util-linux-lscpu/loongarch-kvm_on_loongson_3c6000.lscpu.txt');
const laptop = corpusHost('util-linux-lscpu/x86_64-dell_e4310.lscpu.txt');
const NO_SLIT = 'info: the host gave no node distances: assuming 10 within a node and 20 between nodes, as Linux does';

function run(host: Host, patch: Partial<PartitionRequest>) {
  const r = solve(host, { ...TALK_REQUEST, mode: 'auto', vcpus: 2, memoryKiB: GiB, ...patch });
  return { ...r, said: r.diagnostics.map((d) => `${d.severity}: ${d.message}`) };
}

describe('one node', () => {
  it('lscpu without memory sizes: the node\'s free cores, its first kept for the host', () => {
    const r = run(loongson, {});
    expect(r.said).toEqual([]);
    expect(r.layout.cells).toEqual([{ id: 0, vcpus: [0, 1], memoryKiB: GiB, hostNodes: [0], memoryMode: 'strict', distances: [10] }]);
    expect(r.layout.pins).toEqual([
      { vcpu: 0, cpus: [1] },
      { vcpu: 1, cpus: [2] },
    ]);
    expect(r.explanation).toEqual([
      'node 0: the fewest nodes (1) that hold the guest, one cell per node, lowest distance cost among 1 eligible node (exact search, 1 step)',
      'node 0: 31 free cores',
      'cell 0 on node 0: distance cost 0',
      'CPUs 0 left to the host (first core of each node used): emulator pinned there',
    ]);
  });

  it('thread policy require on a host of one-thread cores says "this host"', () => {
    expect(run(loongson, { threadPolicy: 'require' }).said).toEqual(["error: thread policy 'require' needs host cores with two or more threads; this host has one"]);
  });

  it('a laptop whose plain lscpu names no cores: each CPU is a core of its own', () => {
    const r = run(laptop, {});
    expect(r.said).toEqual([]);
    expect(r.layout.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 2, threads: 1 });
    expect(r.layout.pins.map((p) => p.cpus)).toEqual([[1], [2]]);
    expect(r.explanation[1]).toBe('node 0: 3 free cores');
  });

  it('no distance table on one node is nothing to tell: there is no distance to assume', () => {
    const r = run({ ...laptop, distances: [] }, {});
    expect(r.said).toEqual([]);
    expect(r.layout.cells.map((c) => c.distances)).toEqual([[10]]);
  });
});

describe('hugepages (virsh capabilities, 1 GiB pages on node 3)', () => {
  const caps = corpusHost('libvirt-caps/vircaps-x86_64-basic.xml');

  it('the cell is backed by pages of the size asked', () => {
    const r = run(caps, { memoryKiB: 2 * GiB, hugepageSizeKiB: GiB });
    expect(r.said).toEqual([NO_SLIT]);
    expect(r.layout.cells).toEqual([{ id: 0, vcpus: [0, 1], memoryKiB: 2 * GiB, hostNodes: [3], memoryMode: 'strict', distances: [10], hugepageSizeKiB: GiB }]);
  });

  it('cells without hugepages say nothing of a page size', () => {
    expect(run(caps, { memoryKiB: 2 * GiB }).layout.cells[0]).not.toHaveProperty('hugepageSizeKiB');
  });
});

describe('tier memory in hugepages (KNL)', () => {
  it('must be whole pages, and says so in pages', () => {
    const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
    expect(run(knl, { mode: 'host', nodeset: '0,4', vcpus: 4, memoryKiB: 16 * 1024, hugepageSizeKiB: 2048, tierMemoryKiB: 1024 }).said.at(-1)).toBe(
      'error: 1024 KiB of tier memory is not a whole number of 2 MiB hugepages',
    );
  });
});
