/**
 * The synthetic-host presets go through the normal ingest path as a paste and are checked two
 * ways: against the real talk host (corpus lscpu + numactl -H) for the E7, and against hwloc's own
 * reading of the same synthetic string (`lstopo-no-graphics -i STRING --of xml`, re-ingested) for
 * every preset, so the numbering trick with indexes= is hwloc's, not only ours.
 */
import { describe, expect, it } from 'vitest';
import { parseIdList } from '../../src/core/cpuset.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { linuxPuIndexes, resizeDistances, syntheticPaste } from '../../src/core/synthetic/compose.ts';
import { SYNTHETIC_PRESETS } from '../../src/core/synthetic/presets.ts';
import { readCorpus, runPeer } from '../support/corpus.ts';

function cpus(list: string): number[] {
  const r = parseIdList(list);
  if (!r.ok) throw new Error(`bad list ${list}`);
  return r.ids;
}

function hostOf(id: string): Host {
  const preset = SYNTHETIC_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  return ingest([{ name: id, text: syntheticPaste(preset) }]).host;
}

/** What must agree between two readings of one machine. */
function shape(host: Host) {
  return {
    packages: host.packages.map((p) => p.cpus),
    nodes: host.nodes.map((n) => ({ id: n.id, cpus: n.cpus, kind: n.kind, memoryKiB: n.memoryKiB })),
    siblings: host.cpus.map((c) => c.siblings),
    cores: host.cores.length,
  };
}

describe('synthetic presets', () => {
  it.each(SYNTHETIC_PRESETS.map((p) => [p.id]))('%s ingests without a diagnostic and with its whole distance matrix', (id) => {
    const preset = SYNTHETIC_PRESETS.find((p) => p.id === id)!;
    const result = ingest([{ name: id, text: syntheticPaste(preset) }]);
    expect(result.host.diagnostics).toEqual([]);
    expect(result.pastes[0].facts.map((f) => f.format)).toEqual(['hwloc-synthetic']);
    expect(result.host.distances).toEqual(preset.distances);
  });

  it("the talk's E7 has exactly the talk host's nodes, cores, siblings and distances", () => {
    const talk = ingest([
      { name: 'lscpu', text: readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt') },
      { name: 'numactl -H', text: readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt') },
    ]).host;
    const e7 = hostOf('talk-e7');
    expect(e7.nodes[0].cpus).toEqual(cpus('0-14,60-74'));
    expect(e7.cpus.find((c) => c.id === 17)?.siblings).toEqual([17, 77]);
    expect(e7.nodes.map((n) => n.cpus)).toEqual(talk.nodes.map((n) => n.cpus));
    expect(e7.packages.map((p) => p.cpus)).toEqual(talk.packages.map((p) => p.cpus));
    expect(e7.cpus.map((c) => c.siblings)).toEqual(talk.cpus.map((c) => c.siblings));
    expect(e7.cores.map((c) => c.cpus)).toEqual(talk.cores.map((c) => c.cpus));
    expect(e7.distances).toEqual(talk.distances);
  });

  it('the CXL host numbers its nodes as Linux does: CPU nodes 0-1, then the memory-only CXL nodes 2-3', () => {
    const cxl = hostOf('cxl-2s');
    expect(cxl.nodes.map((n) => [n.id, n.kind])).toEqual([
      [0, 'cpu+memory'],
      [1, 'cpu+memory'],
      [2, 'memory-only'],
      [3, 'memory-only'],
    ]);
    expect(cxl.nodes.map((n) => n.cpus)).toEqual([cpus('0-15,32-47'), cpus('16-31,48-63'), [], []]);
    expect(cxl.nodes.map((n) => n.memoryKiB)).toEqual([256, 256, 128, 128].map((g) => g * 1024 * 1024));
    // Each CXL node is nearest to the socket it hangs from.
    expect(cxl.distances[2]).toEqual([14, 24, 10, 28]);
    expect(cxl.distances[3]).toEqual([24, 14, 28, 10]);
  });

  it('EPYC NPS4 has four nodes per socket and one L3 per four cores', () => {
    const epyc = hostOf('epyc-2s-nps4');
    expect(epyc.nodes).toHaveLength(8);
    expect(epyc.nodes[0].cpus).toEqual(cpus('0-15,128-143'));
    const l3 = epyc.caches.filter((c) => c.level === 3);
    expect(l3).toHaveLength(32);
    expect(l3[0].cpus).toEqual(cpus('0-3,128-131'));
  });

  it.each(SYNTHETIC_PRESETS.map((p) => [p.id]))('%s: hwloc reads the same machine from the same string (lstopo -i)', (id) => {
    const preset = SYNTHETIC_PRESETS.find((p) => p.id === id)!;
    const xml = runPeer('lstopo-no-graphics', ['-i', preset.topology, '--of', 'xml']);
    const peer = ingest([{ name: 'lstopo.xml', text: xml }]).host;
    expect(shape(hostOf(id))).toEqual(shape(peer));
  });
});

describe('composing a synthetic paste', () => {
  it('numbers PUs the Linux way: every first thread, then every second', () => {
    expect(linuxPuIndexes(3, 2)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('keeps old distances when the node count changes and fills new ones', () => {
    expect(resizeDistances([[10, 21], [21, 10]], 3)).toEqual([[10, 21, 20], [21, 10, 20], [20, 20, 10]]);
    expect(resizeDistances([[10, 21], [21, 10]], 1)).toEqual([[10]]);
  });

  it('writes a matrix the ingest reads back', () => {
    const text = syntheticPaste({ topology: 'pack:2 [numa] core:2 pu:1', distances: [[10, 17], [17, 10]] });
    expect(ingest([{ name: 's', text }]).host.distances).toEqual([[10, 17], [17, 10]]);
  });
});
