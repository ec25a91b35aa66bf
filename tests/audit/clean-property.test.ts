/**
 * Layouts numascope makes itself never produce a warning or error (issue 17): two guests that
 * solve() lays out one after the other — the second beside the first's occupancy — written as
 * domain XML and read back, audit clean, on corpus hosts and random requests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/core/audit/index.ts';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/index.ts';
import { occupancyOf } from '../../src/core/partition/occupancy.ts';
import { DISTRIBUTIONS, PARTITION_MODES, THREAD_POLICIES, type PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost } from '../support/golden.ts';
import { GiB, guest } from './support.ts';

const HOSTS: [string, () => Host][] = [
  ["the talk's E7 (lscpu + numactl -H)", talkHost],
  ['EPYC 7451, 8 nodes (lscpu)', () => corpusHost('util-linux-lscpu/x86_64-epyc_7451.lscpu.txt')],
  ['24 nodes (hwloc XML)', () => corpusHost('hwloc-xml/192em64t-24n8c2t.xml')],
  ['Kunpeng 920 (numactl -H)', () => corpusHost('pasted/numactl-H-kunpeng920-2s4n.txt')],
  ['offline CPUs', () => corpusHost('hwloc-linux/16em64t-4s2c2t-offlines.lstopo.xml')],
  ['POWER7, 4 threads a core', () => corpusHost('hwloc-linux/256ppc-8n8s4t.lstopo.xml')],
];

const requestArb: fc.Arbitrary<PartitionRequest> = fc
  .record({
    vcpus: fc.integer({ min: 1, max: 24 }),
    memoryKiB: fc.integer({ min: 1, max: 32 }).map((g) => g * GiB),
    mode: fc.constantFrom(...PARTITION_MODES),
    distribution: fc.constantFrom(...DISTRIBUTIONS),
    threadPolicy: fc.constantFrom(...THREAD_POLICIES),
    cells: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
  })
  .map((r) => {
    const request: PartitionRequest = { ...r, devices: [] };
    if (r.cells === undefined) delete request.cells;
    return request;
  });

const refused = (r: ReturnType<typeof solve>) => r.diagnostics.some((d) => d.severity === 'error') || r.layout.cells.length === 0;

describe('two guests numascope lays out one after the other audit clean', () => {
  for (const [label, load] of HOSTS) {
    it(label, () => {
      const host = load();
      fc.assert(
        fc.property(requestArb, requestArb, (a, b) => {
          const first = solve(host, a);
          if (refused(first)) return;
          const second = solve(host, b, occupancyOf([{ name: 'first', layout: first.layout, threadPolicy: a.threadPolicy }], host));
          const guests = [guest('first', first.layout)];
          if (!refused(second)) guests.push(guest('second', second.layout));
          const problems = audit(host, guests).filter((f) => f.severity !== 'info');
          expect(problems, JSON.stringify({ a, b })).toEqual([]);
        }),
        { numRuns: 60, seed: 20261207 },
      );
    });
  }
});
