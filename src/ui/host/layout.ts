/**
 * The host view as geometry: Host → nested boxes with stable ids, positions and sizes, no DOM.
 * Nesting is decided by CPU sets, the way hwloc inserts objects: every object goes into the
 * smallest object whose CPUs contain its own, so a node that spans packages holds them and a
 * package split into nodes holds those. Caches private to one core are folded into the core's
 * label. A CPU-less node goes where hwloc attached it (NumaNode.localCpus): beside the memory of
 * the node whose CPUs are the same (a KNL's MCDRAM next to its cluster's DRAM, a CXL expander
 * next to its socket's DRAM), otherwise into the smallest object holding those CPUs, drawn in a
 * row of memory above that object's other children as lstopo draws memory children; NUMA nodes
 * get hwloc's logical indexes from that tree (see numberTree). Where no source gave the place
 * (numactl, lscpu, virsh: sysfs does not say), core/host gives it the CPUs of its nearest
 * node(s) by distance, as hwloc's Linux backend does, and it is drawn by the same rule; only a
 * node the distances do not place either (none pasted, or e.g. as near to every node) sits in a
 * memories row at the top of the machine. Long runs of identical cores are factorised into one
 * "… N more" box (lstopo's --factorize) unless expanded. PCI devices sit in a compact I/O box at
 * the foot of their NUMA node, as lstopo draws I/O next to the objects it is local to; devices of
 * unknown locality get one at the foot of the machine.
 *
 * A presentation layout (options.presentation) is drawn for a screen rather than a page: type of
 * a given size on screen, boxes sized from the width of the words they hold, children packed in
 * the rows and columns that let the drawing fill the screen's aspect at scale 1, only as much
 * detail as the scene needs, and long runs of cores folded when even that does not fit.
 */
import type { Host } from '../../core/host/model.ts';
import type { IndexMode } from '../../state/store.ts';
import { ioDeviceCount, ioLines, pciLocalities, type IoLine } from './io.ts';
import { boxLabel, cacheText, memoryLines, moreDetail, textWidth } from './labels.ts';

export type BoxKind =
  | 'Machine'
  | 'Memories'
  | 'Package'
  | 'Die'
  | 'Cluster'
  | 'NUMANode'
  | 'Memory'
  | 'L3'
  | 'L2'
  | 'L1'
  | 'Core'
  | 'PU'
  | 'More'
  | 'IO';

export interface Box {
  /** Stable DOM id: Package_0, NUMANode_1, Core_5 (machine-wide core index), PU_60 (OS index). */
  id: string;
  kind: BoxKind;
  parent: string | null;
  depth: number;
  x: number;
  y: number;
  w: number;
  h: number;
  /** OS index (P#) where the kind has one. */
  os?: number;
  /** Logical index (L#): position among its kind in tree order, as hwloc numbers them. */
  logical?: number;
  /** Caches: "38 MiB"-like size text is formatted by the caller from sizeKiB. */
  sizeKiB?: number;
  /** Private caches folded into a core: [level, type, sizeKiB]. */
  caches?: { level: number; type: string; sizeKiB?: number }[];
  /** PU */
  online?: boolean;
  /** NUMANode / Memory: the node id it stands for. */
  node?: number;
  /** CPUs under the box (PU: its own id). Shared with the model, not copied. */
  cpus: readonly number[];
  /** More: what it hides. */
  hidden?: { boxes: number; cores: number; pus: number; kind: BoxKind };
  /** IO: the lines drawn, whether the full tree is open, and how many devices it stands for. */
  io?: { lines: IoLine[]; open: boolean; devices: number };
}

export interface HostLayout {
  boxes: Box[];
  byId: Map<string, Box>;
  width: number;
  height: number;
  /** The sizes the boxes were made for: where and how large their text goes. */
  metrics: LayoutMetrics;
}

/**
 * Type and spacing of a drawing, in layout units (1 unit = 1 CSS px at scale 1). Text offsets
 * are from the box's top edge (baselines) unless said otherwise; every renderer of the boxes
 * (SVG markup, a canvas) places text by these so that it stays inside the box it was sized for.
 */
export interface LayoutMetrics {
  /** Font sizes: box labels, second lines (caches, free memory), PU indexes, I/O lines. */
  font: { label: number; small: number; pu: number; io: number };
  /** Left inset of every label; PU and "… more" text is centred instead. */
  inset: number;
  /** Height of a box's title band, and its label's baseline. */
  header: number;
  labelBaseline: number;
  /** A core's folded caches ("L2 256K · L1d 32K"), on a second title line. */
  smallBaseline: number;
  /** Height added to a core's title band by that second line. */
  smallLine: number;
  puW: number;
  puH: number;
  /** One-line PU text: baseline this far below the PU's vertical middle. */
  puCentre: number;
  /** L# over P# ('both' index mode): the two baselines. */
  puLines: [number, number];
  memoryH: number;
  memoryLines: [number, number];
  /** "… N more": label and detail baselines, from the box's vertical middle. */
  moreLines: [number, number];
  moreW: number;
  moreH: number;
  /** I/O boxes: first line's baseline, line step, width of one monospace character, indent per tree depth. */
  ioFirst: number;
  ioLine: number;
  ioChar: number;
  ioIndent: number;
  ioMinW: number;
  ioMaxW: number;
  pad: number;
  gap: number;
}

