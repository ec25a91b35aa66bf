/**
 * The node search itself (src/core/partition/choose-nodes.ts) against a brute-force oracle over
 * every subset: on the SLITs of corpus hosts (Kunpeng 920, an 8-package Opteron, hwloc's
 * irregular groups, a 24-node Xeon) and on random ones of 8–14 nodes, where greedy growth with
 * one-swap descent misses the optimum (checked by hand with the DFS switched off). Ties go to
 * the most nodes local to preferred devices, then the most free memory, then the lowest ids;
 * a step budget stops the search early with a proven lower bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostDistance, type DistanceOf } from '../../src/core/host/distance.ts';
import { searchNodes, type NodeSearch } from '../../src/core/partition/choose-nodes.ts';
import { corpusHost } from '../support/corpus.ts';
import { slitArb } from './slit-arb.ts';

/** The best subset by the search's own order, over every subset of `size` eligible nodes. */
function bruteForce(s: NodeSearch): { nodes: number[]; cost: number } | undefined {
  let best: { nodes: number[]; cost: number; pref: number; free: number } | undefined;
  const n = s.eligible.length;
  const pick = (from: number, chosen: number[]): void => {
    if (chosen.length === s.size) {
      const nodes = chosen.map((i) => s.eligible[i]);
      if (!s.required.every((r) => nodes.includes(r)) || !s.accept(nodes)) return;
      let cost = 0;
      for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) cost += Math.max(0, s.distance(nodes[i], nodes[j]) - 10);
      if (cost > (s.ceiling ?? Infinity)) return;
      const pref = chosen.filter((i) => s.preferred[i]).length;
      const free = chosen.reduce((sum, i) => sum + s.free[i], 0);
      // chosen ascends, so the first candidate of a full tie already has the lowest ids
      if (!best || cost < best.cost || (cost === best.cost && (pref > best.pref || (pref === best.pref && free > best.free)))) best = { nodes, cost, pref, free };
      return;
    }
    for (let i = from; i <= n - (s.size - chosen.length); i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return best && { nodes: best.nodes, cost: best.cost };
}

function expectExact(s: NodeSearch): void {
  const want = bruteForce(s);
  const got = searchNodes(s);
  if (!want) {
    expect(got).toBeUndefined();
    return;
  }
  expect(got).toMatchObject({ nodes: want.nodes, pairCost: want.cost, optimal: true, lowerBound: want.cost });
}

const everything = () => true;

function hostSearch(file: string, size: number, extra: Partial<NodeSearch> = {}): NodeSearch {
  const host = corpusHost(file);
  const eligible = host.nodes.map((n) => n.id);
  return { size, eligible, required: [], distance: hostDistance(host), free: eligible.map(() => 1), preferred: eligible.map(() => false), accept: everything, ...extra };
}

describe('on corpus hosts', () => {
  const hosts = ['pasted/numactl-H-kunpeng920-2s4n.txt', 'hwloc-xml/16amd64-4distances.xml', 'hwloc-xml/64intel64-3g2n+2n-irregulargroups+pci.xml'];

  it('chooses the cheapest subset of every size', () => {
    for (const file of hosts) {
      const n = corpusHost(file).nodes.length;
      for (let size = 1; size <= n; size++) expectExact(hostSearch(file, size));
    }
  });

  it('keeps a Kunpeng 920 guest of two nodes inside one socket (12), the lower ids first', () => {
    expect(searchNodes(hostSearch('pasted/numactl-H-kunpeng920-2s4n.txt', 2))).toMatchObject({ nodes: [0, 1], pairCost: 2, optimal: true });
  });

  it('breaks a tie of distance for the node local to a preferred device, then for free memory', () => {
    const kunpeng = 'pasted/numactl-H-kunpeng920-2s4n.txt';
    expect(searchNodes(hostSearch(kunpeng, 2, { preferred: [false, false, true, false] }))?.nodes).toEqual([2, 3]);
    expect(searchNodes(hostSearch(kunpeng, 2, { free: [1, 1, 1, 5] }))?.nodes).toEqual([2, 3]);
    // locality outranks memory
    expect(searchNodes(hostSearch(kunpeng, 2, { preferred: [true, false, false, false], free: [1, 1, 1, 5] }))?.nodes).toEqual([0, 1]);
    for (const size of [1, 2, 3]) expectExact(hostSearch(kunpeng, size, { preferred: [false, true, false, true], free: [4, 1, 3, 2] }));
  });

  it('takes the required nodes (a device\'s) and the cheapest company for them', () => {
    const opteron = 'hwloc-xml/16amd64-4distances.xml';
    for (const required of [[0], [3], [2, 5], [1, 6, 7]]) {
      for (let size = required.length; size <= 5; size++) expectExact(hostSearch(opteron, size, { required }));
    }
  });

  it('skips subsets the caller refuses and subsets over the ceiling', () => {
    const irregular = 'hwloc-xml/64intel64-3g2n+2n-irregulargroups+pci.xml';
    const noPair01 = (nodes: readonly number[]) => !(nodes.includes(0) && nodes.includes(1));
    for (const size of [2, 3, 4]) expectExact(hostSearch(irregular, size, { accept: noPair01 }));
    const best3 = searchNodes(hostSearch(irregular, 3)) as { pairCost: number };
    expect(searchNodes(hostSearch(irregular, 3, { ceiling: best3.pairCost - 1 }))).toBeUndefined();
    expectExact(hostSearch(irregular, 3, { ceiling: best3.pairCost }));
    expectExact(hostSearch(irregular, 4, { ceiling: best3.pairCost * 3 }));
  });

  it('answers nothing when no subset can be had', () => {
    const kunpeng = 'pasted/numactl-H-kunpeng920-2s4n.txt';
    expect(searchNodes(hostSearch(kunpeng, 5))).toBeUndefined();
    expect(searchNodes(hostSearch(kunpeng, 1, { required: [0, 1] }))).toBeUndefined();
    expect(searchNodes(hostSearch(kunpeng, 2, { required: [7] }))).toBeUndefined();
    for (const size of [1, 2, 3]) expect(searchNodes(hostSearch(kunpeng, size, { accept: () => false }))).toBeUndefined();
  });

  it('searches a 24-node host exactly for small guests', () => {
    for (const size of [2, 3]) expectExact(hostSearch('hwloc-xml/192em64t-24n8c2t.xml', size));
  });
});

describe('with a step budget', () => {
  it('stops early with a lower bound no higher than the optimum, and says optimal only when it is', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 12 }).chain((n) => fc.record({ n: fc.constant(n), size: fc.integer({ min: 2, max: 6 }), d: slitArb(n, 60), budget: fc.integer({ min: 1, max: 60 }) })),
        ({ n, size, d, budget }) => {
          const nodes = Array.from({ length: n }, (_, i) => i);
          const distance: DistanceOf = (a, b) => d[a][b];
          const s: NodeSearch = { size, eligible: nodes, required: [], distance, free: nodes.map(() => 1), preferred: nodes.map(() => false), accept: everything };
          const optimum = bruteForce(s)!.cost;
          const got = searchNodes({ ...s, stepBudget: budget })!;
          expect(got.lowerBound).toBeLessThanOrEqual(optimum);
          expect(got.pairCost).toBeGreaterThanOrEqual(optimum);
          if (got.optimal) expect(got.pairCost).toBe(optimum);
          expect(got.lowerBound).toBeLessThanOrEqual(got.pairCost);
          const exact = searchNodes(s)!;
          expect(exact.steps).toBeGreaterThanOrEqual(got.steps);
        },
      ),
      { numRuns: 120, seed: 7 },
    );
  });
});

