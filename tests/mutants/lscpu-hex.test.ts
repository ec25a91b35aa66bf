/**
 * `lscpu --hex` prints CPU lists as masks, node lists included; masks are sets whatever the
 * width of their words. Through the real lscpu over a corpus dump: the --hex summary reads as
 * the same nodes as the plain one. Kills the planted bugs "lscpu --hex node masks never read as
 * hex" (ingest/lscpu-common.ts) and "wide hex masks left unsorted" (cpuset.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseHexMask } from '../../src/core/cpuset.ts';
import { lscpuFormat } from '../../src/core/ingest/lscpu.ts';
import { dumpRoot, runPeer } from '../support/corpus.ts';

describe('lscpu --hex', () => {
  const root = dumpRoot('util-linux-lscpu', 'x86_64-epyc_7451.tar.gz');
  const plain = lscpuFormat.parse(runPeer('lscpu', ['-s', root]), 'epyc');
  const hexText = runPeer('lscpu', ['--hex', '-s', root]);
  const hex = lscpuFormat.parse(hexText, 'epyc --hex');

  it('prints node masks (so this test exercises them)', () => {
    expect(hexText).toMatch(/NUMA node0 CPU\(s\):\s+3f00000000003f\n/);
  });

  it('reads the same nodes and online CPUs as the plain summary', () => {
    expect(hex.nodes).toEqual(plain.nodes);
    expect(hex.nodes[0].cpus).toEqual([0, 1, 2, 3, 4, 5, 48, 49, 50, 51, 52, 53]);
    expect(hex.counts.online).toEqual(plain.counts.online);
    expect(hex.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('wide hex masks are sets', () => {
  it('words wider than 32 bits give sorted, unique ids', () => {
    // word 0 is 40 bits wide (bits 36-39), word 1 starts at bit 32
    expect(parseHexMask('0x1,0xf000000000')).toEqual({ ok: true, ids: [32, 36, 37, 38, 39] });
    expect(parseHexMask('0x1,0x100000000')).toEqual({ ok: true, ids: [32] });
  });
});
