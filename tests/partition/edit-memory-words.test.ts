/**
 * A hand edit that binds a KiB more than a node has free says so in amounts that differ: the
 * talk host's node 3 has 126 GiB, and "126.0 GiB free but the guest now binds 126 GiB" told
 * nobody anything.
 */
import { describe, expect, it } from 'vitest';
import { edit } from '../../src/core/partition/index.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

describe('memory past a node\'s free, by a hair', () => {
  it('is told in exact KiB when whole units would print the two alike', () => {
    const talk = talkHost();
    const one = solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '3', vcpus: 4, memoryKiB: 1 << 20 }).layout;
    const size = talk.nodes[3].memoryKiB!;
    const r = edit(talk, one, { kind: 'set-memory', memoryKiB: size + 1024 }, NO_OCCUPANCY);
    expect(r.explanation.filter((e) => e.startsWith('node 3 has'))).toEqual([`node 3 has ${Math.ceil(size / 1024)} MiB free but the guest now binds ${Math.ceil(size / 1024) + 1} MiB there`]);
  });
});
