/**
 * The host view as geometry: Host → nested boxes with stable ids, positions and sizes, no DOM.
 * Three passes, as hwloc and lstopo split the work: the object tree comes from core/host/tree.ts
 * (nesting by CPU sets, memory where hwloc attaches it, logical indexes), fold.ts marks the runs
 * of identical siblings to fold, and this module only measures and places what is left. Memory
 * heads each box in a row, as lstopo draws memory children above the others; a node no source
 * placed sits in a memories row at the top of the machine. PCI devices sit in a compact I/O box
 * at the foot of their NUMA node, as lstopo draws I/O next to the objects it is local to;
 * devices of unknown locality, or of a node folded away, get one at the foot of the machine.
 *
 * On the page, given the size of the view (options.frame), folding is chosen the way a reader
 * needs it: nothing folds while every label reads at READABLE_PX or more once the drawing is
 * fitted in the view, and ever tighter folds (fold.ts's PAGE_FOLDS) are tried until it does.
 * Children are packed in tables, as lstopo does; when no fold reads so (a guest's pins keep big
 * members drawn), every box's shape is searched together for the view (shapes.ts, with pack.ts's
 * shelves), and only then do cores leave their caches line out.
 *
 * A presentation layout (options.presentation) is drawn for a screen rather than a page: type of
 * a given size on screen, boxes sized from the width of the words they hold, children packed in
 * the rows and columns that let the drawing fill the screen's aspect at scale 1, only as much
 * detail as the scene needs, and long runs of cores folded when even that does not fit.
 */
import { maxOf } from '../../core/extremes.ts';
import type { Host } from '../../core/host/model.ts';
import { subtreeSignatures } from '../../core/host/symmetry.ts';
import { hostTree, memoryOf, type TreeKind, type TreeNode } from '../../core/host/tree.ts';
import type { IndexMode } from '../../state/store.ts';
import { CORE_FOLD, fold, PAGE_FOLDS, PRESENTATION_FOLDS, type FoldMark, type FoldRule } from './fold.ts';
import { ioDeviceCount, ioLines, pciLocalities, type IoLine } from './io.ts';
import { boxLabel, cacheText, memoryLines, moreDetail, textWidth } from './labels.ts';
import { shelfWidths, shelves, table, type Packed } from './pack.ts';
import { fitShapes, type Shaper } from './shapes.ts';

export type BoxKind = TreeKind | 'Memory' | 'More' | 'IO';

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
  /** Group: hwloc's depth among groups (Group0, Group1) and its kind where a source names it (Book, Drawer). */
  groupDepth?: number;
  subtype?: string;
  /** CPUs under the box (PU: its own id). Shared with the model, not copied. */
  cpus: readonly number[];
  /** More: what it hides (boxes: the folded siblings; the rest: what they hold, themselves included). */
  hidden?: { boxes: number; packages: number; nodes: number; cores: number; pus: number; kind: BoxKind };
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
  /**
   * 'auto' folds only as far as the frame needs for every label to read (without a frame: runs
   * of cores, on hosts of more than FACTORIZE_FROM_PUS PUs); 'on' folds at least runs of cores.
   */
  factorize: 'auto' | 'on' | 'off';
  /** Ids of More boxes the user opened, and of I/O boxes opened to their full tree. */
  expanded: ReadonlySet<string>;
  /** CPUs that must stay drawn (a guest is pinned there, a view lights them), so they are never folded away. */
  keep: ReadonlySet<number>;
  /** NUMA nodes that must stay drawn, the same way. */
  keepNodes?: ReadonlySet<number>;
  /** The page's view, in CSS pixels: the drawing is folded until it reads when fitted in it. */
  frame?: { width: number; height: number };
  /** Drawn for a presenter's screen instead of the page (see Presentation). */
  presentation?: Presentation;
}

export const DEFAULT_OPTIONS: LayoutOptions = { factorize: 'auto', expanded: new Set(), keep: new Set() };

export const FACTORIZE_FROM_PUS = 256;

/** Smallest type, in CSS pixels, that the page's drawing shows when fitted in its view. */
export const READABLE_PX = 10;
/** The margin panzoom's fit() keeps around the drawing, in CSS pixels. */
export const FIT_MARGIN = 12;

