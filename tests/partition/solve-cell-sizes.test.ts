/**
 * Cell sizes and thread packing solve (src/core/partition/solve.ts) takes on the talk's host:
 * Nova-style cell sizes with the cell count beside them, cell memory that must be whole MiB in
 * every cell, thread policy require's smallest guest core, and how many guest cores land on
 * host cores another guest half holds.
 */
import { describe, expect, it } from 'vitest';
import { solve } from '../../src/core/partition/solve.ts';
import type { Occupancy, PartitionRequest } from '../../src/core/partition/request.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const talk = talkHost();
const run = (patch: Partial<PartitionRequest>, occupancy?: Occupancy) => solve(talk, { ...TALK_REQUEST, ...patch }, occupancy);
const said = (r: ReturnType<typeof solve>) => r.diagnostics.map((d) => `${d.severity}: ${d.message}`);

describe('cell sizes the request gives', () => {
  it('with the matching cell count beside them', () => {
    const r = run({ vcpus: 12, cells: 2, cellVcpus: [8, 4], nodeset: '0-1' });
    expect(said(r)).toEqual([]);
    expect(r.layout.cells.map((c) => c.vcpus)).toEqual([range(0, 7), range(8, 11)]);
    expect(r.layout.pins.map((p) => p.cpus)).toEqual([[1], [61], [2], [62], [3], [63], [4], [64], [16], [76], [17], [77]]);
  });

  it('memory in whole MiB in every cell, even when the sum is whole', () => {
    const r = run({ vcpus: 12, cellVcpus: [8, 4], cellMemoryKiB: [GiB + 512, GiB - 512], memoryKiB: 2 * GiB, nodeset: '0-1' });
    expect(said(r)).toEqual(["error: every cell's memory must be a whole number of 1 MiB"]);
  });
});

describe('thread policy require', () => {
  it('takes a guest of two vCPUs: one core of two threads', () => {
    const r = run({ mode: 'auto', vcpus: 2, memoryKiB: GiB, threadPolicy: 'require' });
    expect(said(r)).toEqual([]);
    expect(r.layout.pins.map((p) => p.cpus)).toEqual([[46], [106]]);
    expect(r.layout.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 1, threads: 2 });
  });
});

describe('guest cores on host cores another guest half holds', () => {
  it('only the guest cores that fall on shared host cores count', () => {
    // Another guest holds the second thread of node 0's cores 5-14: cores 1-4 are whole, 5-14 half.
    const half: Occupancy = { guests: [{ name: 'other', pinnedCpus: range(65, 74), floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }] };
    const r = run({ vcpus: 10, nodeset: '0', memoryKiB: GiB }, half);
    expect(said(r)).toEqual([
      'warning: the nearest nodes with room lack 2 free sibling threads on enough cores, so some guest SMT siblings are pinned to separate host cores',
    ]);
    expect(r.layout.pins.map((p) => p.cpus)).toEqual([[1], [61], [2], [62], [3], [63], [4], [64], [5], [6]]);
    expect(r.explanation[1]).toBe('node 0: 4 free cores, 125.6 GiB free, 123.0 GiB of it unused when the host was dumped');
    expect(r.score.smtShared).toBe(1);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
