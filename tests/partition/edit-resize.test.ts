/**
 * Resizing a laid-out guest (set-vcpus, set-memory, set-cells; src/core/partition/edit-derive.ts)
 * on the talk host: the nodes the user chose stay, the way vCPUs were dealt to cells is
 * recognised and kept, hugepage-backed cells keep their page size and whole pages, single-node
 * cells keep their memory mode, a guest's vCPUs online at boot stay where they still fit, and
 * what cannot be done is refused in words, the layout untouched.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { edit, type EditOp } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const host = talkHost();
const GiB = 1 << 20;
const golden = solve(host, TALK_REQUEST).layout;

function resized(layout: GuestLayout, op: EditOp): GuestLayout {
  const r = edit(host, layout, op, NO_OCCUPANCY);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.layout;
}
const cellsOf = (layout: GuestLayout) => layout.cells.map((c) => ({ vcpus: c.vcpus, memoryKiB: c.memoryKiB, nodes: c.hostNodes, mode: c.memoryMode, page: c.hugepageSizeKiB }));

describe('refused, in words, the layout untouched', () => {
  const refusals: [EditOp, string][] = [
    [{ kind: 'set-vcpus', vcpus: 0 }, '0 is not a vCPU count'],
    [{ kind: 'set-vcpus', vcpus: 2.5 }, '2.5 is not a vCPU count'],
    [{ kind: 'set-cells', cells: 0 }, '0 is not a cell count'],
    [{ kind: 'set-cells', cells: 1.5 }, '1.5 is not a cell count'],
    [{ kind: 'set-memory', memoryKiB: 0 }, '0 KiB is not a memory size'],
    [{ kind: 'set-memory', memoryKiB: 0.5 }, '0.5 KiB is not a memory size'],
    [{ kind: 'set-vcpus', vcpus: 2 }, '2 vCPUs cannot fill 4 cells: every cell needs at least one vCPU'],
    [{ kind: 'set-memory', memoryKiB: 10 * GiB + 1 }, '10485761 KiB does not split into 4 cells of whole 1024 KiB units'],
    [{ kind: 'set-memory', memoryKiB: 3 * 1024 }, '3072 KiB does not split into 4 cells of whole 1024 KiB units'],
  ];
  for (const [op, message] of refusals) {
    it(`${JSON.stringify(op)}: ${message}`, () => {
      const r = edit(host, golden, op, NO_OCCUPANCY);
      expect(r.layout).toBe(golden);
      expect(r.diagnostics.map((d) => [d.severity, d.message])).toEqual([['error', message]]);
    });
  }

  it('takes 4 cells of exactly one 1 KiB unit each, the least memory that splits', () => {
    expect(resized(golden, { kind: 'set-memory', memoryKiB: 4 * 1024 }).cells.map((c) => c.memoryKiB)).toEqual([1024, 1024, 1024, 1024]);
  });
});

describe('the way vCPUs were dealt is kept', () => {
  it('round-robin stays round-robin as the guest grows', () => {
    const rr = solve(host, { ...TALK_REQUEST, distribution: 'round-robin' }).layout;
    const grown = resized(rr, { kind: 'set-vcpus', vcpus: 24 });
    expect(grown.cells.map((c) => c.vcpus)).toEqual([0, 1, 2, 3].map((i) => [i, i + 4, i + 8, i + 12, i + 16, i + 20]));
    expect(grown.topology).toEqual({ sockets: 4, dies: 1, clusters: 1, cores: 6, threads: 1 });
  });

  it('interleave stays interleave: guest cores dealt to the cells in turn', () => {
    const il = solve(host, { ...TALK_REQUEST, distribution: 'interleave' }).layout;
    expect(il.cells.map((c) => c.vcpus)).toEqual([[0, 1, 8, 9], [2, 3, 10, 11], [4, 5, 12, 13], [6, 7, 14, 15]]);
    const grown = resized(il, { kind: 'set-vcpus', vcpus: 24 });
    expect(grown.cells.map((c) => c.vcpus)).toEqual([[0, 1, 8, 9, 16, 17], [2, 3, 10, 11, 18, 19], [4, 5, 12, 13, 20, 21], [6, 7, 14, 15, 22, 23]]);
  });

  it('contiguous cells stay contiguous', () => {
    expect(resized(golden, { kind: 'set-vcpus', vcpus: 24 }).cells.map((c) => c.vcpus)).toEqual([0, 1, 2, 3].map((i) => [0, 1, 2, 3, 4, 5].map((k) => 6 * i + k)));
  });
});

describe('what each cell keeps', () => {
  it('hugepage-backed cells keep their page size and are cut in whole pages, the remainder on cell 0', () => {
    const paged = { ...golden, cells: golden.cells.map((c) => ({ ...c, hugepageSizeKiB: GiB })) };
    expect(cellsOf(resized(paged, { kind: 'set-memory', memoryKiB: 10 * GiB }))).toEqual([
      { vcpus: [0, 1, 2, 3], memoryKiB: 4 * GiB, nodes: [0], mode: 'strict', page: GiB },
      { vcpus: [4, 5, 6, 7], memoryKiB: 2 * GiB, nodes: [1], mode: 'strict', page: GiB },
      { vcpus: [8, 9, 10, 11], memoryKiB: 2 * GiB, nodes: [2], mode: 'strict', page: GiB },
      { vcpus: [12, 13, 14, 15], memoryKiB: 2 * GiB, nodes: [3], mode: 'strict', page: GiB },
    ]);
    const r = edit(host, paged, { kind: 'set-memory', memoryKiB: 3 * GiB }, NO_OCCUPANCY);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['3145728 KiB does not split into 4 cells of whole 1048576 KiB units']);
    expect(cellsOf(resized(golden, { kind: 'set-memory', memoryKiB: 8 * GiB })).map((c) => c.page)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('single-node cells keep the mode the user gave them; a cell over two nodes interleaves', () => {
    const restrictive = { ...golden, cells: golden.cells.map((c) => ({ ...c, memoryMode: 'restrictive' as const })) };
    expect(resized(restrictive, { kind: 'set-vcpus', vcpus: 24 }).cells.map((c) => c.memoryMode)).toEqual(['restrictive', 'restrictive', 'restrictive', 'restrictive']);
    const two = resized(restrictive, { kind: 'set-cells', cells: 2 });
    expect(cellsOf(two)).toEqual([
      { vcpus: [0, 1, 2, 3, 4, 5, 6, 7], memoryKiB: 16 * GiB, nodes: [0, 1], mode: 'interleave', page: undefined },
      { vcpus: [8, 9, 10, 11, 12, 13, 14, 15], memoryKiB: 16 * GiB, nodes: [2, 3], mode: 'interleave', page: undefined },
    ]);
    // back to a cell per node: one of two nodes per cell, none kept from the interleaved cells
    expect(resized(two, { kind: 'set-cells', cells: 4 }).cells.map((c) => c.memoryMode)).toEqual(['strict', 'strict', 'strict', 'strict']);
  });

  it('the vCPUs online at boot stay while the guest still has more, and go when it has no more than them', () => {
    const partly = { ...golden, currentVcpus: 8 };
    expect(resized(partly, { kind: 'set-vcpus', vcpus: 24 }).currentVcpus).toBe(8);
    expect('currentVcpus' in resized(partly, { kind: 'set-vcpus', vcpus: 8 })).toBe(false);
    expect('currentVcpus' in resized(partly, { kind: 'set-vcpus', vcpus: 6 })).toBe(false);
  });

  it('memory follows the vCPUs when they do not divide evenly', () => {
    const six = resized(golden, { kind: 'set-vcpus', vcpus: 6 });
    expect(cellsOf(six).map((c) => [c.vcpus, c.memoryKiB])).toEqual([
      [[0, 1], 11186176],
      [[2, 3], 11184128],
      [[4], 5592064],
      [[5], 5592064],
    ]);
    expect(six.topology).toEqual({ sockets: 6, dies: 1, clusters: 1, cores: 1, threads: 1 });
  });
});
