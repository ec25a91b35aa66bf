/**
 * The parts of a layout's score a person reads (src/core/partition/score-parts.ts): vCPUs away
 * from their memory and how far, cores split between cells; how layouts rank by them, and the
 * words an edit's score change is told in. On the talk host's worked example, a Kunpeng 920
 * (distances 12–24, so "how far" is measured to the nearest memory node) and an EPYC 7401
 * whose memory sits on 2 of its 8 nodes (a memoryless node's vCPUs are local at its home).
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout, LayoutScore } from '../../src/core/guest/model.ts';
import { compareScores, scoreChanges, scoreParts } from '../../src/core/partition/score-parts.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkExample1, talkExample2, talkHost } from '../support/golden.ts';

const talk = talkHost();
const kunpeng = corpusHost('pasted/numactl-H-kunpeng920-2s4n.txt');

/** A one-cell guest of `pins.length` vCPUs whose memory is on `memory`, vCPU v pinned to pins[v]. */
function oneCell(pins: number[][], memory: number[], threads = 1): GuestLayout {
  const vcpus = pins.map((_, v) => v);
  return {
    vcpus: pins.length,
    topology: { sockets: 1, dies: 1, clusters: 1, cores: pins.length / threads, threads },
    cells: [{ id: 0, vcpus, memoryKiB: 1 << 20, hostNodes: memory, memoryMode: 'strict', distances: [10] }],
    pins: pins.map((cpus, vcpu) => ({ vcpu, cpus })),
    emulatorpin: [],
    iothreadpins: [],
    memoryKiB: 1 << 20,
    devices: [],
  };
}

describe('vCPUs away from their memory', () => {
  it('finds none in the talk\'s worked examples', () => {
    expect(scoreParts(talkExample1(), talk)).toEqual({ remoteVcpus: 0, remoteDistance: 10, splitCores: 0 });
    expect(scoreParts(talkExample2(), talk)).toEqual({ remoteVcpus: 0, remoteDistance: 10, splitCores: 0 });
  });

  it('counts every vCPU floating over a node its memory is not on, at that distance', () => {
    const example = talkExample2();
    const elsewhere = { ...example, cells: example.cells.map((c) => ({ ...c, hostNodes: [0] })) };
    expect(scoreParts(elsewhere, talk)).toEqual({ remoteVcpus: 16, remoteDistance: 21, splitCores: 0 });
  });

  it('measures to the nearest node holding the memory, and a vCPU by its farthest CPU', () => {
    // memory on nodes 2 and 3; CPU 0 is node 0 (20 and 22 away), CPU 24 node 1 (22 and 24), CPU 48 node 2
    expect(scoreParts(oneCell([[0], [48]], [2, 3]), kunpeng)).toEqual({ remoteVcpus: 1, remoteDistance: 20, splitCores: 0 });
    expect(scoreParts(oneCell([[0], [24]], [2, 3]), kunpeng)).toEqual({ remoteVcpus: 2, remoteDistance: 22, splitCores: 0 });
    expect(scoreParts(oneCell([[48, 24], [72]], [2, 3]), kunpeng)).toEqual({ remoteVcpus: 1, remoteDistance: 22, splitCores: 0 });
  });

  it('takes a memoryless node\'s vCPUs as local where its memory comes from (its home)', () => {
    const epyc = corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt');
    // CPU 0 is on memoryless node 0, whose home is node 1; CPU 4 on node 2, whose home is node 5
    expect(scoreParts(oneCell([[0], [2]], [1]), epyc)).toEqual({ remoteVcpus: 0, remoteDistance: 10, splitCores: 0 });
    expect(scoreParts(oneCell([[0], [4]], [1]), epyc)).toEqual({ remoteVcpus: 1, remoteDistance: 20, splitCores: 0 });
  });

  it('judges no vCPU without a cell, without bound memory, or on a CPU the host does not have', () => {
    const noCells = { ...oneCell([[0]], [3]), cells: [] };
    expect(scoreParts(noCells, kunpeng)).toEqual({ remoteVcpus: 0, remoteDistance: 10, splitCores: 0 });
    expect(scoreParts(oneCell([[0], [72]], []), kunpeng)).toEqual({ remoteVcpus: 0, remoteDistance: 10, splitCores: 0 });
    expect(scoreParts(oneCell([[4096], [72]], [3]), kunpeng)).toEqual({ remoteVcpus: 0, remoteDistance: 10, splitCores: 0 });
  });
});

