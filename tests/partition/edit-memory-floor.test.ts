/**
 * A resize never leaves a CPU cell without memory: the vCPU-weighted split rounds every cell but
 * cell 0 down to whole MiB, so on hwloc's heteromem host (tiers on memory-only nodes) a guest of
 * 6 vCPUs with 4 MiB for its CPU cells, cut into 4 cells, would have given two cells 0 KiB.
 */
import { describe, expect, it } from 'vitest';
import { edit } from '../../src/core/partition/index.ts';
import { DEFAULT_REQUEST, NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { corpusHost } from '../support/corpus.ts';

const GiB = 1 << 20;

describe('a resize that would leave a CPU cell 0 KiB', () => {
  it('is refused, in the words solve uses', () => {
    const host = corpusHost('hwloc-xml-v3/64intel64-heteromem.xml');
    const r = solve(host, { ...DEFAULT_REQUEST, vcpus: 6, memoryKiB: 2 * GiB + 4096, tierMemoryKiB: 2 * GiB, devices: [] });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const four = edit(host, r.layout, { kind: 'set-cells', cells: 4 }, NO_OCCUPANCY);
    expect(four.layout).toBe(r.layout);
    expect(four.diagnostics.map((d) => d.message)).toEqual(['4 MiB is too little to give each of 4 cells a whole 1 MiB']);
  });

  it('set-memory on cells of unequal size is refused alike', () => {
    const host = corpusHost('pasted/talk-e7-8895v2.lscpu.txt', 'pasted/talk-e7-8895v2.numactl-H.txt');
    const r = solve(host, { ...DEFAULT_REQUEST, mode: 'host', vcpus: 7, memoryKiB: 8 * GiB, cellVcpus: [4, 1, 1, 1], devices: [] });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const small = edit(host, r.layout, { kind: 'set-memory', memoryKiB: 5 * 1024 }, NO_OCCUPANCY);
    expect(small.diagnostics.map((d) => d.message)).toEqual(['5 MiB is too little to give each of 4 cells a whole 1 MiB']);
    expect(edit(host, r.layout, { kind: 'set-memory', memoryKiB: 7 * 1024 }, NO_OCCUPANCY).layout.cells.map((c) => c.memoryKiB)).toEqual([4096, 1024, 1024, 1024]);
  });
});
