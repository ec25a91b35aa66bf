/**
 * The parts memory tiers are built from (src/core/partition/tiers.ts), each on its own: a node's
 * room in this guest's pages, the order tiers are used in (nearest, then attached next to the
 * guest's CPU nodes, then roomiest, then lowest id) on the 2-socket CXL preset and a KNL's MCDRAM,
 * the CPU cells cut down to their nodes' room, and memory poured over tiers in order.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { hostDistance } from '../../src/core/host/distance.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { nodeCapacity } from '../../src/core/partition/capacity.ts';
import type { CellBacking } from '../../src/core/partition/cells.ts';
import { coresOfNode } from '../../src/core/partition/cores.ts';
import { fillCpuCells, placeOnTiers, roomOf, roomTotal, tierCandidates, tierOrder } from '../../src/core/partition/tiers.ts';
import { syntheticPaste } from '../../src/core/synthetic/compose.ts';
import { SYNTHETIC_PRESETS } from '../../src/core/synthetic/presets.ts';
import { corpusHost } from '../support/corpus.ts';

const GiB = 1 << 20;
const cxl: Host = ingest([{ name: 'cxl-2s', text: syntheticPaste(SYNTHETIC_PRESETS.find((p) => p.id === 'cxl-2s')!) }]).host;
/** Room per node, as a solve would look it up. */
const rooms = (table: Record<number, number | null>) => (node: number) => table[node] ?? null;

describe('room', () => {
  const caps = corpusHost('libvirt-caps/vircaps-x86_64-basic.xml');
  const cap = (pagesHeld: number) =>
    nodeCapacity(caps, 1, [], 'none', { guests: [{ name: 'a', pinnedCpus: [], floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [{ node: 1, sizeKiB: GiB, pages: pagesHeld }] }] });

  it('is the free memory, or fewer free hugepages of the guest\'s size', () => {
    expect(roomOf(cap(0), undefined)).toBe(2 * GiB);
    expect(roomOf(cap(0), GiB)).toBe(2 * GiB);
    expect(roomOf(cap(8191), GiB)).toBe(GiB);
    expect(roomOf(cap(8192), GiB)).toBe(0);
    // a page size the node has none of
    expect(roomOf(cap(0), 16 * GiB)).toBe(0);
  });

  it('is the hugepages alone where no paste said how much memory, and unknown without them', () => {
    const talkLscpu = corpusHost('pasted/talk-e7-8895v2.lscpu.txt');
    const unknown = nodeCapacity(talkLscpu, 0, coresOfNode(talkLscpu, 0), 'none', { guests: [] });
    expect(unknown.freeKiB).toBeNull();
    expect(roomOf(unknown, undefined)).toBeNull();
    expect(roomOf(unknown, GiB)).toBe(0);
  });

  it('adds up in whole granules, and is unknown when one node\'s is', () => {
    expect(roomTotal([0, 1], rooms({ 0: 3 * GiB + 512, 1: GiB }), GiB)).toBe(4 * GiB);
    expect(roomTotal([0, 1], rooms({ 0: 3 * GiB, 1: null }), GiB)).toBeNull();
    expect(roomTotal([], rooms({}), GiB)).toBe(0);
  });
});

describe('which tiers, in which order', () => {
  const distance = hostDistance(cxl);

  it('offers every memory-only node, or those the nodeset names', () => {
    expect(tierCandidates(cxl, undefined)).toEqual([2, 3]);
    expect(tierCandidates(cxl, [0, 3])).toEqual([3]);
    expect(tierCandidates(cxl, [0, 1])).toEqual([]);
  });

  it('takes the CXL node of the guest\'s own socket first (14, not 24)', () => {
    expect(tierOrder(cxl, [2, 3], [1], distance, rooms({ 2: 100 * GiB, 3: GiB }))).toEqual([3, 2]);
    expect(tierOrder(cxl, [2, 3], [0], distance, rooms({ 2: GiB, 3: 100 * GiB }))).toEqual([2, 3]);
  });

  it('between tiers as near, takes the roomiest, a known room before an unknown one, then the lower id', () => {
    expect(tierOrder(cxl, [2, 3], [0, 1], distance, rooms({ 2: 64 * GiB, 3: 100 * GiB }))).toEqual([3, 2]);
    expect(tierOrder(cxl, [2, 3], [0, 1], distance, rooms({ 2: 64 * GiB, 3: null }))).toEqual([2, 3]);
    expect(tierOrder(cxl, [3, 2], [0, 1], distance, rooms({ 2: 64 * GiB, 3: 64 * GiB }))).toEqual([2, 3]);
  });

  it('without distances, takes the MCDRAM attached next to the guest\'s CPU node (a KNL in SNC4)', () => {
    const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
    const mcdram = tierCandidates(knl, undefined);
    expect(mcdram).toEqual([4, 5, 6, 7]);
    const beside = (cpuNode: number) => tierOrder(knl, mcdram, [cpuNode], hostDistance(knl), rooms({ 4: GiB, 5: GiB, 6: GiB, 7: GiB }))[0];
    const cpusOf = (node: number) => knl.nodes.find((n) => n.id === node)!.cpus;
    for (const cpuNode of [0, 1, 2, 3]) {
      const tier = beside(cpuNode);
      expect(knl.nodes.find((n) => n.id === tier)!.localCpus, `MCDRAM beside node ${cpuNode}`).toEqual(cpusOf(cpuNode));
    }
  });
});

