/**
 * Property tests over random hosts and requests: the invariants every layout keeps, no shared
 * 1:1 CPUs between guests, determinism, and — on hosts of up to 8 nodes — the node choice
 * against a brute-force oracle over every subset.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { occupancyOf, solve } from '../../src/core/partition/index.ts';
import type { PartitionRequest } from '../../src/core/partition/request.ts';
import { buildHost } from './build-host.ts';
import type { NodeSpec } from './build-host.ts';
import { expectValidLayout } from './invariants.ts';

const GiB = 1 << 20;

const nodeSpec: fc.Arbitrary<NodeSpec> = fc.record({
  cores: fc.integer({ min: 1, max: 8 }),
  threads: fc.constantFrom(1, 2, 2, 4),
  freeKiB: fc.integer({ min: 1, max: 64 }).map((g) => g * GiB),
});

const hostArb = (maxNodes: number): fc.Arbitrary<{ specs: NodeSpec[]; distances: number[][]; offline: number[] }> =>
  fc.integer({ min: 1, max: maxNodes }).chain((n) =>
    fc.record({
      specs: fc.array(nodeSpec, { minLength: n, maxLength: n }),
      distances: fc.array(fc.integer({ min: 11, max: 40 }), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }).map((upper) => {
        const m = Array.from({ length: n }, () => new Array<number>(n).fill(10));
        let k = 0;
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i][j] = m[j][i] = upper[k++];
        return m;
      }),
      offline: fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 3 }),
    }),
  );

function makeHost(h: { specs: NodeSpec[]; distances: number[][]; offline: number[] }): Host {
  return buildHost(h.specs.map((s) => ({ ...s, offline: h.offline })), h.distances);
}

const requestArb: fc.Arbitrary<PartitionRequest> = fc
  .record({
    vcpus: fc.integer({ min: 1, max: 24 }),
    memoryKiB: fc.integer({ min: 1, max: 48 }).map((g) => g * GiB),
    mode: fc.constantFrom('host' as const, 'node' as const),
    distribution: fc.constantFrom('contiguous' as const, 'siblings' as const, 'round-robin' as const, 'interleave' as const),
    cells: fc.option(fc.constantFrom(1, 2, 4), { nil: undefined }),
    pinning: fc.constantFrom('1:1' as const, 'node-float' as const),
    reserve: fc.constantFrom('first-core' as const, 'none' as const),
    threadPolicy: fc.constantFrom('prefer' as const, 'isolate' as const, 'require' as const),
  })
  .map((r) => {
    const req: PartitionRequest = { ...r, devices: [] };
    if (r.cells === undefined) delete req.cells;
    return req;
  });

const hasError = (r: ReturnType<typeof solve>) => r.diagnostics.some((d) => d.severity === 'error');

describe('solve on random hosts', () => {
  it('keeps every invariant, is deterministic, and a second guest never reuses the first one\'s 1:1 CPUs', () => {
    fc.assert(
      fc.property(hostArb(6), requestArb, requestArb, (h, a, b) => {
        const host = makeHost(h);
        const first = solve(host, a);
        expect(JSON.stringify(solve(host, a))).toBe(JSON.stringify(first));
        if (hasError(first)) {
          expect(first.layout.cells).toEqual([]);
          return;
        }
        expectValidLayout(host, a, first);
        const occupancy = occupancyOf([{ name: 'a', layout: first.layout }]);
        const second = solve(host, b, occupancy);
        if (hasError(second)) return;
        expectValidLayout(host, b, second, occupancy);
        if (a.pinning === '1:1' && b.pinning === '1:1') {
          const mine = new Set(first.layout.pins.map((p) => p.cpus[0]));
          for (const p of second.layout.pins) expect(mine.has(p.cpus[0])).toBe(false);
        }
      }),
      { numRuns: 300, seed: 20240611 },
    );
  });
});

/**
 * The oracle: every subset of nodes with CPUs, checked with its own capacity count (cores with
 * enough online threads after the first core is reserved) and its own distance cost.
 */
