/**
 * hwloc Groups in the host's object tree, judged against lstopo itself: the groups, packages and
 * NUMA nodes hwloc lists for a corpus file, with their nesting, logical indexes and group names
 * ("Group1(Book)"), are the ones hostTree() builds from what numascope read of the same file, named
 * as the host view labels them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { hostTree, type TreeNode } from '../../src/core/host/tree.ts';
import { boxLabel } from '../../src/ui/host/labels.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { corpusHost, corpusPath, runPeer } from '../support/corpus.ts';

/**
 * The objects compared: what a group holds and how lstopo names and numbers it. Group0(Cluster)
 * is left out: numascope reads it as the Cluster level, not as a group.
 */
const COMPARED = /^(Group\d+(\((?!Cluster\))[^)]*\))?|Package|NUMANode) L#\d+/;

/**
 * lstopo's console listing as one line per compared object, each prefixed by the compared
 * objects above it: "Group0 L#1 > Group1 L#2 > Package L#16". Merged lines ("Package L#0 + L3
 * L#0 + … + Core L#0") are one object each.
 */
function lstopoPaths(file: string): string[] {
  return listingPaths(corpusPath(file));
}

/** The same for what lstopo takes as input: a file or a synthetic string. */
function listingPaths(input: string): string[] {
  const text = runPeer('lstopo-no-graphics', ['-i', input, '--disallowed', '--no-io']);
  const stack: { indent: number; names: string[] }[] = [];
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    const names: string[] = [];
    for (const part of line.trim().split(' + ')) {
      const name = COMPARED.exec(part)?.[0];
      if (!name) continue;
      out.push([...stack.flatMap((s) => s.names), ...names, name].join(' > '));
      names.push(name);
    }
    stack.push({ indent, names });
  }
  return out.sort();
}

/** The same from the tree: NUMA nodes holding packages are left out of the packages' paths (hwloc 2 attaches memory beside them). */
function treePaths(host: Host): string[] {
  const root = hostTree(host);
  const out: string[] = [];
  const name = (n: TreeNode) => (n.kind === 'Group' ? boxLabel(n, 'logical', host) : `${n.kind} L#${n.logical}`);
  const visit = (n: TreeNode, above: string[]) => {
    const shown = n.kind === 'Group' || n.kind === 'Package' || n.kind === 'NUMANode';
    if (shown) out.push([...above, name(n)].join(' > '));
    const next = n.kind === 'Group' || n.kind === 'Package' ? [...above, name(n)] : above;
    for (const c of n.children) visit(c, next);
  };
  visit(root, []);
  return out.sort();
}

/**
 * Every corpus topology where hwloc makes groups: above packages (POWER7, s390 drawers and books,
 * groups of several packages around a node on ia64 and x86), inside packages (Cluster-on-Die, SNC
 * with memory-side caches) and a hwloc 1.x file whose NUMA nodes hwloc 2 turns into groups.
 */
const GROUPED = [
  'hwloc-linux/256ppc-8n8s4t.lstopo.xml',
  'hwloc-linux/20s390-2g6s4c.lstopo.xml',
  'hwloc-linux/128ia64-17n4s2c.lstopo.xml',
  'hwloc-linux/96em64t-4no4pa3ca2co.lstopo.xml',
  'hwloc-linux/memorysidecaches.lstopo.xml',
  'hwloc-xml/64intel64-3g2n+2n-irregulargroups+pci.xml',
  'hwloc-xml/16amd64-4distances.xml',
  'hwloc-xml/96em64t-4n4d3ca2co-pci.xml',
  'hwloc-xml/memorysidecaches.xml',
  'hwloc-xml/28intel64-2p2g7c-CoDgroups.v1.xml',
];

/**
 * Groups lstopo lists that hold no CPUs, only a CPU-less NUMA node (ia64's node 16): the tree
 * is built from CPU sets and has no place for them, so they are left out of the comparison and
 * their node is in the machine's memories row.
 */
const CPULESS_GROUPS: Record<string, string[]> = { 'hwloc-linux/128ia64-17n4s2c.lstopo.xml': ['Group0 L#16'] };

/** lstopo's listing of a file, without the CPU-less groups (which must be there). */
function expectedPaths(file: string): string[] {
  let paths = lstopoPaths(file);
  for (const g of CPULESS_GROUPS[file] ?? []) {
    expect(paths).toContain(g);
    paths = paths.filter((p) => p !== g).map((p) => (p.startsWith(`${g} > `) ? p.slice(g.length + 3) : p));
  }
  return paths.sort();
}