describe('CPU cells cut to their nodes\' room', () => {
  const one = (cell: number, node: number, slice = 0, slices = 1): CellBacking => ({ cell, nodes: [node], slice, slices });

  it('leaves what fits, and cuts what does not by whole granules, cell 0 keeping its odd KiB', () => {
    expect(fillCpuCells([one(0, 0), one(1, 1)], [4 * GiB, 4 * GiB], GiB, rooms({ 0: 10 * GiB, 1: 10 * GiB }))).toEqual([4 * GiB, 4 * GiB]);
    expect(fillCpuCells([one(0, 0), one(1, 1)], [4 * GiB + 512, 4 * GiB], GiB, rooms({ 0: 2.5 * GiB, 1: 3 * GiB }))).toEqual([GiB + 512, 3 * GiB]);
    // unknown room: never cut
    expect(fillCpuCells([one(0, 0)], [4 * GiB], GiB, rooms({ 0: null }))).toEqual([4 * GiB]);
  });

  it('splits a node\'s room evenly among its slices, the first keeping what the others leave', () => {
    expect(fillCpuCells([one(0, 0, 0, 2), one(1, 0, 1, 2)], [4 * GiB, 4 * GiB], GiB, rooms({ 0: 5 * GiB }))).toEqual([3 * GiB, 2 * GiB]);
    expect(fillCpuCells([one(0, 0, 0, 3), one(1, 0, 1, 3), one(2, 0, 2, 3)], [2 * GiB, 2 * GiB, 2 * GiB], GiB, rooms({ 0: 5 * GiB }))).toEqual([2 * GiB, GiB, GiB]);
    // room for all: every slice keeps its share
    expect(fillCpuCells([one(0, 0, 0, 2), one(1, 0, 1, 2)], [2 * GiB, 2 * GiB], GiB, rooms({ 0: 8 * GiB }))).toEqual([2 * GiB, 2 * GiB]);
  });

  it('cuts a cell over two nodes to equal parts the smaller node holds', () => {
    const spread: CellBacking = { cell: 0, nodes: [0, 1], slice: 0, slices: 1 };
    expect(fillCpuCells([spread], [6 * GiB], GiB, rooms({ 0: 2 * GiB, 1: 10 * GiB }))).toEqual([4 * GiB]);
    expect(fillCpuCells([spread], [6 * GiB], GiB, rooms({ 0: 10 * GiB, 1: 10 * GiB }))).toEqual([6 * GiB]);
    expect(fillCpuCells([spread], [6 * GiB], GiB, rooms({ 0: 2 * GiB, 1: null }))).toEqual([6 * GiB]);
    // odd KiB stay on the first node: 1 GiB + 512 KiB there and 1 GiB on the other fit 2 GiB each
    expect(fillCpuCells([spread], [6 * GiB + 512], GiB, rooms({ 0: 2 * GiB, 1: 10 * GiB }))).toEqual([2 * GiB + 512]);
    expect(fillCpuCells([spread], [3 * GiB + 512], GiB, rooms({ 0: 2 * GiB, 1: 10 * GiB }))).toEqual([2 * GiB + 512]);
  });
});

describe('memory poured over tiers', () => {
  it('fills each tier before the next, an unknown room taking the rest', () => {
    expect(placeOnTiers(5 * GiB, [3, 2], rooms({ 3: 3 * GiB, 2: 10 * GiB }), GiB)).toEqual({ ok: true, shares: [{ node: 3, kib: 3 * GiB }, { node: 2, kib: 2 * GiB }] });
    expect(placeOnTiers(5 * GiB, [3, 2], rooms({ 3: 3 * GiB + 512, 2: null }), GiB)).toEqual({ ok: true, shares: [{ node: 3, kib: 3 * GiB }, { node: 2, kib: 2 * GiB }] });
    expect(placeOnTiers(2 * GiB, [3, 2], rooms({ 3: 3 * GiB, 2: 10 * GiB }), GiB)).toEqual({ ok: true, shares: [{ node: 3, kib: 2 * GiB }] });
  });

  it('skips a full tier and says how much does not fit', () => {
    expect(placeOnTiers(2 * GiB, [3, 2], rooms({ 3: 0, 2: 10 * GiB }), GiB)).toEqual({ ok: true, shares: [{ node: 2, kib: 2 * GiB }] });
    expect(placeOnTiers(5 * GiB, [3, 2], rooms({ 3: GiB, 2: 2 * GiB }), GiB)).toEqual({ ok: false, shortKiB: 2 * GiB });
    expect(placeOnTiers(0, [3, 2], rooms({ 3: GiB }), GiB)).toEqual({ ok: true, shares: [] });
  });
});
