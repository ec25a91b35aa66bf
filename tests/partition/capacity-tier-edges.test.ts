/**
 * Edges of capacity.ts and tiers.ts: every node's capacity at once for a node the host lacks,
 * isolate handing out one thread per core whatever the guest's SMT, a cell over two nodes that
 * fits the split's uneven parts, a full tier ranked before one of unknown room, and the tier
 * sentence naming the one cell whose CPUs the MCDRAM sits beside — on the talk host, the
 * heterogeneous-memory dump (HBM nodes 4-7, equidistant) and the fake KNL in SNC-4 (no SLIT).
 */
import { describe, expect, it } from 'vitest';
import type { GuestCell } from '../../src/core/guest/model.ts';
import { hostDistance } from '../../src/core/host/distance.ts';
import { nodeCapacities, nodeCapacity, placeableGroups } from '../../src/core/partition/capacity.ts';
import { coresByNode, coresOfNode } from '../../src/core/partition/cores.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { fillCpuCells, tierOrder, tierSentence } from '../../src/core/partition/tiers.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost } from '../support/golden.ts';

const talk = talkHost();
const GiB = 1 << 20;

describe('capacity', () => {
  it('of a node the host lacks, asked with every node at once, is nothing', () => {
    expect(nodeCapacities(talk, [9], coresByNode(talk), 'none', NO_OCCUPANCY).get(9)).toEqual({
      node: 9, reserved: [], cores: [], onlineCpus: 0, freeKiB: null, snapshotKiB: null, hugepages: [], guestLoad: 0,
    });
  });

  it('isolate hands out one thread of each core even for a guest of two threads', () => {
    const cap = nodeCapacity(talk, 1, coresOfNode(talk, 1), 'none', NO_OCCUPANCY);
    expect(placeableGroups(cap, { kind: '1:1', threads: 2, policy: 'isolate' }).slice(0, 3)).toEqual([[15], [16], [17]]);
  });
});

describe('tiers', () => {
  it('a cell over two nodes keeps all it wants when each node holds its part of the split', () => {
    // 3 MiB over nodes 0 and 1 splits 2 MiB + 1 MiB: node 0 has room for 2, node 1 for 1
    expect(fillCpuCells([{ cell: 0, nodes: [0, 1], slice: 0, slices: 1 }], [3072], 1024, (n) => (n === 0 ? 2048 : 1024))).toEqual([3072]);
  });

  it('a tier known to be full still ranks before one whose room no paste says', () => {
    const heteromem = corpusHost('hwloc-xml-v3/64intel64-heteromem.xml');
    // HBM 5 and 6 are both 20 from CPU node 0 and beside neither's CPUs of it
    const room = (n: number) => (n === 5 ? 0 : null);
    expect(tierOrder(heteromem, [6, 5], [0], hostDistance(heteromem), room)).toEqual([5, 6]);
  });

  it('names the one cell whose CPUs the MCDRAM is attached next to', () => {
    const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
    const cell = (id: number, node: number, vcpus: number[], distances: number[]): GuestCell => ({ id, vcpus, memoryKiB: GiB, hostNodes: [node], memoryMode: 'strict', distances });
    const cpuCells = [cell(0, 0, [0], [10, 20, 20]), cell(1, 1, [1], [20, 10, 20])];
    expect(tierSentence(knl, cell(2, 4, [], [20, 20, 10]), cpuCells)).toBe('cell 2 (memory only, 1 GiB on MCDRAM node 4): 20 from cells 0-1; attached next to the CPUs of cell 1');
  });
});
