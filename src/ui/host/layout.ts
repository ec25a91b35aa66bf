/**
 * The host view as geometry: Host → nested boxes with stable ids, positions and sizes, no DOM.
 * Nesting is decided by CPU sets, the way hwloc inserts objects: every object goes into the
 * smallest object whose CPUs contain its own, so a node that spans packages holds them and a
 * package split into nodes holds those. Caches private to one core are folded into the core's
 * label; CPU-less nodes sit in a memories row at the top of the machine. Long runs of identical
 * cores are factorised into one "… N more" box (lstopo's --factorize) unless expanded. PCI
 * devices sit in a compact I/O box at the foot of their NUMA node, as lstopo draws I/O next to
 * the objects it is local to; devices of unknown locality get one at the foot of the machine.
 */
import type { Host } from '../../core/host/model.ts';
import { ioDeviceCount, ioLines, pciLocalities, type IoLine } from './io.ts';

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
}

export interface LayoutOptions {
  /** 'auto' factorises only on large hosts (more than FACTORIZE_FROM_PUS PUs). */
  factorize: 'auto' | 'on' | 'off';
  /** Ids of More boxes the user opened, and of I/O boxes opened to their full tree. */
  expanded: ReadonlySet<string>;
  /** CPUs that must stay drawn (a guest is pinned there), so they are never folded away. */
  keep: ReadonlySet<number>;
}

export const DEFAULT_OPTIONS: LayoutOptions = { factorize: 'auto', expanded: new Set(), keep: new Set() };

export const FACTORIZE_FROM_PUS = 256;
/** A run of identical siblings longer than this is factorised, keeping FIRST and LAST. */
const FACTORIZE_RUN = 8;
const KEEP_FIRST = 3;
const KEEP_LAST = 1;
/** Only runs of cores (or of the small caches grouping them) fold: packages and NUMA nodes stay, the heatmap and guests point at them. */
const FOLDABLE: ReadonlySet<BoxKind> = new Set(['Core', 'L2', 'L1']);

export const PU_W = 46;
export const PU_H = 30;
export const HEADER = 18;
export const MEMORY_H = 38;
export const IO_LINE_H = 13;
/** Rough width of one character of the 10 px I/O text, to size and clip its lines. */
export const IO_CHAR_W = 5.6;
const PAD = 5;
const GAP = 5;

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
}

export function layoutHost(host: Host, options: LayoutOptions = DEFAULT_OPTIONS): HostLayout {
  const root = buildTree(host);
  numberTree(root, new Map());
  attachIo(root, host, options.expanded);
  const factorize = options.factorize === 'on' || (options.factorize === 'auto' && host.cpus.length > FACTORIZE_FROM_PUS);
  if (factorize) factorizeTree(root, options);
  measure(root);
  const boxes: Box[] = [];
  place(root, 0, 0, null, 0, boxes);
  return { boxes, byId: new Map(boxes.map((b) => [b.id, b])), width: root.w, height: root.h };
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

  const memoryOnly = host.nodes.filter((n) => n.cpus.length === 0);
  if (memoryOnly.length > 0) {
    machine.children.unshift({
      id: 'Memories_0',
      kind: 'Memories',
      cpus: [],
      children: memoryOnly.map((n) => ({ id: `NUMANode_${n.id}`, kind: 'NUMANode' as const, os: n.id, node: n.id, cpus: [], children: [], w: 0, h: 0 })),
      w: 0,
      h: 0,
    });
  }
  sortChildren(machine);
  return machine;
}

function sortChildren(n: TreeNode): void {
  n.children.sort((a, b) => {
    if (a.kind === 'Memories') return -1;
    if (b.kind === 'Memories') return 1;
    return firstCpu(a) - firstCpu(b) || RANK[a.kind] - RANK[b.kind];
  });
  for (const c of n.children) sortChildren(c);
}

function firstCpu(n: TreeNode): number {
  let min = Infinity;
  for (const c of n.cpus) if (c < min) min = c;
  return min;
}

