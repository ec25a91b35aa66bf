/**
 * The talk's host and its two worked examples (DESIGN.md §3, formats.md §3.7) as layouts,
 * written out by hand so that the tests of validate, the XML engine and the views do not
 * depend on the partitioning core that produces them.
 */
import { parseIdList } from '../../src/core/cpuset.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { DEFAULT_REQUEST, type PartitionRequest } from '../../src/core/partition/request.ts';
import { readCorpus } from './corpus.ts';

export function talkHost(): Host {
  const names = ['talk-e7-8895v2.lscpu.txt', 'talk-e7-8895v2.numactl-H.txt'];
  return ingest(names.map((name) => ({ name, text: readCorpus('pasted', name) }))).host;
}

const ids = (list: string) => {
  const r = parseIdList(list);
  if (!r.ok) throw new Error(r.error);
  return r.ids;
};

/** 16 vCPUs / 32 GiB, mode host, contiguous: one 2-core socket per host node, SMT-aware pins. */
export function talkExample1(): GuestLayout {
  const firstCores = [1, 16, 31, 46];
  return {
    vcpus: 16,
    topology: { sockets: 4, dies: 1, clusters: 1, cores: 2, threads: 2 },
    cells: [0, 1, 2, 3].map((i) => ({
      id: i,
      vcpus: [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3],
      memoryKiB: 8388608,
      hostNodes: [i],
      memoryMode: 'strict' as const,
      distances: [0, 1, 2, 3].map((j) => (i === j ? 10 : 21)),
    })),
    pins: Array.from({ length: 16 }, (_, v) => {
      const core = firstCores[Math.floor(v / 4)] + Math.floor((v % 4) / 2);
      return { vcpu: v, cpus: [v % 2 === 0 ? core : core + 60] };
    }),
    emulatorpin: ids('0,15,30,45,60,75,90,105'),
    iothreadpins: [],
    memoryKiB: 33554432,
    devices: [],
  };
}

/** mode node, nodeset 1: one cell, every vCPU floating over node 1's CPUs but its first core, kept for the host. */
export function talkExample2(): GuestLayout {
  const node1 = ids('16-29,76-89');
  return {
    vcpus: 16,
    topology: { sockets: 1, dies: 1, clusters: 1, cores: 8, threads: 2 },
    cells: [{ id: 0, vcpus: ids('0-15'), memoryKiB: 33554432, hostNodes: [1], memoryMode: 'strict', distances: [10] }],
    pins: Array.from({ length: 16 }, (_, v) => ({ vcpu: v, cpus: node1 })),
    emulatorpin: [],
    iothreadpins: [],
    memoryKiB: 33554432,
    devices: [],
  };
}

/** The talk's request: 16 vCPUs / 32 GiB in mode host (the default is mode auto since issue 15). */
export const TALK_REQUEST: PartitionRequest = { ...DEFAULT_REQUEST, mode: 'host' };
