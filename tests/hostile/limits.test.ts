/**
 * Each bound the hostile tier relies on, at its edge: the last value a real host could print is
 * read, the first past it is one diagnostic. A bound moved by one, or dropped, fails here.
 */
import { describe, expect, it } from 'vitest';
import { diagnosticSink, MAX_DIAGNOSTICS_PER_SOURCE } from '../../src/core/diagnostics.ts';
import { MAX_NODES } from '../../src/core/host/node-limit.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { MAX_TREE_DEPTH } from '../../src/core/ingest/hwloc-common.ts';
import { hwlocSyntheticFormat } from '../../src/core/ingest/hwloc-synthetic.ts';
import { lstopoFormat } from '../../src/core/ingest/lstopo.ts';
import { MAX_XML_DEPTH, parseXml } from '../../src/core/xml/tree.ts';
import { sortIds } from '../../src/core/cpuset.ts';

describe('XML nesting', () => {
  const nested = (depth: number) => `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;

  it(`reads ${MAX_XML_DEPTH} levels and stops at the next with one diagnostic`, () => {
    expect(parseXml(nested(MAX_XML_DEPTH), 'x').diagnostics).toEqual([]);
    const deeper = parseXml(nested(MAX_XML_DEPTH + 1), 'x');
    expect(deeper.diagnostics.map((d) => d.message)).toEqual([`<a> nests ${MAX_XML_DEPTH + 1} elements deep, deeper than any host dump; the rest of the paste is not read`]);
    expect(deeper.diagnostics[0]).toMatchObject({ line: 1, column: 3 * MAX_XML_DEPTH + 1 });
    expect(deeper.truncated).toBe(true);
  });
});

describe('lstopo nesting', () => {
  const chain = (depth: number) => `Machine (16GB total)\n  ${Array(depth - 2).fill('Group0 L#0').join(' + ')} + PU L#0 (P#0)\n`;

  it(`reads a tree ${MAX_TREE_DEPTH} deep and refuses one deeper`, () => {
    const deepest = lstopoFormat.parse(chain(MAX_TREE_DEPTH), 'lstopo');
    expect(deepest.cpus.map((c) => c.id)).toEqual([0]);
    expect(deepest.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const deeper = lstopoFormat.parse(chain(MAX_TREE_DEPTH + 1), 'lstopo');
    expect(deeper.diagnostics.map((d) => d.message)).toEqual([`objects nest ${MAX_TREE_DEPTH + 1} deep here, deeper than any hwloc tree (${MAX_TREE_DEPTH}); the rest of the paste is not read`]);
  });
});

describe('synthetic levels', () => {
  const levels = (n: number) => `pack:1 ${'group:1 '.repeat(n - 2)}pu:1`;

  it("takes hwloc's 127 levels and refuses 128", () => {
    expect(hwlocSyntheticFormat.parse(levels(127), 's').cpus).toHaveLength(1);
    expect(hwlocSyntheticFormat.parse(levels(128), 's').diagnostics.map((d) => d.message)).toEqual([
      "the string has more levels than hwloc's limit of 127; no host nests this deep",
    ]);
  });
});

describe('node ids', () => {
  it(`keeps node ${MAX_NODES - 1} and leaves out node ${MAX_NODES}`, () => {
    const text = `available: 2 nodes (0,${MAX_NODES - 1})\nnode 0 cpus: 0\nnode 0 size: 1024 MB\nnode ${MAX_NODES - 1} cpus: 1\nnode ${MAX_NODES - 1} size: 1024 MB\n`;
    expect(ingest([{ name: 'ok', text }]).host.nodes.map((n) => n.id)).toEqual([0, MAX_NODES - 1]);
    const past = ingest([{ name: 'past', text: text.replaceAll(String(MAX_NODES - 1), String(MAX_NODES)) }]);
    expect(past.host.nodes.map((n) => n.id)).toEqual([0]);
    expect(past.host.cpus.find((c) => c.id === 1)?.node).toBeUndefined();
    expect(past.host.diagnostics.map((d) => d.message)).toContain(`node id ${MAX_NODES} is past ${MAX_NODES - 1}, more nodes than Linux supports; it is left out`);
  });
});

describe('diagnostics per source', () => {
  it(`lists ${MAX_DIAGNOSTICS_PER_SOURCE} and counts the rest in one, at the worst severity`, () => {
    const sink = diagnosticSink('p');
    for (let i = 0; i < MAX_DIAGNOSTICS_PER_SOURCE; i++) sink.info(i + 1, `note ${i}`);
    expect(sink.list).toHaveLength(MAX_DIAGNOSTICS_PER_SOURCE);
    sink.info(1000, 'one more');
    sink.warning(1001, 'and a warning');
    expect(sink.list).toHaveLength(MAX_DIAGNOSTICS_PER_SOURCE + 1);
    expect(sink.list[MAX_DIAGNOSTICS_PER_SOURCE]).toEqual({ severity: 'warning', source: 'p', message: `2 more problems in this paste not listed (the first ${MAX_DIAGNOSTICS_PER_SOURCE} are)` });
  });
});

describe('memory sizes', () => {
  it('refuses a numactl node size past 2^53 KiB instead of rounding it', () => {
    const text = 'available: 1 nodes (0)\nnode 0 cpus: 0 1\nnode 0 size: 9007199254740992 MB\n';
    const r = ingest([{ name: 'huge', text }]);
    expect(r.host.nodes[0].memoryKiB).toBeNull();
    expect(r.host.diagnostics.map((d) => d.message)).toContain('node 0 size of 9007199254740992 MB is past 2^53 KiB (8 EiB), more memory than any host has; ignored');
  });
});

describe('sortIds', () => {
  it('sorts numerically and drops repeats, sorted or not', () => {
    expect(sortIds([10, 9, 1, 10, 2])).toEqual([1, 2, 9, 10]);
    expect(sortIds([1, 2, 2, 3])).toEqual([1, 2, 3]);
    expect(sortIds(new Set([3, 1]))).toEqual([1, 3]);
    const given = [1, 2, 3];
    expect(sortIds(given)).not.toBe(given);
  });
});
