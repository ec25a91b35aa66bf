/**
 * What a hand edit is told to cost (src/core/partition/edit-cost.ts), sentence by sentence, on
 * the talk host's worked example: vCPUs changing cells and the guest core siblings left behind,
 * vCPUs running away from their memory, memory interleaved over nodes, cores shared with another
 * guest, overcommitted nodes, memory past a node's free, and the score's parts and verdict.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { edit, type EditOp } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY, type Occupancy } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const host = talkHost();
const golden = solve(host, TALK_REQUEST).layout;
const floating = solve(host, { ...TALK_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float' }).layout;
/** Another guest holding core 18/78 on node 1 one-to-one and floating 40 vCPUs over part of node 3. */
const web1: Occupancy = {
  guests: [{ name: 'web1', pinnedCpus: [18, 78], floatingCpus: [46, 47, 48, 49, 50, 106, 107, 108, 109, 110], floatingVcpus: 40, memory: [{ node: 1, kib: 4 << 20 }], hugepages: [] }],
};

function told(layout: GuestLayout, op: EditOp, occupancy: Occupancy = NO_OCCUPANCY): string[] {
  return edit(host, layout, op, occupancy).explanation;
}

describe('vCPUs between cells', () => {
  it('a vCPU moved alone leaves its guest core sibling behind, and the split core ranks the layout worse', () => {
    expect(told(golden, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 33 } })).toEqual([
      'vCPU 0 moves from cell 0 to cell 2 (node 0 → node 2, distance 21)',
      'its guest core sibling vCPU 1 stays in cell 0, 21 away',
      'cores split between cells 0 → 1',
      'distance cost 66 → 65.313',
      'a worse layout',
    ]);
  });

  it('a vCPU moved with its sibling splits nothing', () => {
    expect(told(golden, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 33 }, pair: true })).toEqual([
      'vCPU 0 moves from cell 0 to cell 2 (node 0 → node 2, distance 21)',
      'vCPU 1 moves from cell 0 to cell 2 (node 0 → node 2, distance 21)',
      'distance cost 66 → 63.25',
      'a better layout',
    ]);
  });

  it('a swap tells both moves and both siblings left behind', () => {
    expect(told(golden, { kind: 'swap-vcpus', a: 0, b: 15 })).toEqual([
      'vCPU 0 moves from cell 0 to cell 3 (node 0 → node 3, distance 21)',
      'its guest core sibling vCPU 1 stays in cell 0, 21 away',
      'vCPU 15 moves from cell 3 to cell 0 (node 3 → node 0, distance 21)',
      'its guest core sibling vCPU 14 stays in cell 3, 21 away',
      'cores split between cells 0 → 2',
      'a worse layout',
    ]);
  });

  it('a move inside its cell onto another core of the node costs nothing worth saying', () => {
    expect(told(golden, { kind: 'pin-vcpu', vcpu: 4, target: { thread: 19 } }, web1)).toEqual([]);
  });
});

describe('vCPUs and their memory', () => {
  it('a cell\'s memory moved whole leaves each of its vCPUs remote', () => {
    expect(told(golden, { kind: 'move-memory', cell: 0, node: 1 })).toEqual([
      'vCPU 0 now runs 21 away from its memory (node 0 → node 1)',
      'vCPU 1 now runs 21 away from its memory (node 0 → node 1)',
      'vCPU 2 now runs 21 away from its memory (node 0 → node 1)',
      'vCPU 3 now runs 21 away from its memory (node 0 → node 1)',
      'vCPUs away from their memory 0 → 4',
      'farthest from its memory 10 → 21',
      'distance cost 66 → 56',
      'a worse layout',
    ]);
  });

  it('half of it moved interleaves the cell over both nodes, the remote half named', () => {
    expect(told(golden, { kind: 'move-memory', cell: 0, node: 1, kib: 4 << 20 })).toEqual([
      "cell 0's memory now interleaves over nodes 0-1, about 1/2 on each; its vCPUs reach the remote part node 0 → node 1 at 21",
      'distance cost 66 → 63.75',
      'a better layout',
    ]);
  });

  it('two cells over two nodes each: every move, and each cell\'s remote halves', () => {
    const said = told(golden, { kind: 'set-cells', cells: 2 });
    expect(said.slice(0, 5)).toEqual([
      'vCPU 4 moves from cell 1 to cell 0 (node 1 → node 0-1, distance 21)',
      'vCPU 5 moves from cell 1 to cell 0 (node 1 → node 0-1, distance 21)',
      'vCPU 6 moves from cell 1 to cell 0 (node 1 → node 0-1, distance 21)',
      'vCPU 7 moves from cell 1 to cell 0 (node 1 → node 0-1, distance 21)',
      // cell 2 is gone: no distance to it to tell
      'vCPU 8 moves from cell 2 to cell 1 (node 2 → node 2-3)',
    ]);
    expect(said.slice(12)).toEqual([
      "cell 0's memory now interleaves over nodes 0-1, about 1/2 on each; its vCPUs reach the remote part node 0 → node 1 at 21, node 1 → node 0 at 21",
      "cell 1's memory now interleaves over nodes 2-3, about 1/2 on each; its vCPUs reach the remote part node 2 → node 3 at 21, node 3 → node 2 at 21",
    ]);
  });

  it('memory past what the nodes have free is said per node', () => {
    expect(told(golden, { kind: 'set-memory', memoryKiB: 600 << 20 })).toEqual([
      'node 0 has 125.6 GiB free but the guest now binds 150 GiB there',
      'node 1 has 126.0 GiB free but the guest now binds 150 GiB there',
      'node 2 has 126.0 GiB free but the guest now binds 150 GiB there',
      'node 3 has 126.0 GiB free but the guest now binds 150 GiB there',
    ]);
  });
});

describe('other guests', () => {
  it('a floating cell moved onto a node another guest crowds is overcommitted there', () => {
    expect(told(floating, { kind: 'move-cell', cell: 0, node: 3 }, web1)).toEqual(['node 3 overcommitted: 56 vCPUs on 30 CPUs']);
  });

  it('a floating vCPU pinned onto a core another guest uses shares it, away from its memory', () => {
    expect(told(floating, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 50 } }, web1)).toEqual([
      'vCPU 0 now runs 21 away from its memory (node 3 → node 1)',
      'vCPU 0 shares core 50/110 with guest web1',
      'node 3 overcommitted: 41 vCPUs on 30 CPUs',
      'vCPUs away from their memory 0 → 1',
      'farthest from its memory 10 → 21',
      'a worse layout',
    ]);
  });

  it('a vCPU pinned onto the other thread of a core another guest holds one thread of shares it; onto its thread, is refused', () => {
    const db: Occupancy = { guests: [{ name: 'db', pinnedCpus: [18], floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }] };
    expect(told(golden, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 78 } }, db)).toEqual(['vCPU 5 shares core 18/78 with guest db', 'cores shared with other guests 0 → 1', 'a worse layout']);
    const refused = edit(host, golden, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 18 } }, db);
    expect(refused.layout).toBe(golden);
    expect(refused.diagnostics.map((d) => d.message)).toEqual(['host CPU 18 is pinned to guest db']);
  });
});
