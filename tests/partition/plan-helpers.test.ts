/**
 * The node searches' small rules (src/core/partition/plan.ts): when the search is exact, how the
 * k roomiest nodes bound a set, unknown memory never refusing, and which free memory ranks ties.
 */
import { describe, expect, it } from 'vitest';
import { nodeCapacity } from '../../src/core/partition/capacity.ts';
import { coresOfNode } from '../../src/core/partition/cores.ts';
import { ANYTIME_STEP_BUDGET, EXACT_NODE_LIMIT, fitsRoom, rankingFree, roomiest, stepBudget } from '../../src/core/partition/plan.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost } from '../support/golden.ts';

const capacityOfNode1 = (...files: string[]) => {
  const host = files.length > 0 ? corpusHost(...files) : talkHost();
  return nodeCapacity(host, 1, coresOfNode(host, 1), 'first-core', { guests: [] });
};

describe('the search budget', () => {
  it('is exact up to 16 eligible nodes and 4000 steps above', () => {
    expect(EXACT_NODE_LIMIT).toBe(16);
    expect(stepBudget(1)).toBeUndefined();
    expect(stepBudget(16)).toBeUndefined();
    expect(stepBudget(17)).toBe(ANYTIME_STEP_BUDGET);
    expect(stepBudget(24)).toBe(4000);
  });
});

describe('roomiest', () => {
  it('sums the k largest values, whatever their order', () => {
    expect(roomiest([14, 6, 28, 20], 2)).toBe(48);
    expect(roomiest([3, 9, 1], 1)).toBe(9);
    expect(roomiest([3, 9, 1], 0)).toBe(0);
    expect(roomiest([3, 9, 1], 5)).toBe(13);
  });
});

describe('fitsRoom', () => {
  it('fits up to the room, not beyond it', () => {
    expect(fitsRoom(8 * 1024 * 1024, 8 * 1024 * 1024)).toBe(true);
    expect(fitsRoom(8 * 1024 * 1024, 8 * 1024 * 1024 + 1024)).toBe(false);
  });

  it('never refuses for a node whose memory no paste gave', () => {
    expect(fitsRoom(null, 1 << 40)).toBe(true);
  });
});

describe('rankingFree: the free memory ties are broken on', () => {
  it('is numactl -H\'s free snapshot where the talk host gives one, not the node size', () => {
    const cap = capacityOfNode1();
    expect(cap.freeKiB).toBe(132114432);
    expect(rankingFree(cap)).toBe(121198592);
  });

  it('is the room where only the size is known (hwloc XML)', () => {
    expect(rankingFree(capacityOfNode1('hwloc-xml/192em64t-24n8c2t.xml'))).toBe(32489472);
  });

  it('is 0 where no paste gave the node\'s memory (lscpu alone)', () => {
    expect(rankingFree(capacityOfNode1('pasted/talk-e7-8895v2.lscpu.txt'))).toBe(0);
  });
});
