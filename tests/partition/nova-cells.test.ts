/**
 * Nova's own unit tests of fitting one guest cell onto one host cell (test_hardware.py in
 * Debian's python3-nova, test_get_pinning_host_siblings_*): the same hosts, CPUs already taken
 * and guests, which Nova pins and which our modes refused while a vCPU count was not whole
 * cores. Every one is laid out now, in modes auto and host, keeping every invariant.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { solve } from '../../src/core/partition/index.ts';
import type { Occupancy, PartitionRequest, ThreadPolicy } from '../../src/core/partition/request.ts';
import { linuxPuIndexes, syntheticPaste } from '../../src/core/synthetic/compose.ts';
import { buildHost } from './build-host.ts';
import { expectValidLayout } from './invariants.ts';

const MiB = 1024;

/** One node, 4096 MiB, cores of `threads` siblings numbered consecutively ({0,1}, {2,3} …). */
const consecutive = (cores: number, threads: number): Host => buildHost([{ cores, threads, freeKiB: 4096 * MiB }], [[10]]);

/** One node of 8 cores whose siblings are n and n + 8, as Linux numbers x86 threads. */
const linuxNumbered = (): Host =>
  ingest([{ name: 'synthetic', text: syntheticPaste({ topology: `pack:1 [numa(memory=4GiB)] core:8 pu:2(indexes=${linuxPuIndexes(8, 2).join(',')})`, distances: [[10]] }) }]).host;

const taken = (cpus: number[]): Occupancy => ({ guests: [{ name: 'other', pinnedCpus: cpus, floatingCpus: [], floatingVcpus: 0, memory: [], hugepages: [] }] });

const cases: [string, () => Host, number[], number, ThreadPolicy[]][] = [
  ['instance_odd_fit: 5 vCPUs on 4 cores of 2 threads', () => consecutive(4, 2), [], 5, ['prefer', 'require']],
  ['instance_fit_optimize_threads: 6 vCPUs on 2 cores of 4 threads', () => consecutive(2, 4), [], 6, ['prefer', 'require']],
  ['instance_odd_fit_w_usage: 3 vCPUs with CPUs 0, 2 and 5 taken', () => consecutive(4, 2), [0, 2, 5], 3, ['prefer']],
  ['instance_mixed_siblings: 4 vCPUs with CPUs 0, 1, 2 and 5 taken', () => consecutive(4, 2), [0, 1, 2, 5], 4, ['prefer']],
  ['instance_odd_fit_orphan_only: 4 vCPUs on the orphans of 0, 2, 5 and 6', () => consecutive(4, 2), [0, 2, 5, 6], 4, ['prefer']],
  ['large_instance_odd_fit: 5 vCPUs, siblings n and n + 8', linuxNumbered, [], 5, ['prefer', 'require']],
];

describe("Nova's host-siblings fitting cases", () => {
  for (const [name, make, busy, vcpus, policies] of cases) {
    for (const threadPolicy of policies) {
      for (const mode of ['auto', 'host'] as const) {
        it(`${name}, thread policy ${threadPolicy}, mode ${mode}`, () => {
          const host = make();
          const occupancy = taken(busy);
          const request: PartitionRequest = { vcpus, memoryKiB: 2048 * MiB, mode, distribution: 'contiguous', reserve: 'none', threadPolicy, devices: [] };
          const r = solve(host, request, occupancy);
          expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expectValidLayout(host, { ...request, pinning: '1:1' }, r, occupancy);
          // Guest threads never straddle two host cores: each guest core's vCPUs share one.
          const coreOf = new Map(host.cpus.map((c) => [c.id, c.core]));
          const t = r.layout.topology.threads;
          for (let v = 0; v < vcpus; v += t) {
            const cores = new Set(r.layout.pins.filter((p) => p.vcpu >= v && p.vcpu < v + t).map((p) => coreOf.get(p.cpus[0])));
            if (threadPolicy === 'require' || busy.length === 0) expect(cores.size, `guest core of vCPU ${v}`).toBe(1);
          }
        });
      }
    }
  }

  it('5 vCPUs on siblings n and n + 8 keep pairs on siblings (Nova asserts it prefers threads)', () => {
    const host = linuxNumbered();
    const r = solve(host, { vcpus: 5, memoryKiB: 2048 * MiB, mode: 'auto', distribution: 'contiguous', reserve: 'none', threadPolicy: 'prefer', devices: [] });
    expect(r.layout.pins.map((p) => p.cpus[0])).toEqual([0, 8, 1, 9, 2]);
  });
});
