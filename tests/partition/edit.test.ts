import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortIds } from '../../src/core/cpuset.ts';
import type { GuestLayout, LayoutResult } from '../../src/core/guest/model.ts';
import { validate } from '../../src/core/guest/validate.ts';
import { hostDistance } from '../../src/core/host/distance.ts';
import { guestDistanceRows } from '../../src/core/partition/distances.ts';
import { edit, editAll, type EditOp } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY, type Occupancy } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const host = talkHost();
const golden = solve(host, TALK_REQUEST).layout;
const floating = solve(host, { ...TALK_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float' }).layout;
/** Another guest holding core 18/78 on node 1 one-to-one and floating over node 3. */
const web1: Occupancy = {
  guests: [{ name: 'web1', pinnedCpus: [18, 78], floatingCpus: [46, 47, 48, 49, 50, 106, 107, 108, 109, 110], floatingVcpus: 40, memory: [{ node: 1, kib: 4 << 20 }], hugepages: [] }],
};

function invariants(layout: GuestLayout, occupancy: Occupancy): void {
  const t = layout.topology;
  expect(t.sockets * t.dies * t.clusters * t.cores * t.threads).toBe(layout.vcpus);
  const all = layout.cells.flatMap((c) => c.vcpus);
  expect(sortIds(all)).toEqual(Array.from({ length: layout.vcpus }, (_, v) => v));
  expect(all.length).toBe(layout.vcpus);
  const single = layout.pins.filter((p) => p.cpus.length === 1).map((p) => p.cpus[0]);
  expect(new Set(single).size).toBe(single.length);
  const others = new Set(occupancy.guests.flatMap((g) => g.pinnedCpus));
  expect(single.filter((c) => others.has(c))).toEqual([]);
  expect(layout.cells.reduce((s, c) => s + c.memoryKiB, 0)).toBe(layout.memoryKiB);
  expect(layout.cells.map((c) => c.distances)).toEqual(guestDistanceRows(layout.cells.map((c) => c.hostNodes[0]), hostDistance(host)));
  expect(validate(layout, host).filter((d) => d.severity === 'error')).toEqual([]);
}

describe('edit: the talk host golden layout', () => {
  it('pinning vCPU 5 onto a PU of node 2 moves it into cell 2 and names the distance', () => {
    const r = edit(host, golden, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } }, NO_OCCUPANCY);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.layout.cells[1].vcpus).toEqual([4, 6, 7]);
    expect(r.layout.cells[2].vcpus).toEqual([5, 8, 9, 10, 11]);
    expect(r.layout.pins.find((p) => p.vcpu === 5)?.cpus).toEqual([33]);
    expect(r.explanation).toContain('vCPU 5 moves from cell 1 to cell 2 (node 1 → node 2, distance 21)');
    expect(r.explanation).toContain('its guest core sibling vCPU 4 stays in cell 1, 21 away');
    // validate sees the guest core split the drag made
    expect(r.diagnostics.map((d) => d.message)).toContain('SMT threads of guest core 2 (vCPUs 4-5) are split across NUMA cells 1, 2');
    // The all-to-all distance cost falls (66 → 65.3) as a cell grows; the split core ranks it worse.
    expect(r.score).toMatchObject({ splitCores: 1, remoteVcpus: 0, distanceCost: 65.313 });
    expect(r.explanation.slice(-3)).toEqual(['cores split between cells 0 → 1', 'distance cost 66 → 65.313', 'a worse layout']);
    invariants(r.layout, NO_OCCUPANCY);
  });

  it('a vCPU pinned onto a node no cell uses stays in its cell, and the cost is said', () => {
    const two = edit(host, golden, { kind: 'set-cells', cells: 2 }, NO_OCCUPANCY).layout;
    expect(two.cells.map((c) => c.hostNodes)).toEqual([[0, 1], [2, 3]]);
    const one = edit(host, solve(host, { ...TALK_REQUEST, nodeset: '0,1' }).layout, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } }, NO_OCCUPANCY);
    expect(one.layout.cells[0].vcpus).toContain(5);
    expect(one.explanation).toContain('vCPU 5 now runs 21 away from its memory (node 2 → node 0)');
  });

  it('a CPU another guest owns is refused; sharing its core is reported', () => {
    const refused = edit(host, golden, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 78 } }, web1);
    expect(refused.layout).toBe(golden);
    expect(refused.diagnostics.map((d) => d.message)).toEqual(['host CPU 78 is pinned to guest web1']);
    const shared = edit(host, golden, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 46 } }, web1);
    expect(shared.explanation).toContain('vCPU 5 shares core 46/106 with guest web1');
  });

  it('dragging onto a CPU the guest already uses swaps the two vCPUs', () => {
    const r = edit(host, golden, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 2 } }, NO_OCCUPANCY);
    expect(r.layout.pins.slice(0, 3).map((p) => p.cpus[0])).toEqual([2, 61, 1]);
    invariants(r.layout, NO_OCCUPANCY);
  });

  it('a pair dragged onto a core lands on its siblings', () => {
    const r = edit(host, golden, { kind: 'pin-vcpu', vcpu: 4, pair: true, target: { core: 25 } }, NO_OCCUPANCY);
    expect(host.cores[25].cpus).toEqual([25, 85]);
    expect(r.layout.pins.filter((p) => p.vcpu === 4 || p.vcpu === 5).map((p) => p.cpus)).toEqual([[25], [85]]);
  });

  it('move-cell re-pins the cell on the new node, and the distances follow', () => {
    const r = edit(host, golden, { kind: 'move-cell', cell: 1, node: 2 }, NO_OCCUPANCY);
    expect(r.layout.cells[1].hostNodes).toEqual([2]);
    expect(r.layout.cells[1].distances).toEqual([21, 10, 11, 21]);
    expect(r.layout.pins.filter((p) => p.vcpu >= 4 && p.vcpu < 8).map((p) => p.cpus[0])).toEqual([33, 93, 34, 94]);
    invariants(r.layout, NO_OCCUPANCY);
  });

  it('move-memory: part of a cell interleaves, all of it moves and leaves the vCPUs remote', () => {
    const part = edit(host, golden, { kind: 'move-memory', cell: 1, node: 2, kib: 1 << 20 }, NO_OCCUPANCY);
    expect(part.layout.cells[1]).toMatchObject({ hostNodes: [1, 2], memoryMode: 'interleave' });
    expect(part.explanation).toContain("cell 1's memory now interleaves over nodes 1-2, about 1/2 on each; its vCPUs reach the remote part node 1 → node 2 at 21");
    invariants(part.layout, NO_OCCUPANCY);
    const all = edit(host, golden, { kind: 'move-memory', cell: 1, node: 2 }, NO_OCCUPANCY);
    expect(all.layout.cells[1]).toMatchObject({ hostNodes: [2], memoryMode: 'strict' });
    expect(all.explanation).toContain('vCPU 4 now runs 21 away from its memory (node 1 → node 2)');
    invariants(all.layout, NO_OCCUPANCY);
  });

  it('swap-vcpus exchanges pins and cells', () => {
    const r = edit(host, golden, { kind: 'swap-vcpus', a: 3, b: 12 }, NO_OCCUPANCY);
    expect(r.layout.cells[0].vcpus).toEqual([0, 1, 2, 12]);
    expect(r.layout.cells[3].vcpus).toEqual([3, 13, 14, 15]);
    expect(r.layout.pins[3].cpus).toEqual([46]);
    expect(r.layout.pins[12].cpus).toEqual([62]);
  });

  it('set-vcpus, set-memory and set-cells re-derive on the chosen nodes', () => {
    const v = edit(host, golden, { kind: 'set-vcpus', vcpus: 24 }, NO_OCCUPANCY).layout;
    expect(v.topology).toEqual({ sockets: 4, dies: 1, clusters: 1, cores: 3, threads: 2 });
    expect(v.pins.slice(0, 6).map((p) => p.cpus[0])).toEqual([1, 61, 2, 62, 3, 63]);
    invariants(v, NO_OCCUPANCY);
    const m = edit(host, golden, { kind: 'set-memory', memoryKiB: 10 << 20 }, NO_OCCUPANCY).layout;
    expect(m.cells.map((c) => c.memoryKiB)).toEqual([2621440, 2621440, 2621440, 2621440]);
    const c = edit(host, golden, { kind: 'set-cells', cells: 8 }, NO_OCCUPANCY).layout;
    expect(c.cells.map((x) => x.hostNodes[0])).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(c.cells[0].distances.slice(0, 3)).toEqual([10, 11, 21]);
    invariants(c, NO_OCCUPANCY);
    const bad = edit(host, golden, { kind: 'set-cells', cells: 3 }, NO_OCCUPANCY);
    expect(bad.layout).toBe(golden);
    expect(bad.diagnostics[0].message).toBe('cells must divide or be a multiple of the nodeset size (3 cells, 4 nodes)');
  });

  it('set-vcpus to a count the cells do not divide: cells of unequal size, memory in proportion, sockets inside cells', () => {
    const v = edit(host, golden, { kind: 'set-vcpus', vcpus: 18 }, NO_OCCUPANCY).layout;
    expect(v.cells.map((c) => c.vcpus.length)).toEqual([6, 4, 4, 4]);
    expect(v.topology).toEqual({ sockets: 9, dies: 1, clusters: 1, cores: 1, threads: 2 });
    invariants(v, NO_OCCUPANCY);
    const odd = edit(host, golden, { kind: 'set-vcpus', vcpus: 12 }, NO_OCCUPANCY).layout;
    expect(odd.cells.map((c) => c.vcpus.length)).toEqual([3, 3, 3, 3]);
    expect(odd.topology.threads).toBe(1);
    // Back to whole cores: the vCPUs still pair on host siblings, so guest SMT returns.
    const back = edit(host, odd, { kind: 'set-vcpus', vcpus: 16 }, NO_OCCUPANCY).layout;
    expect(back.topology).toEqual(golden.topology);
    const m = edit(host, v, { kind: 'set-memory', memoryKiB: 18 << 20 }, NO_OCCUPANCY).layout;
    expect(m.cells.map((c) => c.memoryKiB)).toEqual([6 << 20, 4 << 20, 4 << 20, 4 << 20]);
  });

  it('a floating guest pinned onto a crowded node reports the overcommit', () => {
    const crowd: Occupancy = { guests: [{ name: 'batch', pinnedCpus: [], floatingCpus: [...Array.from({ length: 15 }, (_, i) => 30 + i), ...Array.from({ length: 15 }, (_, i) => 90 + i)], floatingVcpus: 30, memory: [], hugepages: [] }] };
    const r = edit(host, floating, { kind: 'move-cell', cell: 0, node: 2 }, crowd);
    expect(r.explanation).toContain('node 2 overcommitted: 46 vCPUs on 30 CPUs');
  });
});

