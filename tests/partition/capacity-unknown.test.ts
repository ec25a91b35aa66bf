/**
 * Capacity (src/core/partition/capacity.ts) where the pastes say little: a node the host does not
 * report has no known memory, no hugepages and no cores, and a guest that floats no vCPUs over
 * its cpuset loads no CPU — on the talk host (lscpu and numactl -H).
 */
import { describe, expect, it } from 'vitest';
import { nodeCapacity } from '../../src/core/partition/capacity.ts';
import { coresOfNode } from '../../src/core/partition/cores.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { talkHost } from '../support/golden.ts';

const talk = talkHost();

describe('a node the host does not report', () => {
  it('has nothing known to give', () => {
    expect(nodeCapacity(talk, 9, [], 'none', NO_OCCUPANCY)).toEqual({ node: 9, reserved: [], cores: [], onlineCpus: 0, freeKiB: null, snapshotKiB: null, hugepages: [], guestLoad: 0 });
  });
});

describe('another guest\'s floating cpuset', () => {
  it('with no vCPUs floating there marks the CPUs shared but loads none', () => {
    const idle = { guests: [{ name: 'idle', pinnedCpus: [], floatingCpus: [16, 76], floatingVcpus: 0, memory: [], hugepages: [] }] };
    const cap = nodeCapacity(talk, 1, coresOfNode(talk, 1), 'none', idle);
    expect(cap.guestLoad).toBe(0);
    expect(cap.cores.find((c) => c.usable[0] === 16)).toEqual({ usable: [16, 76], free: [], open: [16, 76], shared: true, pinned: false });
  });
});
