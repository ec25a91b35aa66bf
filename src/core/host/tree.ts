/**
 * The Host as hwloc's object tree: machine ⊃ group ⊃ package ⊃ die ⊃ cluster ⊃ NUMA node ⊃ caches ⊃
 * core ⊃ PU, with hwloc's logical indexes. hwloc builds this in its library and lstopo only draws it;
 * so here: the host view (src/ui/host/layout.ts) folds, measures and places this tree, and any
 * other reader (symmetry.ts, an overview) walks the same one.
 *
 * Nesting is decided by CPU sets, the way hwloc inserts objects: every object goes into the
 * smallest object whose CPUs contain its own, so a node that spans packages holds them and a
 * package split into nodes holds those. So are groups: above packages (s390 drawers) or inside a
 * package or L3 (Cluster-on-Die, SNC halves); one with the CPUs of a node holds that node, as the
 * group hwloc attached the node's memory to. Caches private to one core are kept on the core (lstopo
 * draws them as the core's second line). A CPU-less node goes where hwloc attached it
 * (NumaNode.localCpus): beside the memory of the node whose CPUs are the same (a KNL's MCDRAM next
 * to its cluster's DRAM, a CXL expander next to its socket's DRAM), otherwise into the smallest
 * object holding those CPUs; only a node placed nowhere sits in a memories row of the machine.
 */
import type { Host } from './model.ts';

export type TreeKind = 'Machine' | 'Memories' | 'Group' | 'Package' | 'Die' | 'Cluster' | 'NUMANode' | 'L3' | 'L2' | 'L1' | 'Core' | 'PU';

export interface TreeNode {
  /** Stable id: Package_0, NUMANode_1, Core_5 (machine-wide core index), PU_60 (OS index). */
  id: string;
  kind: TreeKind;
  /** CPUs under the object (PU: its own id). Shared with the model, not copied. */
  cpus: readonly number[];
  /** OS index (P#) where the kind has one. */
  os?: number;
  /** Caches: their size. */
  sizeKiB?: number;
  /** NUMANode: the node id it stands for, and its memory technology where a source names it (HBM, CXL-DRAM …). */
  node?: number;
  subtype?: string;
  /** Group: its depth among groups, 0 outermost, as hwloc names it (Group0, Group1). */
  groupDepth?: number;
  /** PU */
  online?: boolean;
  /** A core's private caches: [level, type, sizeKiB]. */
  caches?: { level: number; type: string; sizeKiB?: number }[];
  /** Logical index (L#): position among its kind in tree order, as hwloc numbers them. */
  logical?: number;
  children: TreeNode[];
}

/** Outer before inner, for objects with the same CPUs (a package equal to its node holds it). */
export const TREE_RANK: Record<TreeKind, number> = {
  Machine: 0,
  Memories: 1,
  Group: 2,
  Package: 3,
  Die: 4,
  Cluster: 5,
  NUMANode: 6,
  L3: 7,
  L2: 8,
  L1: 9,
  Core: 10,
  PU: 11,
};

/** The host's object tree, sorted as lstopo lists it and numbered as hwloc numbers it. */
export function hostTree(host: Host): TreeNode {
  const root = buildTree(host);
  numberTree(root, new Map());
  return root;
}

