/**
 * Where a CPU-less node sits: hwloc attaches MCDRAM/HBM/CXL memory to the object it hangs off,
 * and that object's CPUs are the node's locality (NumaNode.localCpus). Judged by Debian's
 * hwloc-calc, which prints the PUs of a node's cpuset from the same XML; the lstopo text of the
 * same machine must agree.
 */
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { cpuNodesBeside, nodeCpusText } from '../../src/core/host/locality.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { corpusPath, readCorpus, runPeer } from '../support/corpus.ts';

// hwloc 2.9 (Debian's) reads XML v1/v2 only; these are every such corpus file with a CPU-less node.
const FILES = ['hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml', 'hwloc-linux/128ia64-17n4s2c.lstopo.xml'];

function hwlocLocality(file: string, node: number): string {
  const pus = runPeer('hwloc-calc', ['-i', corpusPath(file), '--physical-input', `node:${node}`, '--physical-output', '--intersect', 'pu']).trim();
  return pus === '' ? '' : formatIdList(pus.split(',').map(Number));
}

describe('the locality of CPU-less nodes', () => {
  it.each(FILES)('%s: what hwloc-calc says each CPU-less node is local to', (file) => {
    const host = ingest([{ name: file, text: readCorpus(file) }]).host;
    const cpuless = host.nodes.filter((n) => n.cpus.length === 0);
    expect(cpuless.length).toBeGreaterThan(0);
    for (const n of cpuless) expect([n.id, formatIdList(n.localCpus ?? [])]).toEqual([n.id, hwlocLocality(file, n.id)]);
  });

  it('KNL SNC4: each MCDRAM sits beside one DRAM node, the same in hwloc XML and lstopo text', () => {
    const read = (file: string) => ingest([{ name: file, text: readCorpus(file) }]).host;
    const xml = read('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
    const text = read('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.lstopo.txt');
    const beside = (host: typeof xml) =>
      host.nodes.filter((n) => n.kind === 'memory-only').map((n) => [n.id, host.nodes.find((d) => d.cpus.length > 0 && formatIdList(d.cpus) === formatIdList(n.localCpus ?? []))?.id]);
    expect(beside(xml)).toEqual([
      [4, 1],
      [5, 2],
      [6, 3],
      [7, 0],
    ]);
    expect(beside(text)).toEqual(beside(xml));
    expect([4, 5, 6, 7].map((n) => cpuNodesBeside(xml, n))).toEqual([[1], [2], [3], [0]]);
    expect(nodeCpusText(xml, 7, '—')).toBe('— (beside node 0)');
    // hwloc states it: nothing was inferred, so the wording carries no "by distance".
    expect(xml.nodes.every((n) => n.localCpusFrom === undefined)).toBe(true);
    expect(nodeCpusText(xml, 0, '—')).toBe('0-3,16-19,32-35,48-51');
  });

  it('a CPU-less node without locality is just that (the Superdome\'s node 16: hwloc gives it no cpuset)', () => {
    const host = ingest([{ name: 'n', text: readCorpus('hwloc-linux/128ia64-17n4s2c.lstopo.xml') }]).host;
    expect(cpuNodesBeside(host, 16)).toEqual([]);
    expect(nodeCpusText(host, 16, '-')).toBe('-');
  });

  it('a node with CPUs is its own locality: no second list to keep in step', () => {
    const host = ingest([{ name: 'n', text: readCorpus('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml') }]).host;
    const withCpus = host.nodes.filter((n) => n.cpus.length > 0);
    expect(withCpus).toHaveLength(4);
    expect(withCpus.every((n) => n.localCpus === undefined)).toBe(true);
  });
});