function oracle(host: Host, specs: NodeSpec[], distances: number[][], req: PartitionRequest): { nodes: number; cost: number } | undefined {
  const online = (id: number) => host.cpus.find((c) => c.id === id)?.online === true;
  const nodeCores = specs.map((_, n) => host.cores.filter((c) => host.cpus.find((x) => x.id === c.cpus[0])?.node === n).map((c) => c.cpus.filter(online)).filter((c) => c.length > 0));
  const cpuNodes = nodeCores.map((c, n) => (c.length > 0 ? n : -1)).filter((n) => n >= 0);
  const perCell = req.vcpus;
  const smt = Math.min(...cpuNodes.map((n) => Math.max(...nodeCores[n].map((c) => c.length))));
  const threads = req.distribution === 'round-robin' || req.threadPolicy === 'isolate' ? 1 : Math.min(smt, perCell);
  for (const loose of [false, true]) {
    for (let k = 1; k <= cpuNodes.length; k++) {
      let best: number | undefined;
      for (let mask = 0; mask < 1 << cpuNodes.length; mask++) {
        const set = cpuNodes.filter((_, i) => mask & (1 << i));
        if (set.length !== k) continue;
        if (!fits(set, loose)) continue;
        let pairs = 0;
        for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairs += distances[set[i]][set[j]] - 10;
        const cost = (req.vcpus / (k * k)) * pairs;
        if (best === undefined || cost < best - 1e-9) best = cost;
      }
      if (best !== undefined) return { nodes: k, cost: Math.round(best * 1000) / 1000 };
    }
    if (req.pinning !== '1:1' || req.threadPolicy !== 'prefer' || threads === 1) break;
  }
  return undefined;

  function fits(set: number[], loose: boolean): boolean {
    // One cell over the whole set (mode node): guest cores and memory shared out evenly,
    // extras to the lowest node ids.
    const k = set.length;
    const cores = loose ? perCell : perCell / threads;
    const memShare = Math.floor(req.memoryKiB / k / 1024) * 1024;
    return set.every((n, i) => {
      const usable = nodeCores[n].slice(1);
      const units = loose ? usable.flat().length : usable.filter((c) => req.pinning === 'node-float' || c.length >= threads).length;
      const needCores = Math.floor(cores / k) + (i < cores % k ? 1 : 0);
      const needMem = i === 0 ? req.memoryKiB - memShare * (k - 1) : memShare;
      return units >= needCores && specs[n].freeKiB >= needMem;
    });
  }
}

describe('node choice against brute force (hosts of up to 8 nodes)', () => {
  it('finds a layout whenever one exists, on the fewest nodes, at the lowest distance cost', () => {
    let wide = 0;
    const simple = fc.record({
      vcpus: fc.constantFrom(2, 8, 16, 24, 32),
      memoryKiB: fc.constantFrom(4, 16, 32, 48, 64).map((g) => g * GiB),
      pinning: fc.constantFrom('1:1' as const, 'node-float' as const),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }).chain((n) =>
          fc.record({
            specs: fc.array(fc.record({ cores: fc.constantFrom(2, 3, 5, 9), threads: fc.constant(2), freeKiB: fc.constantFrom(4, 8, 12, 16).map((g) => g * GiB) }), { minLength: n, maxLength: n }),
            distances: fc.array(fc.integer({ min: 11, max: 40 }), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }).map((upper) => {
              const m = Array.from({ length: n }, () => new Array<number>(n).fill(10));
              let k = 0;
              for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i][j] = m[j][i] = upper[k++];
              return m;
            }),
          }),
        ),
        simple,
        (h, r) => {
          const host = buildHost(h.specs, h.distances);
          const req: PartitionRequest = { ...r, mode: 'node', distribution: 'contiguous', reserve: 'first-core', threadPolicy: 'prefer', devices: [] };
          const want = oracle(host, h.specs, h.distances, req);
          const got = solve(host, req);
          if (want === undefined) {
            expect(hasError(got)).toBe(true);
            return;
          }
          expect(got.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(got.score.nodes).toBe(want.nodes);
          expect(got.score.distanceCost).toBeCloseTo(want.cost, 2);
          expect(got.score.optimal).toBe(true);
          if (want.nodes >= 3) wide++;
          expectValidLayout(host, req, got);
        },
      ),
      { numRuns: 150, seed: 7 },
    );
    // The oracle must have judged real choices, not only one- and two-node layouts.
    expect(wide).toBeGreaterThan(15);
  });
});
