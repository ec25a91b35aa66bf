/**
 * A guest core (a vCPU and its SMT sibling) dragged onto a host node (src/core/partition/edit.ts,
 * edit-place.ts) on the talk host, 15 cores of CPU c and c + 60 per node: it takes one whole free
 * core past the node's first (kept for the host), two loose free threads when no core is whole,
 * and a node without CPUs (an HBM node of the heterogeneous-memory dump) is refused in words.
 */
import { describe, expect, it } from 'vitest';
import { edit } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY, type Occupancy } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();
const golden = solve(talk, TALK_REQUEST).layout;
const node2 = talk.nodes[2].cpus;
const pinned = (cpus: number[]): Occupancy => ({ guests: [{ name: 'batch', pinnedCpus: cpus, floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }] });
const pair = { kind: 'pin-vcpu', vcpu: 0, target: { node: 2 }, pair: true } as const;

describe('a guest core dragged onto a node', () => {
  it('takes the one whole free core past the first, not the first core kept for the host', () => {
    // cores 34-44 of node 2 held by another guest, 31 and 32 by cell 2: 33 is the only whole core left past 30
    const r = edit(talk, golden, pair, pinned(node2.filter((c) => c % 60 >= 34)));
    expect(r.layout.pins.slice(0, 2)).toEqual([{ vcpu: 0, cpus: [33] }, { vcpu: 1, cpus: [93] }]);
    expect(r.layout.cells.map((c) => c.vcpus)).toEqual([[2, 3], [4, 5, 6, 7], [0, 1, 8, 9, 10, 11], [12, 13, 14, 15]]);
    expect(r.explanation).toEqual([
      'vCPU 0 moves from cell 0 to cell 2 (node 0 → node 2, distance 21)',
      'vCPU 1 moves from cell 0 to cell 2 (node 0 → node 2, distance 21)',
      'distance cost 66 → 63.25',
      'a better layout',
    ]);
  });

  it('pairs two loose free threads when no core of the node is whole', () => {
    // one thread of every core of node 2 held by another guest, 91 and 92 by cell 2
    const r = edit(talk, golden, pair, pinned(node2.filter((c) => c < 60)));
    expect(r.layout.pins.slice(0, 2)).toEqual([{ vcpu: 0, cpus: [93] }, { vcpu: 1, cpus: [94] }]);
    expect(r.explanation).toEqual([
      'vCPU 0 moves from cell 0 to cell 2 (node 0 → node 2, distance 21)',
      'vCPU 1 moves from cell 0 to cell 2 (node 0 → node 2, distance 21)',
      'vCPU 0 shares core 33/93 with guest batch',
      'vCPU 1 shares core 34/94 with guest batch',
      'cores shared with other guests 2 → 3',
      'distance cost 66 → 63.25',
      'a worse layout',
    ]);
  });

  it('is refused on a node without CPUs', () => {
    const heteromem = corpusHost('hwloc-xml-v3/64intel64-heteromem.xml');
    const layout = solve(heteromem, { ...TALK_REQUEST, vcpus: 4, memoryKiB: 4 << 20 }).layout;
    const r = edit(heteromem, layout, { kind: 'pin-vcpu', vcpu: 0, target: { node: 4 } }, NO_OCCUPANCY);
    expect(r.layout).toBe(layout);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['host node 4 has no free core for vCPU 0']);
  });
});