/**
 * Whether the drawing may fold at all: only then does `keep` change anything, so a view can
 * leave a guest's moves out of the layout's inputs on hosts drawn in full.
 */
export function mayFold(host: Host, options: Pick<LayoutOptions, 'factorize' | 'presentation' | 'frame'>): boolean {
  if (options.factorize === 'off') return false;
  return options.presentation !== undefined || options.frame !== undefined || options.factorize === 'on' || host.cpus.length > FACTORIZE_FROM_PUS;
}

export const PU_W = 46;
export const PU_H = 30;
export const HEADER = 18;
export const MEMORY_H = 38;
export const IO_LINE_H = 13;
/**
 * Width of one character of the 10 px I/O text, to size and clip its lines: 0.61 em, as wide as
 * the common monospace fonts draw (DejaVu Sans Mono, Menlo: 0.602 em); at 0.56 em a 40-character
 * line ran past its box.
 */
export const IO_CHAR_W = 6.1;
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

/** An object of the tree (or a fold, or I/O) as measure() sizes it. */
interface LaidNode extends Omit<TreeNode, 'kind' | 'children'> {
  kind: BoxKind;
  children: LaidNode[];
  hidden?: Box['hidden'];
  io?: Box['io'];
  w: number;
  h: number;
  /** Child offsets relative to this node, filled by measure(). */
  at?: { x: number; y: number }[];
  /** A NUMA node's own memory box, relative to the node, filled by measure(). */
  memory?: { x: number; y: number; w: number; h: number };
}

export function layoutHost(host: Host, options: LayoutOptions = DEFAULT_OPTIONS): HostLayout {
  if (options.presentation) return presentationLayout(host, options, options.presentation);
  // One tree and one set of signatures, whatever folds are tried: folding copies, never changes them.
  const whole = hostTree(host);
  const signatures = subtreeSignatures(whole);
  const marksOf = (rule: FoldRule | null, o: LayoutOptions) => foldMarks(whole, rule, signatures, o);
  const tree = (marks: Marks, o: LayoutOptions) => {
    const root = foldedTree(whole, marks);
    attachIo(root, host, o.expanded);
    return root;
  };
  // The fold is chosen for the host and the view alone: opening a fold, pinning a guest or
  // lighting a node up folds the rest of the drawing differently only where what they keep drawn
  // would not read otherwise.
  const plain = options.expanded.size === 0 && options.keep.size === 0 && (options.keepNodes?.size ?? 0) === 0;
  const bare = plain ? options : { ...options, expanded: new Set<string>(), keep: new Set<number>(), keepNodes: new Set<number>() };
  const rules = pageFolds(host, options);
  const chosen = bareChoice(host, options, () => chooseFold(host, options.frame, rules, (rule) => marksOf(rule, bare), (marks) => tree(marks, bare)));
  if (plain) return laidOut(tree(marksOf(chosen.rule, bare), bare), chosen, options.frame);
  // What is kept drawn (a guest's pins open the cores of its nodes, a node brought into view)
  // can make that fold unreadable: the others then fold tighter, from it on, until it reads
  // again. Folds the user opened are not weighed: opening one must not close the others.
  const keeps = options.keep.size > 0 || (options.keepNodes?.size ?? 0) > 0;
  const kept = { ...options, expanded: new Set<string>() };
  const settled = keeps ? chooseFold(host, options.frame, rules.slice(rules.indexOf(chosen.rule)), (rule) => marksOf(rule, kept), (marks) => tree(marks, kept)) : chosen;
  return laidOut(tree(marksOf(settled.rule, options), options), settled, options.frame);
}

/** The boxes of a fold as chooseFold() packed it. */
function laidOut(root: LaidNode, choice: FoldChoice, frame: LayoutOptions['frame']): HostLayout {
  if (choice.shaped && frame) measureToFit(root, choice.sizing, frame);
  else measure(root, choice.sizing);
  return placed(root, choice.sizing);
}

type Marks = ReadonlyMap<TreeNode, FoldMark>;

/** A fold of the page's drawing, and how its boxes are packed (shaped: by measureToFit()). */
interface FoldChoice {
  rule: FoldRule | null;
  sizing: Sizing;
  shaped?: boolean;
}

/**
 * The fold and packing chosen for a host and a view alone, the last one kept per host: a hover,
 * a drop or an opened fold lays the host out again from it, and need not search the folds again.
 * Only the last view is kept: a resize or a zoom step asks for a new one each pixel.
 */