function buildTree(host: Host): TreeNode {
  const machine: TreeNode = { id: 'Machine_0', kind: 'Machine', cpus: host.cpus.map((c) => c.id), children: [] };
  const groups: TreeNode[] = [];
  const add = (g: TreeNode) => {
    if (g.cpus.length > 0) groups.push(g);
  };
  // Groups at one depth are disjoint: the first CPU names one.
  for (const g of host.groups ?? []) add({ id: `Group${g.depth}_${g.cpus[0]}`, kind: 'Group', groupDepth: g.depth, cpus: g.cpus, children: [], ...(g.subtype ? { subtype: g.subtype } : {}) });
  for (const p of host.packages) add({ id: `Package_${p.id}`, kind: 'Package', os: p.id, cpus: p.cpus, children: [] });
  for (const d of host.dies) add({ id: `Die_${d.package}_${d.id}`, kind: 'Die', os: d.id, cpus: d.cpus, children: [] });
  for (const c of host.clusters) add({ id: `Cluster_${c.package}_${c.die ?? 0}_${c.id}`, kind: 'Cluster', os: c.id, cpus: c.cpus, children: [] });
  for (const n of host.nodes) add({ id: `NUMANode_${n.id}`, kind: 'NUMANode', os: n.id, node: n.id, cpus: n.cpus, children: [], ...(n.subtype ? { subtype: n.subtype } : {}) });

  const coreCpuKey = new Map<string, TreeNode>();
  for (const core of host.cores) {
    const g: TreeNode = { id: `Core_${core.index}`, kind: 'Core', os: core.osId, cpus: core.cpus, children: [], caches: [] };
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
    const kind: TreeKind = cache.level >= 3 ? 'L3' : cache.level === 2 ? 'L2' : 'L1';
    add({ id: `${kind}_${cache.index}`, kind, sizeKiB: cache.sizeKiB, cpus: cache.cpus, children: [] });
  }
  for (const cpu of host.cpus) add({ id: `PU_${cpu.id}`, kind: 'PU', os: cpu.id, online: cpu.online, cpus: [cpu.id], children: [] });

  groups.sort((a, b) => b.cpus.length - a.cpus.length || TREE_RANK[a.kind] - TREE_RANK[b.kind]);
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
    // A die or cluster equal to its parent adds nothing; so does a second cache of one level,
    // and a group equal to its parent, the machine included (hwloc merges those groups away).
    const same = parent.cpus.length === g.cpus.length;
    const redundant = same && (g.kind === 'Group' || (parent !== machine && (g.kind === 'Die' || g.kind === 'Cluster' || g.kind === parent.kind)));
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
    const box: TreeNode = { id: `NUMANode_${n.id}`, kind: 'NUMANode', os: n.id, node: n.id, cpus: [], children: [], ...(n.subtype ? { subtype: n.subtype } : {}) };
    if (n.localCpus && n.localCpus.length > 0) memoryParent(machine, n.localCpus).children.push(box);
    else unplaced.push(box);
  }
  if (unplaced.length > 0) machine.children.push({ id: 'Memories_0', kind: 'Memories', cpus: [], children: unplaced });
  sortChildren(machine);
  return machine;
}

/** A NUMA node without CPUs: drawn as memory in a row of its parent, not as a box of CPUs. */
export function isMemoryOnly(n: { kind: string; cpus: readonly number[] }): boolean {
  return n.kind === 'NUMANode' && n.cpus.length === 0;
}

/** What memoryOf reads: the tree's objects, or the host view's boxes made from them. */
interface MemoryHolder<T> {
  kind: string;
  cpus: readonly number[];
  os?: number;
  children: readonly T[];
}

/** An object's memory in the order lstopo lists it: the node's own (a NUMA node) and the CPU-less nodes beside it, by P#. */
export function memoryOf<T extends MemoryHolder<T>>(n: T): T[] {
  const own = n.kind === 'NUMANode' ? [n] : [];
  return [...own, ...n.children.filter((c) => isMemoryOnly(c))].sort((a, b) => (a.os ?? 0) - (b.os ?? 0));
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
  n.children.sort((a, b) => memoryRank(a) - memoryRank(b) || (isMemoryOnly(a) && isMemoryOnly(b) ? (a.os ?? 0) - (b.os ?? 0) : firstCpu(a) - firstCpu(b) || TREE_RANK[a.kind] - TREE_RANK[b.kind]));
  for (const c of n.children) sortChildren(c);
}

function firstCpu(n: TreeNode): number {
  let min = Infinity;
  for (const c of n.cpus) if (c < min) min = c;
  return min;
}

/**
 * Logical indexes in tree order, before anything is folded, so folded objects keep their
 * numbers. NUMA nodes are numbered as hwloc numbers its memory level: an object's other children
 * first, then its memory children (a node's own memory and the nodes attached beside it, by P#).
 * So memory attached to a package comes after the nodes of the clusters inside it, and the
 * machine's row of unplaced nodes after everything, though lstopo draws memory on top.
 */
function numberTree(n: TreeNode, counters: Map<string, number>): void {
  const next = (kind: string) => {
    const i = counters.get(kind) ?? 0;
    counters.set(kind, i + 1);
    return i;
  };
  // hwloc numbers groups per depth: Group1 L#0 follows Group0 L#0.
  if (n.kind !== 'NUMANode') n.logical = next(n.kind === 'Group' ? `Group${n.groupDepth}` : n.kind);
  const others = n.children.filter((c) => !isMemoryOnly(c));
  for (const c of others) if (c.kind !== 'Memories') numberTree(c, counters);
  for (const c of others) if (c.kind === 'Memories') numberTree(c, counters);
  for (const m of memoryOf(n)) m.logical = next('NUMANode');
}
