/**
 * Conflict detection over many pastes is one pass, not every pair: the node-id check is
 * compared here with the pairwise rule it replaced (every pair of pastes, each counting only the
 * nodes the other could name) over generated pastes, and 1,600 pastes of one host must not
 * cost 1,600² comparisons.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { findConflicts } from '../../src/core/host/conflicts.ts';
import { emptyFacts, type HostFacts } from '../../src/core/host/facts.ts';
import { HANG_MS, survive } from './survive.ts';

/** A paste naming nodes: through a node list (numactl -H), or only through its CPUs (lscpu -p). */
type Paste = { table: boolean; nodes: { id: number; cpus: number[] }[] };

function factsOf(p: Paste, k: number): HostFacts {
  const f = emptyFacts(p.table ? 'lscpu-p' : 'numactl', `paste ${k}`);
  if (p.table) for (const n of p.nodes) for (const id of n.cpus) f.cpus.push({ id, node: n.id });
  else f.nodes = p.nodes.map((n) => ({ id: n.id, cpus: n.cpus }));
  return f;
}

/**
 * The rule as it was written pair by pair, for comparison; a conflict is reported only when
 * the node lists the pastes claim differ too.
 */
function pairwiseDisagree(pastes: readonly Paste[]): boolean {
  const listing = pastes
    .map((p) => ({ table: p.table, nodes: p.nodes.filter((n) => !p.table || n.cpus.length > 0) }))
    .filter((l) => l.nodes.length > 0);
  const visible = (own: (typeof listing)[number], other: (typeof listing)[number]) =>
    formatIdList(own.nodes.filter((n) => !other.table || n.cpus.length > 0).map((n) => n.id));
  const claimed = new Set(listing.map((l) => formatIdList(l.nodes.map((n) => n.id))));
  return claimed.size > 1 && listing.some((a, i) => listing.slice(i + 1).some((b) => visible(a, b) !== visible(b, a)));
}

const paste: fc.Arbitrary<Paste> = fc.record({
  table: fc.boolean(),
  nodes: fc.uniqueArray(fc.record({ id: fc.integer({ min: 0, max: 4 }), cpus: fc.constantFrom([], [0], [1, 2]) }), { selector: (n) => n.id, maxLength: 4 }),
});

describe('node ids that pastes disagree on', () => {
  it('are found exactly as the pairwise rule finds them', () => {
    fc.assert(
      fc.property(fc.array(paste, { minLength: 2, maxLength: 5 }), (pastes) => {
        const facts = pastes.map(factsOf);
        // CPU ids are made unique per paste, so only node ids and CPU counts can disagree.
        const found = findConflicts(facts, (f) => f).some((c) => c.subject === 'NUMA node ids');
        expect(found).toBe(pairwiseDisagree(pastes));
      }),
      { numRuns: 500 },
    );
  });

  it('are checked over 1,600 pastes of one host, with one differing, in one pass', { timeout: HANG_MS }, () => {
    const host: Paste = { table: false, nodes: [0, 1, 2, 3].map((id) => ({ id, cpus: [id * 2, id * 2 + 1] })) };
    const pastes = Array.from({ length: 1600 }, (_, k) => (k === 1000 ? { ...host, nodes: host.nodes.slice(0, 3) } : host));
    const conflicts = survive(() => findConflicts(pastes.map(factsOf), (f) => f));
    expect(conflicts.map((c) => c.subject)).toEqual(['NUMA node ids']);
    expect(conflicts[0].claims).toHaveLength(1600);
  });

  it('memory of one node differing in one of 1,600 pastes is one conflict', { timeout: HANG_MS }, () => {
    const facts = Array.from({ length: 1600 }, (_, k) => {
      const f = factsOf({ table: false, nodes: [{ id: 0, cpus: [0, 1] }] }, k);
      f.nodes[0].memoryKiB = k === 7 ? 64 * 2 ** 20 : 128 * 2 ** 20;
      return f;
    });
    const conflicts = survive(() => findConflicts(facts, (f) => f));
    expect(conflicts.map((c) => c.subject)).toEqual(['memory of node 0']);
  });
});
