/**
 * Tier memory solve (src/core/partition/solve.ts) cannot place, in the user's words, on the KNL
 * SNC-4 hybrid (hwloc XML: 1 GiB of DRAM per CPU node, 2 GiB of MCDRAM on node 4): one CPU node
 * and one tier said in the singular, two CPU nodes in the plural.
 */
import { describe, expect, it } from 'vitest';
import { solve } from '../../src/core/partition/solve.ts';
import type { PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
const errors = (patch: Partial<PartitionRequest>) =>
  solve(knl, { ...TALK_REQUEST, vcpus: 4, ...patch })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.message);

describe('not enough memory on the CPU nodes and the tiers together', () => {
  it('one CPU node: it has', () => {
    expect(errors({ nodeset: '0,4', memoryKiB: 4 * GiB })).toEqual(['cannot place 4 vCPUs and 4 GiB: node 0 has 1 GiB free and memory-only node 4 2 GiB, 1 GiB short']);
  });

  it('two CPU nodes: they have', () => {
    expect(errors({ nodeset: '0-1,4', memoryKiB: 6 * GiB })).toEqual(['cannot place 4 vCPUs and 6 GiB: nodes 0-1 have 2 GiB free and memory-only node 4 2 GiB, 2 GiB short']);
  });
});

describe('more tier memory asked than the one tier holds', () => {
  it('it has', () => {
    expect(errors({ nodeset: '0,4', memoryKiB: 4 * GiB, tierMemoryKiB: 3 * GiB })).toEqual(['cannot place 3 GiB on memory-only node 4: it has 2 GiB free, 1 GiB short']);
  });
});
