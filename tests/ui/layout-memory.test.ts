/**
 * CPU-less NUMA nodes drawn where hwloc attached them, judged by Debian's hwloc on the same input:
 * hwloc-info names the object each node is a memory child of (its cpuset) and lstopo prints the
 * node's logical index. Our box for that object is the one with exactly its CPUs that holds the
 * node (a NUMA node's box stands for the object its memory hangs off, as on every other host:
 * Package ⊃ NUMANode ⊃ L3 where hwloc has Package ⊃ {NUMANode, L3}). A node hwloc hung off an
 * object without CPUs has no place our sources can say: it is drawn in the machine's memories row.
 */
import { describe, expect, it } from 'vitest';
import { parseHexMask, sameIds, sortIds } from '../../src/core/cpuset.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import type { Host } from '../../src/core/host/model.ts';
import { syntheticPaste } from '../../src/core/synthetic/compose.ts';
import { SYNTHETIC_PRESETS } from '../../src/core/synthetic/presets.ts';
import { DEFAULT_OPTIONS, layoutHost, type HostLayout, type LayoutOptions, type Presentation } from '../../src/ui/host/layout.ts';
import { memoryLines, textWidth } from '../../src/ui/host/labels.ts';
import { hitTest } from '../../src/ui/host/hit-test.ts';
import { targetOfId } from '../../src/ui/dnd/gesture.ts';
import { corpusPath, readCorpus, runPeer } from '../support/corpus.ts';
import { apart, inside, lstopoIndexes } from '../support/layout.ts';

