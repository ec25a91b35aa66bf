/**
 * Two more resizes (set-vcpus, set-cells; src/core/partition/edit-derive.ts) on the talk host: a
 * floating guest laid out one thread per core (thread policy isolate) stays so, and a
 * memory-only cell that names no host node (a CPU-less <cell> without a <memnode>) keeps its
 * memory and follows the CPU cells, 20 (remote) from each of them as no host node says otherwise.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout, LayoutResult } from '../../src/core/guest/model.ts';
import { edit, type EditOp } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();
const GiB = 1 << 20;
const errors = (r: LayoutResult) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
function resized(layout: GuestLayout, op: EditOp): GuestLayout {
  const r = edit(talk, layout, op, NO_OCCUPANCY);
  expect(errors(r)).toEqual([]);
  return r.layout;
}

describe('resizes that keep what the guest was', () => {
  it('a floating guest of one thread per core keeps one thread per core', () => {
    const floating = solve(talk, { ...TALK_REQUEST, vcpus: 8, memoryKiB: 16 * GiB, mode: 'node', nodeset: '1', pinning: 'node-float', threadPolicy: 'isolate' }).layout;
    expect(floating.topology.threads).toBe(1);
    const smaller = resized(floating, { kind: 'set-vcpus', vcpus: 6 });
    expect(smaller.topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 6, threads: 1 });
    expect(smaller.pins.map((p) => p.cpus)).toEqual(Array.from({ length: 6 }, () => floating.pins[0].cpus));
  });

  it('a memory-only cell without a host node follows the CPU cells, 20 from each', () => {
    const golden = solve(talk, TALK_REQUEST).layout;
    const unbound: GuestLayout = {
      ...golden,
      memoryKiB: 33 * GiB,
      cells: [...golden.cells, { id: 4, vcpus: [], memoryKiB: GiB, hostNodes: [], memoryMode: 'strict', distances: [21, 21, 21, 21, 10] }],
    };
    const halves = resized(unbound, { kind: 'set-cells', cells: 2 });
    expect(halves.cells.map((c) => [c.id, c.vcpus.length, c.memoryKiB, c.hostNodes, c.distances])).toEqual([
      [0, 8, 16 * GiB, [0, 1], [10, 21, 20]],
      [1, 8, 16 * GiB, [2, 3], [21, 10, 20]],
      [2, 0, GiB, [], [20, 20, 10]],
    ]);
  });
});