describe('on random SLITs', () => {
  it('returns the cheapest subset, ties to preferred nodes, the most free memory, then the lowest ids', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 14 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            size: fc.integer({ min: 2, max: 7 }),
            d: slitArb(n, 60),
            free: fc.array(fc.constantFrom(1, 2, 3), { minLength: n, maxLength: n }),
            preferred: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
            required: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 2 }),
            // Node pairs that cannot go together: stands in for a subset-wide fit check.
            apart: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { maxLength: 12 }),
          }),
        ),
        ({ n, size, d, free, preferred, required, apart }) => {
          const nodes = Array.from({ length: n }, (_, i) => i);
          const accept = (set: readonly number[]) => !apart.some(([a, b]) => a !== b && set.includes(a) && set.includes(b));
          expectExact({ size, eligible: nodes, required: [...required].sort((a, b) => a - b), distance: (a, b) => d[a][b], free, preferred, accept });
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });
});

/*
 * The search's work, counted in steps (subsets and seeds visited): a bound or seed that got
 * weaker would visit more. Recorded on these hosts when the search was last changed; a search
 * that does less is welcome (lower the numbers), one that does more is a regression.
 */
describe('work', () => {
  const recorded: [string, number[]][] = [
    ['pasted/numactl-H-kunpeng920-2s4n.txt', [13, 14]],
    ['hwloc-xml/16amd64-4distances.xml', [49, 52, 50, 47, 35, 35]],
    ['hwloc-xml/64intel64-3g2n+2n-irregulargroups+pci.xml', [33, 64, 57, 71, 38, 30]],
    ['hwloc-xml/192em64t-24n8c2t.xml', [169, 555, 518, 1373, 875, 1538, 629]],
  ];
  for (const [file, steps] of recorded) {
    it(`${file}: subsets of 2 to ${steps.length + 1} nodes in no more steps than recorded`, () => {
      const host = corpusHost(file);
      const eligible = host.nodes.map((n) => n.id);
      // uneven free memory, so the tie-breaks take part
      const free = eligible.map((_, i) => ((i * 7) % 5) + 1);
      steps.forEach((most, i) => {
        const s: NodeSearch = { size: i + 2, eligible, required: [], distance: hostDistance(host), free, preferred: eligible.map(() => false), accept: everything };
        const got = searchNodes(s)!;
        expect(got.steps, `${i + 2} nodes`).toBeLessThanOrEqual(most);
        if (eligible.length <= 8 || i + 2 <= 3) expectExact(s);
      });
    });
  }
});