const KNL_XML = corpusPath('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
const CXL_DAX = corpusPath('hwloc-xml/cxlmem+dax.v2.xml');
const IA64 = corpusPath('hwloc-linux/128ia64-17n4s2c.lstopo.xml');
/** Memory hung off each package above the nodes of its two L3 clusters (hwloc numbers it after them). */
const PACKAGE_MEMORY = 'pack:2 [numa(memory=64GiB)] l3:2(size=16MiB) [numa(memory=32GiB)] core:4 pu:2';
const cxlPreset = SYNTHETIC_PRESETS.find((p) => p.id === 'cxl-2s');
if (!cxlPreset) throw new Error('the cxl-2s preset is gone');

interface Case {
  name: string;
  host: Host;
  /** What hwloc reads: an XML file or a synthetic string. */
  peerInput: string;
}

const cases: Case[] = [
  { name: 'KNL SNC4 hybrid, hwloc XML', host: ingest([{ name: 'knl.xml', text: readCorpus('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml') }]).host, peerInput: KNL_XML },
  { name: 'KNL SNC4 hybrid, lstopo text', host: ingest([{ name: 'knl.txt', text: readCorpus('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.lstopo.txt') }]).host, peerInput: KNL_XML },
  { name: 'the CXL synthetic preset', host: ingest([{ name: 'cxl', text: syntheticPaste(cxlPreset) }]).host, peerInput: cxlPreset.topology },
  { name: 'cxlmem+dax (CXL memory as DAX, no CPU-less node)', host: ingest([{ name: 'cxl.xml', text: readCorpus('hwloc-xml/cxlmem+dax.v2.xml') }]).host, peerInput: CXL_DAX },
  { name: 'memory attached to packages above their L3 nodes (synthetic)', host: ingest([{ name: 'pkg', text: PACKAGE_MEMORY }]).host, peerInput: PACKAGE_MEMORY },
  { name: 'ia64 Superdome, a node hung off a CPU-less group (hwloc XML)', host: ingest([{ name: 'ia64.xml', text: readCorpus('hwloc-linux/128ia64-17n4s2c.lstopo.xml') }]).host, peerInput: IA64 },
];

/** The object hwloc attached a node to: its type and CPUs (hwloc-info --ancestors, first parent). */
function hwlocParent(input: string, node: number): { type: string; cpus: number[] } {
  const text = runPeer('hwloc-info', ['--input', input, '-p', '--ancestors', `node:${node}`]);
  // One block per object, its first line unindented: "L3Cache L#0 = parent #1 of NUMANode L#1".
  const parent = text.split(/\n(?=\S)/).find((block) => / = parent #1 of NUMANode /.test(block.split('\n')[0]));
  const cpuset = parent && /\n cpuset = (0x[0-9a-f,x]+)/.exec(parent);
  if (!parent || !cpuset) throw new Error(`hwloc-info gave no parent for node ${node}:\n${text}`);
  const cpus = parseHexMask(cpuset[1]);
  if (!cpus.ok) throw new Error(cpus.error);
  return { type: parent.split(' ')[0], cpus: cpus.ids };
}

/**
 * Every CPU-less node sits in the box standing for the object hwloc attached it to (exactly its
 * CPUs), beside the memory of a node hwloc attached there too, and every node has lstopo's L#.
 */
function expectWhereHwlocPutsIt(l: HostLayout, c: Case): void {
  const peer = lstopoIndexes(c.peerInput).numa;
  const drawn = l.boxes.filter((b) => b.kind === 'NUMANode');
  expect(drawn.map((b) => b.os).sort(), 'every node drawn once').toEqual([...peer.keys()].sort());
  for (const b of drawn) expect(b.logical, `NUMANode P#${b.os}'s L#`).toBe(peer.get(b.os ?? -1));
  for (const node of c.host.nodes.filter((n) => n.cpus.length === 0)) {
    const box = l.byId.get(`NUMANode_${node.id}`);
    const mem = l.byId.get(`Memory_${node.id}`);
    const parent = box?.parent ? l.byId.get(box.parent) : undefined;
    if (!box || !mem || !parent) throw new Error(`node ${node.id} is not drawn in a box`);
    const attached = hwlocParent(c.peerInput, node.id);
    if (attached.cpus.length === 0) expect(parent.id, `node ${node.id}, hung off a ${attached.type} without CPUs`).toBe('Memories_0');
    else expect([node.id, sameIds(sortIds(parent.cpus), attached.cpus)], `node ${node.id} in the box of hwloc's ${attached.type}`).toEqual([node.id, true]);
    expect(inside(box, parent) && inside(mem, box), `node ${node.id} drawn inside ${parent.id}`).toBe(true);
    if (parent.kind === 'NUMANode') {
      // Beside the DRAM node's own memory: one row, top-aligned, in L# order from the left.
      const dram = l.byId.get(`Memory_${parent.node}`);
      if (!dram) throw new Error(`${parent.id} has no memory box`);
      expect([box.y, apart(box, dram), box.x > dram.x], `node ${node.id} beside ${dram.id}`).toEqual([dram.y, true, (box.logical ?? 0) > (dram.logical ?? 0)]);
    }
  }
}

describe('CPU-less NUMA nodes where hwloc attaches them', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: page layout', (_, c) => {
    const l = layoutHost(c.host, { ...DEFAULT_OPTIONS, factorize: 'off' });
    expectWhereHwlocPutsIt(l, c);
    expect(l.byId.has('Memories_0'), 'a row of nodes without a place only for those').toBe(c.host.nodes.some((n) => n.cpus.length === 0 && n.localCpus === undefined));
  });

  it('the KNL: each MCDRAM beside its quadrant’s DRAM, numbered right after it as lstopo does (DRAM L#0 P#0, MCDRAM L#1 P#7 …)', () => {
    const l = layoutHost(cases[0].host);
    const pairs = [...l.boxes]
      .filter((b) => b.kind === 'NUMANode')
      .sort((a, b) => (a.logical ?? 0) - (b.logical ?? 0))
      .map((b) => [b.logical, b.os, b.parent]);
    expect(pairs).toEqual([
      [0, 0, 'Package_0'],
      [1, 7, 'NUMANode_0'],
      [2, 1, 'Package_0'],
      [3, 4, 'NUMANode_1'],
      [4, 2, 'Package_0'],
      [5, 5, 'NUMANode_2'],
      [6, 3, 'Package_0'],
      [7, 6, 'NUMANode_3'],
    ]);
    // Its memory box says what it is, in its own words, and is wide enough for them.
    const mem = l.byId.get('Memory_7');
    const lines = memoryLines(cases[0].host, 7, 'both', mem);
    expect(lines).toEqual(['NUMANode L#1 P#7 (2 GiB)', 'memory-only MCDRAM']);
    const need = Math.max(textWidth(lines[0], l.metrics.font.label, true), textWidth(lines[1], l.metrics.font.small)) + l.metrics.inset * 2;
    expect(need).toBeLessThanOrEqual(mem?.w ?? 0);
  });

  it('memory hung off a package is drawn in the package above its nodes, and numbered after them as hwloc does', () => {
    const l = layoutHost(cases[4].host);
    const node = l.byId.get('NUMANode_2');
    const below = l.byId.get('NUMANode_0');
    expect([node?.parent, node?.logical, below?.parent, below?.logical]).toEqual(['Package_0', 2, 'Package_0', 0]);
    expect((node?.y ?? 0) + (node?.h ?? 0)).toBeLessThanOrEqual(below?.y ?? 0);
  });

  it('a node without a place is numbered last, as hwloc numbers memory hung off the machine (lstopo: L#16)', () => {
    const l = layoutHost(cases[5].host);
    expect([l.byId.get('NUMANode_16')?.parent, l.byId.get('NUMANode_16')?.logical, l.byId.get('Memory_16')?.logical]).toEqual(['Memories_0', 16, 16]);
  });

  it('keeps every guest-facing id: NUMANode_n and Memory_n for each node, memory boxes inside their node', () => {
    for (const c of cases) {
      const l = layoutHost(c.host);
      for (const n of c.host.nodes) {
        const box = l.byId.get(`NUMANode_${n.id}`);
        const mem = l.byId.get(`Memory_${n.id}`);
        expect([n.id, box?.node, mem?.node, mem?.parent]).toEqual([n.id, n.id, n.id, `NUMANode_${n.id}`]);
      }
    }
  });

  it('a drop or a hover on an MCDRAM box means that node, not the DRAM node around it', () => {
    const host = cases[0].host;
    const l = layoutHost(host);
    const hits = hitTest(l);
    /** What a drop at a point targets: the deepest box there that is a target (DragLayer's targetAt). */
    const dropAt = (x: number, y: number) => {
      const box = hits.at(x, y);
      for (const b of box ? hits.chain(box) : []) {
        const t = targetOfId(b.id, host);
        if (t) return t;
      }
      return null;
    };
    for (const n of host.nodes.filter((x) => x.cpus.length === 0)) {
      const mem = l.byId.get(`Memory_${n.id}`);
      const frame = l.byId.get(`NUMANode_${n.id}`);
      if (!mem || !frame) throw new Error(`node ${n.id} not drawn`);
      expect(hits.at(mem.x + mem.w / 2, mem.y + mem.h / 2)?.id).toBe(`Memory_${n.id}`);
      expect(dropAt(mem.x + mem.w / 2, mem.y + mem.h / 2)).toEqual({ kind: 'node', node: n.id });
      // Its dashed frame, outside the memory box, is the node too.
      expect(dropAt(frame.x + 1, frame.y + 1)).toEqual({ kind: 'node', node: n.id });
    }
    const dram = l.byId.get('Memory_0');
    expect(dram && dropAt(dram.x + 2, dram.y + dram.h / 2)).toEqual({ kind: 'node', node: 0 });
  });

  describe('on a presenter’s screen', () => {
    const screen = (detail: Presentation['detail']): Presentation => ({ width: 1868, height: 860, type: 20, detail, indexMode: 'both' });
    // The Superdome's 64 packages do not fit one 1080p screen at 20 px, memory or not.
    const screenSized = cases.filter((c) => c.peerInput !== IA64);
    it.each(screenSized.map((c) => [c.name, c] as const))('%s: in every scene, each CPU-less node still where hwloc puts it, its words fitting at 20 px', (_, c) => {
      for (const detail of ['nodes', 'threads', 'full'] as const) {
        const options: LayoutOptions = { ...DEFAULT_OPTIONS, presentation: screen(detail) };
        const l = layoutHost(c.host, options);
        expect(l.width <= 1868 && l.height <= 860, `${detail}: ${Math.round(l.width)}×${Math.round(l.height)} fits`).toBe(true);
        for (const node of c.host.nodes) {
          const mem = l.byId.get(`Memory_${node.id}`);
          const lines = memoryLines(c.host, node.id, 'both', mem);
          const need = Math.max(textWidth(lines[0], 20, true), textWidth(lines[1], 20)) + l.metrics.inset;
          expect(need, `${detail}: Memory_${node.id}'s lines`).toBeLessThanOrEqual(mem?.w ?? 0);
        }
        // Folding and leaving caches out move no memory: the L#s and parents are the page's.
        if (detail === 'full') expectWhereHwlocPutsIt(l, c);
      }
    });
  });
});
