/**
 * A guest that takes exactly what a node has left (src/core/partition/solve.ts, planCells) on
 * the talk's host: every free thread of node 0, every KiB node 1 has free — laid out, where one
 * vCPU or one MiB more is refused.
 */
import { describe, expect, it } from 'vitest';
import { solve } from '../../src/core/partition/solve.ts';
import type { PartitionRequest } from '../../src/core/partition/request.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const talk = talkHost();
const said = (patch: Partial<PartitionRequest>) => solve(talk, { ...TALK_REQUEST, ...patch }).diagnostics.map((d) => `${d.severity}: ${d.message}`);
// numactl -H's node 1 size: all of it is free to a guest when no other guest binds any.
const NODE1_KIB = 132114432;

describe('exactly what is left', () => {
  it('all 28 free threads of node 0 (its first core kept for the host)', () => {
    expect(said({ nodeset: '0', vcpus: 28, memoryKiB: GiB })).toEqual([]);
    expect(said({ nodeset: '0', vcpus: 29, memoryKiB: GiB })).toEqual(['error: cannot place 29 vCPUs and 1 GiB: node 0 has 28 threads free for 29']);
  });

  it('all of node 1\'s memory, past what was free when the host was dumped', () => {
    expect(said({ nodeset: '1', vcpus: 4, memoryKiB: NODE1_KIB })).toEqual([
      'warning: node 1 had 115.6 GiB free when the host was dumped and the guest binds 126.0 GiB there: the rest must come from page cache the kernel can drop',
    ]);
    // one MiB short: both amounts round to 126.0 GiB, so they are told in MiB
    expect(said({ nodeset: '1', vcpus: 4, memoryKiB: NODE1_KIB + 1024 })).toEqual(['error: cannot place 4 vCPUs and 126.0 GiB: node 1 has 129018 MiB free for 129019 MiB']);
  });
});