const ops = (layout: GuestLayout): fc.Arbitrary<EditOp> => {
  const v = fc.integer({ min: 0, max: layout.vcpus - 1 });
  const node = fc.integer({ min: 0, max: 3 });
  return fc.oneof(
    fc.record({ kind: fc.constant('pin-vcpu' as const), vcpu: v, target: fc.integer({ min: 0, max: 119 }).map((thread) => ({ thread })), pair: fc.boolean() }),
    fc.record({ kind: fc.constant('pin-vcpu' as const), vcpu: v, target: node.map((n) => ({ node: n })) }),
    fc.record({ kind: fc.constant('move-cell' as const), cell: fc.integer({ min: 0, max: 3 }), node }),
    fc.record({ kind: fc.constant('move-memory' as const), cell: fc.integer({ min: 0, max: 3 }), node, kib: fc.option(fc.integer({ min: 1, max: 8 << 20 }), { nil: undefined }) }),
    fc.record({ kind: fc.constant('swap-vcpus' as const), a: v, b: v }),
    fc.record({ kind: fc.constant('set-vcpus' as const), vcpus: fc.constantFrom(8, 16, 24) }),
    fc.record({ kind: fc.constant('set-memory' as const), memoryKiB: fc.constantFrom(8 << 20, 32 << 20, 48 << 20) }),
    fc.record({ kind: fc.constant('set-cells' as const), cells: fc.constantFrom(1, 2, 4) }),
  );
};