/** What a presenter scene needs drawn: each level adds to the one before. */
export type PresentationDetail = 'nodes' | 'threads' | 'full';

export interface Presentation {
  /** The screen area the drawing must fit at scale 1, in CSS pixels. */
  width: number;
  height: number;
  /** Type size on screen, in pixels: no text of the drawing is smaller. */
  type: number;
  /** 'nodes': packages and NUMA nodes with their memory; 'threads': + cores and PUs; 'full': + caches and I/O. */
  detail: PresentationDetail;
  /** The index mode the labels are written in, which sets how wide they are. */
  indexMode: IndexMode;
}

export interface LayoutOptions {
  /** 'auto' factorises only on large hosts (more than FACTORIZE_FROM_PUS PUs). */
  factorize: 'auto' | 'on' | 'off';
  /** Ids of More boxes the user opened, and of I/O boxes opened to their full tree. */
  expanded: ReadonlySet<string>;
  /** CPUs that must stay drawn (a guest is pinned there), so they are never folded away. */
  keep: ReadonlySet<number>;
  /** Drawn for a presenter's screen instead of the page (see Presentation). */
  presentation?: Presentation;
}

export const DEFAULT_OPTIONS: LayoutOptions = { factorize: 'auto', expanded: new Set(), keep: new Set() };

export const FACTORIZE_FROM_PUS = 256;

/**
 * Whether the drawing may fold runs of cores at all: only then does `keep` change anything, so a
 * view can leave a guest's moves out of the layout's inputs on hosts drawn in full.
 */
export function mayFold(host: Host, options: Pick<LayoutOptions, 'factorize' | 'presentation'>): boolean {
  if (options.presentation) return options.factorize !== 'off';
  return options.factorize === 'on' || (options.factorize === 'auto' && host.cpus.length > FACTORIZE_FROM_PUS);
}
/** How runs of identical siblings fold: a run longer than `run` keeps its `first` and `last`. */
interface FoldRule {
  run: number;
  first: number;
  last: number;
  /** Kinds that fold; packages and NUMA nodes never do (the heatmap and guests point at them). */
  kinds: ReadonlySet<BoxKind>;
}

/** The page's rule, lstopo's --factorize: only runs of cores (or of the small caches grouping them). */
const PAGE_FOLD: FoldRule = { run: 8, first: 3, last: 1, kinds: new Set(['Core', 'L2', 'L1']) };
const PRESENTED_FOLDABLE: ReadonlySet<BoxKind> = new Set(['Core', 'L3', 'L2', 'L1', 'Cluster', 'Die']);
/**
 * Ever tighter folds for a presenter's screen, tried in turn until the drawing fits at its
 * type: lstopo's, then runs of four or more down to their two ends, then runs of three or more
 * down to their first object; in these two, L3s, clusters and dies fold as well.
 */
const PRESENTATION_FOLDS: readonly FoldRule[] = [PAGE_FOLD, { run: 3, first: 1, last: 1, kinds: PRESENTED_FOLDABLE }, { run: 2, first: 1, last: 0, kinds: PRESENTED_FOLDABLE }];

export const PU_W = 46;
export const PU_H = 30;
export const HEADER = 18;
export const MEMORY_H = 38;
export const IO_LINE_H = 13;
/** Rough width of one character of the 10 px I/O text, to size and clip its lines. */
export const IO_CHAR_W = 5.6;
const PAD = 5;
const GAP = 5;

/** The page's drawing: the sizes of diagrams.css (labels 11 px, the rest 10 px). */
export const PAGE_METRICS: LayoutMetrics = {
  font: { label: 11, small: 10, pu: 10, io: 10 },
  inset: 6,
  header: HEADER,
  labelBaseline: HEADER - 5,
  smallBaseline: HEADER + 7,
  smallLine: 12,
  puW: PU_W,
  puH: PU_H,
  puCentre: 4,
  puLines: [12, 25],
  memoryH: MEMORY_H,
  memoryLines: [15, 30],
  moreLines: [-2, 12],
  moreW: PU_W * 2 + PAD * 2,
  moreH: PU_H + HEADER,
  ioFirst: HEADER + 10,
  ioLine: IO_LINE_H,
  ioChar: IO_CHAR_W,
  ioIndent: 10,
  ioMinW: 140,
  ioMaxW: 320,
  pad: PAD,
  gap: GAP,
};

/**
 * A presenter's drawing: every text `type` units high, bands and lines sized from it (a line is
 * 1.15 em, a baseline sits 0.3 em above the band's foot), PUs as wide as their widest index and
 * two lines high for L# over P#; "… N more" boxes are as wide as their words (moreW 0).
 */
