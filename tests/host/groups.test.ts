/**
 * hwloc Groups in the host's object tree, judged against lstopo itself: the groups, packages and
 * NUMA nodes hwloc lists for a corpus file, with their nesting and logical indexes, are the ones
 * hostTree() builds from what numascope read of the same file.
 */
import { describe, expect, it } from 'vitest';
import { hostTree, type TreeNode } from '../../src/core/host/tree.ts';
import { corpusHost, corpusPath, runPeer } from '../support/corpus.ts';

/** The objects compared: what a group holds and how lstopo numbers it. */
const COMPARED = /^(Group\d+(\([^)]*\))?|Package|NUMANode) L#\d+/;

/**
 * lstopo's console listing as one line per compared object, each prefixed by the compared
 * objects above it: "Group0 L#1 > Group1 L#2 > Package L#16". Merged lines ("Package L#0 + L3
 * L#0 + … + Core L#0") are one object each. Group subtypes are dropped: the facts do not carry them.
 */
function lstopoPaths(file: string): string[] {
  const text = runPeer('lstopo-no-graphics', ['-i', corpusPath(file), '--disallowed', '--no-io']);
  const stack: { indent: number; names: string[] }[] = [];
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    const names: string[] = [];
    for (const part of line.trim().split(' + ')) {
      const name = COMPARED.exec(part)?.[0].replace(/\([^)]*\)/, '');
      if (!name) continue;
      out.push([...stack.flatMap((s) => s.names), ...names, name].join(' > '));
      names.push(name);
    }
    stack.push({ indent, names });
  }
  return out.sort();
}

/** The same from the tree: NUMA nodes holding packages are left out of the packages' paths (hwloc 2 attaches memory beside them). */
function treePaths(root: TreeNode): string[] {
  const out: string[] = [];
  const name = (n: TreeNode) => (n.kind === 'Group' ? `Group${n.groupDepth} L#${n.logical}` : `${n.kind} L#${n.logical}`);
  const visit = (n: TreeNode, above: string[]) => {
    const shown = n.kind === 'Group' || n.kind === 'Package' || n.kind === 'NUMANode';
    if (shown) out.push([...above, name(n)].join(' > '));
    const next = n.kind === 'Group' || n.kind === 'Package' ? [...above, name(n)] : above;
    for (const c of n.children) visit(c, next);
  };
  visit(root, []);
  return out.sort();
}

describe('hwloc groups, as lstopo lists them', () => {
  for (const file of ['hwloc-linux/256ppc-8n8s4t.lstopo.xml', 'hwloc-xml/64intel64-3g2n+2n-irregulargroups+pci.xml', 'hwloc-linux/20s390-2g6s4c.lstopo.xml']) {
    it(`${file}: same groups, nesting and L#`, () => {
      const expected = lstopoPaths(file);
      expect(expected.some((p) => p.startsWith('Group0 L#1'))).toBe(true);
      expect(treePaths(hostTree(corpusHost(file)))).toEqual(expected);
    });
  }

  it('POWER7: four Group0 of two Group1 each, eight packages in every Group1', () => {
    const tree = hostTree(corpusHost('hwloc-linux/256ppc-8n8s4t.lstopo.xml'));
    const outer = tree.children.filter((c) => c.kind === 'Group');
    expect(outer.map((g) => [g.groupDepth, g.logical, g.cpus.length])).toEqual([
      [0, 0, 64],
      [0, 1, 64],
      [0, 2, 64],
      [0, 3, 64],
    ]);
    const inner = outer.flatMap((g) => g.children.filter((c) => c.kind === 'Group'));
    expect(inner.map((g) => g.logical)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(inner.every((g) => g.groupDepth === 1 && g.cpus.length === 32)).toBe(true);
  });

  it('s390 from lscpu -e: drawers and books as Group0 and Group1, as hwloc makes them', () => {
    const fromLscpu = treePaths(hostTree(corpusHost('hwloc-linux/20s390-2g6s4c.lscpu-e.txt')));
    const groups = (paths: string[]) => paths.filter((p) => /Group\d L#\d+$/.test(p));
    expect(groups(fromLscpu)).toEqual(groups(lstopoPaths('hwloc-linux/20s390-2g6s4c.lstopo.xml')));
  });

  it('a host without groups has none, and no Group box', () => {
    const host = corpusHost('hwloc-linux/256ppc-8n8s4t.lstopo.xml');
    const flat = { ...host, cpus: host.cpus.map(({ groups: _, ...cpu }) => cpu) };
    delete flat.groups;
    expect(treePaths(hostTree(flat)).some((p) => p.includes('Group'))).toBe(false);
  });
});