describe('hwloc groups, as lstopo lists them', () => {
  for (const file of GROUPED) {
    it(`${file}: same groups, nesting, names and L#`, () => {
      const expected = expectedPaths(file);
      expect(expected.some((p) => /Group0(\(\w+\))? L#1$/.test(p))).toBe(true);
      expect(treePaths(corpusHost(file))).toEqual(expected);
    });
  }

  // lstopo's console text of the same machines (as lstopo 2.9 prints it for the XML, hence not
  // the irregular-groups file, whose text was printed without --disallowed): the same groups.
  for (const [text, file] of [
    ['hwloc-xml/16amd64-4distances.lstopo.txt', 'hwloc-xml/16amd64-4distances.xml'],
    ['hwloc-xml/96em64t-4n4d3ca2co-pci.lstopo.txt', 'hwloc-xml/96em64t-4n4d3ca2co-pci.xml'],
    ['hwloc-xml/memorysidecaches.lstopo.txt', 'hwloc-xml/memorysidecaches.xml'],
    ['hwloc-xml/28intel64-2p2g7c-CoDgroups.v1.lstopo.txt', 'hwloc-xml/28intel64-2p2g7c-CoDgroups.v1.xml'],
    ['hwloc-linux/20s390-2g6s4c.lstopo.txt', 'hwloc-linux/20s390-2g6s4c.lstopo.xml'],
  ]) {
    it(`${text}: the groups lstopo printed`, () => {
      expect(treePaths(corpusHost(text))).toEqual(lstopoPaths(file));
    });
  }

  // Groups in synthetic strings, at every level, and those hwloc merges away (one per parent,
  // or one over a single child).
  for (const synthetic of [
    'pack:2 group:2 [numa] core:7 pu:1',
    'pack:2 numa:2 core:2 pu:1',
    'pack:2 l3:2 group:2 core:2 pu:2',
    'group:2 pack:2 numa:2 core:2 pu:1',
    'numa:2 pack:2 core:2 pu:1',
    'pack:2 numa:1 core:2 pu:1',
    'numa:2 pack:1 core:2 pu:1',
    'pack:2 group:1 core:3 pu:1',
  ]) {
    it(`synthetic ${synthetic}`, () => {
      expect(treePaths(ingest([{ name: 'synthetic', text: synthetic }]).host)).toEqual(listingPaths(synthetic));
    });
  }

  it('hwloc 1.x XML (lstopo --export-xml-flags v1): Drawer and Book from the groups\' Type info', () => {
    const v1 = runPeer('lstopo-no-graphics', ['-i', corpusPath('hwloc-linux/20s390-2g6s4c.lstopo.xml'), '--export-xml-flags', 'v1', '--of', 'xml', '-']);
    expect(v1).toContain('<info name="Type" value="Book"/>');
    const dir = mkdtempSync(join(tmpdir(), 'numascope-groups-'));
    const file = join(dir, 's390.v1.xml');
    writeFileSync(file, v1);
    const paths = treePaths(ingest([{ name: file, text: v1 }]).host);
    expect(paths).toContain('Group0(Drawer) L#1 > Group1(Book) L#3');
    expect(paths).toEqual(listingPaths(file));
  });

  it('Cluster-on-Die: each package holds two Group0 of 7 cores, each group its NUMA node', () => {
    const tree = hostTree(corpusHost('hwloc-xml/28intel64-2p2g7c-CoDgroups.v1.xml'));
    const packages = tree.children.filter((c) => c.kind === 'Package');
    expect(packages).toHaveLength(2);
    for (const p of packages) {
      const groups = p.children.filter((c) => c.kind === 'Group');
      expect(groups.map((g) => [g.groupDepth, g.cpus.length])).toEqual([
        [0, 7],
        [0, 7],
      ]);
      for (const g of groups) expect(g.children.map((c) => c.kind)).toEqual(['NUMANode']);
    }
  });

  it('a group inside a package and L3, as on SNC hosts: Package ⊃ L3 ⊃ Group0 ⊃ NUMA node ⊃ cores', () => {
    const tree = hostTree(corpusHost('hwloc-xml/memorysidecaches.xml'));
    const pkg = tree.children.find((c) => c.kind === 'Package')!;
    const l3 = pkg.children.find((c) => c.kind === 'L3')!;
    const group = l3.children.find((c) => c.kind === 'Group')!;
    expect(group.children.map((c) => c.kind)).toEqual(['NUMANode']);
    expect(group.children[0].children.filter((c) => c.kind === 'Core')).toHaveLength(10);
  });

  it('hwloc 3.0 XML (which lstopo 2.9 cannot read): the groups lstopo lists for the 2.0 file of the machine', () => {
    expect(treePaths(corpusHost('hwloc-xml-v3/16amd64-4distances.xml'))).toEqual(lstopoPaths('hwloc-xml/16amd64-4distances.xml'));
  });

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
    const fromLscpu = treePaths(corpusHost('hwloc-linux/20s390-2g6s4c.lscpu-e.txt'));
    const groups = (paths: string[]) => paths.filter((p) => /Group\d(\([^)]*\))? L#\d+$/.test(p));
    expect(groups(fromLscpu)).toEqual(groups(lstopoPaths('hwloc-linux/20s390-2g6s4c.lstopo.xml')));
  });

  it('a host without groups has none, and no Group box', () => {
    const host = corpusHost('hwloc-linux/256ppc-8n8s4t.lstopo.xml');
    const flat = { ...host, cpus: host.cpus.map(({ groups: _, ...cpu }) => cpu) };
    delete flat.groups;
    expect(treePaths(flat).some((p) => p.includes('Group'))).toBe(false);
  });
});
