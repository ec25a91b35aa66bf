/**
 * Where a hand edit puts vCPUs on a node (src/core/partition/edit-place.ts), on the talk host
 * (15 cores of CPU c and c + 60 per node): whole free cores past the node's first core (kept for
 * the host), the first core when nothing else is free, loose free threads when no core is whole,
 * a floating cell over every CPU of the node, an unpinned cell not pinned, and a refusal in words.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { edit } from '../../src/core/partition/index.ts';
import { freeGroupOnNode, occupancyWithSelf, pinStyle, placeVcpus, SELF } from '../../src/core/partition/edit-place.ts';
import { NO_OCCUPANCY, type Occupancy } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();
const golden = solve(talk, TALK_REQUEST).layout;
const floating = solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float' }).layout;
const node2 = talk.nodes[2].cpus;
const pinned = (cpus: number[]): Occupancy => ({ guests: [{ name: 'batch', pinnedCpus: cpus, floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }] });
const cell0Pins = (layout: GuestLayout) => layout.pins.filter((p) => layout.cells[0].vcpus.includes(p.vcpu)).map((p) => p.cpus);

describe('a cell moved to another node', () => {
  it('takes whole cores past the node\'s first (kept for the host) and past this guest\'s own', () => {
    // cell 2 already holds cores 31 and 32 of node 2
    const r = edit(talk, golden, { kind: 'move-cell', cell: 0, node: 2 }, NO_OCCUPANCY);
    expect(cell0Pins(r.layout)).toEqual([[33], [93], [34], [94]]);
  });

  it('takes the first core when the others are taken', () => {
    // cores 34-44 of node 2 held by another guest, 31 and 32 by cell 2: 33 and the first core are left
    const r = edit(talk, golden, { kind: 'move-cell', cell: 0, node: 2 }, pinned(node2.filter((c) => c % 60 >= 34)));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(cell0Pins(r.layout)).toEqual([[30], [90], [33], [93]]);
  });

  it('pairs loose free threads when no core is whole', () => {
    // one thread of every core of node 2 held (and 91, 92 by cell 2): the first core's 90 is kept for the host
    const r = edit(talk, golden, { kind: 'move-cell', cell: 0, node: 2 }, pinned(node2.filter((c) => c < 60)));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(cell0Pins(r.layout)).toEqual([[93], [94], [95], [96]]);
  });

  it('is refused in words when the node has no room for its guest cores', () => {
    const r = edit(talk, golden, { kind: 'move-cell', cell: 0, node: 2 }, pinned(node2.filter((c) => c !== 33)));
    expect(r.layout).toBe(golden);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['host node 2 has no 2 free cores of 2 threads for vCPUs 0,1,2,3']);
  });

  it('floats over every CPU of the new node when the guest floats', () => {
    const r = edit(talk, floating, { kind: 'move-cell', cell: 0, node: 2 }, NO_OCCUPANCY);
    expect(new Set(r.layout.pins.map((p) => p.cpus.join(',')))).toEqual(new Set([[...node2].sort((a, b) => a - b).join(',')]));
  });

  it('stays unpinned when the guest pins nothing', () => {
    const unpinned = { ...golden, pins: [] };
    const r = edit(talk, unpinned, { kind: 'move-cell', cell: 0, node: 2 }, NO_OCCUPANCY);
    expect(r.layout.pins).toEqual([]);
    expect(r.layout.cells[0].hostNodes).toEqual([2]);
  });
});

describe('the parts', () => {
  it('tells how a layout pins', () => {
    expect(pinStyle(golden)).toBe('1:1');
    expect(pinStyle(floating)).toBe('float');
    expect(pinStyle({ ...golden, pins: [] })).toBe('none');
    // one floating vCPU among pinned ones makes the guest a floating one
    expect(pinStyle({ ...golden, pins: [...golden.pins.slice(1), { vcpu: 0, cpus: [1, 2] }] })).toBe('float');
  });

  it('counts this guest\'s other one-to-one pins as held, never the vCPUs being placed or its floating ones', () => {
    const pins = [{ vcpu: 0, cpus: [1] }, { vcpu: 1, cpus: [61] }, { vcpu: 2, cpus: [2, 62] }];
    const occ = occupancyWithSelf(pinned([5]), pins, new Set([1]));
    expect(occ.guests).toEqual([pinned([5]).guests[0], { name: SELF, pinnedCpus: [1], floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }]);
  });

  it('spreads guest cores evenly over several nodes, and places nothing for no vCPUs', () => {
    const r = placeVcpus(talk, [0, 1, 2, 3, 4, 5], [1, 2], 2, '1:1', NO_OCCUPANCY);
    expect(r).toEqual({ ok: true, pins: [[0, 16], [1, 76], [2, 17], [3, 77], [4, 31], [5, 91]].map(([vcpu, c]) => ({ vcpu, cpus: [c] })) });
    expect(placeVcpus(talk, [], [1], 2, '1:1', NO_OCCUPANCY)).toEqual({ ok: true, pins: [] });
    expect(placeVcpus(talk, [0, 1], [1], 2, 'none', NO_OCCUPANCY)).toEqual({ ok: true, pins: [] });
  });

  it('finds one free group on a node for a unit, or none', () => {
    expect(freeGroupOnNode(talk, 2, NO_OCCUPANCY, 2)).toEqual([31, 91]);
    expect(freeGroupOnNode(talk, 2, NO_OCCUPANCY, 1)).toEqual([31]);
    expect(freeGroupOnNode(talk, 2, pinned([...node2]), 1)).toBeUndefined();
  });
});