function presentationMetrics(host: Host, p: Presentation): LayoutMetrics {
  const { type } = p;
  const em = (f: number) => Math.round(type * f);
  const header = em(1.35) + 2;
  const line = em(1.15);
  const labelBaseline = header - em(0.3) - 1;
  const inset = em(0.25);
  const lastOs = Math.max(0, ...host.cpus.map((c) => c.id));
  const lastLogical = Math.max(0, host.cpus.length - 1);
  const indexes = p.indexMode === 'both' ? [`L#${lastLogical}`, `P#${lastOs}`] : [p.indexMode === 'os' ? `P#${lastOs}` : `L#${lastLogical}`, 'off'];
  return {
    font: { label: type, small: type, pu: type, io: type },
    inset,
    header,
    labelBaseline,
    smallBaseline: labelBaseline + line,
    smallLine: line,
    puW: Math.ceil(Math.max(...indexes.map((t) => textWidth(t, type)))) + inset * 2,
    puH: p.indexMode === 'both' ? em(2.4) + 4 : em(1.6),
    puCentre: em(0.35),
    puLines: [em(1.05) + 2, em(2.2) + 2],
    memoryH: em(2.5) + 6,
    memoryLines: [em(1.05) + 3, em(2.15) + 2],
    moreLines: [-em(0.1), em(1.05)],
    moreW: 0,
    moreH: em(2.7),
    ioFirst: header + em(1),
    ioLine: em(1.25),
    ioChar: type * 0.61,
    ioIndent: em(0.5),
    ioMinW: type * 14,
    ioMaxW: type * 32,
    pad: em(0.2),
    gap: em(0.2),
  };
}

const RANK: Record<BoxKind, number> = {
  Machine: 0,
  Memories: 1,
  Package: 2,
  Die: 3,
  Cluster: 4,
  NUMANode: 5,
  L3: 6,
  L2: 7,
  L1: 8,
  Core: 9,
  PU: 10,
  Memory: 11,
  More: 12,
  IO: 13,
};

interface TreeNode {
  id: string;
  kind: BoxKind;
  cpus: readonly number[];
  os?: number;
  sizeKiB?: number;
  node?: number;
  online?: boolean;
  caches?: Box['caches'];
  children: TreeNode[];
  hidden?: Box['hidden'];
  io?: Box['io'];
  logical?: number;
  /** Interned structural signature, for factorising. */
  sig?: number;
  w: number;
  h: number;
  /** Child offsets relative to this node, filled by measure(). */
  at?: { x: number; y: number }[];
  /** A NUMA node's own memory box, relative to the node, filled by measure(). */
  memory?: { x: number; y: number; w: number; h: number };
}

export function layoutHost(host: Host, options: LayoutOptions = DEFAULT_OPTIONS): HostLayout {
  if (options.presentation) return presentationLayout(host, options, options.presentation);
  const root = buildTree(host);
  numberTree(root, new Map());
  attachIo(root, host, options.expanded);
  if (mayFold(host, options)) factorizeTree(root, options, PAGE_FOLD);
  return finish(root, pageSizing(host));
}

/** How measure() sizes boxes: the page's fixed sizes, or a presentation's sized from its words. */
interface Sizing {
  m: LayoutMetrics;
  /** Aimed width/height of a box's table of children. */
  aim(kind: BoxKind): number;
  /** Narrowest a box may be. */
  minWidth(n: TreeNode): number;
  /** Presentation: the machine picks its columns to fit this screen instead of an aspect. */
  frame?: { width: number; height: number };
}

const pageSizing = (host: Host): Sizing => ({
  m: PAGE_METRICS,
  aim: (kind) => (kind === 'Core' || kind === 'Memories' ? 8 : kind === 'Machine' ? 1.6 : 1.3),
  minWidth: (n) => pageMinWidth(n, host),
});

function finish(root: TreeNode, sizing: Sizing): HostLayout {
  measure(root, sizing);
  const boxes: Box[] = [];
  place(root, 0, 0, null, 0, boxes, sizing.m);
  return { boxes, byId: new Map(boxes.map((b) => [b.id, b])), width: root.w, height: root.h, metrics: sizing.m };
}

/** Aspects tried for the boxes inside the machine: the one whose drawing fills the screen best wins. */
const PRESENTATION_AIMS = [0.6, 0.8, 1, 1.3, 1.7, 2.2, 3, 4];

/**
 * The drawing for a screen: sized for the presentation's type, packed for its aspect, and
 * folded (long runs of cores, as lstopo --factorize) only when the unfolded drawing would have
 * to shrink below that type to fit — unless the speaker switched folding on or off.
 */
