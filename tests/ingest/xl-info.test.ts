/**
 * xl info -n: no Xen here, so the real outputs quoted in public posts (tests/fixtures/xl-info,
 * see SOURCES.md there) are the proof; each test checks the counts a fixture states against the
 * tables it prints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xlInfoFormat } from '../../src/core/ingest/xl-info.ts';
import { readCorpus } from '../support/corpus.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/xl-info', name), 'utf8');

describe('xl info fixtures', () => {
  it('osstest arndale (armhf): nr_cpus agrees with the cpu_topology rows', () => {
    const text = fixture('osstest-arndale-armhf.xl-info-n.txt');
    expect(xlInfoFormat.sniff(text)).toBeGreaterThan(0.8);
    const f = xlInfoFormat.parse(text, 'arndale');
    expect(f.diagnostics).toEqual([]);
    expect(f.unknownLines).toBe(0);
    expect(f.counts.cpus).toBe(2);
    expect(f.cpus).toEqual([
      { id: 0, core: 0, package: 0, node: 0 },
      { id: 1, core: 0, package: 0, node: 0 },
    ]);
    expect(f.cpus).toHaveLength(f.counts.cpus ?? -1);
    expect(f.nodes).toEqual([{ id: 0, cpus: [0, 1] }]);
  });

  it('2-node numa_info: MiB → KiB, distances by node id', () => {
    const text = fixture('xen-2node-numainfo.xl-info-n.txt');
    expect(xlInfoFormat.sniff(text)).toBeGreaterThan(0.8);
    const f = xlInfoFormat.parse(text, 'kaindl');
    expect(f.diagnostics).toEqual([]);
    expect(f.unknownLines).toBe(0);
    expect(f.nodes).toEqual([
      { id: 0, memoryKiB: 67584 * 1024, freeKiB: 60672 * 1024 },
      { id: 1, memoryKiB: 65536 * 1024, freeKiB: 60958 * 1024 },
    ]);
    expect(f.distances).toMatchObject({ nodes: [0, 1], values: [[10, 21], [21, 10]] });
  });

  it('plain xl info (Xen 4.18): header counts, and a warning that the -n tables are missing', () => {
    const text = fixture('xen418-intel-56cpu.xl-info.txt');
    expect(xlInfoFormat.sniff(text)).toBeGreaterThan(0.8);
    const f = xlInfoFormat.parse(text, 'xen418');
    expect(f.counts).toEqual({ cpus: 56, nodes: 2, coresPerSocket: 28, threadsPerCore: 1 });
    expect(f.machine).toEqual({ hostname: 'abc.intel.com', arch: 'x86_64' });
    expect(f.unknownLines).toBe(0);
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]).toMatchObject({ severity: 'warning' });
    expect(f.diagnostics[0].message).toMatch(/xl info -n/);
  });

  it('the three fixtures pasted as one -n output agree: nr_nodes = numa_info rows', () => {
    const text = [fixture('xen418-intel-56cpu.xl-info.txt'), fixture('xen-2node-numainfo.xl-info-n.txt')].join('');
    const f = xlInfoFormat.parse(text, 'joined');
    expect(f.counts.nodes).toBe(f.distances?.nodes.length);
    // total_memory 522954 MiB vs memsize 133120 MiB: the sum is short, which must be said.
    expect(f.diagnostics.some((d) => d.severity === 'warning' && /adds up to only 133120 MiB/.test(d.message))).toBe(true);
  });

  it('a cut-off cpu_topology is reported against nr_cpus', () => {
    const text = fixture('osstest-arndale-armhf.xl-info-n.txt').replace(/ {2}1:.*\n/, '');
    const f = xlInfoFormat.parse(text, 'cut');
    expect(f.diagnostics.some((d) => /nr_cpus is 2 but cpu_topology lists 1/.test(d.message))).toBe(true);
  });
});

describe('xl info robustness', () => {
  const other = readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt');
  it.each([
    ['empty', ''],
    ['garbage', 'hello\nworld\n'],
    ['binary', '\u0000\u0001\u0002ELF\u0000'],
    ['numactl -H', other],
  ])('%s → an error, no throw', (_, text) => {
    const f = xlInfoFormat.parse(text, 'x');
    expect(f.nodes).toEqual([]);
    expect(f.cpus).toEqual([]);
    expect(f.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('never throws on mutated fixture text', () => {
    const base = fixture('osstest-arndale-armhf.xl-info-n.txt') + fixture('xen-2node-numainfo.xl-info-n.txt');
    fc.assert(
      fc.property(fc.nat(base.length), fc.nat(base.length), fc.string({ maxLength: 20 }), (a, b, insert) => {
        const text = base.slice(0, Math.min(a, b)) + insert + base.slice(Math.max(a, b));
        const f = xlInfoFormat.parse(text, 'm');
        for (const d of f.diagnostics) if (d.line !== undefined) expect(d.line).toBeLessThanOrEqual(f.lines);
      }),
      { numRuns: 300 },
    );
  });
});
