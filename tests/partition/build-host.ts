/**
 * Small Host builder for property tests: nodes of cores × threads with CPU ids numbered node
 * by node, optional offline CPUs, memory-only nodes and a distance matrix.
 */
import type { Cpu, Host, NumaNode } from '../../src/core/host/model.ts';

export interface NodeSpec {
  /** 0 = memory-only node. */
  cores: number;
  threads: number;
  freeKiB: number;
  hugepages?: { sizeKiB: number; free: number }[];
  /** CPU ids (global) that are offline. */
  offline?: number[];
}

export function buildHost(specs: readonly NodeSpec[], distances: number[][]): Host {
  const cpus: Cpu[] = [];
  const nodes: NumaNode[] = [];
  const cores: Host['cores'] = [];
  let next = 0;
  specs.forEach((spec, node) => {
    const ids: number[] = [];
    for (let c = 0; c < spec.cores; c++) {
      const siblings = Array.from({ length: spec.threads }, (_, t) => next + t);
      for (const id of siblings) {
        cpus.push({ id, online: !(spec.offline ?? []).includes(id), package: node, core: cores.length, node, siblings, caches: [] });
        ids.push(id);
      }
      cores.push({ index: cores.length, package: node, cpus: siblings });
      next += spec.threads;
    }
    nodes.push({
      id: node,
      cpus: ids,
      memoryKiB: spec.freeKiB,
      freeKiB: spec.freeKiB,
      hugepages: (spec.hugepages ?? []).map((h) => ({ sizeKiB: h.sizeKiB, total: h.free, free: h.free })),
      kind: spec.cores === 0 ? 'memory-only' : 'cpu+memory',
    });
  });
  return {
    machine: {},
    packages: [],
    dies: [],
    clusters: [],
    cores,
    nodes,
    cpus,
    caches: [],
    distances,
    pci: [],
    sources: [],
    conflicts: [],
    diagnostics: [],
  };
}

/** Symmetric SLIT from tiers: nodes in the same group of `groupSize` are `near` apart, others `far`. */
export function tieredDistances(n: number, groupSize: number, near: number, far: number, jitter: (i: number, j: number) => number = () => 0): number[][] {
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(10));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = (Math.floor(i / groupSize) === Math.floor(j / groupSize) ? near : far) + jitter(i, j);
      m[i][j] = d;
      m[j][i] = d;
    }
  }
  return m;
}