function presentationLayout(host: Host, options: LayoutOptions, p: Presentation): HostLayout {
  const m = presentationMetrics(host, p);
  const frame = { width: p.width, height: p.height };
  // Words are measured once per box, whatever the packing tried.
  const widths = new WeakMap<TreeNode, number>();
  const minWidth = (n: TreeNode) => {
    let w = widths.get(n);
    if (w === undefined) widths.set(n, (w = presentationMinWidth(n, m, host, p.indexMode)));
    return w;
  };
  // Containers (packages, dies, nodes) and caches get aims of their own: a node of four L3s
  // reads best as a row while the L3s stack their cores.
  const sizingFor = ([outer, inner]: readonly [number, number]): Sizing => ({
    m,
    aim: (kind) => (kind === 'Core' || kind === 'Memories' ? 8 : kind === 'L3' || kind === 'L2' || kind === 'L1' ? inner : outer),
    minWidth,
    frame,
  });
  const tree = (fold: FoldRule | null) => {
    const root = buildTree(host);
    numberTree(root, new Map());
    trimTo(root, p.detail);
    if (p.detail === 'full') attachIo(root, host, options.expanded);
    if (fold) factorizeTree(root, options, fold);
    return root;
  };
  const folds = options.factorize === 'on' ? PRESENTATION_FOLDS : options.factorize === 'off' ? [null] : [null, ...PRESENTATION_FOLDS];
  let best: { fold: FoldRule | null; aim: readonly [number, number]; fit: number } | null = null;
  for (const [i, fold] of folds.entries()) {
    if (best && best.fit >= 1) break;
    const root = tree(fold);
    // PUs alone covering more than the screen cannot fit: go on folding without trying.
    if (i < folds.length - 1 && leafArea(root, m) > frame.width * frame.height) continue;
    const inners = hasCaches(root) ? PRESENTATION_AIMS : [1];
    for (const outer of PRESENTATION_AIMS) {
      for (const inner of inners) {
        measure(root, sizingFor([outer, inner]));
        const fit = Math.min(frame.width / root.w, frame.height / root.h);
        if (!best || fit > best.fit * 1.001) best = { fold, aim: [outer, inner], fit };
      }
    }
  }
  const chosen = best ?? { fold: null, aim: [1.3, 1.3] as const, fit: 0 };
  return finish(tree(chosen.fold), sizingFor(chosen.aim));
}

/** Area of the PUs and "… more" boxes under a box: what no packing can make smaller. */
function leafArea(n: TreeNode, m: LayoutMetrics): number {
  if (n.kind === 'PU') return m.puW * m.puH;
  if (n.kind === 'More') return m.moreH * m.puW;
  return n.children.reduce((a, c) => a + leafArea(c, m), 0);
}

function hasCaches(n: TreeNode): boolean {
  return n.kind === 'L3' || n.kind === 'L2' || n.kind === 'L1' || n.children.some(hasCaches);
}

/** What a box must be wide enough for in a presentation: its words, at the presentation's type. */
function presentationMinWidth(n: TreeNode, m: LayoutMetrics, host: Host, mode: IndexMode): number {
  const around = m.inset * 2;
  const w = (text: string, size: number, bold = false) => Math.ceil(textWidth(text, size, bold)) + around;
  switch (n.kind) {
    case 'PU':
      return m.puW;
    case 'NUMANode':
      return memoryWidth(n, m, host, mode);
    case 'Core': {
      const caches = (n.caches ?? []).map((c) => cacheText(c.level, c.type, c.sizeKiB)).join(' · ');
      return Math.max(w(boxLabel(n, mode, host), m.font.label), caches ? w(caches, m.font.small) : 0, m.puW + m.pad * 2);
    }
    case 'More':
      return Math.max(w(boxLabel(n, mode, host), m.font.label, true), w(moreDetail(n), m.font.small));
    case 'IO':
      return w(boxLabel(n, mode, host), m.font.label, true);
    default:
      return w(boxLabel(n, mode, host), m.font.label);
  }
}

/**
 * Leaves out what a scene does not need: cache boxes and the caches folded into cores below
 * 'full' (their children move up), and cores with their PUs for 'nodes'.
 */
function trimTo(n: TreeNode, detail: PresentationDetail): void {
  if (detail === 'full') return;
  const out: TreeNode[] = [];
  for (const c of n.children) {
    trimTo(c, detail);
    if (c.kind === 'L3' || c.kind === 'L2' || c.kind === 'L1') out.push(...c.children);
    else if (detail !== 'nodes' || (c.kind !== 'Core' && c.kind !== 'PU')) out.push(c);
  }
  n.children = out;
  if (n.caches) n.caches = [];
}

