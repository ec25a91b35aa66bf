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

  it('a host whose every node has memory has no homes', () => {
    expect(memoryHomes(corpusHost('util-linux-lscpu/lscpu-x86_64-epyc_7451')).size).toBe(0);
  });

  it('without a SLIT (every remote node 20 away) the memoryless nodes spread over the nodes with memory as Linux\'s zonelists do', () => {
    // The corpus EPYC 7401: memory on nodes 1 and 5 only, no distance table in the paste.
    // build_zonelists in node order: node 0 takes 1 (both 20 away, lowest first) and loads it;
    // node 1's own list loads 5; nodes 2-4 prefer 5 (1 is numbered below them: +1); node 5 loads 1;
    // nodes 6 and 7 find both below, equal, and take the less loaded 1.
    const homes = memoryHomes(corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt'));
    expect([...homes]).toEqual([[0, 1], [2, 5], [3, 5], [4, 5], [6, 1], [7, 1]]);
  });

  it('among equally near nodes, one without CPUs (a CXL memory expander) before one with', () => {
    // nodes 0 and 1 with CPUs, node 0 memoryless; node 2 memory only; 1 and 2 both 20 from 0.
    const host = buildHost(
      [
        { cores: 2, threads: 1, freeKiB: 0 },
        { cores: 2, threads: 1, freeKiB: 1 << 20 },
        { cores: 0, threads: 1, freeKiB: 1 << 20 },
      ],
      [
        [10, 20, 20],
        [20, 10, 20],
        [20, 20, 10],
      ],
    );
    expect([...memoryHomes(host)]).toEqual([[0, 2]]);
  });
});
