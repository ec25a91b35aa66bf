/**
 * What a hand edit costs, in the sentences the user reads (src/core/partition/edit-cost.ts), on
 * the talk host (4 nodes of 30 CPUs, 21 between nodes, 11 between two cells of one node): cells
 * that share a node, memory interleaved by a guest that pins nothing, nodes overcommitted by
 * another guest's floating vCPUs (at exactly 30 vCPUs a node is not), memory bound past what a
 * node has free (at exactly its free memory it is not, and a binding that did not grow is not
 * said again), and the score of a hand-edited layout.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { edit, editAll } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY, type Occupancy, type OccupyingGuest } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();
const golden = solve(talk, TALK_REQUEST).layout;
const GiB = 1 << 20;
const batch = (held: Partial<OccupyingGuest>): Occupancy => ({ guests: [{ name: 'batch', pinnedCpus: [], floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [], ...held }] });
/** Cell 0 on node 2 and cell 2 on node 0: the talk layout with two cells' nodes exchanged. */
function crossed(): GuestLayout {
  const r = editAll(talk, golden, [{ kind: 'move-cell', cell: 0, node: 2 }, { kind: 'move-cell', cell: 2, node: 0 }], NO_OCCUPANCY);
  if (!r.ok) throw new Error(r.reason);
  return r.result.layout;
}

describe('cells and memory', () => {
  it('a vCPU swapped between two cells of one node moves 11 away, said even though no pin or binding changed', () => {
    const unpinned = { ...golden, pins: [] };
    const twoOnNode1 = edit(talk, unpinned, { kind: 'move-cell', cell: 0, node: 1 }, NO_OCCUPANCY).layout;
    expect(edit(talk, twoOnNode1, { kind: 'swap-vcpus', a: 0, b: 4 }, NO_OCCUPANCY).explanation).toEqual([
      'vCPU 0 moves from cell 0 to cell 1 (node 1 → node 1, distance 11)',
      'its guest core sibling vCPU 1 stays in cell 0, 11 away',
      'vCPU 4 moves from cell 1 to cell 0 (node 1 → node 1, distance 11)',
      'its guest core sibling vCPU 5 stays in cell 1, 11 away',
      'cores split between cells 0 → 2',
      'a worse layout',
    ]);
  });

  it('memory interleaved by a guest that pins nothing names no remote part', () => {
    const unpinned = { ...golden, pins: [] };
    expect(edit(talk, unpinned, { kind: 'move-memory', cell: 0, node: 1, kib: GiB }, NO_OCCUPANCY).explanation).toEqual([
      "cell 0's memory now interleaves over nodes 0-1, about 1/2 on each",
      'distance cost 66 → 63.75',
      'a better layout',
    ]);
  });

  it('cells already interleaved are not said again when an edit leaves their nodes alone', () => {
    const halves = edit(talk, golden, { kind: 'set-cells', cells: 2 }, NO_OCCUPANCY).layout;
    expect(edit(talk, halves, { kind: 'swap-vcpus', a: 0, b: 2 }, NO_OCCUPANCY).explanation).toEqual([]);
  });
});