function buildTree(host: Host): TreeNode {
  const machine: TreeNode = { id: 'Machine_0', kind: 'Machine', cpus: host.cpus.map((c) => c.id), children: [], w: 0, h: 0 };
  const groups: TreeNode[] = [];
  const add = (g: TreeNode) => {
    if (g.cpus.length > 0) groups.push(g);
  };
  for (const p of host.packages) add({ id: `Package_${p.id}`, kind: 'Package', os: p.id, cpus: p.cpus, children: [], w: 0, h: 0 });
  for (const d of host.dies) add({ id: `Die_${d.package}_${d.id}`, kind: 'Die', os: d.id, cpus: d.cpus, children: [], w: 0, h: 0 });
  for (const c of host.clusters) add({ id: `Cluster_${c.package}_${c.die ?? 0}_${c.id}`, kind: 'Cluster', os: c.id, cpus: c.cpus, children: [], w: 0, h: 0 });
  for (const n of host.nodes) add({ id: `NUMANode_${n.id}`, kind: 'NUMANode', os: n.id, node: n.id, cpus: n.cpus, children: [], w: 0, h: 0 });

  const coreCpuKey = new Map<string, TreeNode>();
  for (const core of host.cores) {
    const g: TreeNode = { id: `Core_${core.index}`, kind: 'Core', os: core.osId, cpus: core.cpus, children: [], caches: [], w: 0, h: 0 };
    add(g);
    coreCpuKey.set(core.cpus.join(','), g);
  }
  for (const cache of host.caches) {
    if (cache.type === 'instruction' || cache.cpus.length === 0) continue;
    const privateTo = coreCpuKey.get(cache.cpus.join(','));
    if (privateTo) {
      privateTo.caches?.push({ level: cache.level, type: cache.type, sizeKiB: cache.sizeKiB });
      continue;
    }
    const kind: BoxKind = cache.level >= 3 ? 'L3' : cache.level === 2 ? 'L2' : 'L1';
    add({ id: `${kind}_${cache.index}`, kind, sizeKiB: cache.sizeKiB, cpus: cache.cpus, children: [], w: 0, h: 0 });
  }
  for (const cpu of host.cpus) add({ id: `PU_${cpu.id}`, kind: 'PU', os: cpu.id, online: cpu.online, cpus: [cpu.id], children: [], w: 0, h: 0 });

  // Outer first: bigger sets, then by rank for equal sets (a package equal to its node holds it).
  groups.sort((a, b) => b.cpus.length - a.cpus.length || RANK[a.kind] - RANK[b.kind]);
  const containing = new Map<number, TreeNode[]>();
  const members = new Map<TreeNode, Set<number>>();
  const setOf = (g: TreeNode) => {
    let s = members.get(g);
    if (!s) {
      s = new Set(g.cpus);
      members.set(g, s);
    }
    return s;
  };
  for (const g of groups) {
    let parent = machine;
    const candidates = containing.get(g.cpus[0]) ?? [];
    // candidates are in insertion order, outermost first: the last one that holds g wins.
    for (let i = candidates.length - 1; i >= 0; i--) {
      const c = candidates[i];
      const s = setOf(c);
      if (g.cpus.every((cpu) => s.has(cpu))) {
        parent = c;
        break;
      }
    }
    // A die or cluster equal to its parent adds nothing; so does a second cache of one level.
    const redundant =
      parent !== machine &&
      parent.cpus.length === g.cpus.length &&
      (g.kind === 'Die' || g.kind === 'Cluster' || g.kind === parent.kind);
    if (redundant) continue;
    parent.children.push(g);
    for (const cpu of g.cpus) {
      let list = containing.get(cpu);
      if (!list) containing.set(cpu, (list = []));
      list.push(g);
    }
  }

  const unplaced: TreeNode[] = [];
  for (const n of host.nodes) {
    if (n.cpus.length > 0) continue;
    const box: TreeNode = { id: `NUMANode_${n.id}`, kind: 'NUMANode', os: n.id, node: n.id, cpus: [], children: [], w: 0, h: 0 };
    if (n.localCpus && n.localCpus.length > 0) memoryParent(machine, n.localCpus).children.push(box);
    else unplaced.push(box);
  }
  if (unplaced.length > 0) machine.children.push({ id: 'Memories_0', kind: 'Memories', cpus: [], children: unplaced, w: 0, h: 0 });
  sortChildren(machine);
  return machine;
}

/** A NUMA node without CPUs: drawn as memory in a row of its parent, not as a box of CPUs. */
function isMemoryOnly(n: TreeNode): boolean {
  return n.kind === 'NUMANode' && n.cpus.length === 0;
}

/**
 * Where hwloc draws memory attached next to these CPUs. A node with exactly these CPUs shares
 * the object hwloc attached both to, and its box stands for that object. Otherwise hwloc's own
 * descent: into the child that covers the CPUs, down to the first object with exactly them.
 */
function memoryParent(root: TreeNode, local: readonly number[]): TreeNode {
  const want = new Set(local);
  const covers = (n: TreeNode) => {
    let hit = 0;
    for (const c of n.cpus) if (want.has(c)) hit++;
    return hit === want.size;
  };
  const same = (n: TreeNode) => n.cpus.length === want.size && covers(n);
  const inside = (n: TreeNode) => n.kind !== 'PU' && n.kind !== 'Memories' && !isMemoryOnly(n) && covers(n);
  const twin = (n: TreeNode): TreeNode | undefined => {
    if (n.kind === 'NUMANode' && same(n)) return n;
    for (const c of n.children) if (inside(c)) return twin(c);
    return undefined;
  };
  const found = twin(root);
  if (found) return found;
  let at = root;
  for (let next = at.children.find(inside); next; next = at.children.find(inside)) {
    at = next;
    if (same(at)) break;
  }
  return at;
}

