/**
 * Issue 18's hostile pastes through ingest(), each with what it must come back with: one
 * diagnostic for the class of problem (not one per repeat, not a stack trace, not "internal
 * error"), and no hang or heap blow-up on the way.
 */
import { describe, expect, it } from 'vitest';
import { MAX_DIAGNOSTICS_PER_SOURCE } from '../../src/core/diagnostics.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { HOSTILE } from './fixtures.ts';
import { expectNoInternalError, HANG_MS, survive } from './survive.ts';

const byName = new Map(HOSTILE.map((c) => [c.name, c]));
const read = (name: string) => survive(() => ingest([{ name, text: byName.get(name)!.text() }]));
const messages = (r: ReturnType<typeof ingest>) => r.host.diagnostics.map((d) => d.message);

describe('every hostile class comes back as diagnostics', () => {
  for (const c of HOSTILE) {
    it(`${c.name}: ${c.what}`, { timeout: HANG_MS }, () => {
      const r = read(c.name);
      expectNoInternalError(r.host.diagnostics);
      expect(r.host.diagnostics.length).toBeLessThanOrEqual(3 * (MAX_DIAGNOSTICS_PER_SOURCE + 1));
    });
  }
});

describe('what each class says', () => {
  it('reads a 200,000-CPU node list without spreading it onto the stack', { timeout: HANG_MS }, () => {
    expect(read('lscpu-node-200k').host.nodes[0].cpus).toHaveLength(200_000);
    expect(read('numactl-cpus-200k').host.cpus).toHaveLength(200_000);
  });

  it('refuses a list past 2^20 ids as one diagnostic for the list', { timeout: HANG_MS }, () => {
    const r = read('lscpu-id-past-limit');
    expect(messages(r).filter((m) => /4294967295/.test(m))).toEqual([expect.stringMatching(/^NUMA node0 CPU\(s\): id 4294967295 in '0-4294967295' is past 1048575, more than any host has; ignored$/)]);
    expect(r.host.nodes.find((n) => n.id === 0)).toBeUndefined();
  });

  it('expands 1,000 × 0-1048575 once, merged, not a billion times', { timeout: HANG_MS }, () => {
    const r = read('lscpu-list-bomb');
    // lscpu says 120 CPUs: the rest of node 0's list is reported as not present, in one warning.
    expect(r.host.cpus).toHaveLength(120);
    expect(messages(r).filter((m) => /not present/.test(m))).toHaveLength(1);
  });

  it('reads the same output pasted 1,600 times once, and says so once', { timeout: HANG_MS }, () => {
    const r = read('numactl-repeat-1600');
    expect(r.facts).toHaveLength(1);
    expect(messages(r)).toEqual([expect.stringMatching(/^1599 parts repeat an earlier part word for word \(lines 21–40, lines 41–60, lines 61–80 and 1596 more\)/)]);
    expect(r.host.nodes.map((n) => n.cpus.length)).toEqual([30, 30, 30, 30]);
  });

  it('one repeated unrecognised line is two diagnostics, not 200,000', { timeout: HANG_MS }, () => {
    const r = read('prompt-repeat-200k');
    expect(r.host.diagnostics.length).toBeLessThanOrEqual(3);
    expect(messages(r)).toContainEqual(expect.stringMatching(/^199998 parts repeat/));
  });

  it('compares 1,600 differing pastes of one host without a conflict per pair', { timeout: HANG_MS }, () => {
    const r = read('numactl-varied-1600');
    expect(r.facts).toHaveLength(1600);
    // Free memory is not a fact pastes can disagree on (it changes by the second): no conflict.
    expect(r.host.conflicts).toEqual([]);
    expect(r.host.nodes).toHaveLength(4);
  });

  it('holds node ids to what Linux supports, in one diagnostic', { timeout: HANG_MS }, () => {
    const r = read('numactl-node-ids-100k');
    expect(r.host.nodes).toHaveLength(1024);
    expect(messages(r).filter((m) => /past 1023/.test(m))).toEqual([expect.stringMatching(/^node ids 1024, 1025, 1026 and 98973 more are past 1023/)]);
  });

  it('stops XML nested deeper than any dump with one diagnostic', { timeout: HANG_MS }, () => {
    for (const name of ['hwloc-nested-1e5', 'xml-unclosed-object-1e6', 'xml-unclosed-a-1e6']) {
      expect(messages(read(name)), name).toEqual([expect.stringMatching(/nests 257 elements deep, deeper than any host dump/)]);
    }
  });

  it('lists the first stray tags and counts the rest', { timeout: HANG_MS }, () => {
    const r = read('xml-stray-close-200k');
    const last = r.host.diagnostics.find((d) => /more problems in this paste not listed/.test(d.message));
    expect(last?.message).toMatch(/^199800 more problems/);
    expect(last?.severity).toBe('error');
  });

  it('refuses a 10 MB mask by its width', { timeout: HANG_MS }, () => {
    expect(messages(read('xml-cpuset-10mb'))).toContainEqual(expect.stringMatching(/is wider than 1048576 bits/));
  });

  it('stops lstopo text chained deeper than any tree', { timeout: HANG_MS }, () => {
    expect(messages(read('lstopo-chain-1e5'))).toEqual([expect.stringMatching(/nest 100002 deep here, deeper than any hwloc tree \(256\)/)]);
  });

  it("refuses synthetic strings past hwloc's own limits", { timeout: HANG_MS }, () => {
    expect(messages(read('synthetic-group-10k'))).toEqual([expect.stringMatching(/more levels than hwloc's limit of 127/)]);
    expect(messages(read('synthetic-10mb'))).toEqual([expect.stringMatching(/numascope stops at 262144/)]);
  });
});
