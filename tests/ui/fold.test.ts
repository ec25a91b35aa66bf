/**
 * Folding identical siblings at every level, as lstopo --factorize does, on real and generated
 * hosts: the tree and its signatures (core/host/tree.ts, symmetry.ts), fold.ts's marks, and the
 * page layout choosing the least fold that reads at READABLE_PX once fitted in its view.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { subtreeSignatures } from '../../src/core/host/symmetry.ts';
import { hostTree, type TreeNode } from '../../src/core/host/tree.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { fold, PAGE_FOLDS } from '../../src/ui/host/fold.ts';
import { hitTest } from '../../src/ui/host/hit-test.ts';
import { FIT_MARGIN, layoutHost, READABLE_PX, type HostLayout, type LayoutOptions } from '../../src/ui/host/layout.ts';
import { DRAWING_HOSTS } from '../../bench/hosts.ts';
import { corpusHost } from '../support/corpus.ts';
import { expectNested } from '../support/layout.ts';

const SAMPLES = resolve(import.meta.dirname, '../../public/samples');
const samples = (JSON.parse(readFileSync(resolve(SAMPLES, 'index.json'), 'utf8')) as { samples: { id: string; files: string[] }[] }).samples;
const sampleHost = (files: string[]) => ingest(files.map((f) => ({ name: f, text: readFileSync(resolve(SAMPLES, f), 'utf8') }))).host;
const generated = (paste: string) => ingest([{ name: 'generated', text: paste }]).host;

/** The host view in a 1600×1000 window, and in a 1400×1000 one (the e2e tests' window). */
const FRAMES = [
  { width: 1056, height: 816 },
  { width: 928, height: 816 },
];

const options = (frame: LayoutOptions['frame'], more: Partial<LayoutOptions> = {}): LayoutOptions => ({ factorize: 'auto', expanded: new Set(), keep: new Set(), frame, ...more });
const fitScale = (l: HostLayout, f: { width: number; height: number }) => Math.min((f.width - FIT_MARGIN * 2) / l.width, (f.height - FIT_MARGIN * 2) / l.height, 2);
const count = (l: HostLayout, kind: string) => l.boxes.filter((b) => b.kind === kind).length;
const hidden = (l: HostLayout, what: 'pus' | 'cores') => l.boxes.reduce((n, b) => n + (b.kind === 'More' ? (b.hidden?.[what] ?? 0) : 0), 0);

function find(n: TreeNode, id: string): TreeNode | undefined {
  if (n.id === id) return n;
  for (const c of n.children) {
    const f = find(c, id);
    if (f) return f;
  }
  return undefined;
}

describe('object tree and signatures', () => {
  it('gives the 24 nodes of the SGI one signature though their memory differs, as lstopo folds them', () => {
    const host = corpusHost('hwloc-xml/192em64t-24n8c2t.xml');
    expect(new Set(host.nodes.map((n) => n.memoryKiB)).size).toBeGreaterThan(1);
    const tree = hostTree(host);
    const sigs = subtreeSignatures(tree);
    const nodes = host.nodes.map((n) => find(tree, `NUMANode_${n.id}`));
    expect(nodes.every(Boolean)).toBe(true);
    expect(new Set(nodes.map((n) => sigs.get(n as TreeNode))).size).toBe(1);
  });

  it('tells apart a package with an offline PU from its twins, and keeps it out of their fold', () => {
    const host = generated(DRAWING_HOSTS.find((h) => h.id === 'sixteen-sockets')!.paste);
    const cpu = host.cpus.find((c) => c.package === 5)!;
    cpu.online = false;
    const tree = hostTree(host);
    const sigs = subtreeSignatures(tree);
    const packages = tree.children.filter((c) => c.kind === 'Package');
    expect(packages).toHaveLength(16);
    expect(new Set(packages.map((p) => sigs.get(p))).size).toBe(2);
    const marks = fold(tree, PAGE_FOLDS.find((r) => r.run === 2 && r.kinds.has('Package'))!, sigs, new Set(), { cpus: new Set(), nodes: new Set() });
    expect(marks.has(packages[5])).toBe(false);
    expect(marks.get(packages[1])).toMatchObject({ kind: 'dots', members: packages.slice(1, 4) });
  });
});