/** Memory first, as lstopo lists it (the memories row, then attached nodes by P#), then by first CPU. */
function sortChildren(n: TreeNode): void {
  const memoryRank = (c: TreeNode) => (c.kind === 'Memories' ? 0 : isMemoryOnly(c) ? 1 : 2);
  n.children.sort((a, b) => memoryRank(a) - memoryRank(b) || (isMemoryOnly(a) && isMemoryOnly(b) ? (a.os ?? 0) - (b.os ?? 0) : firstCpu(a) - firstCpu(b) || RANK[a.kind] - RANK[b.kind]));
  for (const c of n.children) sortChildren(c);
}

function firstCpu(n: TreeNode): number {
  let min = Infinity;
  for (const c of n.cpus) if (c < min) min = c;
  return min;
}

function factorizeTree(root: TreeNode, options: LayoutOptions, rule: FoldRule): void {
  const interned = new Map<string, number>();
  const withNodes = new Set<TreeNode>();
  const signature = (n: TreeNode): number => {
    const kids = n.children.map(signature).join(',');
    if (n.kind === 'NUMANode' || n.children.some((c) => withNodes.has(c))) withNodes.add(n);
    const keep = n.kind === 'PU' && options.keep.has(n.cpus[0]) ? `k${n.cpus[0]}` : '';
    const key = `${n.kind}|${n.sizeKiB ?? ''}|${n.online === false ? 'off' : ''}${keep}|${n.caches?.map((c) => `${c.level}${c.type}${c.sizeKiB}`).join('') ?? ''}[${kids}]`;
    let id = interned.get(key);
    if (id === undefined) interned.set(key, (id = interned.size));
    n.sig = id;
    return id;
  };
  signature(root);
  const visit = (n: TreeNode) => {
    for (const c of n.children) visit(c);
    const out: TreeNode[] = [];
    let i = 0;
    while (i < n.children.length) {
      let j = i + 1;
      while (j < n.children.length && n.children[j].sig === n.children[i].sig) j++;
      const run = n.children.slice(i, j);
      const folded = run.slice(rule.first, run.length - rule.last);
      const id = folded.length > 0 ? `More_${folded[0].id}` : '';
      if (run.length > rule.run && folded.length > 1 && rule.kinds.has(run[0].kind) && !withNodes.has(run[0]) && !options.expanded.has(id)) {
        out.push(...run.slice(0, rule.first), moreBox(id, folded), ...run.slice(run.length - rule.last));
      } else {
        out.push(...run);
      }
      i = j;
    }
    n.children = out;
  };
  visit(root);
}

function moreBox(id: string, folded: TreeNode[]): TreeNode {
  let cores = 0;
  let pus = 0;
  const count = (n: TreeNode) => {
    if (n.kind === 'Core') cores++;
    if (n.kind === 'PU') pus++;
    // What a run folded inside the folded objects already hides.
    cores += n.hidden?.cores ?? 0;
    pus += n.hidden?.pus ?? 0;
    n.children.forEach(count);
  };
  folded.forEach(count);
  const cpus = folded.flatMap((f) => f.cpus);
  return { id, kind: 'More', cpus, children: [], hidden: { boxes: folded.length, cores, pus, kind: folded[0].kind }, w: 0, h: 0 };
}

