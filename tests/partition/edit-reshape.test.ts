/**
 * Resizes (set-vcpus, set-cells; src/core/partition/edit-derive.ts) at their edges, on the talk
 * host and the heterogeneous-memory dump (HBM nodes 4-7): the smallest guests that are still
 * allowed, a guest laid out one thread per core that stays so, hugepage-backed cells cut in
 * whole pages, a hand-dealt layout dealt again contiguously, pins listed in vCPU order, tiers
 * numbered after the CPU cells, and every refusal in words with the layout untouched.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout, LayoutResult } from '../../src/core/guest/model.ts';
import type { Host } from '../../src/core/host/model.ts';
import { edit, type EditOp } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();
const golden = solve(talk, TALK_REQUEST).layout;
const GiB = 1 << 20;

const errors = (r: LayoutResult) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
function resized(layout: GuestLayout, op: EditOp, host: Host = talk): GuestLayout {
  const r = edit(host, layout, op, NO_OCCUPANCY);
  expect(errors(r)).toEqual([]);
  return r.layout;
}
function refused(layout: GuestLayout, op: EditOp): string[] {
  const r = edit(talk, layout, op, NO_OCCUPANCY);
  expect(r.layout).toBe(layout);
  return errors(r);
}
const cellsOf = (layout: GuestLayout) => layout.cells.map((c) => [c.id, c.vcpus, c.memoryKiB, c.hostNodes, c.memoryMode]);
const pinsOf = (layout: GuestLayout) => layout.pins.map((p) => [p.vcpu, ...p.cpus]);

describe('the smallest guests a resize allows', () => {
  it('one vCPU per cell: each cell a one-thread socket on the first free thread past its node\'s first core', () => {
    const small = resized(golden, { kind: 'set-vcpus', vcpus: 4 });
    expect(cellsOf(small)).toEqual([0, 1, 2, 3].map((i) => [i, [i], 8 * GiB, [i], 'strict']));
    expect(small.topology).toEqual({ sockets: 4, dies: 1, clusters: 1, cores: 1, threads: 1 });
    expect(pinsOf(small)).toEqual([[0, 1], [1, 16], [2, 31], [3, 46]]);
  });

  it('a one-cell guest shrinks to one vCPU, still floating over its node', () => {
    const one = solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '1' }).layout;
    const single = resized(one, { kind: 'set-vcpus', vcpus: 1 });
    expect(cellsOf(single)).toEqual([[0, [0], 32 * GiB, [1], 'strict']]);
    expect(single.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 1, threads: 1 });
    expect(single.pins).toEqual([{ vcpu: 0, cpus: one.pins[0].cpus }]);
  });
});

describe('what a resize keeps', () => {
  it('a guest laid out one thread per core (thread policy isolate) keeps one thread per core', () => {
    const isolated = solve(talk, { ...TALK_REQUEST, threadPolicy: 'isolate' }).layout;
    expect(isolated.topology.threads).toBe(1);
    const smaller = resized(isolated, { kind: 'set-vcpus', vcpus: 8 });
    expect(smaller.topology).toEqual({ sockets: 4, dies: 1, clusters: 1, cores: 2, threads: 1 });
    expect(pinsOf(smaller)).toEqual([[0, 1], [1, 2], [2, 16], [3, 17], [4, 31], [5, 32], [6, 46], [7, 47]]);
  });

  it('round-robin pins are listed in vCPU order, not cell by cell', () => {
    const rr = solve(talk, { ...TALK_REQUEST, distribution: 'round-robin' }).layout;
    const smaller = resized(rr, { kind: 'set-vcpus', vcpus: 8 });
    expect(smaller.cells.map((c) => c.vcpus)).toEqual([[0, 4], [1, 5], [2, 6], [3, 7]]);
    expect(pinsOf(smaller)).toEqual([[0, 1], [1, 16], [2, 31], [3, 46], [4, 2], [5, 17], [6, 32], [7, 47]]);
  });

  it('a layout dealt by hand (no distribution deals it so) is dealt contiguously again', () => {
    // vCPUs 0 and 1 dragged as a guest core onto node 2: cells [2,3], [4-7], [0,1,8-11], [12-15]
    const moved = resized(golden, { kind: 'pin-vcpu', vcpu: 0, target: { node: 2 }, pair: true });
    expect(moved.cells.map((c) => c.vcpus)).toEqual([[2, 3], [4, 5, 6, 7], [0, 1, 8, 9, 10, 11], [12, 13, 14, 15]]);
    const again = resized(moved, { kind: 'set-cells', cells: 4 });
    expect(again.cells.map((c) => c.vcpus)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]);
    expect(pinsOf(again)).toEqual(pinsOf(golden));
  });

  it('cells without hugepages get no page size; cells with them keep it and whole pages', () => {
    const halves = resized(golden, { kind: 'set-cells', cells: 2 });
    expect(cellsOf(halves)).toEqual([[0, [0, 1, 2, 3, 4, 5, 6, 7], 16 * GiB, [0, 1], 'interleave'], [1, [8, 9, 10, 11, 12, 13, 14, 15], 16 * GiB, [2, 3], 'interleave']]);
    expect(halves.cells.map((c) => Object.keys(c).includes('hugepageSizeKiB'))).toEqual([false, false]);
    const paged = resized({ ...golden, cells: golden.cells.map((c) => ({ ...c, hugepageSizeKiB: GiB })) }, { kind: 'set-memory', memoryKiB: 4 * GiB });
    // exactly one 1 GiB page per cell still splits into 4 cells
    expect(resized(paged, { kind: 'set-cells', cells: 4 }).cells.map((c) => [c.memoryKiB, c.hugepageSizeKiB])).toEqual([[GiB, GiB], [GiB, GiB], [GiB, GiB], [GiB, GiB]]);
    expect(resized(paged, { kind: 'set-cells', cells: 2 }).cells.map((c) => [c.memoryKiB, c.hugepageSizeKiB])).toEqual([[2 * GiB, GiB], [2 * GiB, GiB]]);
  });

  it('memory-only cells follow the CPU cells, numbered after them, their distances the host\'s', () => {
    const heteromem = corpusHost('hwloc-xml-v3/64intel64-heteromem.xml');
    const tiered = solve(heteromem, { ...TALK_REQUEST, mode: 'auto', vcpus: 3, memoryKiB: 6 * GiB, tierMemoryKiB: 3 * GiB }).layout;
    expect(cellsOf(tiered)).toEqual([[0, [0], GiB, [0], 'strict'], [1, [1], GiB, [1], 'strict'], [2, [2], GiB, [2], 'strict'], [3, [], 2 * GiB, [4], 'strict'], [4, [], GiB, [5], 'strict']]);
    const grown = resized(tiered, { kind: 'set-vcpus', vcpus: 6 }, heteromem);
    expect(cellsOf(grown)).toEqual([[0, [0, 1], GiB, [0], 'strict'], [1, [2, 3], GiB, [1], 'strict'], [2, [4, 5], GiB, [2], 'strict'], [3, [], 2 * GiB, [4], 'strict'], [4, [], GiB, [5], 'strict']]);
    expect(grown.cells.map((c) => c.distances)).toEqual([0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].map((j) => (i === j ? 10 : 20))));
  });
});

describe('refused in words, the layout untouched', () => {
  it('more guest cores than a node has', () => {
    const vcpus = Array.from({ length: 32 }, (_, v) => v).join(',');
    expect(refused(golden, { kind: 'set-vcpus', vcpus: 128 })).toEqual([`host node 0 has no 16 free cores of 2 threads for vCPUs ${vcpus}`]);
  });

  it('a guest whose memory is no size', () => {
    expect(refused({ ...golden, memoryKiB: 0 }, { kind: 'set-vcpus', vcpus: 8 })).toEqual(['0 KiB is not a memory size']);
  });

  it('more cells than whole hugepages', () => {
    const paged = resized({ ...golden, cells: golden.cells.map((c) => ({ ...c, hugepageSizeKiB: GiB })) }, { kind: 'set-memory', memoryKiB: 4 * GiB });
    expect(refused(paged, { kind: 'set-cells', cells: 8 })).toEqual(['4194304 KiB does not split into 8 cells of whole 1048576 KiB units']);
  });

  it('memory that is not whole hugepages', () => {
    // 2 MiB pages, 1 MiB more than 32 GiB on cell 0: as a domain XML may say
    const odd = { ...golden, memoryKiB: 32 * GiB + 1024, cells: golden.cells.map((c, i) => ({ ...c, memoryKiB: c.memoryKiB + (i === 0 ? 1024 : 0), hugepageSizeKiB: 2048 })) };
    expect(refused(odd, { kind: 'set-vcpus', vcpus: 8 })).toEqual(['33555456 KiB does not split into 4 cells of whole 2048 KiB units']);
  });

  it('more CPU cells than the memory the tiers leave them', () => {
    const heteromem = corpusHost('hwloc-xml-v3/64intel64-heteromem.xml');
    const tiered = solve(heteromem, { ...TALK_REQUEST, mode: 'auto', vcpus: 6, memoryKiB: 2 * GiB + 4096, tierMemoryKiB: 2 * GiB }).layout;
    expect(cellsOf(tiered)).toEqual([[0, [0, 1, 2, 3, 4, 5], 4096, [0], 'strict'], [1, [], 2 * GiB, [7], 'strict']]);
    const r = edit(heteromem, tiered, { kind: 'set-cells', cells: 6 }, NO_OCCUPANCY);
    expect(r.layout).toBe(tiered);
    expect(errors(r)).toEqual(["2101248 KiB leaves 4096 KiB for 6 CPU cells once the memory-only cells' 2097152 KiB is counted"]);
  });
});
