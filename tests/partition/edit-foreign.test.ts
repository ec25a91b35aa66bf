/**
 * Hand edits (src/core/partition/edit.ts, edit-cost.ts, edit-place.ts) of layouts that do not fit
 * the host they are edited on — written for another host, or read from a domain XML without
 * <numatune> — and on a host whose pastes give no memory sizes (the talk host's lscpu alone):
 * what cannot be known is not said, and what cannot be placed is refused in words.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout, LayoutResult } from '../../src/core/guest/model.ts';
import { edit } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const talk = talkHost();
const golden = solve(talk, TALK_REQUEST).layout;
const errors = (r: LayoutResult) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);

describe('a layout written for another host', () => {
  it('a vCPU pinned to a CPU this host lacks is not said to run anywhere; validate flags the pin', () => {
    const foreign: GuestLayout = { ...golden, pins: golden.pins.map((p) => (p.vcpu === 0 ? { vcpu: 0, cpus: [500] } : p)) };
    const r = edit(talk, foreign, { kind: 'move-memory', cell: 0, node: 1 }, NO_OCCUPANCY);
    expect(r.explanation).toEqual([
      'vCPU 1 now runs 21 away from its memory (node 0 → node 1)',
      'vCPU 2 now runs 21 away from its memory (node 0 → node 1)',
      'vCPU 3 now runs 21 away from its memory (node 0 → node 1)',
      'vCPUs away from their memory 0 → 3',
      'farthest from its memory 10 → 21',
      'distance cost 66 → 56',
      'a worse layout',
    ]);
    expect(errors(r)).toEqual(['vCPU 0 is pinned to host CPUs 500, which are not online CPUs of this host']);
  });

  it('a cell on a node this host lacks cannot be resized there', () => {
    const elsewhere: GuestLayout = { ...golden, cells: golden.cells.map((c) => (c.id === 3 ? { ...c, hostNodes: [5] } : c)) };
    const r = edit(talk, elsewhere, { kind: 'set-vcpus', vcpus: 8 }, NO_OCCUPANCY);
    expect(r.layout).toBe(elsewhere);
    expect(errors(r)).toEqual(['host node 5 has no 1 free cores of 2 threads for vCPUs 6,7']);
  });
});

describe('a cell without host nodes (no <memnode>)', () => {
  it('a vCPU moved into it is not said to run away from memory no node holds', () => {
    const loose: GuestLayout = { ...golden, cells: golden.cells.map((c) => (c.id === 3 ? { ...c, hostNodes: [], distances: [21, 21, 21, 10] } : c)) };
    const r = edit(talk, loose, { kind: 'swap-vcpus', a: 0, b: 12 }, NO_OCCUPANCY);
    expect(r.layout.cells.map((c) => c.vcpus)).toEqual([[1, 2, 3, 12], [4, 5, 6, 7], [8, 9, 10, 11], [0, 13, 14, 15]]);
    expect(r.explanation.filter((s) => s.includes('from its memory'))).toEqual([]);
  });
});

describe('a host without memory sizes (lscpu alone)', () => {
  it('moving memory says nothing of free memory it does not know', () => {
    const lscpuOnly = corpusHost('pasted/talk-e7-8895v2.lscpu.txt');
    expect(lscpuOnly.nodes.map((n) => n.memoryKiB ?? null)).toEqual([null, null, null, null]);
    const layout = solve(lscpuOnly, TALK_REQUEST).layout;
    expect(edit(lscpuOnly, layout, { kind: 'move-memory', cell: 0, node: 1 }, NO_OCCUPANCY).explanation).toEqual([
      ...[0, 1, 2, 3].map((v) => `vCPU ${v} now runs 20 away from its memory (node 0 → node 1)`),
      'vCPUs away from their memory 0 → 4',
      'farthest from its memory 10 → 20',
      'distance cost 60 → 51',
      'a worse layout',
    ]);
  });
});
