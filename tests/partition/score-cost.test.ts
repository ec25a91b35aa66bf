/**
 * The distance cost and the shared-core count of a placement (src/core/partition/score.ts), on
 * the Kunpeng 920's four nodes (numactl -H: 12 to the other node of a socket, 20 to 24 across).
 */
import { describe, expect, it } from 'vitest';
import { hostDistance } from '../../src/core/host/distance.ts';
import { distanceCost, smtShared } from '../../src/core/partition/score.ts';
import { corpusHost } from '../support/corpus.ts';

const distance = hostDistance(corpusHost('pasted/numactl-H-kunpeng920-2s4n.txt'));

describe('distanceCost: Σ (vcpus_p · vcpus_q / V) · (d − 10) over pairs', () => {
  it('four cells of 4 vCPUs, one per node: 2 + 10 + 12 + 12 + 14 + 2', () => {
    expect(distanceCost([0, 1, 2, 3].map((n) => ({ vcpus: 4, nodes: [n] })), distance)).toBe(52);
  });

  it('weights each pair by its vCPUs: 7 and 5 vCPUs 22 apart cost 35/12 · 12', () => {
    expect(distanceCost([{ vcpus: 7, nodes: [0] }, { vcpus: 5, nodes: [3] }], distance)).toBe(35);
  });

  it('splits a cell spanning nodes into equal parts and counts the traffic between them', () => {
    expect(distanceCost([{ vcpus: 8, nodes: [0, 1] }, { vcpus: 8, nodes: [2, 3] }], distance)).toBe(52);
    expect(distanceCost([{ vcpus: 8, nodes: [0, 1] }], distance)).toBe(4);
  });

  it('counts two slices of one node 11 apart, as the guest sees them', () => {
    expect(distanceCost([{ vcpus: 8, nodes: [0] }, { vcpus: 8, nodes: [0] }], distance)).toBe(4);
  });

  it('is 0 for one cell, and for cells without vCPUs (not NaN)', () => {
    expect(distanceCost([{ vcpus: 8, nodes: [2] }], distance)).toBe(0);
    expect(distanceCost([{ vcpus: 0, nodes: [0] }, { vcpus: 0, nodes: [1] }], distance)).toBe(0);
  });

  it('keeps three decimals', () => {
    // nodes 0 and 1 are 12 apart: 3 · 2 / 5 · 2 = 2.4 and 1 · 6 / 7 · 2 = 1.714285…
    expect(distanceCost([{ vcpus: 3, nodes: [1] }, { vcpus: 2, nodes: [0] }], distance)).toBe(2.4);
    expect(distanceCost([{ vcpus: 1, nodes: [0] }, { vcpus: 6, nodes: [1] }], distance)).toBe(1.714);
  });
});

describe('smtShared', () => {
  it('counts guest cores with any thread on a CPU another guest runs on', () => {
    const cores = [[1, 61], [2, 62], [3, 63]];
    expect(smtShared(cores, new Set([61]))).toBe(1);
    expect(smtShared(cores, new Set([61, 2, 62]))).toBe(2);
    expect(smtShared(cores, new Set([4, 64]))).toBe(0);
  });
});
