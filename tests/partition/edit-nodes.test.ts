/**
 * vCPUs dragged onto host nodes and threads (src/core/partition/edit.ts): a floating vCPU floats
 * over a node even where another guest pins a CPU, a node without CPUs is refused for it, and a
 * vCPU pinned onto a node of an interleaved cell joins that cell — on the talk host and the
 * heterogeneous-memory dump (HBM nodes 4-7).
 */
import { describe, expect, it } from 'vitest';
import { edit } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();
const GiB = 1 << 20;
const errors = (r: { diagnostics: { severity: string; message: string }[] }) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);

describe('a floating vCPU', () => {
  it('floats over every CPU of the node, CPU 30 that another guest pins included', () => {
    const floating = solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float' }).layout;
    const batch = { guests: [{ name: 'batch', pinnedCpus: [30], floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }] };
    const r = edit(talk, floating, { kind: 'pin-vcpu', vcpu: 3, target: { node: 2 } }, batch);
    expect(errors(r)).toEqual([]);
    expect(r.layout.pins[3]).toEqual({ vcpu: 3, cpus: [...talk.nodes[2].cpus].sort((a, b) => a - b) });
  });

  it('is refused on a node without CPUs', () => {
    const heteromem = corpusHost('hwloc-xml-v3/64intel64-heteromem.xml');
    const floating = solve(heteromem, { ...TALK_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float', vcpus: 4, memoryKiB: GiB }).layout;
    const r = edit(heteromem, floating, { kind: 'pin-vcpu', vcpu: 0, target: { node: 4 } }, NO_OCCUPANCY);
    expect(r.layout).toBe(floating);
    expect(errors(r)).toEqual(['host node 4 has no online CPUs']);
  });
});

describe('a pinned vCPU', () => {
  it('onto a CPU of a node its cell does not use joins the cell interleaved over that node, and the vCPU it displaces goes home', () => {
    // two cells interleaved over nodes 0-1 and 2-3; CPU 46 (node 3) is vCPU 12's
    const halves = edit(talk, solve(talk, TALK_REQUEST).layout, { kind: 'set-cells', cells: 2 }, NO_OCCUPANCY).layout;
    const r = edit(talk, halves, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 46 } }, NO_OCCUPANCY);
    expect(errors(r)).toEqual([]);
    expect([r.layout.pins[0], r.layout.pins[12]]).toEqual([{ vcpu: 0, cpus: [46] }, { vcpu: 12, cpus: [1] }]);
    expect(r.layout.cells.map((c) => c.vcpus)).toEqual([[1, 2, 3, 4, 5, 6, 7, 12], [0, 8, 9, 10, 11, 13, 14, 15]]);
  });

  it('dragged as a pair onto a CPU the host does not have is refused', () => {
    const golden = solve(talk, TALK_REQUEST).layout;
    const r = edit(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 500 }, pair: true }, NO_OCCUPANCY);
    expect(r.layout).toBe(golden);
    expect(errors(r)).toEqual(['host CPU 500 is not an online CPU of this host']);
  });
});
