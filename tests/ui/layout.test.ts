/**
 * The host view's geometry on real hosts: every object drawn once inside its parent, counts and
 * logical indexes as lstopo (the peer, run on the same XML) prints them, factorising that hides
 * nothing for good, CPU-less nodes and offline PUs kept visible.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/core/ingest/index.ts';
import type { Host } from '../../src/core/host/model.ts';
import { DEFAULT_OPTIONS, layoutHost, type Box, type HostLayout, type Presentation } from '../../src/ui/host/layout.ts';
import { boxLabel, cacheText, memoryLines, textWidth } from '../../src/ui/host/labels.ts';
import { syntheticPaste } from '../../src/core/synthetic/compose.ts';
import { SYNTHETIC_PRESETS } from '../../src/core/synthetic/presets.ts';
import { IO_COMPACT_LINES } from '../../src/ui/host/io.ts';
import { hwlocXml, SYNTHETIC_4096 } from '../../bench/generate.ts';
import { corpusHost, corpusPath } from '../support/corpus.ts';
import { expectNested, lstopoIndexes } from '../support/layout.ts';
import { talkHost } from '../support/golden.ts';

const count = (l: HostLayout, kind: Box['kind']) => l.boxes.filter((b) => b.kind === kind).length;

describe('host view layout', () => {
  it('draws the talk host as lstopo nests it: Package ⊃ NUMANode ⊃ L3 ⊃ Core ⊃ PU', () => {
    const host = talkHost();
    const l = layoutHost(host);
    expect([count(l, 'Package'), count(l, 'NUMANode'), count(l, 'Core'), count(l, 'PU'), count(l, 'More')]).toEqual([4, 4, 60, 120, 0]);
    const chain: string[] = [];
    for (let b = l.byId.get('PU_60'); b; b = b.parent ? l.byId.get(b.parent) : undefined) chain.push(b.id.replace(/_\d+$/, ''));
    expect(chain).toEqual(['PU', 'Core', 'L3', 'NUMANode', 'Package', 'Machine']);
    expect(l.byId.get('PU_60')?.parent).toBe('Core_0');
    // Logical order is tree order: CPU 60 is the second PU of the first core, as lstopo numbers it.
    expect(l.byId.get('PU_60')?.logical).toBe(1);
    expect(l.byId.get('PU_1')?.logical).toBe(2);
    // The memory box sits above the node's cores.
    const mem = l.byId.get('Memory_0');
    const core = l.byId.get('Core_0');
    expect(mem && core && mem.y + mem.h <= core.y).toBe(true);
    expectNested(l);
  });

  for (const file of [
    ['hwloc-linux', '32em64t-2n8c+dax+nvme+mic+dimms.lstopo.xml'],
    ['hwloc-linux', '16em64t-4s2c2t-offlines.lstopo.xml'],
    ['hwloc-linux', '128arm-2pa2n8cluster4co.lstopo.xml'],
    ['hwloc-xml', '96em64t-4n4d3ca2co-pci.xml'],
  ]) {
    it(`numbers PUs and NUMA nodes like lstopo on ${file[1]}`, () => {
      const host = corpusHost(file.join('/'));
      const l = layoutHost(host, { factorize: 'off', expanded: new Set(), keep: new Set() });
      const peer = lstopoIndexes(corpusPath(...file));
      const pus = l.boxes.filter((b) => b.kind === 'PU' && b.online !== false);
      expect(pus.length).toBe(peer.pu.size);
      for (const b of pus) expect(b.logical, `PU P#${b.os}`).toBe(peer.pu.get(b.os ?? -1));
      for (const b of l.boxes.filter((x) => x.kind === 'NUMANode')) expect(b.logical, `NUMANode P#${b.os}`).toBe(peer.numa.get(b.os ?? -1));
      expect(count(l, 'Core')).toBe(peer.cores);
      expectNested(l);
    });
  }

  it('marks offline PUs and keeps them drawn', () => {
    const host = corpusHost('hwloc-linux/16em64t-4s2c2t-offlines.lstopo.xml');
    const l = layoutHost(host);
    const offline = host.cpus.filter((c) => !c.online).map((c) => `PU_${c.id}`);
    expect(offline.length).toBeGreaterThan(0);
    for (const id of offline) expect(l.byId.get(id)?.online).toBe(false);
  });

  it('draws a CPU-less node in the machine’s memories row', () => {
    const host = corpusHost('hwloc-linux/128ia64-17n4s2c.lstopo.xml');
    const l = layoutHost(host);
    const cpuless = host.nodes.filter((n) => n.cpus.length === 0);
    expect(cpuless.map((n) => n.id)).toEqual([16]);
    expect(l.byId.get('NUMANode_16')?.parent).toBe('Memories_0');
    expect(l.byId.get('Memory_16')?.parent).toBe('NUMANode_16');
    expect(count(l, 'NUMANode')).toBe(17);
    expectNested(l);
  });

  it('factorises the 4096-PU host (made by lstopo) without losing a PU, and expands on request', () => {
    const host = ingest([{ name: 'synthetic.xml', text: hwlocXml(SYNTHETIC_4096) }]).host;
    const folded = layoutHost(host);
    const more = folded.boxes.filter((b) => b.kind === 'More');
    expect(more.length).toBeGreaterThan(0);
    const hiddenPus = more.reduce((s, b) => s + (b.hidden?.pus ?? 0), 0);
    const hiddenCores = more.reduce((s, b) => s + (b.hidden?.cores ?? 0), 0);
    expect(count(folded, 'PU') + hiddenPus).toBe(4096);
    expect(count(folded, 'Core') + hiddenCores).toBe(host.cores.length);
    expect(folded.boxes.length).toBeLessThan(800);
    // Folded PUs keep their logical numbers: the last PU of the first L3 is L#127.
    const last = folded.byId.get('PU_127');
    expect(last?.logical).toBe(127);

    const keep = new Set([200, 201]);
    const kept = layoutHost(host, { factorize: 'auto', expanded: new Set(), keep });
    expect(kept.byId.has('PU_200') && kept.byId.has('PU_201')).toBe(true);

    const all = layoutHost(host, { factorize: 'auto', expanded: new Set(more.map((b) => b.id)), keep: new Set() });
    expect(count(all, 'PU')).toBe(4096);
    expect(count(all, 'More')).toBe(0);
    expectNested(folded);
  });

  it('puts each PCI device in an I/O box inside the NUMA node hwloc-calc says it is local to', () => {
    const file = ['hwloc-linux', '32em64t-2n8c+dax+nvme+mic+dimms.lstopo.xml'];
    const host = corpusHost(file.join('/'));
    const localities = [...new Set(host.pci.map((d) => d.node))];
    const open = layoutHost(host, { factorize: 'auto', expanded: new Set(localities.map((n) => `IO_${n ?? 'unknown'}`)), keep: new Set() });
    const drawn = new Map<string, Box>();
    for (const b of open.boxes.filter((x) => x.kind === 'IO')) {
      expect(b.parent, b.id).toBe(b.node === undefined ? 'Machine_0' : `NUMANode_${b.node}`);
      for (const line of b.io?.lines ?? []) if (line.bdf) drawn.set(line.bdf, b);
    }
    expect([...drawn.keys()].sort()).toEqual(host.pci.filter((d) => !d.physfn).map((d) => d.bdf).sort());
    // hwloc-calc locates end devices (pci=…), not bridges; a bridge goes with its devices.
    for (const [bdf, box] of drawn) {
      if (host.pci.find((d) => d.bdf === bdf)?.isBridge) continue;
      const peer = execFileSync('hwloc-calc', ['--input', corpusPath(...file), '-p', `pci=${bdf}`, '--intersect', 'NUMAnode'], { encoding: 'utf8' }).trim();
      expect(peer, bdf).toBe(String(box.node));
    }
    expectNested(open);
    // Folded, a box names a few devices (an NVMe drive before the bridges) and says how to see the rest.
    const folded = layoutHost(host);
    const io0 = folded.byId.get('IO_0');
    const lines = io0?.io?.lines ?? [];
    expect(lines.filter((l) => l.bdf).length).toBeLessThanOrEqual(IO_COMPACT_LINES);
    expect(lines.find((l) => l.bdf === '0000:00:02.0')?.text).toMatch(/^00:02\.0 Non-Volatile memory controller nvme0n1/);
    expect(lines.some((l) => l.kind === 'bridge')).toBe(false);
    expect(lines[lines.length - 1].text).toMatch(/click for the tree/);
    expectNested(folded);
  });
});

describe('host view layout for a presenter’s screen', () => {
  const talk = talkHost();
  const preset = (id: string) => {
    const p = SYNTHETIC_PRESETS.find((x) => x.id === id);
    if (!p) throw new Error(id);
    return ingest([{ name: id, text: syntheticPaste(p) }]).host;
  };
  /** The scene of a 1080p presenter under a title and one line of details. */
  const screen = (detail: Presentation['detail'], size: Partial<Presentation> = {}): Presentation => ({ width: 1868, height: 860, type: 20, detail, indexMode: 'both', ...size });
  const present = (host: Host, p: Presentation, keep: ReadonlySet<number> = new Set()) => layoutHost(host, { ...DEFAULT_OPTIONS, keep, presentation: p });
  const fits = (l: HostLayout, p: Presentation) => l.width <= p.width && l.height <= p.height;

  /** Every label's width at the layout's type fits its box (the e2e measures the same in Chromium). */
  function expectLabelsFit(l: HostLayout, host: Host): void {
    const m = l.metrics;
    for (const b of l.boxes) {
      let need = 0;
      if (b.kind === 'PU') need = Math.max(textWidth(`L#${b.logical}`, m.font.pu), textWidth(`P#${b.os}`, m.font.pu));
      else if (b.kind === 'Memory') need = Math.max(...memoryLines(host, b.node ?? -1, 'both', b).map((t, i) => textWidth(t, m.font.label, i === 0)));
      else if (b.kind === 'Core') need = Math.max(textWidth(boxLabel(b, 'both', host), m.font.label), textWidth((b.caches ?? []).map((c) => cacheText(c.level, c.type, c.sizeKiB)).join(' · '), m.font.small));
      else if (b.kind !== 'NUMANode' && b.kind !== 'IO') need = textWidth(boxLabel(b, 'both', host), m.font.label, b.kind === 'More');
      expect(need + m.inset, `${b.id}'s label`).toBeLessThanOrEqual(b.w);
    }
  }

  it('draws the whole talk host, every PU, at 20 px type on a 1080p scene', () => {
    const p = screen('threads');
    const l = present(talk, p);
    expect(fits(l, p)).toBe(true);
    expect([count(l, 'Package'), count(l, 'NUMANode'), count(l, 'Core'), count(l, 'PU'), count(l, 'More')]).toEqual([4, 4, 60, 120, 0]);
    expect(l.metrics.font).toEqual({ label: 20, small: 20, pu: 20, io: 20 });
    // Logical indexes are the page's: leaving the caches out renumbers nothing.
    expect(l.byId.get('PU_60')?.logical).toBe(1);
    expectLabelsFit(l, talk);
    expectNested(l);
  });

  it('draws only what a scene needs: nodes and their memory, or threads without the caches', () => {
    const nodes = present(talk, screen('nodes'));
    expect([count(nodes, 'NUMANode'), count(nodes, 'Memory'), count(nodes, 'Core'), count(nodes, 'PU'), count(nodes, 'L3')]).toEqual([4, 4, 0, 0, 0]);
    const threads = present(talk, screen('threads'));
    expect(count(threads, 'L3')).toBe(0);
    expect(threads.boxes.every((b) => b.caches === undefined)).toBe(true);
    const full = present(talk, screen('full'));
    expect(count(full, 'L3')).toBe(4);
    expect(full.byId.get('Core_0')?.caches?.length).toBeGreaterThan(0);
    for (const l of [nodes, threads, full]) expectNested(l);
  });

  it('packs its children for the screen: wide on a wide screen, tall on a tall one', () => {
    const wide = present(talk, screen('threads'));
    const tall = present(talk, screen('threads', { width: 1000, height: 1900 }));
    expect(wide.width / wide.height).toBeGreaterThan(1.6);
    expect(tall.width / tall.height).toBeLessThan(0.8);
    expect(fits(tall, screen('threads', { width: 1000, height: 1900 }))).toBe(true);
  });

  it('folds runs of cores (and then L3s) only as far as the screen needs, never a node or a pinned CPU', () => {
    // 256 PUs with every cache: unfolded it is twice the screen.
    const epyc = preset('epyc-2s-nps4');
    const p = screen('full');
    const unfolded = layoutHost(epyc, { ...DEFAULT_OPTIONS, factorize: 'off', presentation: p });
    expect(fits(unfolded, p)).toBe(false);
    const l = present(epyc, p, new Set([200, 201]));
    expect(fits(l, p)).toBe(true);
    expect(count(l, 'More')).toBeGreaterThan(0);
    expect(count(l, 'NUMANode')).toBe(8);
    expect(count(l, 'Package')).toBe(2);
    expect(l.byId.has('PU_200') && l.byId.has('PU_201')).toBe(true);
    const hidden = l.boxes.filter((b) => b.kind === 'More').reduce((n, b) => n + (b.hidden?.pus ?? 0), 0);
    expect(count(l, 'PU') + hidden).toBe(256);
    expectLabelsFit(l, epyc);
    expectNested(l);
    // The talk host fits unfolded; so it stays unfolded, whatever the detail.
    expect(count(present(talk, screen('threads')), 'More')).toBe(0);
  });

  it.each(SYNTHETIC_PRESETS.map((x) => [x.id]))('%s fits a 1080p scene at 20 px in every detail', (id) => {
    const host = preset(id);
    for (const detail of ['nodes', 'threads', 'full'] as const) {
      const p = screen(detail);
      const l = present(host, p);
      expect(fits(l, p), `${detail}: ${Math.round(l.width)}×${Math.round(l.height)}`).toBe(true);
      expectLabelsFit(l, host);
      expectNested(l);
    }
  });
});

describe('page titles fit their boxes', () => {
  it('every core of the 4096-PU host, drawn in full, is as wide as its title with both indexes ("Core L#1156 P#1156")', () => {
    const host = ingest([{ name: 'x', text: hwlocXml(SYNTHETIC_4096) }]).host;
    const l = layoutHost(host, { ...DEFAULT_OPTIONS, factorize: 'off' });
    const cores = l.boxes.filter((b) => b.kind === 'Core');
    expect(cores).toHaveLength(2048);
    const narrow = cores.filter((b) => b.w < textWidth(boxLabel(b, 'both', host), l.metrics.font.label) + l.metrics.inset * 2);
    expect(narrow.map((b) => b.id)).toEqual([]);
  });
});
