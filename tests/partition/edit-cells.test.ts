/**
 * Which cell a dragged vCPU ends in, and edits on guests shaped by hand (src/core/partition/
 * edit.ts), on the talk host: a vCPU stays in its cell when its new CPU is on the cell's node,
 * even with a second cell on that node; a vCPU on a node joins the cell bound there first, not
 * one interleaved over it; a whole core with a thread offline takes the online thread; a guest
 * without NUMA cells swaps pins; and the edges of set-memory. A refusal explains nothing.
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
function applied(layout: GuestLayout, op: EditOp, host: Host = talk): GuestLayout {
  const r = edit(host, layout, op, NO_OCCUPANCY);
  expect(errors(r)).toEqual([]);
  return r.layout;
}
const pinOf = (layout: GuestLayout, v: number) => layout.pins.find((p) => p.vcpu === v)?.cpus;
const vcpusOf = (layout: GuestLayout) => layout.cells.map((c) => c.vcpus);

describe('the cell a pinned vCPU ends in', () => {
  it('stays its own when the new CPU is on its node, though another cell shares that node', () => {
    // cells 0 and 1 both on node 1; CPU 18 is vCPU 0's, so vCPU 0 takes vCPU 4's 16
    const twoOnNode1 = applied(golden, { kind: 'move-cell', cell: 0, node: 1 });
    const r = applied(twoOnNode1, { kind: 'pin-vcpu', vcpu: 4, target: { thread: 18 } });
    expect([pinOf(r, 0), pinOf(r, 4)]).toEqual([[16], [18]]);
    expect(vcpusOf(r)).toEqual(vcpusOf(golden));
  });

  it('is the cell bound to the node alone, not the one interleaved over it', () => {
    // cell 0 interleaved over nodes 0-1, cell 1 on node 1
    const interleaved = applied(golden, { kind: 'move-memory', cell: 0, node: 1, kib: GiB });
    const r = applied(interleaved, { kind: 'pin-vcpu', vcpu: 8, target: { thread: 18 } });
    expect(vcpusOf(r)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7, 8], [9, 10, 11], [12, 13, 14, 15]]);
  });
});

describe('hosts and guests shaped by hand', () => {
  it('a whole core with one thread offline takes the online one', () => {
    const offline: Host = { ...talk, cpus: talk.cpus.map((c) => (c.id === 20 ? { ...c, online: false } : c)) };
    const core = talk.cores.findIndex((c) => c.cpus.includes(20));
    expect(talk.cores[core].cpus).toEqual([20, 80]);
    expect(pinOf(applied(golden, { kind: 'pin-vcpu', vcpu: 0, target: { core } }, offline), 0)).toEqual([80]);
  });

  it('a pinned vCPU swapped with an unpinned one hands it its pin', () => {
    const unpinned0 = { ...golden, pins: golden.pins.filter((p) => p.vcpu !== 0) };
    const r = applied(unpinned0, { kind: 'swap-vcpus', a: 4, b: 0 });
    expect([pinOf(r, 0), pinOf(r, 4)]).toEqual([[16], undefined]);
    expect(vcpusOf(r)).toEqual([[1, 2, 3, 4], [0, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]);
  });

  it('a guest without NUMA cells swaps the two pins', () => {
    const r = applied({ ...golden, cells: [] }, { kind: 'swap-vcpus', a: 0, b: 4 });
    expect([pinOf(r, 0), pinOf(r, 4)]).toEqual([[16], [1]]);
    expect(r.cells).toEqual([]);
  });
});

describe('set-memory at its edges', () => {
  it('1 KiB is a size, but not one that splits into 4 cells; the refusal explains nothing', () => {
    const r = edit(talk, golden, { kind: 'set-memory', memoryKiB: 1 }, NO_OCCUPANCY);
    expect(r.layout).toBe(golden);
    expect(errors(r)).toEqual(['1 KiB does not split into 4 cells of whole 1024 KiB units']);
    expect(r.explanation).toEqual([]);
  });

  it('beside memory-only cells, exactly one MiB per CPU cell is enough', () => {
    const heteromem = corpusHost('hwloc-xml-v3/64intel64-heteromem.xml');
    const tiered = solve(heteromem, { ...TALK_REQUEST, mode: 'auto', vcpus: 3, memoryKiB: 6 * GiB, tierMemoryKiB: 3 * GiB }).layout;
    const r = applied(tiered, { kind: 'set-memory', memoryKiB: 3 * GiB + 3072 }, heteromem);
    expect(r.cells.map((c) => c.memoryKiB)).toEqual([1024, 1024, 1024, 2 * GiB, GiB]);
  });
});
