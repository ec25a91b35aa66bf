/**
 * The talk's host and its two golden layouts (DESIGN.md §3, formats.md §3.7), built by hand so
 * validate's tests do not depend on the partitioning core they check.
 */
import type { GuestCell, GuestLayout } from '../../src/core/guest/model.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { readCorpus } from '../support/corpus.ts';

const GIB = 1024 * 1024;

export function talkHost(): Host {
  const names = ['talk-e7-8895v2.lscpu.txt', 'talk-e7-8895v2.numactl-H.txt'];
  return ingest(names.map((name) => ({ name, text: readCorpus('pasted', name) }))).host;
}

/** Example 1: 16 vCPUs, 32 GiB, mode host, contiguous: 4 cells, SMT-aware 1:1 pins after each node's first core. */
export function goldenHostMode(): GuestLayout {
  const cells: GuestCell[] = [0, 1, 2, 3].map((i) => ({
    id: i,
    vcpus: [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3],
    memoryKiB: 8 * GIB,
    hostNodes: [i],
    memoryMode: 'strict',
    distances: [0, 1, 2, 3].map((j) => (i === j ? 10 : 21)),
  }));
  // node i owns cores 15i..15i+14 with siblings n and n+60; its first core stays with the host
  const pins = Array.from({ length: 16 }, (_, v) => {
    const node = Math.floor(v / 4);
    const core = 15 * node + 1 + Math.floor((v % 4) / 2);
    return { vcpu: v, cpus: [v % 2 === 0 ? core : core + 60] };
  });
  return {
    vcpus: 16,
    topology: { sockets: 4, dies: 1, clusters: 1, cores: 2, threads: 2 },
    cells,
    pins,
    emulatorpin: [],
    iothreadpins: [],
    memoryKiB: 32 * GIB,
    devices: [],
  };
}

/** Example 2: mode node, nodeset 1: one cell, every vCPU floating over node 1's CPUs. */
export function goldenNodeMode(): GuestLayout {
  const node1 = [...Array.from({ length: 15 }, (_, i) => 15 + i), ...Array.from({ length: 15 }, (_, i) => 75 + i)];
  return {
    vcpus: 16,
    topology: { sockets: 1, dies: 1, clusters: 1, cores: 8, threads: 2 },
    cells: [{ id: 0, vcpus: Array.from({ length: 16 }, (_, v) => v), memoryKiB: 32 * GIB, hostNodes: [1], memoryMode: 'strict', distances: [10] }],
    pins: Array.from({ length: 16 }, (_, v) => ({ vcpu: v, cpus: node1 })),
    emulatorpin: [],
    iothreadpins: [],
    memoryKiB: 32 * GIB,
    devices: [],
  };
}