function run(start: GuestLayout, sequence: readonly EditOp[], occupancy: Occupancy): GuestLayout {
  return sequence.reduce((layout, op) => edit(host, layout, op, occupancy).layout, start);
}

describe('edit: properties', () => {
  it('random edit sequences from a solved layout keep every invariant', () => {
    fc.assert(
      fc.property(fc.array(ops(golden), { maxLength: 6 }), (sequence) => {
        let layout = golden;
        for (const op of sequence) {
          layout = edit(host, layout, op, web1).layout;
          invariants(layout, web1);
        }
      }),
      { numRuns: 60, seed: 20191121 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.array(ops(golden), { maxLength: 5 }), (sequence) => {
        expect(run(golden, sequence, web1)).toEqual(run(structuredClone(golden), sequence, web1));
      }),
      { numRuns: 30, seed: 7 },
    );
  });
});

describe('editAll: the ops of one drop', () => {
  it('is edit() op by op while none is refused: the last layout, every explanation in order', () => {
    fc.assert(
      fc.property(fc.array(ops(golden), { minLength: 1, maxLength: 5 }), (sequence) => {
        const steps: LayoutResult[] = [];
        for (const op of sequence) {
          const step = edit(host, steps.at(-1)?.layout ?? golden, op, web1);
          if (step.diagnostics.some((d) => d.source === 'edit')) break;
          steps.push(step);
        }
        const all = editAll(host, golden, sequence, web1);
        if (steps.length < sequence.length) {
          expect(all).toMatchObject({ ok: false, refused: steps.length, explanation: steps.flatMap((s) => s.explanation) });
        } else {
          expect(all).toEqual({ ok: true, result: { ...steps.at(-1)!, explanation: steps.flatMap((s) => s.explanation) } });
        }
      }),
      { numRuns: 40, seed: 4 },
    );
  });

  it('stops at the first refusal and says which op and why', () => {
    const all = editAll(
      host,
      golden,
      [
        { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } },
        { kind: 'pin-vcpu', vcpu: 6, target: { thread: 18 } },
        { kind: 'move-cell', cell: 0, node: 3 },
      ],
      web1,
    );
    expect(all).toEqual({
      ok: false,
      refused: 1,
      reason: 'host CPU 18 is pinned to guest web1',
      explanation: edit(host, golden, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } }, web1).explanation,
    });
  });
});
