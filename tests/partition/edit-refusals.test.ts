/**
 * Hand edits (src/core/partition/edit.ts) at their edges: every refusal in the words the user
 * reads, the layout left as it was; and the less travelled paths that succeed — a pin onto a
 * whole core or node, a pin onto a CPU this guest already holds (a swap, never a share), a whole
 * core moved onto a core with a thread offline, memory moved off a node with none.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import type { Host } from '../../src/core/host/model.ts';
import { edit, type EditOp } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY, type Occupancy } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();
const golden = solve(talk, TALK_REQUEST).layout;
const floating = solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float' }).layout;
/** A guest pinned one-to-one on every CPU of node 2. */
const node2Taken: Occupancy = { guests: [{ name: 'batch', pinnedCpus: [...talk.nodes[2].cpus], floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }] };

function refused(host: Host, layout: GuestLayout, op: EditOp, occupancy: Occupancy = NO_OCCUPANCY): string[] {
  const r = edit(host, layout, op, occupancy);
  expect(r.layout).toBe(layout);
  return r.diagnostics.map((d) => `${d.severity}: ${d.message}`);
}

function applied(host: Host, layout: GuestLayout, op: EditOp, occupancy: Occupancy = NO_OCCUPANCY): GuestLayout {
  const r = edit(host, layout, op, occupancy);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.layout).not.toBe(layout);
  return r.layout;
}

const pinOf = (layout: GuestLayout, vcpu: number) => layout.pins.find((p) => p.vcpu === vcpu)?.cpus;
const cellOf = (layout: GuestLayout, vcpu: number) => layout.cells.find((c) => c.vcpus.includes(vcpu))?.id;

describe('refused', () => {
  it('a vCPU or a pair of vCPUs the guest does not have', () => {
    expect(refused(talk, golden, { kind: 'pin-vcpu', vcpu: 16, target: { thread: 1 } })).toEqual(['error: vCPU 16 does not exist (the guest has 16)']);
    expect(refused(talk, golden, { kind: 'pin-vcpu', vcpu: -1, target: { thread: 1 } })).toEqual(['error: vCPU -1 does not exist (the guest has 16)']);
    expect(refused(talk, golden, { kind: 'pin-vcpu', vcpu: 0.5, target: { thread: 1 } })).toEqual(['error: vCPU 0.5 does not exist (the guest has 16)']);
    expect(refused(talk, golden, { kind: 'swap-vcpus', a: 0, b: 16 })).toEqual(['error: vCPUs 0 and 16 must both exist (the guest has 16)']);
    expect(refused(talk, golden, { kind: 'swap-vcpus', a: -1, b: 3 })).toEqual(['error: vCPUs -1 and 3 must both exist (the guest has 16)']);
  });

  it('a pin onto a host node, core or CPU the host does not have, or has offline', () => {
    expect(refused(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { node: 9 } })).toEqual(['error: host node 9 does not exist']);
    expect(refused(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { core: 999 } })).toEqual(['error: host core 999 does not exist or is offline']);
    expect(refused(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 500 } })).toEqual(['error: host CPU 500 is not an online CPU of this host']);
    const offline: Host = { ...talk, cpus: talk.cpus.map((c) => (c.id === 20 ? { ...c, online: false } : c)) };
    expect(refused(offline, golden, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 20 } })).toEqual(['error: host CPU 20 is not an online CPU of this host']);
  });

  it('a pin onto a node with no core free, or onto a CPU another guest holds', () => {
    expect(refused(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { node: 2 } }, node2Taken)).toEqual(['error: host node 2 has no free core for vCPU 0']);
    expect(refused(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { node: 2 }, pair: true }, node2Taken)).toEqual(['error: host node 2 has no free core for vCPU 0,1']);
    expect(refused(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 31 } }, node2Taken)).toEqual(['error: host CPU 31 is pinned to guest batch']);
  });

  it('a guest core moved onto a host core with one thread left online', () => {
    const halfCore: Host = { ...talk, cpus: talk.cpus.map((c) => (c.id === 61 ? { ...c, online: false } : c)) };
    expect(refused(halfCore, golden, { kind: 'pin-vcpu', vcpu: 4, target: { thread: 1 }, pair: true })).toEqual(['error: host core of CPU 1 has 1 threads for 2 vCPUs']);
  });

  it('a cell or host node that does not exist, a CPU-less node for a cell with vCPUs, a node without memory', () => {
    expect(refused(talk, golden, { kind: 'move-cell', cell: 4, node: 1 })).toEqual(['error: cell 4 does not exist']);
    expect(refused(talk, golden, { kind: 'move-cell', cell: 0, node: 4 })).toEqual(['error: host node 4 does not exist']);
    expect(refused(talk, golden, { kind: 'move-memory', cell: 4, node: 1 })).toEqual(['error: cell 4 does not exist']);
    expect(refused(talk, golden, { kind: 'move-memory', cell: 0, node: 4 })).toEqual(['error: host node 4 does not exist']);
    expect(refused(talk, golden, { kind: 'move-memory', cell: 0, node: 1, kib: 0 })).toEqual(['error: 0 KiB is not an amount of memory to move']);
    expect(refused(talk, golden, { kind: 'move-memory', cell: 0, node: 1, kib: 1.5 })).toEqual(['error: 1.5 KiB is not an amount of memory to move']);
    const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
    const onKnl = solve(knl, { ...TALK_REQUEST, vcpus: 8, memoryKiB: 512 << 10, nodeset: '0' }).layout;
    expect(refused(knl, onKnl, { kind: 'move-cell', cell: 0, node: 4 })).toEqual(["error: host node 4 has no CPUs for cell 0's vCPUs; move only its memory there"]);
    const epyc = corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt');
    const onEpyc = solve(epyc, { ...TALK_REQUEST, vcpus: 4, memoryKiB: 4 << 20, nodeset: '1' }).layout;
    expect(refused(epyc, onEpyc, { kind: 'move-memory', cell: 0, node: 0 })).toEqual(['error: host node 0 has no memory']);
  });
});

