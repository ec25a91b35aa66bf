/**
 * Which CPUs of a node stay with the host (src/core/partition/reserve.ts), from the talk host's
 * node 1 (cores 15+75 … 29+89): its first core, none, or the node's share of a CPU list.
 */
import { describe, expect, it } from 'vitest';
import { coresOfNode } from '../../src/core/partition/cores.ts';
import { reservedOfNode } from '../../src/core/partition/reserve.ts';
import { talkHost } from '../support/golden.ts';

const node1 = coresOfNode(talkHost(), 1);

describe('reservedOfNode', () => {
  it('first-core: the node\'s first core with both its threads', () => {
    expect(reservedOfNode(node1, 'first-core')).toEqual([15, 75]);
  });

  it('none: nothing', () => {
    expect(reservedOfNode(node1, 'none')).toEqual([]);
  });

  it('a CPU list: the listed CPUs this node has, ascending', () => {
    expect(reservedOfNode(node1, [90, 16, 0, 76, 200])).toEqual([16, 76]);
  });

  it('a node without usable cores keeps nothing back', () => {
    expect(reservedOfNode([], 'first-core')).toEqual([]);
    expect(reservedOfNode([], [0, 1])).toEqual([]);
  });
});