describe('fold marks', () => {
  const superdome = generated(DRAWING_HOSTS.find((h) => h.id === 'superdome-32s')!.paste);

  it('folds 32 packages to first, "… 30× …", last, and keeps the package a guest is pinned in', () => {
    const tree = hostTree(superdome);
    const sigs = subtreeSignatures(tree);
    const every = PAGE_FOLDS.find((r) => r.run === 2 && r.kinds.has('Package'))!;
    const plain = fold(tree, every, sigs, new Set(), { cpus: new Set(), nodes: new Set() });
    const dots = [...plain.values()].filter((m) => m.kind === 'dots');
    const packageDots = dots.find((m) => m.kind === 'dots' && m.members[0].kind === 'Package');
    expect(packageDots?.kind === 'dots' && packageDots.members.map((m) => m.os)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));

    // A CPU of package 17 pinned: package 17 is drawn, the folds close around it.
    const cpu = superdome.cpus.find((c) => c.package === 17)!.id;
    const kept = fold(tree, every, sigs, new Set(), { cpus: new Set([cpu]), nodes: new Set() });
    const p17 = tree.children.find((c) => c.id === 'Package_17')!;
    expect(kept.has(p17)).toBe(false);
    const runs = [...kept.values()].flatMap((m) => (m.kind === 'dots' && m.members[0].kind === 'Package' ? [m.members.map((x) => x.os)] : []));
    expect(runs).toEqual([Array.from({ length: 16 }, (_, i) => i + 1), Array.from({ length: 13 }, (_, i) => i + 18)]);
    // A highlighted node is kept the same way.
    const lit = fold(tree, every, sigs, new Set(), { cpus: new Set(), nodes: new Set([9]) });
    expect(lit.has(tree.children.find((c) => c.id === 'Package_9')!)).toBe(false);
  });

  it('opens one fold by its id and leaves the others folded', () => {
    const tree = hostTree(superdome);
    const sigs = subtreeSignatures(tree);
    const every = PAGE_FOLDS.find((r) => r.run === 2 && r.kinds.has('Package'))!;
    const open = fold(tree, every, sigs, new Set(['More_Package_1']), { cpus: new Set(), nodes: new Set() });
    expect([...open.values()].some((m) => m.kind === 'dots' && m.members[0].kind === 'Package')).toBe(false);
    expect([...open.values()].some((m) => m.kind === 'dots' && m.members[0].kind === 'Core')).toBe(true);
  });
});

describe('the tightest fold: one sibling beside a kept one', () => {
  const epyc = generated(DRAWING_HOSTS.find((h) => h.id === 'epyc-2s-nps4')!.paste);
  const tree = hostTree(epyc);
  const sigs = subtreeSignatures(tree);
  const last = PAGE_FOLDS[PAGE_FOLDS.length - 1];
  const packages = tree.children.filter((c) => c.kind === 'Package');

  it('folds the other socket of a two-socket host whole when the first holds a guest', () => {
    const marks = fold(tree, last, sigs, new Set(), { cpus: new Set([packages[0].cpus[1]]), nodes: new Set() });
    expect(marks.get(packages[1])).toMatchObject({ kind: 'dots', members: [packages[1]] });
    expect(marks.has(packages[0])).toBe(false);
  });

  it('leaves a lone sibling drawn where nothing is kept', () => {
    const marks = fold(tree, last, sigs, new Set(), { cpus: new Set(), nodes: new Set() });
    expect(marks.has(packages[1])).toBe(false);
  });
});

