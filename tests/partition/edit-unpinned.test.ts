/**
 * Hand edits (src/core/partition/edit.ts) on guests the solver would not write but a domain XML
 * may hold, on the talk host: a vCPU without a <vcpupin> (it stays unpinned unless dragged, and
 * a CPU it takes from another vCPU leaves that one unpinned) and a cell without a <memnode>
 * (its distances are left as they were).
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { edit, type EditOp } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();
const golden = solve(talk, TALK_REQUEST).layout;
/** vCPU 0 has no <vcpupin>. */
const unpinned0: GuestLayout = { ...golden, pins: golden.pins.filter((p) => p.vcpu !== 0) };

function applied(layout: GuestLayout, op: EditOp): GuestLayout {
  const r = edit(talk, layout, op, NO_OCCUPANCY);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.layout;
}
const pinsOf = (layout: GuestLayout) => layout.pins.map((p) => [p.vcpu, ...p.cpus]);

describe('a vCPU without a pin', () => {
  it('dragged onto a CPU another vCPU holds takes it, and that vCPU is left unpinned; pins stay in vCPU order', () => {
    const r = applied(unpinned0, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 16 } });
    expect(pinsOf(r)).toEqual([[0, 16], [1, 61], [2, 2], [3, 62], [5, 76], [6, 17], [7, 77], [8, 31], [9, 91], [10, 32], [11, 92], [12, 46], [13, 106], [14, 47], [15, 107]]);
    expect(r.cells.map((c) => c.vcpus)).toEqual([[1, 2, 3], [0, 4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]);
  });

  it('swapped with a pinned vCPU gives it its pin and takes its none', () => {
    const r = applied(unpinned0, { kind: 'swap-vcpus', a: 0, b: 4 });
    expect(pinsOf(r).slice(0, 5)).toEqual([[0, 16], [1, 61], [2, 2], [3, 62], [5, 76]]);
    expect(r.cells.map((c) => c.vcpus)).toEqual([[1, 2, 3, 4], [0, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]);
  });

  it('stays unpinned when its cell moves; the cell\'s pinned vCPUs take free cores on the new node', () => {
    const r = applied(unpinned0, { kind: 'move-cell', cell: 0, node: 2 });
    expect(pinsOf(r).slice(0, 4)).toEqual([[1, 33], [2, 93], [3, 34], [4, 16]]);
    expect(r.cells[0].hostNodes).toEqual([2]);
  });
});

describe('a cell without host nodes', () => {
  it('keeps the distances it had: there is no host node to measure from', () => {
    const loose: GuestLayout = { ...golden, cells: golden.cells.map((c) => (c.id === 3 ? { ...c, hostNodes: [], distances: [21, 21, 21, 10] } : c)) };
    const r = applied(loose, { kind: 'swap-vcpus', a: 0, b: 4 });
    expect(r.cells.map((c) => c.distances)).toEqual(loose.cells.map((c) => c.distances));
    expect(r.cells.map((c) => c.vcpus)).toEqual([[1, 2, 3, 4], [0, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]);
  });
});
