import { describe, expect, it } from 'vitest';
import { memoryHomes } from '../../src/core/host/memory-home.ts';
import { corpusHost } from '../support/corpus.ts';
import { buildHost, tieredDistances } from '../partition/build-host.ts';

describe('memoryHomes: where a memoryless CPU node takes its memory from', () => {
  it('the nearest node with memory by the SLIT, the lower id on a tie; nodes with memory have none', () => {
    // 2 sockets × 4 nodes (12 within a socket, 32 across); memory only on nodes 1 and 5.
    const host = buildHost(
      Array.from({ length: 8 }, (_, n) => ({ cores: 2, threads: 2, freeKiB: n === 1 || n === 5 ? 1 << 20 : 0 })),
      tieredDistances(8, 4, 12, 32),
    );
    expect([...memoryHomes(host)]).toEqual([[0, 1], [2, 1], [3, 1], [4, 5], [6, 5], [7, 5]]);
  });

  it('a host whose every node has memory has no homes, and the corpus EPYC 7401 without a SLIT homes on node 1', () => {
    expect(memoryHomes(corpusHost('util-linux-lscpu/lscpu-x86_64-epyc_7451')).size).toBe(0);
    expect([...memoryHomes(corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt')).values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
