/**
 * Folding runs of identical siblings, as lstopo --factorize does (lstopo.c,
 * lstopo_add_factorized_attributes): a pass over the object tree that only marks which members
 * of a run stay drawn, which one stands for the others as a "… N× …" box, and which are removed.
 * It measures and places nothing; layout.ts does that with the marks.
 *
 * Beyond lstopo: a run is any level (groups, packages, dies, clusters, NUMA nodes, caches, cores), and
 * members that hold what the user is looking at — a guest's pinned CPUs, a highlighted node or
 * CPU — stay drawn wherever they sit in the run, the folds closing around them.
 */
import type { TreeKind, TreeNode } from '../../core/host/tree.ts';
import { isMemoryOnly } from '../../core/host/tree.ts';

/** How runs of identical siblings fold: a run longer than `run` keeps its `first` and `last`. */
export interface FoldRule {
  run: number;
  first: number;
  last: number;
  /** Kinds that fold. Without NUMANode, no run holding a NUMA node folds either. */
  kinds: ReadonlySet<TreeKind>;
  /** A stretch of one member folds too where the run has a kept member (elsewhere it is drawn: its box would save little). */
  single?: boolean;
}

/** What must stay drawn. */
export interface Keep {
  cpus: ReadonlySet<number>;
  nodes: ReadonlySet<number>;
}

/** The first member of a folded stretch stands for it; the others are removed. */
export type FoldMark = { kind: 'dots'; id: string; members: TreeNode[] } | { kind: 'remove' };

const CORES: ReadonlySet<TreeKind> = new Set(['Core', 'L2', 'L1']);
const CACHES: ReadonlySet<TreeKind> = new Set(['L3', 'L2', 'L1', 'Core']);
const NODES: ReadonlySet<TreeKind> = new Set(['Die', 'Cluster', 'NUMANode', 'L3', 'L2', 'L1', 'Core']);
const EVERY: ReadonlySet<TreeKind> = new Set(['Group', 'Package', 'Die', 'Cluster', 'NUMANode', 'L3', 'L2', 'L1', 'Core']);
const PRESENTED: ReadonlySet<TreeKind> = new Set(['Core', 'L3', 'L2', 'L1', 'Cluster', 'Die']);

/** lstopo's --factorize on cores: what the page always did on large hosts. */
export const CORE_FOLD: FoldRule = { run: 8, first: 3, last: 1, kinds: CORES };

/**
 * Ever tighter folds for the page, tried in turn until every label reads at Fit: runs of cores;
 * then lstopo 2.x's default (--factorize=4,1,1: runs of four or more down to their first and
 * last), from the inside out — cores and caches, then NUMA nodes, dies and clusters, then
 * packages; then runs of three or more the same way; then any two alike siblings down to the
 * first; last, even one sibling beside a kept one (the other socket of a two-socket host whose
 * first holds a guest's pins), whose whole subtree then stands as one small box.
 */
export const PAGE_FOLDS: readonly FoldRule[] = [
  CORE_FOLD,
  ...[CACHES, NODES, EVERY].map((kinds) => ({ run: 3, first: 1, last: 1, kinds })),
  ...[CACHES, NODES, EVERY].map((kinds) => ({ run: 2, first: 1, last: 1, kinds })),
  { run: 1, first: 1, last: 0, kinds: EVERY },
  { run: 1, first: 1, last: 0, kinds: EVERY, single: true },
];

/**
 * The same for a presenter's screen, whose scenes point at packages and nodes: those never fold;
 * L3s, clusters and dies do once cores alone are not enough.
 */
export const PRESENTATION_FOLDS: readonly FoldRule[] = [CORE_FOLD, { run: 3, first: 1, last: 1, kinds: PRESENTED }, { run: 2, first: 1, last: 0, kinds: PRESENTED }];

/** Id of the box standing for a folded stretch: named after its first member, so it survives re-folding. */
export const foldId = (first: TreeNode) => `More_${first.id}`;

/**
 * Marks the tree under `rule`: runs of siblings with one signature (symmetry.ts) longer than the
 * rule's run fold, except their first and last members, members holding anything in `keep`, and
 * stretches whose box the user opened (`expanded` holds its id). A stretch of one is drawn.
 */
export function fold(root: TreeNode, rule: FoldRule, signatures: ReadonlyMap<TreeNode, number>, expanded: ReadonlySet<string>, keep: Keep): Map<TreeNode, FoldMark> {
  const marks = new Map<TreeNode, FoldMark>();
  const held = heldBy(root, keep);
  const withNodes = new Set<TreeNode>();
  const findNodes = (n: TreeNode): boolean => {
    let any = n.kind === 'NUMANode';
    for (const c of n.children) if (findNodes(c)) any = true;
    if (any) withNodes.add(n);
    return any;
  };
  if (!rule.kinds.has('NUMANode')) findNodes(root);
  const foldable = (n: TreeNode) => rule.kinds.has(n.kind) && !isMemoryOnly(n) && !withNodes.has(n);

  const visit = (n: TreeNode) => {
    const kids = n.children;
    let i = 0;
    while (i < kids.length) {
      let j = i + 1;
      const sig = signatures.get(kids[i]);
      while (j < kids.length && sig !== undefined && signatures.get(kids[j]) === sig) j++;
      if (j - i > rule.run && foldable(kids[i])) markRun(kids.slice(i, j), rule, expanded, held, marks);
      i = j;
    }
    for (const c of kids) if (!marks.has(c)) visit(c);
  };
  visit(root);
  return marks;
}

function markRun(run: TreeNode[], rule: FoldRule, expanded: ReadonlySet<string>, held: ReadonlySet<TreeNode>, marks: Map<TreeNode, FoldMark>): void {
  const shown = (k: number) => k < rule.first || k >= run.length - rule.last || held.has(run[k]);
  // One member alone folds only beside one that is kept open: its box then makes room for what is looked at.
  const single = rule.single === true && run.some((m) => held.has(m));
  let k = 0;
  while (k < run.length) {
    if (shown(k)) {
      k++;
      continue;
    }
    let end = k;
    while (end < run.length && !shown(end)) end++;
    const stretch = run.slice(k, end);
    const id = foldId(stretch[0]);
    if ((stretch.length > 1 || single) && !expanded.has(id)) {
      marks.set(stretch[0], { kind: 'dots', id, members: stretch });
      for (const m of stretch.slice(1)) marks.set(m, { kind: 'remove' });
    }
    k = end;
  }
}

/** Objects holding a kept CPU or node, at any depth. */
function heldBy(root: TreeNode, keep: Keep): Set<TreeNode> {
  const out = new Set<TreeNode>();
  if (keep.cpus.size === 0 && keep.nodes.size === 0) return out;
  const visit = (n: TreeNode): boolean => {
    let any = (n.kind === 'PU' && keep.cpus.has(n.cpus[0])) || (n.kind === 'NUMANode' && n.node !== undefined && keep.nodes.has(n.node));
    for (const c of n.children) if (visit(c)) any = true;
    if (any) out.add(n);
    return any;
  };
  visit(root);
  return out;
}
