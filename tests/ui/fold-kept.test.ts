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

/**
 * Children in reading order: each starts right of the one before on its shelf (or table row), or
 * on a lower one. I/O boxes, which have no order among the others, may sit in the room a shelf
 * leaves; a NUMA node's memory box heads it.
 */
function expectReadingOrder(l: HostLayout): void {
  const kids = new Map<string, HostLayout['boxes']>();
  for (const b of l.boxes) if (b.parent && b.kind !== 'IO' && b.kind !== 'Memory') kids.set(b.parent, [...(kids.get(b.parent) ?? []), b]);
  for (const list of kids.values()) {
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1], list[i]];
      expect(b.y > a.y || (b.y === a.y && b.x > a.x), `${b.id} after ${a.id}`).toBe(true);
    }
  }
}

describe('a guest laid out on a big host keeps what it holds drawn, and the drawing still reads at Fit', () => {
  const cases: [string, () => Host, number, number, number, typeof FRAMES][] = [
    ['EPYC 2S NPS4, one node', () => generated('epyc-2s-nps4'), 16, 32, 1, FRAMES],
    ['32 sockets, one node', () => generated('superdome-32s'), 16, 32, 1, FRAMES],
    ['32 sockets, two nodes', () => generated('superdome-32s'), 96, 256, 2, FRAMES],
    ['SGI 24 nodes of 31 GiB, two nodes', () => corpusHost('hwloc-xml/192em64t-24n8c2t.xml'), 16, 32, 2, FRAMES],
    // Reads once packages, folds and I/O share shelves (src/ui/host/pack.ts, shapes.ts).
    ['SGI 24 nodes of 31 GiB, 32 vCPUs: pins on two nodes, memory on three', () => corpusHost('hwloc-xml/192em64t-24n8c2t.xml'), 32, 32, 3, FRAMES],
    // Beside the overview it reads once the other package, which holds nothing, folds whole.
    ['EPYC 2S NPS4, 48 vCPUs over two nodes', () => generated('epyc-2s-nps4'), 48, 64, 2, FRAMES],
    // Beside the overview, see below.
    ['EPYC 2S NPS4, 64 vCPUs over two nodes', () => generated('epyc-2s-nps4'), 64, 64, 2, [FRAMES[1]]],
  ];

  it.each(cases)('%s: every label ≥ 10 px at Fit, every pinned PU drawn, nothing lost', (_, make, vcpus, gib, spans, frames) => {
    const host = make();
    const { keep, pinned, nodes } = guestOn(host, vcpus, gib);
    expect(nodes).toHaveLength(spans);
    expect(pinned).toHaveLength(vcpus);
    for (const frame of frames) {
      const l = layoutHost(host, page(frame, keep));
      const where = `${frame.width}×${frame.height}: ${Math.round(l.width)}×${Math.round(l.height)}`;
      expect(smallestPx(l, frame), where).toBeGreaterThanOrEqual(READABLE_PX);
      expect(pinned.filter((c) => !l.byId.has(`PU_${c}`)), where).toEqual([]);
      for (const n of nodes) expect(l.byId.has(`NUMANode_${n}`), where).toBe(true);
      expect(l.boxes.filter((b) => b.kind === 'PU').length + hiddenPus(l)).toBe(host.cpus.length);
      expectNested(l);
      expectReadingOrder(l);
    }
  });

  // Known short of the target: beside the overview, with the other package folded whole, the
  // package holding the guest's two nodes (16 pinned cores each, in two-core-wide caches) is as
  // wide as the view: 9.96 px. Reading there needs a tighter fold inside the kept nodes (their
  // caches one core wide, or the pinned cores' PUs without their P# line), not packing. When it
  // reads, move this frame into the cases above.
  it.fails.each([['EPYC 2S NPS4, 64 vCPUs over two nodes', 64]] as const)('%s beside the overview: labels ≥ 10 px at Fit (not yet)', (_, vcpus) => {
    const host = generated('epyc-2s-nps4');
    const { keep } = guestOn(host, vcpus, 64);
    expect(smallestPx(layoutHost(host, page(FRAMES[0], keep)), FRAMES[0])).toBeGreaterThanOrEqual(READABLE_PX);
  });

  it('leaves the cores’ caches line out only where nothing else makes labels read: SGI, 40 vCPUs beside the overview', () => {
    const host = corpusHost('hwloc-xml/192em64t-24n8c2t.xml');
    const { keep, pinned } = guestOn(host, 40, 16);
    const [narrow, wide] = FRAMES.map((frame) => layoutHost(host, page(frame, keep)));
    const cores = (l: HostLayout) => l.boxes.filter((b) => b.kind === 'Core');
    // Without the overview the caches are drawn; beside it they go, and every label reads.
    expect(cores(wide).every((b) => (b.caches?.length ?? 0) > 0)).toBe(true);
    expect(smallestPx(wide, FRAMES[1])).toBeGreaterThanOrEqual(READABLE_PX);
    expect(cores(narrow).some((b) => b.caches)).toBe(false);
    expect(smallestPx(narrow, FRAMES[0])).toBeGreaterThanOrEqual(READABLE_PX);
    expect(pinned.filter((c) => !narrow.byId.has(`PU_${c}`))).toEqual([]);
    // A core without the line is a title band over its PUs.
    const core = cores(narrow)[0];
    const pu = narrow.boxes.find((b) => b.parent === core.id);
    expect(pu && pu.y - core.y).toBe(narrow.metrics.header + narrow.metrics.pad);
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