function factorizeTree(root: TreeNode, options: LayoutOptions): void {
  const interned = new Map<string, number>();
  const signature = (n: TreeNode): number => {
    const kids = n.children.map(signature).join(',');
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
      const folded = run.slice(KEEP_FIRST, run.length - KEEP_LAST);
      const id = folded.length > 0 ? `More_${folded[0].id}` : '';
      if (run.length > FACTORIZE_RUN && FOLDABLE.has(run[0].kind) && !options.expanded.has(id)) {
        out.push(...run.slice(0, KEEP_FIRST), moreBox(id, folded), ...run.slice(run.length - KEEP_LAST));
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
    n.children.forEach(count);
  };
  folded.forEach(count);
  const cpus = folded.flatMap((f) => f.cpus);
  return { id, kind: 'More', cpus, children: [], hidden: { boxes: folded.length, cores, pus, kind: folded[0].kind }, w: 0, h: 0 };
}

/** Sizes bottom-up; children in a table whose column count brings the box nearest its aim. */
function measure(n: TreeNode): void {
  for (const c of n.children) measure(c);
  if (n.kind === 'PU') {
    n.w = PU_W;
    n.h = PU_H;
    return;
  }
  if (n.kind === 'More') {
    n.w = PU_W * 2 + PAD * 2;
    n.h = PU_H + HEADER;
    return;
  }
  if (n.kind === 'IO') {
    const longest = Math.max(...(n.io?.lines ?? []).map((l) => l.text.length + l.depth * 2), 0);
    n.w = Math.min(320, Math.max(140, longest * IO_CHAR_W + 12));
    n.h = HEADER + (n.io?.lines.length ?? 0) * IO_LINE_H + 4;
    return;
  }
  // I/O boxes are full-width rows under everything else in their parent.
  const ios = n.children.filter((c) => c.kind === 'IO');
  const kids = n.children.filter((c) => c.kind !== 'IO');
  n.children = [...kids, ...ios];
  const ioW = Math.max(0, ...ios.map((io) => io.w + PAD * 2));
  if (n.kind === 'NUMANode' && kids.length === 0) {
    n.w = Math.max(150, ioW);
    n.h = MEMORY_H + PAD * 2;
    n.at = [];
    placeIoRows(n, ios, n.h - PAD);
    return;
  }
  const head = headerHeight(n);
  const aim = n.kind === 'Core' ? 8 : n.kind === 'Machine' ? 1.6 : n.kind === 'Memories' ? 8 : 1.3;
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
    const innerW = colW.reduce((a, b) => a + b, 0) + GAP * Math.max(0, cols - 1);
    const innerH = rowH.reduce((a, b) => a + b, 0) + GAP * Math.max(0, rows - 1);
    const w = innerW + PAD * 2;
    const h = innerH + PAD * 2 + head;
    // Near the aimed aspect, and without a ragged last row (3 + 1 packages read worse than 2 × 2).
    const score = Math.abs(Math.log(w / h / aim)) + (cols * rows - kids.length) / (cols * rows);
    if (!best || score < best.score) {
      const colX: number[] = [];
      let x = PAD;
      for (const cw of colW) {
        colX.push(x);
        x += cw + GAP;
      }
      const rowY: number[] = [];
      let y = head + PAD;
      for (const rh of rowH) {
        rowY.push(y);
        y += rh + GAP;
      }
      best = { cols, w, h, colX, rowY, score };
    }
  }
  const b = best ?? { cols: 1, w: PAD * 2, h: head + PAD * 2, colX: [PAD], rowY: [head + PAD], score: 0 };
  n.w = Math.max(b.w, minWidth(n), ioW);
  n.h = b.h;
  n.at = kids.map((_, i) => ({ x: b.colX[i % b.cols], y: b.rowY[Math.floor(i / b.cols)] }));
  placeIoRows(n, ios, n.h - PAD);
}

/** Stretches each I/O box across its parent and stacks them from y, growing the parent. */
function placeIoRows(n: TreeNode, ios: TreeNode[], y: number): void {
  for (const io of ios) {
    io.w = n.w - PAD * 2;
    n.at?.push({ x: PAD, y: y + GAP });
    y += GAP + io.h;
    n.h = y + PAD;
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

function headerHeight(n: TreeNode): number {
  if (n.kind === 'NUMANode') return MEMORY_H + PAD;
  if (n.kind === 'Core' && n.caches && n.caches.length > 0) return HEADER + 12;
  return HEADER;
}

function minWidth(n: TreeNode): number {
  switch (n.kind) {
    case 'NUMANode':
      return 150;
    case 'Core':
      return n.caches && n.caches.length > 0 ? 104 : 60;
    case 'Machine':
    case 'Package':
      return 120;
    default:
      return 70;
  }
}

/** Logical indexes in tree order, before factorising, so folded objects keep their numbers. */
function numberTree(n: TreeNode, counters: Map<BoxKind, number>): void {
  const next = counters.get(n.kind) ?? 0;
  counters.set(n.kind, next + 1);
  n.logical = next;
  for (const c of n.children) numberTree(c, counters);
}

function place(n: TreeNode, x: number, y: number, parent: string | null, depth: number, out: Box[]): void {
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
    out.push({ id: `Memory_${n.node}`, kind: 'Memory', parent: n.id, depth: depth + 1, x: x + PAD, y: y + PAD, w: n.w - PAD * 2, h: MEMORY_H, cpus: [], node: n.node, os: n.os, logical: n.logical });
  }
  n.children.forEach((c, i) => {
    const at = n.at?.[i] ?? { x: PAD, y: PAD };
    place(c, x + at.x, y + at.y, n.id, depth + 1, out);
  });
}
