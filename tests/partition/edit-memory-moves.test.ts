/**
 * Memory moved by hand and resized (src/core/partition/edit.ts): a whole cell's memory moved by
 * amount is bound to the new node alone, part of it moved to its own node changes nothing, a
 * single-node cell keeps its memory mode ('preferred' stays so), a memory-only cell may move to
 * another memory-only node, and a guest with tiers refuses a size that leaves its CPU cells too
 * little — on the talk host and the heterogeneous-memory dump (HBM nodes 4-7).
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout, LayoutResult } from '../../src/core/guest/model.ts';
import { edit } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();
const golden = solve(talk, TALK_REQUEST).layout;
const GiB = 1 << 20;
const errors = (r: LayoutResult) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
const bindings = (layout: GuestLayout) => layout.cells.map((c) => [c.hostNodes, c.memoryMode]);

describe('memory moved between nodes', () => {
  it('all of a cell\'s memory, given as its amount, is bound to the new node alone', () => {
    const r = edit(talk, golden, { kind: 'move-memory', cell: 0, node: 1, kib: 8 * GiB }, NO_OCCUPANCY);
    expect(bindings(r.layout)[0]).toEqual([[1], 'strict']);
    expect(r.explanation.slice(0, 1)).toEqual(['vCPU 0 now runs 21 away from its memory (node 0 → node 1)']);
  });

  it('part of a cell\'s memory moved to the node it is on changes no binding', () => {
    const r = edit(talk, golden, { kind: 'move-memory', cell: 0, node: 0, kib: GiB }, NO_OCCUPANCY);
    expect(bindings(r.layout)).toEqual(bindings(golden));
    expect(r.explanation).toEqual([]);
  });

  it('a single-node cell keeps its memory mode when it or its memory moves', () => {
    const preferred: GuestLayout = { ...golden, cells: golden.cells.map((c) => ({ ...c, memoryMode: 'preferred' as const })) };
    for (const op of [{ kind: 'move-cell', cell: 0, node: 2 }, { kind: 'move-memory', cell: 0, node: 2 }] as const) {
      const r = edit(talk, preferred, op, NO_OCCUPANCY);
      expect(errors(r)).toEqual([]);
      expect(bindings(r.layout)[0]).toEqual([[2], 'preferred']);
    }
  });
});

describe('a guest with memory-only cells', () => {
  const heteromem = corpusHost('hwloc-xml-v3/64intel64-heteromem.xml');
  // three CPU cells of 1 GiB on nodes 0-2; the tiers: 2 GiB on HBM node 4, 1 GiB on HBM node 5
  const tiered = solve(heteromem, { ...TALK_REQUEST, mode: 'auto', vcpus: 3, memoryKiB: 6 * GiB, tierMemoryKiB: 3 * GiB }).layout;

  it('moves a memory-only cell onto another memory-only node', () => {
    const r = edit(heteromem, tiered, { kind: 'move-cell', cell: 3, node: 6 }, NO_OCCUPANCY);
    expect(errors(r)).toEqual([]);
    expect(r.layout.cells.map((c) => [c.id, c.vcpus.length, c.hostNodes])).toEqual([[0, 1, [0]], [1, 1, [1]], [2, 1, [2]], [3, 0, [6]], [4, 0, [5]]]);
  });

  it('refuses a size that leaves the CPU cells less than a MiB each, saying what is left', () => {
    for (const [memoryKiB, left] of [[3 * GiB + 2048, 2048], [GiB, 0]]) {
      const r = edit(heteromem, tiered, { kind: 'set-memory', memoryKiB }, NO_OCCUPANCY);
      expect(r.layout).toBe(tiered);
      expect(errors(r)).toEqual([`${memoryKiB} KiB leaves ${left} KiB for 3 CPU cells once the memory-only cells' 3145728 KiB is counted`]);
    }
  });
});
