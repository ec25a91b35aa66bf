/**
 * Which subtrees of the host's object tree are alike, as hwloc's symmetric_subtree decides before
 * lstopo factorises: two objects are alike when they are of one kind and their children are
 * alike one for one (kind, cache sizes, private caches, offline PUs, memory attached beside
 * them and its technology). A NUMA node's memory size is left out: firmware hands nodes
 * slightly different amounts (reserved pages), and lstopo folds them all the same.
 */
import type { TreeNode } from './tree.ts';

/**
 * A number per object of the tree, equal for alike objects and only for them. Interned by a
 * walk over the whole tree once, so comparing two siblings is comparing two numbers.
 */
export function subtreeSignatures(root: TreeNode): Map<TreeNode, number> {
  const interned = new Map<string, number>();
  const out = new Map<TreeNode, number>();
  const visit = (n: TreeNode): number => {
    let kids = '';
    for (const c of n.children) kids += `${visit(c)},`;
    const caches = n.caches?.map((c) => `${c.level}${c.type}${c.sizeKiB ?? ''}`).join(' ') ?? '';
    const memory = n.kind === 'NUMANode' ? `${n.cpus.length === 0 ? 'cpuless' : ''}${n.subtype ?? ''}` : '';
    const key = `${n.kind}${n.groupDepth ?? ''}|${n.sizeKiB ?? ''}|${n.online === false ? 'off' : ''}|${caches}|${memory}[${kids}]`;
    let id = interned.get(key);
    if (id === undefined) interned.set(key, (id = interned.size));
    out.set(n, id);
    return id;
  };
  visit(root);
  return out;
}