describe('cores split between cells', () => {
  it('counts a host core whose threads carry vCPUs of two cells', () => {
    // vCPU 0 (cell 0) moved onto CPU 16, which vCPU 4 (cell 1) holds: host core 16 carries both cells
    const example = talkExample1();
    const moved = { ...example, pins: example.pins.map((p) => (p.vcpu === 0 ? { vcpu: 0, cpus: [16] } : p)) };
    expect(scoreParts(moved, talk)).toEqual({ remoteVcpus: 1, remoteDistance: 21, splitCores: 1 });
    // onto CPU 76, the other thread of that core: the same split
    const sibling = { ...example, pins: example.pins.map((p) => (p.vcpu === 0 ? { vcpu: 0, cpus: [76] } : p)) };
    expect(scoreParts(sibling, talk)).toEqual({ remoteVcpus: 1, remoteDistance: 21, splitCores: 1 });
  });

  it('counts a guest core whose threads sit in two cells', () => {
    const example = talkExample1();
    // vCPUs 3 and 4 swap cells: guest cores 1 (vCPUs 2–3) and 2 (4–5) each span two cells
    const cells = example.cells.map((c) => ({ ...c, vcpus: c.vcpus.map((v) => (v === 3 ? 4 : v === 4 ? 3 : v)).sort((a, b) => a - b) }));
    const swapped = { ...example, cells };
    const parts = scoreParts(swapped, talk);
    expect(parts.splitCores).toBe(4);
    expect(scoreParts({ ...swapped, topology: { ...swapped.topology, cores: 4, threads: 1 } }, talk).splitCores).toBe(2);
  });

  it('does not count a core whose CPUs the host gives no core for (numactl -H alone), nor a vCPU without a cell', () => {
    // two cells, vCPUs 0 and 1 on CPUs 0 and 1 of a Kunpeng 920 read from numactl -H: no core ids
    const twoCells = { ...oneCell([[0], [1]], [0]), cells: [0, 1].map((id) => ({ id, vcpus: [id], memoryKiB: 1 << 19, hostNodes: [0], memoryMode: 'strict' as const, distances: [10, 11] })) };
    expect(scoreParts(twoCells, kunpeng).splitCores).toBe(0);
    // vCPU 1 in no cell shares host core 0/60 with vCPU 0
    const cellless = { ...oneCell([[0], [60]], [0]), cells: [{ id: 0, vcpus: [0], memoryKiB: 1 << 20, hostNodes: [0], memoryMode: 'strict' as const, distances: [10] }] };
    expect(scoreParts(cellless, talk)).toEqual({ remoteVcpus: 0, remoteDistance: 10, splitCores: 0 });
  });

  it('does not count a core under floating pins shared by two cells', () => {
    const example = talkExample2();
    const halves = { ...example, cells: [0, 1].map((id) => ({ ...example.cells[0], id, vcpus: example.cells[0].vcpus.filter((v) => (v < 8) === (id === 0)) })) };
    expect(scoreParts(halves, talk)).toEqual({ remoteVcpus: 0, remoteDistance: 10, splitCores: 0 });
  });

  it('does not count a core under a floating pin, or one cell over a core', () => {
    // two vCPUs of one cell on the two threads of a core, a third floating over the node
    expect(scoreParts(oneCell([[0], [60], [0, 1, 2]], [0]), talk)).toEqual({ remoteVcpus: 0, remoteDistance: 10, splitCores: 0 });
  });
});

describe('ranking and telling a change', () => {
  const base: LayoutScore = { nodes: 2, distanceCost: 66, smtShared: 0, remoteVcpus: 0, remoteDistance: 10, splitCores: 0, optimal: true, gap: 0 };

  it('ranks remote vCPUs first, then their distance, split cores, shared cores and distance cost last', () => {
    const worse = [
      { ...base, remoteVcpus: 1, distanceCost: 0 },
      { ...base, remoteDistance: 21, distanceCost: 0 },
      { ...base, splitCores: 1, distanceCost: 0 },
      { ...base, smtShared: 1, distanceCost: 0 },
      { ...base, distanceCost: 67 },
    ];
    for (const w of worse) {
      expect(compareScores(w, base)).toBeGreaterThan(0);
      expect(compareScores(base, w)).toBeLessThan(0);
    }
    for (let i = 0; i + 1 < worse.length; i++) expect(compareScores(worse[i], worse[i + 1]), `${i}`).toBeGreaterThan(0);
    expect(compareScores({ ...base, remoteVcpus: 2 }, { ...base, remoteVcpus: 1, remoteDistance: 32 })).toBeGreaterThan(0);
    expect(compareScores(base, { ...base, nodes: 4, optimal: false, gap: 3 })).toBe(0);
  });

  it('tells every part that changed, then whether the layout got better or worse', () => {
    // the talk host's trap: a vCPU moved into a bigger cell lowers the distance cost and splits a core
    expect(scoreChanges(base, { ...base, splitCores: 1, distanceCost: 65.3 })).toEqual(['cores split between cells 0 → 1', 'distance cost 66 → 65.3', 'a worse layout']);
    expect(scoreChanges({ ...base, remoteVcpus: 2, remoteDistance: 21, smtShared: 1 }, base)).toEqual([
      'vCPUs away from their memory 2 → 0',
      'farthest from its memory 21 → 10',
      'cores shared with other guests 1 → 0',
      'a better layout',
    ]);
  });

  it('says nothing when nothing it ranks by changed', () => {
    expect(scoreChanges(base, { ...base })).toEqual([]);
    expect(scoreChanges(base, { ...base, nodes: 3, gap: 1 })).toEqual([]);
  });
});
