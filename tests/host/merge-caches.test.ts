/**
 * Caches merged from pastes of one host: the sets of a paste that lists cache instances (hwloc
 * XML) with their own sizes; else instances grouped from lscpu -e's per-CPU cache ids, sized from
 * lscpu's summary (its per-instance average) or left unsized; else inferred from the summary and
 * said so. Each CPU lists its caches innermost first. Real pastes: lscpu, lscpu -e and lstopo's
 * XML of the same dumps (a Raptor Lake i7-1370P with P- and E-cores, 4 Magny-Cours sockets).
 */
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { readCorpus } from '../support/corpus.ts';

const paste = (file: string): Paste => ({ name: file, text: readCorpus('hwloc-linux', file) });
const hybrid = '20em64t-hybrid-1p6c2t+2ca4co1t';
const lscpu = paste(`${hybrid}.lscpu.txt`);
const lscpuE = paste(`${hybrid}.lscpu-e.txt`);
const xml = paste(`${hybrid}.lstopo.xml`);

const described = (host: Host) => host.caches.map((c) => `L${c.level} ${c.type} ${c.sizeKiB ?? '?'}: ${formatIdList(c.cpus)}`);
const infos = (host: Host) => host.diagnostics.filter((d) => d.severity === 'info').map((d) => d.message);
const repeat = <T,>(n: number, f: (i: number) => T[]) => Array.from({ length: n }, (_, i) => f(i)).flat();

/** What hwloc lists for the i7-1370P: six P-cores (2 threads, L1d 48 KiB, L1i 32 KiB, L2 1.25 MiB), then two clusters of four E-cores. */
const HWLOC_CACHES = [
  'L3 unified 24576: 0-19',
  ...repeat(6, (i) => [`L2 unified 1280: ${2 * i}-${2 * i + 1}`, `L1 data 48: ${2 * i}-${2 * i + 1}`, `L1 instruction 32: ${2 * i}-${2 * i + 1}`]),
  ...repeat(2, (k) => [`L2 unified 2048: ${12 + 4 * k}-${15 + 4 * k}`, ...repeat(4, (i) => [`L1 data 32: ${12 + 4 * k + i}`, `L1 instruction 64: ${12 + 4 * k + i}`])]),
];

describe('an i7-1370P from lscpu -e and lscpu', () => {
  const host = () => ingest([lscpuE, lscpu]).host;
  const l1 = ['0-1', '2-3', '4-5', '6-7', '8-9', '10-11', ...Array.from({ length: 8 }, (_, i) => String(12 + i))];

  it('has one instance per lscpu -e cache id, outermost first, each sized by lscpu\'s average per instance', () => {
    expect(described(host())).toEqual([
      'L3 unified 24576: 0-19',
      ...['0-1', '2-3', '4-5', '6-7', '8-9', '10-11', '12-15', '16-19'].map((cpus) => `L2 unified 1472: ${cpus}`),
      ...l1.map((cpus) => `L1 data 39: ${cpus}`),
      ...l1.map((cpus) => `L1 instruction 50: ${cpus}`),
    ]);
    expect(host().caches.map((c) => c.index)).toEqual(host().caches.map((_, i) => i));
  });

  it('gives every CPU its caches innermost first: L1d, L1i, L2, L3', () => {
    expect(host().cpus.map((c) => c.caches)).toEqual([
      ...repeat(6, (i) => [[9 + i, 23 + i, 1 + i, 0], [9 + i, 23 + i, 1 + i, 0]]),
      ...repeat(8, (i) => [[15 + i, 29 + i, i < 4 ? 7 : 8, 0]]),
    ]);
  });

  it('leaves instances unsized without lscpu\'s summary', () => {
    const bare = ingest([lscpuE]).host;
    expect(described(bare)).toEqual(described(host()).map((d) => d.replace(/ \d+:/, ' ?:')));
    expect(bare.caches.filter((c) => 'sizeKiB' in c)).toEqual([]);
    expect(bare.cpus.map((c) => c.caches)).toEqual(host().cpus.map((c) => c.caches));
  });

  it('says nothing about caches: they were read, not inferred', () => {
    expect(infos(host())).toEqual([]);
  });
});

describe('the same i7-1370P from its hwloc XML', () => {
  it('takes hwloc\'s instances and its own sizes, which beat lscpu\'s averages', () => {
    expect(described(ingest([xml]).host)).toEqual(HWLOC_CACHES);
    expect(described(ingest([lscpu, lscpuE, xml]).host)).toEqual(HWLOC_CACHES);
  });

  it('lists each CPU\'s caches innermost first', () => {
    const host = ingest([lscpu, xml]).host;
    expect(host.cpus.slice(0, 4).map((c) => c.caches)).toEqual([
      [2, 3, 1, 0],
      [2, 3, 1, 0],
      [5, 6, 4, 0],
      [5, 6, 4, 0],
    ]);
    expect(host.cpus[19].caches).toEqual([35, 36, 28, 0]);
  });
});

describe('lscpu alone', () => {
  it('without cores or packages to share them, infers no caches and does not claim to', () => {
    const host = ingest([lscpu]).host;
    expect(host.caches).toEqual([]);
    expect(host.cpus.every((c) => c.caches.length === 0)).toBe(true);
    expect(infos(host)).toEqual(['lscpu says 1 socket: every CPU is in package 0; paste `lscpu -e` for the real mapping']);
  });
});

describe('four Magny-Cours sockets from lscpu -e and lscpu (48 cache ids per level, 8 L3s)', () => {
  const magny = '48amd64-4pa2n6c-sparse';
  const host = () => ingest([paste(`${magny}.lscpu-e.txt`), paste(`${magny}.lscpu.txt`)]).host;

  it('keeps every instance apart, however its ids and levels combine', () => {
    expect(described(host())).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `L3 unified 5120: ${6 * i}-${6 * i + 5}`),
      ...Array.from({ length: 48 }, (_, i) => `L2 unified 512: ${i}`),
      ...Array.from({ length: 48 }, (_, i) => `L1 data 64: ${i}`),
      ...Array.from({ length: 48 }, (_, i) => `L1 instruction 64: ${i}`),
    ]);
    expect(host().cpus[47].caches).toEqual([103, 151, 55, 7]);
  });
});
