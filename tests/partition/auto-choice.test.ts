/**
 * Mode auto's choice told in full (src/core/partition/search-auto.ts through solve): which nodes,
 * the cells cut for them, and the sentence that says why — inside one package when one holds the
 * guest, across packages (or groups of nearest nodes) when none does, a memoryless node's cell
 * bound at its home. The sweeps of auto.test.ts check the same rules over every guest size; these
 * pin the exact answer for guests a person would try first.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/index.ts';
import { DEFAULT_REQUEST, type PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost } from '../support/golden.ts';

const GiB = 1 << 20;

function auto(host: Host, vcpus: number, memoryGiB: number, extra: Partial<PartitionRequest> = {}) {
  const r = solve(host, { ...DEFAULT_REQUEST, vcpus, memoryKiB: memoryGiB * GiB, devices: [], ...extra });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return {
    cells: r.layout.cells.map((c) => ({ nodes: c.hostNodes, vcpus: c.vcpus.length, memoryKiB: c.memoryKiB })),
    topology: r.layout.topology,
    // the step count is the search's business, not the sentence's meaning
    why: r.explanation[0].replace(/\d+ steps/, 'N steps'),
  };
}

describe('the talk host (4 sockets, one node each, 21 between them)', () => {
  const talk = talkHost();

  it('puts 16 vCPUs in one node, on the node with the most free memory', () => {
    expect(auto(talk, 16, 32)).toEqual({
      cells: [{ nodes: [3], vcpus: 16, memoryKiB: 32 * GiB }],
      topology: { sockets: 1, dies: 1, clusters: 1, cores: 8, threads: 2 },
      why: 'node 3: the fewest nodes (1) that hold the guest inside package 3, one cell per node, lowest distance cost among 4 eligible nodes (exact search, N steps)',
    });
  });

  it('spreads 40 vCPUs over the two nodes with the most free memory, saying no package holds it alone', () => {
    expect(auto(talk, 40, 64)).toEqual({
      cells: [
        { nodes: [0], vcpus: 20, memoryKiB: 32 * GiB },
        { nodes: [3], vcpus: 20, memoryKiB: 32 * GiB },
      ],
      topology: { sockets: 2, dies: 1, clusters: 1, cores: 10, threads: 2 },
      why: 'nodes 0,3: the fewest nodes (2) that hold the guest, across packages since none of them holds it alone, one cell per node, lowest distance cost among 4 eligible nodes (exact search, N steps)',
    });
  });

  it('gives an odd guest single-thread cores rather than split one', () => {
    expect(auto(talk, 21, 16).topology).toEqual({ sockets: 1, dies: 1, clusters: 1, cores: 21, threads: 1 });
  });
});

describe('a Kunpeng 920 from numactl -H (no packages: groups of nearest nodes)', () => {
  const kunpeng = corpusHost('pasted/numactl-H-kunpeng920-2s4n.txt');

  it('keeps 30 vCPUs inside one socket\'s pair of nodes', () => {
    expect(auto(kunpeng, 30, 64)).toEqual({
      cells: [
        { nodes: [2], vcpus: 15, memoryKiB: 32 * GiB },
        { nodes: [3], vcpus: 15, memoryKiB: 32 * GiB },
      ],
      topology: { sockets: 2, dies: 1, clusters: 1, cores: 15, threads: 1 },
      why: 'nodes 2-3: the fewest nodes (2) that hold the guest inside nodes 2-3, one cell per node, lowest distance cost among 4 eligible nodes (exact search, N steps)',
    });
  });

  it('crosses sockets for 60 vCPUs, memory in proportion with the remainder on cell 0', () => {
    const r = auto(kunpeng, 60, 8);
    expect(r.cells).toEqual([
      { nodes: [0], vcpus: 20, memoryKiB: 2797568 },
      { nodes: [2], vcpus: 20, memoryKiB: 2795520 },
      { nodes: [3], vcpus: 20, memoryKiB: 2795520 },
    ]);
    expect(r.why).toBe('nodes 0,2-3: the fewest nodes (3) that hold the guest, across groups of nearest nodes since none of them holds it alone, one cell per node, lowest distance cost among 4 eligible nodes (exact search, N steps)');
  });
});

describe('EPYC hosts', () => {
  it('binds the cell of a memoryless node at its home, sharing that node\'s room (EPYC 7401, memory on nodes 1 and 5)', () => {
    const r = auto(corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt'), 30, 16);
    expect(r.cells.map((c) => [c.nodes, c.vcpus])).toEqual([[[1], 10], [[1], 10], [[5], 10]]);
    expect(r.cells.reduce((s, c) => s + c.memoryKiB, 0)).toBe(16 * GiB);
    expect(r.why).toBe('nodes 0-1,5: the fewest nodes (3) that hold the guest, one cell per node, lowest distance cost among 8 eligible nodes (exact search, N steps)');
  });

  it('fills one package of an EPYC 7451 (lscpu) before the other', () => {
    const epyc = corpusHost('util-linux-lscpu/lscpu-x86_64-epyc_7451');
    const r = auto(epyc, 40, 8);
    expect(r.cells).toEqual([0, 1, 2, 3].map((n) => ({ nodes: [n], vcpus: 10, memoryKiB: 2 * GiB })));
    expect(r.why).toBe('nodes 0-3: the fewest nodes (4) that hold the guest inside package 0, one cell per node, lowest distance cost among 8 eligible nodes (exact search, N steps)');
    // round-robin hands out one vCPU per core: 6 need two of its 5-core nodes
    const rr = auto(epyc, 6, 4, { distribution: 'round-robin' });
    expect(rr.cells).toEqual([0, 1].map((n) => ({ nodes: [n], vcpus: 3, memoryKiB: 2 * GiB })));
    expect(rr.why).toBe('nodes 0-1: the fewest nodes (2) that hold the guest inside package 0, one cell per node, lowest distance cost among 8 eligible nodes (exact search, N steps)');
  });
});
