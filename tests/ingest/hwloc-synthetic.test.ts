import { describe, expect, it } from 'vitest';
import { hwlocSyntheticFormat, parseHwlocSynthetic } from '../../src/core/ingest/hwloc-synthetic.ts';
import { parseHwlocXml } from '../../src/core/ingest/hwloc-xml.ts';
import type { HostFacts } from '../../src/core/host/facts.ts';
import { runPeer } from '../support/corpus.ts';
import { errors } from './hwloc-support.ts';

/** Structure both must agree on; cache sizes only where the string gives them (hwloc invents defaults). */
function shape(f: HostFacts, sizes: boolean) {
  return {
    cpus: f.cpus.map((c) => [c.id, c.package, c.die, c.core, c.node, c.siblings, c.caches?.map((r) => `L${r.level}${r.type}#${r.id}`)]),
    nodes: f.nodes.map((n) => [n.id, n.cpus, sizes ? n.memoryKiB : undefined]),
    caches: f.caches.map((c) => [c.level, c.type, c.cpus, sizes ? c.sizeKiB : undefined]),
  };
}

describe('hwloc synthetic strings against the real lstopo (hwloc 2.9)', () => {
  it.each([
    ['pack:2 [numa] l3:2 core:8 pu:2', false],
    ['numa:2 pack:1 core:4 pu:2', false],
    ['pack:2 [numa(memory=64GB)] l3:1(size=30MB) core:2 pu:2', true],
    ['pack:2 [numa(memory=1GiB)] [numa(memory=2GiB)] core:2 pu:1', true],
    ['pack:2(indexes=1,0) [numa(memory=4GiB)] l2:4(size=1MiB) l1d:1(size=48KiB) core:1 pu:2', true],
    ['pack:2 core:2(indexes=3,2,1,0) pu:2', false],
    ['pack:2 die:2 [numa] core:2 pu:1', false],
    // Attached nodes share one numbering, listed on any [numa]: CPU nodes 0-1, memory-only 2-3.
    ['pack:2 [numa(memory=256GiB)] [numa(memory=128GiB indexes=0,2,1,3)] core:2 pu:1', true],
    ['pack:2 [numa(memory=256GiB indexes=3,2,1,0)] [numa(memory=128GiB)] core:2 pu:1', true],
    // Numbered after everything below their object: the cores' nodes before the package's.
    ['pack:2 [numa] core:2 [numa] pu:1', false],
    ['[numa] pack:2 [numa] core:2 [numa(indexes=8,0,1,2,3,4,5,6,7)] pu:1', false],
    // Interleavings, by steps and by level types; numbers past the count are ignored.
    ['pack:2 [numa(indexes=2*2:1*2)] [numa] core:2 pu:1', false],
    ['pack:2 [numa(indexes=pack)] [numa] core:2 pu:1', false],
    ['pack:2 core:2 pu:2(indexes=pack:core)', false],
    ['pack:2 core:2 pu:2(indexes=core:pack)', false],
    ['pack:2 core:4 pu:2(indexes=8*2)', false],
    ['pack:2 [numa(indexes=1,0,7)] core:2 pu:1', false],
  ] as const)('%s', (text, sizes) => {
    expect(hwlocSyntheticFormat.sniff(text)).toBeGreaterThan(0.9);
    const mine = parseHwlocSynthetic(text, 's');
    expect(errors(mine)).toEqual([]);
    const peer = parseHwlocXml(runPeer('lstopo-no-graphics', ['--input', text, '--of', 'xml', '-']), 'peer');
    expect(shape(mine, sizes)).toEqual(shape(peer, sizes));
  });
});

describe('hwloc synthetic: indexes= hwloc refuses number in order, with a warning', () => {
  it.each([
    'pack:2 [numa(indexes=0,2)] [numa] core:2 pu:1', // a list shorter than every attached node
    'pack:2 core:2 pu:2(indexes=4-7,0-3)', // ranges are not hwloc syntax
    'pack:2 core:2 pu:2(indexes=4*2:1*2)', // the loops do not cover 8 PUs
    'pack:2 core:2 pu:2(indexes=l3:core)', // no such level
  ])('%s', (text) => {
    const mine = parseHwlocSynthetic(text, 's');
    expect(errors(mine)).toEqual([]);
    expect(mine.diagnostics.some((d) => d.severity === 'warning' && /indexes=/.test(d.message))).toBe(true);
    const peer = parseHwlocXml(runPeer('lstopo-no-graphics', ['--input', text, '--of', 'xml', '-']), 'peer');
    expect(shape(mine, false)).toEqual(shape(peer, false));
    expect(mine.cpus.map((c) => c.id)).toEqual(mine.cpus.map((_, i) => i));
  });
  it('NUMA nodes both as a level and attached are refused, as hwloc refuses them', () => {
    expect(errors(parseHwlocSynthetic('pack:2 numa:1 core:2 [numa] pu:1', 's'))).toHaveLength(1);
  });
});

describe('hwloc synthetic: distances and mistakes', () => {
  it('reads a plain matrix and a numactl-style table after the string', () => {
    const plain = parseHwlocSynthetic('pack:2 [numa] core:2 pu:2\ndistances:\n10 21\n21 10\n', 's');
    expect(plain.distances).toMatchObject({ nodes: [0, 1], values: [[10, 21], [21, 10]] });
    const numactl = parseHwlocSynthetic('numa:2 core:2 pu:1\nnode distances:\nnode   0   1\n  0:  10  32\n  1:  32  10\n', 's');
    expect(numactl.distances).toMatchObject({ nodes: [0, 1], values: [[10, 32], [32, 10]] });
    const wrong = parseHwlocSynthetic('pack:2 [numa] core:2 pu:2\ndistances:\n10 21 31\n', 's');
    expect(wrong.distances).toBeUndefined();
    expect(wrong.diagnostics.some((d) => d.severity === 'warning')).toBe(true);
  });
  it('without NUMA, one node 0 holds every PU (as hwloc does)', () => {
    const f = parseHwlocSynthetic('core:4 pu:2', 's');
    expect(f.nodes).toEqual([{ id: 0, cpus: [0, 1, 2, 3, 4, 5, 6, 7] }]);
  });
  it.each(['', 'hello world', 'pack:2 core:2', 'pack:2 banana:3 pu:1', 'pack:100000 core:100 pu:8', '\u0000\u0001'])('%j → an error, never a throw', (text) => {
    expect(errors(parseHwlocSynthetic(text, 'bad')).length).toBeGreaterThan(0);
  });
  it('does not claim lscpu or lstopo text', () => {
    expect(hwlocSyntheticFormat.sniff('Architecture:  x86_64\nCore(s) per socket:  8\n')).toBe(0);
    expect(hwlocSyntheticFormat.sniff('Machine (36GB total)\n  Package L#0\n')).toBe(0);
  });
});