/** Sizes bottom-up; children in a table whose column count brings the box nearest its aim. */
function measure(n: TreeNode, s: Sizing): void {
  const { m } = s;
  for (const c of n.children) measure(c, s);
  if (n.kind === 'PU') {
    n.w = m.puW;
    n.h = m.puH;
    return;
  }
  if (n.kind === 'More') {
    n.w = Math.max(m.moreW, s.minWidth(n));
    n.h = m.moreH;
    return;
  }
  if (n.kind === 'IO') {
    const longest = Math.max(...(n.io?.lines ?? []).map((l) => l.text.length + l.depth * 2), 0);
    n.w = Math.max(Math.min(m.ioMaxW, Math.max(m.ioMinW, longest * m.ioChar + m.inset * 2)), s.minWidth(n));
    n.h = m.header + (n.io?.lines.length ?? 0) * m.ioLine + 4;
    return;
  }
  // Memory heads the box in one row, as lstopo draws memory children above the others: a node's
  // own memory box and the CPU-less nodes attached beside it. Then the table of the other
  // children; I/O boxes are full-width rows under everything else.
  const memory = n.kind === 'Memories' ? [] : memoryOf(n);
  const attached = memory.filter((c) => c !== n);
  const ios = n.children.filter((c) => c.kind === 'IO');
  const kids = n.children.filter((c) => c.kind !== 'IO' && !attached.includes(c));
  n.children = [...attached, ...kids, ...ios];
  const ioW = Math.max(0, ...ios.map((io) => io.w + m.pad * 2));
  const minW = s.minWidth(n);
  const row = memoryRow(n, memory, minW - m.pad * 2, m);
  const top = n.kind === 'NUMANode' ? 0 : headerHeight(n, m);
  const aim = s.aim(n.kind);
  const fitFrame = s.frame && n.kind === 'Machine' ? s.frame : undefined;
  let best: { cols: number; w: number; h: number; colX: number[]; rowY: number[]; score: number } | null = null;
  const maxCols = n.kind === 'Core' ? Math.min(kids.length, 4) : kids.length;
  for (let cols = 1; cols <= Math.max(1, maxCols); cols++) {
    const rows = Math.ceil(kids.length / cols);
    const colW = new Array<number>(cols).fill(0);
    const rowH = new Array<number>(rows).fill(0);
    kids.forEach((k, i) => {
      const c = i % cols;
      const r = Math.floor(i / cols);
      if (k.w > colW[c]) colW[c] = k.w;
      if (k.h > rowH[r]) rowH[r] = k.h;
    });
    const innerW = colW.reduce((a, b) => a + b, 0) + m.gap * Math.max(0, cols - 1);
    const innerH = rowH.reduce((a, b) => a + b, 0) + m.gap * Math.max(0, rows - 1);
    const bodyTop = top + m.pad + (row.items.length > 0 ? row.h + m.pad : 0);
    const w = Math.max(innerW, row.w) + m.pad * 2;
    const h = kids.length === 0 && row.items.length > 0 ? bodyTop : bodyTop + innerH + m.pad;
    // Near the aimed aspect (or, for a presenter's machine, as large as the screen allows), and
    // without a ragged last row (3 + 1 packages read worse than 2 × 2).
    const ragged = rows > 0 ? (cols * rows - kids.length) / (cols * rows) : 0;
    const score = fitFrame ? -Math.log(Math.min(fitFrame.width / Math.max(w, minW, ioW), fitFrame.height / h)) + ragged / 4 : Math.abs(Math.log(w / h / aim)) + ragged;
    if (!best || score < best.score) {
      const colX: number[] = [];
      let x = m.pad;
      for (const cw of colW) {
        colX.push(x);
        x += cw + m.gap;
      }
      const rowY: number[] = [];
      let y = bodyTop;
      for (const rh of rowH) {
        rowY.push(y);
        y += rh + m.gap;
      }
      best = { cols, w, h, colX, rowY, score };
    }
  }
  const b = best ?? { cols: 1, w: m.pad * 2, h: top + m.pad * 2, colX: [m.pad], rowY: [top + m.pad], score: 0 };
  n.w = Math.max(b.w, minW, ioW);
  n.h = b.h;
  const memoryAt = placeMemory(n, row, top + m.pad, m);
  n.at = [...attached.map((c) => memoryAt.get(c) ?? { x: m.pad, y: top + m.pad }), ...kids.map((_, i) => ({ x: b.colX[i % b.cols], y: b.rowY[Math.floor(i / b.cols)] }))];
  placeIoRows(n, ios, n.h - m.pad, m);
}

interface MemoryRow {
  /** The node's own memory box (item.node is the row's owner) and the CPU-less nodes beside it. */
  items: { node: TreeNode; w: number }[];
  w: number;
  h: number;
}

/** A box's memory row at its narrowest: its own memory as wide as its lines, attached nodes as measured. */
function memoryRow(n: TreeNode, memory: readonly TreeNode[], ownW: number, m: LayoutMetrics): MemoryRow {
  const items = memory.map((c) => ({ node: c, w: c === n ? ownW : c.w }));
  const w = items.reduce((a, i) => a + i.w, 0) + m.gap * Math.max(0, items.length - 1);
  return { items, w, h: Math.max(0, ...memory.map((c) => (c === n ? m.memoryH : c.h))) };
}

/**
 * Positions of the row's boxes at y: attached nodes at their own size, the node's own memory box
 * as high as the row and as wide as the room the others leave (a lone one spans the node).
 */
function placeMemory(n: TreeNode, row: MemoryRow, y: number, m: LayoutMetrics): Map<TreeNode, { x: number; y: number }> {
  const at = new Map<TreeNode, { x: number; y: number }>();
  const room = n.w - m.pad * 2 - row.w;
  let x = m.pad;
  for (const item of row.items) {
    if (item.node === n) {
      n.memory = { x, y, w: item.w + room, h: row.h };
      x += room;
    } else {
      at.set(item.node, { x, y });
    }
    x += item.w + m.gap;
  }
  return at;
}

/** Stretches each I/O box across its parent and stacks them from y, growing the parent. */
function placeIoRows(n: TreeNode, ios: TreeNode[], y: number, m: LayoutMetrics): void {
  for (const io of ios) {
    io.w = n.w - m.pad * 2;
    n.at?.push({ x: m.pad, y: y + m.gap });
    y += m.gap + io.h;
    n.h = y + m.pad;
  }
}

/**
 * One I/O box per PCI locality: inside its NUMA node when the node is drawn, otherwise (unknown
 * locality, or a node no CPU or memory box stands for) at the foot of the machine.
 */