describe('applied', () => {
  it('a pin onto a whole host core takes its first thread nobody holds, else one this guest holds', () => {
    const coreOf = (cpu: number) => talk.cpus.find((c) => c.id === cpu)!.core!;
    const db: Occupancy = { guests: [{ name: 'db', pinnedCpus: [16, 20], floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }] };
    expect(pinOf(applied(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { core: coreOf(20) } }, db), 0)).toEqual([80]);
    expect(pinOf(applied(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { core: coreOf(21) } }, db), 0)).toEqual([21]);
    // core 16/76: 16 is db's, 76 is this guest's vCPU 5, which takes vCPU 0's CPU 1 in exchange
    const swapped = applied(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { core: coreOf(16) } }, db);
    expect([pinOf(swapped, 0), pinOf(swapped, 5)]).toEqual([[76], [1]]);
  });

  it('a pin onto a CPU another vCPU of this guest holds swaps the two, never shares', () => {
    // vCPU 4 holds CPU 16
    const r = applied(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 16 } });
    expect([pinOf(r, 0), pinOf(r, 4)]).toEqual([[16], [1]]);
    expect([cellOf(r, 0), cellOf(r, 4)]).toEqual([1, 0]);
  });

  it('a pair pinned onto a thread lands its first vCPU there and the second on the core\'s other thread', () => {
    const r = applied(talk, golden, { kind: 'pin-vcpu', vcpu: 1, target: { thread: 93 }, pair: true });
    expect([pinOf(r, 0), pinOf(r, 1)]).toEqual([[93], [33]]);
    expect([cellOf(r, 0), cellOf(r, 1)]).toEqual([2, 2]);
  });

  it('a floating guest pinned onto a node floats over all of that node\'s online CPUs', () => {
    const r = applied(talk, floating, { kind: 'pin-vcpu', vcpu: 3, target: { node: 2 } });
    expect(pinOf(r, 3)).toEqual([...talk.nodes[2].cpus]);
  });

  it('a one-to-one vCPU pinned onto a node takes a free core there', () => {
    const r = applied(talk, golden, { kind: 'pin-vcpu', vcpu: 0, target: { node: 2 } });
    expect(r.pins.filter((p) => p.vcpu === 0).flatMap((p) => p.cpus).every((c) => talk.nodes[2].cpus.includes(c))).toBe(true);
    expect(cellOf(r, 0)).toBe(2);
  });

  it('a swap inside one cell swaps the pins only', () => {
    const r = applied(talk, golden, { kind: 'swap-vcpus', a: 0, b: 3 });
    expect([pinOf(r, 0), pinOf(r, 3)]).toEqual([pinOf(golden, 3), pinOf(golden, 0)]);
    expect(r.cells).toEqual(golden.cells);
  });

  it('an interleaved cell moved, or its memory moved whole, is bound strictly to the one node', () => {
    const spread = applied(talk, golden, { kind: 'move-memory', cell: 0, node: 1, kib: 1 << 20 });
    expect(spread.cells[0]).toMatchObject({ hostNodes: [0, 1], memoryMode: 'interleave' });
    expect(applied(talk, spread, { kind: 'move-memory', cell: 0, node: 2 }).cells[0]).toMatchObject({ hostNodes: [2], memoryMode: 'strict' });
    expect(applied(talk, spread, { kind: 'move-cell', cell: 0, node: 2 }).cells[0]).toMatchObject({ hostNodes: [2], memoryMode: 'strict' });
    // a single-node cell keeps the mode it had
    const restrictive = { ...golden, cells: golden.cells.map((c) => ({ ...c, memoryMode: 'restrictive' as const })) };
    expect(applied(talk, restrictive, { kind: 'move-memory', cell: 1, node: 2 }).cells[1]).toMatchObject({ hostNodes: [2], memoryMode: 'restrictive' });
    expect(applied(talk, restrictive, { kind: 'move-cell', cell: 1, node: 2 }).cells[1]).toMatchObject({ hostNodes: [2], memoryMode: 'restrictive' });
  });

  it('memory set on a guest without cells is the guest\'s memory', () => {
    const flat = { ...golden, cells: [] };
    expect(applied(talk, flat, { kind: 'set-memory', memoryKiB: 8 << 20 }).memoryKiB).toBe(8 << 20);
  });
});