describe('the page folds as far as its labels need to read at Fit', () => {
  const hosts: [string, () => Host][] = [
    ...samples.map((s): [string, () => Host] => [`sample ${s.id}`, () => sampleHost(s.files)]),
    ...DRAWING_HOSTS.map((h): [string, () => Host] => [h.id, () => generated(h.paste)]),
    ['POWER7 256ppc-8n8s4t', () => corpusHost('hwloc-linux/256ppc-8n8s4t.lstopo.xml')],
    ['Kunpeng 128arm-2pa2n8cluster4co', () => corpusHost('hwloc-linux/128arm-2pa2n8cluster4co.lstopo.xml')],
  ];

  it.each(hosts)('%s: every label ≥ 10 px at Fit, nothing lost', (_, make) => {
    const host = make();
    for (const frame of FRAMES) {
      const l = layoutHost(host, options(frame));
      const k = fitScale(l, frame);
      const smallest = Math.min(l.metrics.font.label, l.metrics.font.small, l.metrics.font.pu, l.metrics.font.io);
      expect(smallest * k, `${frame.width}×${frame.height}: ${Math.round(l.width)}×${Math.round(l.height)}`).toBeGreaterThanOrEqual(READABLE_PX);
      expect(count(l, 'PU') + hidden(l, 'pus')).toBe(host.cpus.length);
      expect(count(l, 'Core') + hidden(l, 'cores')).toBe(host.cores.length);
      expectNested(l);
    }
  });

  it('folds nothing on a host that reads whole, and everything stays drawn with folding off', () => {
    const small = sampleHost(['24em64t-2n6c2t-pci.xml']);
    expect(count(layoutHost(small, options(FRAMES[0])), 'More')).toBe(0);
    const epyc = generated(DRAWING_HOSTS.find((h) => h.id === 'epyc-2s-nps4')!.paste);
    expect(count(layoutHost(epyc, options(FRAMES[0])), 'More')).toBeGreaterThan(0);
    const all = layoutHost(epyc, options(FRAMES[0], { factorize: 'off' }));
    expect([count(all, 'More'), count(all, 'PU')]).toEqual([0, 384]);
  });

  it('opening a fold, pinning a guest or lighting a node up leaves the other folds as they were', () => {
    const host = generated(DRAWING_HOSTS.find((h) => h.id === 'superdome-32s')!.paste);
    const frame = FRAMES[0];
    const folded = layoutHost(host, options(frame));
    const folds = folded.boxes.filter((b) => b.kind === 'More').map((b) => b.id);
    expect(folds).toContain('More_Package_1');
    const opened = layoutHost(host, options(frame, { expanded: new Set(['More_Package_1']) }));
    const after = opened.boxes.filter((b) => b.kind === 'More').map((b) => b.id);
    expect(after).not.toContain('More_Package_1');
    // The other folds stay: each package drawn now folds its cores as the first one did.
    for (const id of folds.filter((f) => f !== 'More_Package_1')) expect(after).toContain(id);
    expect(opened.byId.has('Package_15')).toBe(true);

    const node = host.nodes[20].id;
    const lit = layoutHost(host, options(frame, { keepNodes: new Set([node]) }));
    expect(lit.byId.has(`NUMANode_${node}`)).toBe(true);
    for (const id of folds.filter((f) => f !== 'More_Package_1')) expect(lit.byId.has(id)).toBe(true);
    const cpu = host.nodes[7].cpus[3];
    const pinned = layoutHost(host, options(frame, { keep: new Set([cpu]) }));
    expect(pinned.byId.has(`PU_${cpu}`)).toBe(true);
    expectNested(pinned);
  });

  it('hit-tests a folded drawing: the middle of a fold is the fold, of a drawn PU that PU', () => {
    const host = generated(DRAWING_HOSTS.find((h) => h.id === 'synthetic-4096')!.paste);
    const l = layoutHost(host, options(FRAMES[0]));
    const hits = hitTest(l);
    const folds = l.boxes.filter((b) => b.kind === 'More');
    expect(folds.length).toBeGreaterThan(0);
    for (const b of [...folds, ...l.boxes.filter((x) => x.kind === 'PU')]) expect(hits.at(b.x + b.w / 2, b.y + b.h / 2)?.id).toBe(b.id);
  });
});