describe('another guest on the same nodes', () => {
  const node1 = [...talk.nodes[1].cpus];

  it('a node is overcommitted past its 30 CPUs, not at 30', () => {
    // vCPUs 4-7 are this guest's on node 1; the other guest floats 26 or 27 vCPUs over node 1
    const at30 = edit(talk, golden, { kind: 'swap-vcpus', a: 4, b: 5 }, batch({ floatingCpus: node1, floatingVcpus: 26 }));
    expect(at30.explanation).toEqual(['vCPU 4 shares core 16/76 with guest batch', 'vCPU 5 shares core 16/76 with guest batch']);
    const at31 = edit(talk, golden, { kind: 'swap-vcpus', a: 4, b: 5 }, batch({ floatingCpus: node1, floatingVcpus: 27 }));
    expect(at31.explanation).toEqual([...at30.explanation, 'node 1 overcommitted: 31 vCPUs on 30 CPUs']);
  });

  it('overcommitted nodes are said in node order', () => {
    const nodes12 = [...talk.nodes[1].cpus, ...talk.nodes[2].cpus];
    const r = edit(talk, crossed(), { kind: 'swap-vcpus', a: 0, b: 4 }, batch({ floatingCpus: nodes12, floatingVcpus: 60 }));
    expect(r.explanation.filter((s) => s.includes('overcommitted'))).toEqual(['node 1 overcommitted: 34 vCPUs on 30 CPUs', 'node 2 overcommitted: 34 vCPUs on 30 CPUs']);
  });

  it('a floating vCPU does not share a core: it runs on none in particular', () => {
    const floating = solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float' }).layout;
    expect(edit(talk, floating, { kind: 'pin-vcpu', vcpu: 3, target: { node: 2 } }, batch({ pinnedCpus: [30] })).explanation).toEqual([
      'vCPU 3 now runs 21 away from its memory (node 2 → node 1)',
      'vCPUs away from their memory 0 → 1',
      'farthest from its memory 10 → 21',
      'cores shared with other guests 0 → 1',
      'a worse layout',
    ]);
  });

  it('memory bound past what a node has free is said, at exactly its free memory it is not', () => {
    const size1 = talk.nodes[1].memoryKiB as number;
    const runsAway = [0, 1, 2, 3].map((v) => `vCPU ${v} now runs 21 away from its memory (node 0 → node 1)`);
    const tail = ['vCPUs away from their memory 0 → 4', 'farthest from its memory 10 → 21', 'distance cost 66 → 56', 'a worse layout'];
    // cell 0's 8 GiB joins cell 1's 8 GiB on node 1
    const exact = edit(talk, golden, { kind: 'move-memory', cell: 0, node: 1 }, batch({ memory: [{ node: 1, kib: size1 - 16 * GiB }] }));
    expect(exact.explanation).toEqual([...runsAway, ...tail]);
    const short = edit(talk, golden, { kind: 'move-memory', cell: 0, node: 1 }, batch({ memory: [{ node: 1, kib: size1 - 16 * GiB + 1 }] }));
    expect(short.explanation).toEqual([...runsAway, 'node 1 has 16777215 KiB free but the guest now binds 16777216 KiB there', ...tail]);
    expect(edit(talk, golden, { kind: 'move-memory', cell: 0, node: 1, kib: 8 * GiB }, NO_OCCUPANCY).explanation).toEqual([...runsAway, ...tail]);
  });

  it('a binding that did not grow is not said again, even on a node the other guest fills', () => {
    const size1 = talk.nodes[1].memoryKiB as number;
    expect(edit(talk, golden, { kind: 'swap-vcpus', a: 4, b: 5 }, batch({ memory: [{ node: 1, kib: size1 }] })).explanation).toEqual([]);
  });
});

describe('the score of a hand edit', () => {
  it('counts the host nodes the guest spans, is never claimed optimal, and its gap is its distance cost', () => {
    const r = edit(talk, golden, { kind: 'move-memory', cell: 0, node: 1 }, NO_OCCUPANCY);
    expect(r.score).toEqual({ nodes: 3, distanceCost: 56, smtShared: 0, remoteVcpus: 4, remoteDistance: 21, splitCores: 0, optimal: false, gap: 56 });
  });

  it('scores a layout with a cell without host nodes, the cell counted at no host node', () => {
    const loose: GuestLayout = { ...golden, cells: golden.cells.map((c) => (c.id === 3 ? { ...c, hostNodes: [], distances: [21, 21, 21, 10] } : c)) };
    const r = edit(talk, loose, { kind: 'swap-vcpus', a: 0, b: 12 }, NO_OCCUPANCY);
    expect(r.score).toMatchObject({ nodes: 3, distanceCost: 63, gap: 63 });
  });
});