const bareChoices = new WeakMap<Host, { key: string; choice: FoldChoice }>();

function bareChoice(host: Host, options: LayoutOptions, choose: () => FoldChoice): FoldChoice {
  const key = `${options.factorize}|${options.frame ? `${options.frame.width}x${options.frame.height}` : ''}`;
  const last = bareChoices.get(host);
  if (last?.key === key) return last.choice;
  const choice = choose();
  bareChoices.set(host, { key, choice });
  return choice;
}

/**
 * The least of the folds (and packing) whose drawing reads at READABLE_PX once fitted in the
 * frame; when none does, the fold and packing fitted largest (the tightest fold, mostly); without
 * a frame, the one fold the options ask for. Each fold is packed in tables first, the look of
 * lstopo; only when no fold reads so are the shapes of every box searched (measureToFit), and
 * only when none reads then either do cores leave out their caches line, the smallest text. A
 * fold that marks what the one before it marked is not measured again.
 */
function chooseFold(
  host: Host,
  frame: LayoutOptions['frame'],
  rules: readonly (FoldRule | null)[],
  marksOf: (rule: FoldRule | null) => Marks,
  tree: (marks: Marks) => LaidNode,
): FoldChoice {
  const sizing = pageSizing(host, frame);
  const tightest = rules[rules.length - 1];
  if (!frame) return { rule: tightest, sizing };
  const k = READABLE_PX / minFont(sizing.m);
  let best: (FoldChoice & { scale: number }) | null = null;
  const passes: { shaped: boolean; sizings: Sizing[] }[] = [
    // Packed the usual way first, then with wider or taller containers.
    { shaped: false, sizings: [sizing, ...PAGE_AIMS.map((aim) => pageSizing(host, frame, aim))] },
    { shaped: true, sizings: [sizing] },
    { shaped: true, sizings: [pageSizing(host, frame, undefined, true)] },
  ];
  for (const pass of passes) {
    let tried: string | null = null;
    for (const [i, rule] of rules.entries()) {
      const marks = marksOf(rule);
      const key = foldKey(marks);
      if (key === tried) continue;
      tried = key;
      const root = tree(marks);
      // PUs alone covering more than the view at a readable scale cannot read: fold on without measuring.
      if (i < rules.length - 1 && leafArea(root, sizing.m) * k * k > frame.width * frame.height) continue;
      for (const s of pass.sizings) {
        if (pass.shaped) measureToFit(root, s, frame);
        else measure(root, s);
        const scale = fitScaleOf(root, frame);
        if (minFont(s.m) * scale >= READABLE_PX) return { rule, sizing: s, shaped: pass.shaped };
        // Short of that, the caches line stays: it is left out only where that makes labels read.
        if (!s.terse && (!best || scale > best.scale)) best = { rule, sizing: s, shaped: pass.shaped, scale };
      }
    }
  }
  return best ? { rule: best.rule, sizing: best.sizing, shaped: best.shaped } : { rule: tightest, sizing };
}

/** What a set of marks folds, as text: equal for equal folds. */
function foldKey(marks: Marks): string {
  let key = '';
  for (const m of marks.values()) if (m.kind === 'dots') key += `${m.id}:${m.members.length} `;
  return key;
}

/** Aspects tried for the page's containers when the usual one (1.3) does not let a fold read. */
const PAGE_AIMS = [0.6, 0.9, 2, 3.5];

const minFont = (m: LayoutMetrics) => Math.min(m.font.label, m.font.small, m.font.pu, m.font.io);

/** The folds tried in turn, least first (see LayoutOptions.factorize). */
function pageFolds(host: Host, options: LayoutOptions): readonly (FoldRule | null)[] {
  if (!mayFold(host, options)) return [null];
  if (!options.frame) return [CORE_FOLD];
  return options.factorize === 'on' ? PAGE_FOLDS : [null, ...PAGE_FOLDS];
}

/** The scale fit() gives a measured drawing in the frame (panzoom's rule: margins kept, never above 2:1). */
function fitScaleOf(root: LaidNode, frame: { width: number; height: number }): number {
  return Math.min((frame.width - FIT_MARGIN * 2) / root.w, (frame.height - FIT_MARGIN * 2) / root.h, 2);
}

