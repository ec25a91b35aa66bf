/**
 * Folds around what a guest holds (src/ui/host/kept.ts, layout.ts): a guest the partitioning core
 * lays out with mode auto keeps its pinned PUs and its nodes drawn, and the page's drawing still
 * reads at READABLE_PX once fitted in its view — the other members fold tighter where the kept
 * ones would not read otherwise, and nowhere else.
 */
import { describe, expect, it } from 'vitest';
import { DRAWING_HOSTS } from '../../bench/hosts.ts';
import { affinityMap } from '../../src/core/emit/affinity.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { DEFAULT_REQUEST } from '../../src/core/partition/request.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { guestKeep } from '../../src/ui/host/kept.ts';
import { FIT_MARGIN, layoutHost, READABLE_PX, type HostLayout, type LayoutOptions } from '../../src/ui/host/layout.ts';
import { corpusHost } from '../support/corpus.ts';
import { expectNested } from '../support/layout.ts';

const GiB = 1024 * 1024;
const generated = (id: string) => ingest([{ name: id, text: DRAWING_HOSTS.find((h) => h.id === id)!.paste }]).host;

/** The host view in a 1600×1000 window beside the node overview, and without it. */
const FRAMES = [
  { width: 768, height: 816 },
  { width: 1056, height: 816 },
];

const fitScale = (l: HostLayout, f: { width: number; height: number }) => Math.min((f.width - FIT_MARGIN * 2) / l.width, (f.height - FIT_MARGIN * 2) / l.height, 2);
const smallestPx = (l: HostLayout, f: { width: number; height: number }) => Math.min(l.metrics.font.label, l.metrics.font.small, l.metrics.font.pu, l.metrics.font.io) * fitScale(l, f);
const hiddenPus = (l: HostLayout) => l.boxes.reduce((n, b) => n + (b.kind === 'More' ? (b.hidden?.pus ?? 0) : 0), 0);
const folds = (l: HostLayout) => l.boxes.filter((b) => b.kind === 'More').map((b) => b.id);

/** What the host view keeps drawn for a guest of this size laid out by mode auto, and the nodes it spans. */
function guestOn(host: Host, vcpus: number, gib: number): { keep: Pick<LayoutOptions, 'keep' | 'keepNodes'>; pinned: number[]; nodes: number[] } {
  const { layout, diagnostics } = solve(host, { ...DEFAULT_REQUEST, vcpus, memoryKiB: gib * GiB });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const kept = guestKeep([affinityMap(host, layout)]);
  return { keep: { keep: new Set(kept.cpus), keepNodes: new Set(kept.nodes) }, pinned: layout.pins.flatMap((p) => p.cpus), nodes: kept.nodes };
}

const page = (frame: LayoutOptions['frame'], more: Partial<LayoutOptions> = {}): LayoutOptions => ({ factorize: 'auto', expanded: new Set(), keep: new Set(), frame, ...more });

describe('a guest laid out on a big host keeps what it holds drawn, and the drawing still reads at Fit', () => {
  const cases: [string, () => Host, number, number, number][] = [
    ['EPYC 2S NPS4, one node', () => generated('epyc-2s-nps4'), 16, 32, 1],
    ['32 sockets, one node', () => generated('superdome-32s'), 16, 32, 1],
    ['32 sockets, two nodes', () => generated('superdome-32s'), 96, 256, 2],
    ['SGI 24 nodes of 31 GiB, two nodes', () => corpusHost('hwloc-xml/192em64t-24n8c2t.xml'), 16, 32, 2],
  ];

  it.each(cases)('%s: every label ≥ 10 px at Fit, every pinned PU drawn, nothing lost', (_, make, vcpus, gib, spans) => {
    const host = make();
    const { keep, pinned, nodes } = guestOn(host, vcpus, gib);
    expect(nodes).toHaveLength(spans);
    expect(pinned).toHaveLength(vcpus);
    for (const frame of FRAMES) {
      const l = layoutHost(host, page(frame, keep));
      const where = `${frame.width}×${frame.height}: ${Math.round(l.width)}×${Math.round(l.height)}`;
      expect(smallestPx(l, frame), where).toBeGreaterThanOrEqual(READABLE_PX);
      expect(pinned.filter((c) => !l.byId.has(`PU_${c}`)), where).toEqual([]);
      for (const n of nodes) expect(l.byId.has(`NUMANode_${n}`), where).toBe(true);
      expect(l.boxes.filter((b) => b.kind === 'PU').length + hiddenPus(l)).toBe(host.cpus.length);
      expectNested(l);
    }
  });

  it('folds the others tighter only where the kept members would not read: two sockets of 56 PUs unfolded beside the overview', () => {
    const host = generated('superdome-32s');
    const frame = FRAMES[0];
    const bare = layoutHost(host, page(frame));
    // One node's pins read within the fold chosen for the host alone: every fold of it that
    // holds none of the pinned CPUs stays.
    const one = guestOn(host, 16, 32);
    const small = layoutHost(host, page(frame, one.keep));
    const untouched = bare.boxes.filter((b) => b.kind === 'More' && !b.cpus.some((c) => one.keep.keep.has(c))).map((b) => b.id);
    expect(untouched.length).toBeGreaterThan(0);
    for (const id of untouched) expect(folds(small)).toContain(id);
    // Two nodes' 96 pins do not: the other members fold further, and the drawing reads.
    const two = guestOn(host, 96, 256);
    const big = layoutHost(host, page(frame, two.keep));
    expect(smallestPx(big, frame)).toBeGreaterThanOrEqual(READABLE_PX);
    // Alone, the host keeps its last package drawn (first, "… 30× …", last); beside two
    // unfolded sockets the last one folds too.
    const last = `Package_${host.packages.length - 1}`;
    expect(bare.byId.has(last)).toBe(true);
    expect(big.byId.has(last)).toBe(false);
    expect(big.boxes.some((b) => b.kind === 'More' && b.cpus.includes(host.packages[host.packages.length - 1].cpus[0]))).toBe(true);
    // What the user opened stays open, however tight the rest folds.
    const opened = layoutHost(host, page(frame, { ...two.keep, expanded: new Set([folds(big).find((id) => id.startsWith('More_Core'))!]) }));
    expect(folds(opened).length).toBeLessThan(folds(big).length);
  });
});

describe('guestKeep', () => {
  it('keeps the CPUs of 1:1 pins and the nodes of the memory; a floating guest keeps the nodes it runs on', () => {
    const host = generated('epyc-2s-nps4');
    const pinned = solve(host, { ...DEFAULT_REQUEST, vcpus: 8, memoryKiB: 16 * GiB }).layout;
    const kept = guestKeep([affinityMap(host, pinned)]);
    expect(kept.cpus).toEqual([...new Set(pinned.pins.flatMap((p) => p.cpus))].sort((a, b) => a - b));
    expect(kept.nodes).toEqual([...new Set(pinned.cells.flatMap((c) => c.hostNodes))].sort((a, b) => a - b));
    const floating = solve(host, { ...DEFAULT_REQUEST, vcpus: 8, memoryKiB: 16 * GiB, mode: 'node', pinning: 'node-float' }).layout;
    const loose = guestKeep([affinityMap(host, floating)]);
    expect(loose.cpus).toEqual([]);
    expect(loose.nodes.length).toBeGreaterThan(0);
  });
});