function attachIo(root: TreeNode, host: Host, open: ReadonlySet<string>): void {
  if (host.pci.length === 0) return;
  const nodes = new Map<number, TreeNode>();
  const find = (n: TreeNode) => {
    if (n.kind === 'NUMANode' && n.node !== undefined) nodes.set(n.node, n);
    n.children.forEach(find);
  };
  find(root);
  for (const locality of pciLocalities(host)) {
    const id = `IO_${locality ?? 'unknown'}`;
    const isOpen = open.has(id);
    const box: TreeNode = {
      id,
      kind: 'IO',
      cpus: [],
      children: [],
      w: 0,
      h: 0,
      io: { lines: ioLines(host, locality, isOpen), open: isOpen, devices: ioDeviceCount(host, locality) },
    };
    if (locality !== null) box.node = locality;
    (locality !== null ? (nodes.get(locality) ?? root) : root).children.push(box);
  }
}

/** The title band over a box's children (a NUMA node has none: its memory heads it). */
function headerHeight(n: TreeNode, m: LayoutMetrics): number {
  if (n.kind === 'Core' && n.caches && n.caches.length > 0) return m.header + m.smallLine;
  return m.header;
}

/** How wide a NUMA node must be for the two lines of its memory box. */
function memoryWidth(n: TreeNode, m: LayoutMetrics, host: Host, mode: IndexMode): number {
  const [a, b] = memoryLines(host, n.node ?? -1, mode, n);
  return Math.ceil(Math.max(textWidth(a, m.font.label, true), textWidth(b, m.font.small))) + m.inset * 2 + m.pad * 2;
}

/**
 * The page's narrowest boxes: room for a typical label, not measured, except a NUMA node's
 * memory lines (size, kind, free memory and pages) and a core's title ("Core L#1156 P#1156" on
 * a huge host), written in the widest index mode.
 */
function pageMinWidth(n: TreeNode, host: Host): number {
  switch (n.kind) {
    case 'NUMANode':
      return Math.max(150, memoryWidth(n, PAGE_METRICS, host, 'both'));
    case 'Core':
      return Math.max(n.caches && n.caches.length > 0 ? 104 : 60, Math.ceil(textWidth(boxLabel(n, 'both', host), PAGE_METRICS.font.label)) + PAGE_METRICS.inset * 2);
    case 'Machine':
    case 'Package':
      return 120;
    default:
      return 70;
  }
}

/**
 * Logical indexes in tree order, before factorising, so folded objects keep their numbers. NUMA
 * nodes are numbered as hwloc numbers its memory level: an object's other children first, then
 * its memory children (a node box's own memory and the nodes attached beside it, by P#). So
 * memory attached to a package comes after the nodes of the clusters inside it, and the
 * machine's row of unplaced nodes after everything, though lstopo and we draw memory on top.
 */
function numberTree(n: TreeNode, counters: Map<BoxKind, number>): void {
  const next = (kind: BoxKind) => {
    const i = counters.get(kind) ?? 0;
    counters.set(kind, i + 1);
    return i;
  };
  if (n.kind !== 'NUMANode') n.logical = next(n.kind);
  const others = n.children.filter((c) => !isMemoryOnly(c));
  for (const c of others) if (c.kind !== 'Memories') numberTree(c, counters);
  for (const c of others) if (c.kind === 'Memories') numberTree(c, counters);
  for (const m of memoryOf(n)) m.logical = next('NUMANode');
}

/** A box's memory in the order lstopo lists it: the node's own (a NUMA node box) and the CPU-less nodes beside it, by P#. */
function memoryOf(n: TreeNode): TreeNode[] {
  const own = n.kind === 'NUMANode' ? [n] : [];
  return [...own, ...n.children.filter(isMemoryOnly)].sort((a, b) => (a.os ?? 0) - (b.os ?? 0));
}

function place(n: TreeNode, x: number, y: number, parent: string | null, depth: number, out: Box[], m: LayoutMetrics): void {
  const box: Box = { id: n.id, kind: n.kind, parent, depth, x, y, w: n.w, h: n.h, cpus: n.cpus };
  if (n.logical !== undefined) box.logical = n.logical;
  if (n.os !== undefined) box.os = n.os;
  if (n.sizeKiB !== undefined) box.sizeKiB = n.sizeKiB;
  if (n.online !== undefined) box.online = n.online;
  if (n.node !== undefined) box.node = n.node;
  if (n.caches && n.caches.length > 0) box.caches = n.caches.sort((a, b) => b.level - a.level);
  if (n.hidden) box.hidden = n.hidden;
  if (n.io) box.io = n.io;
  out.push(box);
  if (n.kind === 'NUMANode' && n.node !== undefined) {
    // The memory box speaks for its node: it carries the node's indexes.
    const mem = n.memory ?? { x: m.pad, y: m.pad, w: n.w - m.pad * 2, h: m.memoryH };
    out.push({ id: `Memory_${n.node}`, kind: 'Memory', parent: n.id, depth: depth + 1, x: x + mem.x, y: y + mem.y, w: mem.w, h: mem.h, cpus: [], node: n.node, os: n.os, logical: n.logical });
  }
  n.children.forEach((c, i) => {
    const at = n.at?.[i] ?? { x: m.pad, y: m.pad };
    place(c, x + at.x, y + at.y, n.id, depth + 1, out, m);
  });
}