/** The marks of `rule` on the tree, with what the options keep and open (none without a rule). */
function foldMarks(tree: TreeNode, rule: FoldRule | null, signatures: ReadonlyMap<TreeNode, number>, options: LayoutOptions): Marks {
  if (!rule) return new Map();
  return fold(tree, rule, signatures, options.expanded, { cpus: options.keep, nodes: options.keepNodes ?? new Set<number>() });
}

/** The tree as measure() takes it, with fold.ts's marks carried out: dots become "… N× …" boxes, removed members go. */
function foldedTree(tree: TreeNode, marks: Marks): LaidNode {
  const laid = (n: TreeNode): LaidNode => {
    const children: LaidNode[] = [];
    for (const c of n.children) {
      const mark = marks.get(c);
      if (!mark) children.push(laid(c));
      else if (mark.kind === 'dots') children.push(moreBox(mark.id, mark.members));
    }
    return { ...n, children, w: 0, h: 0 };
  };
  return laid(tree);
}

/** How measure() sizes boxes: the page's fixed sizes, or a presentation's sized from its words. */
interface Sizing {
  m: LayoutMetrics;
  /** Aimed width/height of a box's table of children. */
  aim(kind: BoxKind): number;
  /** Narrowest a box may be. */
  minWidth(n: LaidNode): number;
  /** Presentation: the machine picks its columns to fit this screen instead of an aspect. */
  frame?: { width: number; height: number };
  /** Cores leave out their caches line (the page's last resort for labels that read). */
  terse?: boolean;
}

/** The page's sizes; given the view, the machine packs its children to fill it. */
const pageSizing = (host: Host, frame: LayoutOptions['frame'], containers = 1.3, terse = false): Sizing => ({
  m: PAGE_METRICS,
  aim: (kind) => (kind === 'Core' || kind === 'Memories' ? 8 : kind === 'Machine' ? 1.6 : containers),
  minWidth: (n) => pageMinWidth(n, host),
  frame: frame && { width: Math.max(1, frame.width - FIT_MARGIN * 2), height: Math.max(1, frame.height - FIT_MARGIN * 2) },
  terse,
});

function finish(root: LaidNode, sizing: Sizing): HostLayout {
  measure(root, sizing);
  return placed(root, sizing);
}

