/**
 * The words solve (src/core/partition/solve.ts) uses for what it found and what it could not do,
 * on the talk's host and corpus hosts: why mode auto found no node set (CPUs, memory, or no set
 * at all), the empty layout and score of a refusal, warnings for memory past the dump's free
 * snapshot and for overcommitted nodes in node order, and the devices local to a node.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/solve.ts';
import type { Occupancy, PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const talk = talkHost();
const NO_SLIT = 'info: the host gave no node distances: assuming 10 within a node and 20 between nodes, as Linux does';
const EMPTY_SCORE = { nodes: 0, distanceCost: 0, smtShared: 0, remoteVcpus: 0, remoteDistance: 10, splitCores: 0, optimal: false, gap: 0 };

function run(host: Host, patch: Partial<PartitionRequest>, occupancy?: Occupancy) {
  const r = solve(host, { ...TALK_REQUEST, ...patch }, occupancy);
  return { ...r, said: r.diagnostics.map((d) => `${d.severity}: ${d.message}`) };
}

describe('why mode auto found no node set', () => {
  it('one node short of CPUs, in the singular', () => {
    expect(run(talk, { mode: 'auto', vcpus: 40, memoryKiB: GiB, nodeset: '0' }).said).toEqual(['error: cannot place 40 vCPUs and 1 GiB: node 0 has 28 CPUs free for its 40 vCPUs']);
  });

  it('one node short of memory no other guest binds, in the singular', () => {
    expect(run(talk, { mode: 'auto', vcpus: 8, memoryKiB: 200 * GiB, nodeset: '0' }).said).toEqual([
      'error: cannot place 8 vCPUs and 200 GiB: node 0 holds 125.6 GiB no other guest binds, for its 200 GiB',
    ]);
  });

  it('CPUs and memory enough together, but never on the same node', () => {
    // Another guest pins every CPU of node 3 and binds 120 GiB on each of nodes 0-2.
    const busy: Occupancy = {
      guests: [{ name: 'other', pinnedCpus: talk.nodes[3].cpus, floatingCpus: [], floatingVcpus: 0, memory: [0, 1, 2].map((node) => ({ node, kib: 120 * GiB })), hugepages: [] }],
    };
    const r = run(talk, { mode: 'auto', vcpus: 8, memoryKiB: 30 * GiB }, busy);
    expect(r.said).toEqual(['error: cannot place 8 vCPUs and 30 GiB: no set of nodes 0-3 has room for it']);
    expect(r.explanation).toEqual([
      'node 0: 14 free cores, 5.6 GiB free, 3.0 GiB of it unused when the host was dumped',
      'node 1: 14 free cores, 6.0 GiB free, 0 KiB of it unused when the host was dumped',
      'node 2: 14 free cores, 6.0 GiB free, 878 MiB of it unused when the host was dumped',
      'node 3: 0 free cores, 126.0 GiB free, 124.4 GiB of it unused when the host was dumped',
    ]);
  });
});

describe('a refusal\'s layout and score are empty', () => {
  it('the vCPUs and memory asked, on no cell', () => {
    const r = run(talk, { vcpus: 200 });
    expect(r.said).toEqual(['error: cannot place 200 vCPUs and 32 GiB: node 0 has 28 threads free for 50']);
    expect(r.layout).toEqual({
      vcpus: 200,
      topology: { sockets: 1, dies: 1, clusters: 1, cores: 200, threads: 1 },
      cells: [],
      pins: [],
      emulatorpin: [],
      iothreadpins: [],
      memoryKiB: 32 * GiB,
      devices: [],
    });
    expect(r.score).toEqual(EMPTY_SCORE);
  });

  it('numbers that are no counts become 0', () => {
    const r = run(talk, { vcpus: 1.5, memoryKiB: NaN });
    expect(r.layout).toEqual({
      vcpus: 0,
      topology: { sockets: 1, dies: 1, clusters: 1, cores: 0, threads: 1 },
      cells: [],
      pins: [],
      emulatorpin: [],
      iothreadpins: [],
      memoryKiB: 0,
      devices: [],
    });
    expect(r.score).toEqual(EMPTY_SCORE);
    expect(run(talk, { vcpus: -4, memoryKiB: 1.5 }).layout).toMatchObject({ vcpus: 0, memoryKiB: 1.5 });
  });
});

describe('warnings, node by node in node order', () => {
  it('memory past the snapshot on two memoryless nodes\' homes (EPYC 7401, cells bound to nodes 5 and 1)', () => {
    const epyc = corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt');
    const r = run(epyc, { vcpus: 4, nodeset: '2,6', cellVcpus: [2, 2], cellMemoryKiB: [32385024, 30 * GiB], memoryKiB: 32385024 + 30 * GiB });
    expect(r.layout.cells.map((c) => c.hostNodes)).toEqual([[5], [1]]);
    expect(r.said).toEqual([
      NO_SLIT,
      'warning: node 1 had 29.7 GiB free when the host was dumped and the guest binds 30 GiB there: the rest must come from page cache the kernel can drop',
      // 1 MiB past the snapshot: both read 30.9 GiB, so the warning counts in MiB
      'warning: node 5 had 31625 MiB free when the host was dumped and the guest binds 31626 MiB there: the rest must come from page cache the kernel can drop',
    ]);
  });

  it('two nodes overcommitted by a guest floating over both', () => {
    const floating: Occupancy = { guests: [{ name: 'other', pinnedCpus: [], floatingCpus: [...talk.nodes[1].cpus, ...talk.nodes[2].cpus], floatingVcpus: 50, memory: [], hugepages: [] }] };
    const r = run(talk, { mode: 'node', nodeset: '1-2', vcpus: 40, cells: 2 }, floating);
    expect(r.said).toEqual(['warning: host is overcommitted: node 1 runs 45 vCPUs on 30 CPUs', 'warning: host is overcommitted: node 2 runs 45 vCPUs on 30 CPUs']);
    expect(r.explanation).toEqual([
      'nodes 1-2: the fewest nodes (2) that fit, lowest distance cost among 2 eligible nodes (exact search, 5 steps)',
      'node 1: 0 free cores, 126.0 GiB free, 115.6 GiB of it unused when the host was dumped',
      'node 2: 0 free cores, 126.0 GiB free, 120.9 GiB of it unused when the host was dumped',
      'cells 0-1 on nodes 1-2: distance cost 110',
    ]);
    expect(r.score.smtShared).toBe(20);
  });
});

describe('devices (hwloc XML with PCI locality)', () => {
  it('two devices on one node: both named on it, both in the guest\'s cell', () => {
    const pci = corpusHost('hwloc-xml/24em64t-2n6c2t-pci.xml');
    const r = run(pci, {
      mode: 'auto',
      vcpus: 2,
      memoryKiB: GiB,
      devices: [
        { bdf: '0000:00:01.0', policy: 'preferred' },
        { bdf: '0000:00:05.0', policy: 'preferred' },
      ],
    });
    expect(r.said).toEqual([]);
    expect(r.explanation.slice(0, 2)).toEqual([
      'node 0: the fewest nodes (1) that hold the guest inside package 0, one cell per node, lowest distance cost among 2 eligible nodes (exact search, 2 steps)',
      'node 0: 5 free cores, 18.0 GiB free, local to 0000:00:01.0, 0000:00:05.0',
    ]);
    expect(r.layout.devices).toEqual([
      { bdf: '0000:00:01.0', cell: 0, policy: 'preferred' },
      { bdf: '0000:00:05.0', cell: 0, policy: 'preferred' },
    ]);
  });
});