/** The boxes of a measured tree. */
function placed(root: LaidNode, s: Sizing): HostLayout {
  const boxes: Box[] = [];
  place(root, 0, 0, null, 0, boxes, s);
  return { boxes, byId: new Map(boxes.map((b) => [b.id, b])), width: root.w, height: root.h, metrics: s.m };
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
  const widths = new WeakMap<LaidNode, number>();
  const minWidth = (n: LaidNode) => {
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
  const whole = hostTree(host);
  trimTo(whole, p.detail);
  const signatures = subtreeSignatures(whole);
  const tree = (rule: FoldRule | null) => {
    const root = foldedTree(whole, foldMarks(whole, rule, signatures, options));
    if (p.detail === 'full') attachIo(root, host, options.expanded);
    return root;
  };
  const folds = options.factorize === 'on' ? PRESENTATION_FOLDS : options.factorize === 'off' ? [null] : [null, ...PRESENTATION_FOLDS];
  let best: { rule: FoldRule | null; aim: readonly [number, number]; fit: number } | null = null;
  for (const [i, rule] of folds.entries()) {
    if (best && best.fit >= 1) break;
    const root = tree(rule);
    // PUs alone covering more than the screen cannot fit: go on folding without trying.
    if (i < folds.length - 1 && leafArea(root, m) > frame.width * frame.height) continue;
    const inners = hasCaches(root) ? PRESENTATION_AIMS : [1];
    for (const outer of PRESENTATION_AIMS) {
      for (const inner of inners) {
        measure(root, sizingFor([outer, inner]));
        const fit = Math.min(frame.width / root.w, frame.height / root.h);
        if (!best || fit > best.fit * 1.001) best = { rule, aim: [outer, inner], fit };
      }
    }
  }
  const chosen = best ?? { rule: null, aim: [1.3, 1.3] as const, fit: 0 };
  return finish(tree(chosen.rule), sizingFor(chosen.aim));
}

/** Area of the PUs and "… more" boxes under a box: what no packing can make smaller. */
function leafArea(n: LaidNode, m: LayoutMetrics): number {
  if (n.kind === 'PU') return m.puW * m.puH;
  if (n.kind === 'More') return m.moreH * m.puW;
  return n.children.reduce((a, c) => a + leafArea(c, m), 0);
}

function hasCaches(n: LaidNode): boolean {
  return n.kind === 'L3' || n.kind === 'L2' || n.kind === 'L1' || n.children.some(hasCaches);
}

/** What a box must be wide enough for in a presentation: its words, at the presentation's type. */
function presentationMinWidth(n: LaidNode, m: LayoutMetrics, host: Host, mode: IndexMode): number {
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

/** The "… N× …" box standing for folded members (nothing inside them was folded). */
function moreBox(id: string, folded: TreeNode[]): LaidNode {
  const hidden = { boxes: folded.length, packages: 0, nodes: 0, cores: 0, pus: 0, kind: folded[0].kind };
  const count = (n: TreeNode) => {
    if (n.kind === 'Package') hidden.packages++;
    if (n.kind === 'NUMANode') hidden.nodes++;
    if (n.kind === 'Core') hidden.cores++;
    if (n.kind === 'PU') hidden.pus++;
    n.children.forEach(count);
  };
  folded.forEach(count);
  const cpus = folded.flatMap((f) => f.cpus);
  return { id, kind: 'More', cpus, children: [], hidden, w: 0, h: 0 };
}

/** Sizes bottom-up; children in a table whose column count brings the box nearest its aim. */
function measure(n: LaidNode, s: Sizing): void {
  for (const c of n.children) measure(c, s);
  if (sizeLeaf(n, s)) return;
  const { m } = s;
  const parts = partsOf(n, s);
  const aim = s.aim(n.kind);
  const fitFrame = s.frame && n.kind === 'Machine' ? s.frame : undefined;
  let best: { cols: number; score: number } | null = null;
  const maxCols = n.kind === 'Core' ? Math.min(parts.kids.length, 4) : parts.kids.length;
  for (let cols = 1; cols <= Math.max(1, maxCols); cols++) {
    const packed = table(parts.kids, cols, m.gap);
    const { w, h } = bodySize(parts, packed, m);
    // Near the aimed aspect (or, for a presenter's machine, as large as the screen allows), and
    // without a ragged last row (3 + 1 packages read worse than 2 × 2).
    const score = fitFrame ? -Math.log(Math.min(fitFrame.width / Math.max(w, parts.minW, parts.ioW), fitFrame.height / h)) + packed.ragged / 4 : Math.abs(Math.log(w / h / aim)) + packed.ragged;
    if (!best || score < best.score) best = { cols, score };
  }
  arrange(n, s, { cols: best?.cols ?? 1 });
}

/** Boxes whose size is their own (PUs, folds, I/O): true once sized. */
function sizeLeaf(n: LaidNode, s: Sizing): boolean {
  const { m } = s;
  if (n.kind === 'PU') {
    n.w = m.puW;
    n.h = m.puH;
    return true;
  }
  if (n.kind === 'More') {
    n.w = Math.max(m.moreW, s.minWidth(n));
    n.h = m.moreH;
    return true;
  }
  if (n.kind === 'IO') {
    const longest = maxOf((n.io?.lines ?? []).map((l) => l.text.length + l.depth * 2), 0);
    n.w = Math.max(Math.min(m.ioMaxW, Math.max(m.ioMinW, longest * m.ioChar + m.inset * 2)), s.minWidth(n));
    n.h = m.header + (n.io?.lines.length ?? 0) * m.ioLine + 4;
    return true;
  }
  return false;
}

/** How a box's children under its memory row are packed: a table of `cols` columns (I/O in rows under it), or shelves `shelf` wide. */
type Packing = { cols: number } | { shelf: number };

/** A box's children as arrange() lays them out, and the room around them. */
interface Parts {
  top: number;
  bodyTop: number;
  row: MemoryRow;
  minW: number;
  ioW: number;
  attached: LaidNode[];
  kids: LaidNode[];
  ios: LaidNode[];
}

/**
 * Memory heads the box in one row, as lstopo draws memory children above the others: a node's
 * own memory box and the CPU-less nodes attached beside it. Then the packing of the other
 * children, and the I/O boxes last. Orders n.children so.
 */
function partsOf(n: LaidNode, s: Sizing): Parts {
  const { m } = s;
  const memory = n.kind === 'Memories' ? [] : memoryOf(n);
  const attached = memory.filter((c) => c !== n);
  const ios = n.children.filter((c) => c.kind === 'IO');
  const kids = n.children.filter((c) => c.kind !== 'IO' && !attached.includes(c));
  n.children = [...attached, ...kids, ...ios];
  const minW = s.minWidth(n);
  const row = memoryRow(n, memory, minW - m.pad * 2, m);
  const top = n.kind === 'NUMANode' ? 0 : headerHeight(n, s);
  const bodyTop = top + m.pad + (row.items.length > 0 ? row.h + m.pad : 0);
  return { top, bodyTop, row, minW, ioW: maxOf(ios.map((io) => io.w + m.pad * 2), 0), attached, kids, ios };
}

/** A box's size around its packed children, before I/O rows and the narrowest width it may have. */
function bodySize(p: Parts, packed: Packed, m: LayoutMetrics): { w: number; h: number } {
  return {
    w: Math.max(packed.w, p.row.w) + m.pad * 2,
    h: p.kids.length === 0 && p.row.items.length > 0 ? p.bodyTop : p.bodyTop + packed.h + m.pad,
  };
}

/**
 * Sizes and places a box's children, packed so, from their sizes. Shelves take the box's I/O
 * boxes too, at their own width after the others, where a table's rows would stretch each.
 */
function arrange(n: LaidNode, s: Sizing, packing: Packing): void {
  const { m } = s;
  const p = partsOf(n, s);
  const shelvedIo = 'shelf' in packing ? p.ios : [];
  const items = [...p.kids, ...shelvedIo];
  const packed = 'cols' in packing ? table(items, packing.cols, m.gap) : shelves(items, packing.shelf, m.gap, (i) => i >= p.kids.length);
  const size = bodySize({ ...p, kids: items }, packed, m);
  n.w = Math.max(size.w, p.minW, shelvedIo.length > 0 ? 0 : p.ioW);
  n.h = size.h;
  const memoryAt = placeMemory(n, p.row, p.top + m.pad, m);
  n.at = [...p.attached.map((c) => memoryAt.get(c) ?? { x: m.pad, y: p.top + m.pad }), ...packed.at.map((a) => ({ x: m.pad + a.x, y: p.bodyTop + a.y }))];
  if (shelvedIo.length === 0) placeIoRows(n, p.ios, n.h - m.pad, m);
}

/** The machine in the shape of all shapes.ts finds for its boxes that is fitted largest in the frame. */
function measureToFit(root: LaidNode, s: Sizing, frame: { width: number; height: number }): void {
  // Cores, PUs, folds and I/O keep measure()'s one shape, so that a core reads the same everywhere.
  const single = (n: LaidNode) => n.kind === 'PU' || n.kind === 'More' || n.kind === 'IO' || n.kind === 'Core' || n.kind === 'Memories';
  const shaper: Shaper<LaidNode, Packing> = {
    single: (n) => {
      if (!single(n)) return false;
      measure(n, s);
      return true;
    },
    order: (n) => partsOf(n, s),
    packings: (n) => {
      const p = partsOf(n, s);
      const tables = Array.from({ length: Math.max(1, p.kids.length) }, (_, i) => ({ cols: i + 1 }));
      return [...tables, ...shelfWidths([...p.kids, ...p.ios], s.m.gap).map((w) => ({ shelf: w }))];
    },
    arrange: (n, packing) => arrange(n, s, packing),
  };
  fitShapes(root, shaper, (w, h) => Math.min((frame.width - FIT_MARGIN * 2) / w, (frame.height - FIT_MARGIN * 2) / h, 2));
}

interface MemoryRow {
  /** The node's own memory box (item.node is the row's owner) and the CPU-less nodes beside it. */
  items: { node: LaidNode; w: number }[];
  w: number;
  h: number;
}

/** A box's memory row at its narrowest: its own memory as wide as its lines, attached nodes as measured. */
function memoryRow(n: LaidNode, memory: readonly LaidNode[], ownW: number, m: LayoutMetrics): MemoryRow {
  const items = memory.map((c) => ({ node: c, w: c === n ? ownW : c.w }));
  const w = items.reduce((a, i) => a + i.w, 0) + m.gap * Math.max(0, items.length - 1);
  return { items, w, h: Math.max(0, ...memory.map((c) => (c === n ? m.memoryH : c.h))) };
}

/**
 * Positions of the row's boxes at y: attached nodes at their own size, the node's own memory box
 * as high as the row and as wide as the room the others leave (a lone one spans the node).
 */
function placeMemory(n: LaidNode, row: MemoryRow, y: number, m: LayoutMetrics): Map<LaidNode, { x: number; y: number }> {
  const at = new Map<LaidNode, { x: number; y: number }>();
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
function placeIoRows(n: LaidNode, ios: LaidNode[], y: number, m: LayoutMetrics): void {
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
function attachIo(root: LaidNode, host: Host, open: ReadonlySet<string>): void {
  if (host.pci.length === 0) return;
  const nodes = new Map<number, LaidNode>();
  const find = (n: LaidNode) => {
    if (n.kind === 'NUMANode' && n.node !== undefined) nodes.set(n.node, n);
    n.children.forEach(find);
  };
  find(root);
  for (const locality of pciLocalities(host)) {
    const id = `IO_${locality ?? 'unknown'}`;
    const isOpen = open.has(id);
    const box: LaidNode = {
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
function headerHeight(n: LaidNode, s: Sizing): number {
  if (n.kind === 'Core' && n.caches && n.caches.length > 0 && !s.terse) return s.m.header + s.m.smallLine;
  return s.m.header;
}

/** How wide a NUMA node must be for the two lines of its memory box. */
function memoryWidth(n: LaidNode, m: LayoutMetrics, host: Host, mode: IndexMode): number {
  const [a, b] = memoryLines(host, n.node ?? -1, mode, n);
  return Math.ceil(Math.max(textWidth(a, m.font.label, true), textWidth(b, m.font.small))) + m.inset * 2 + m.pad * 2;
}

/**
 * The page's narrowest boxes: room for a typical label, not measured, except a NUMA node's
 * memory lines (size, kind, free memory and pages), a core's title ("Core L#1156 P#1156" on a
 * huge host) and the machine's, written in the widest index mode.
 */
function pageMinWidth(n: LaidNode, host: Host): number {
  switch (n.kind) {
    case 'NUMANode':
      return Math.max(150, memoryWidth(n, PAGE_METRICS, host, 'both'));
    case 'Core':
      return Math.max(n.caches && n.caches.length > 0 ? 104 : 60, Math.ceil(textWidth(boxLabel(n, 'both', host), PAGE_METRICS.font.label)) + PAGE_METRICS.inset * 2);
    case 'More':
      return Math.ceil(Math.max(textWidth(boxLabel(n, 'both', host), PAGE_METRICS.font.label, true), textWidth(moreDetail(n), PAGE_METRICS.font.small))) + PAGE_METRICS.inset * 2;
    case 'Machine':
      // Its title carries the CPU model ("Machine (743.6 GiB total) · Intel(R) Xeon(R) CPU E5-4640 0 @ 2.40GHz").
      return Math.max(120, Math.ceil(textWidth(boxLabel(n, 'both', host), PAGE_METRICS.font.label)) + PAGE_METRICS.inset * 2);
    case 'Package':
      return 120;
    default:
      return 70;
  }
}

function place(n: LaidNode, x: number, y: number, parent: string | null, depth: number, out: Box[], s: Sizing): void {
  const { m } = s;
  const box: Box = { id: n.id, kind: n.kind, parent, depth, x, y, w: n.w, h: n.h, cpus: n.cpus };
  if (n.logical !== undefined) box.logical = n.logical;
  if (n.os !== undefined) box.os = n.os;
  if (n.sizeKiB !== undefined) box.sizeKiB = n.sizeKiB;
  if (n.online !== undefined) box.online = n.online;
  if (n.node !== undefined) box.node = n.node;
  if (n.groupDepth !== undefined) box.groupDepth = n.groupDepth;
  if (n.kind === 'Group' && n.subtype !== undefined) box.subtype = n.subtype;
  if (n.caches && n.caches.length > 0 && !s.terse) box.caches = n.caches.sort((a, b) => b.level - a.level);
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
    place(c, x + at.x, y + at.y, n.id, depth + 1, out, s);
  });
}
