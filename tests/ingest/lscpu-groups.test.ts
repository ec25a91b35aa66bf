/**
 * s390 drawers and books from lscpu's DRAWER and BOOK columns and from sysfs' drawer and book
 * files (ingest/lscpu-groups.ts): Groups named as hwloc names them, and merged away where hwloc
 * merges them, on real s390 tables and dumps.
 */
import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import type { HostFacts } from '../../src/core/host/facts.ts';
import { hwlocXmlFormat } from '../../src/core/ingest/hwloc-xml.ts';
import { lscpuExtendedFormat } from '../../src/core/ingest/lscpu-e.ts';
import { sysfsFormat } from '../../src/core/ingest/sysfs.ts';
import { unpackArchive } from '../../src/worker/unpack.ts';
import { corpusPath, dumpRoot, readCorpus, runPeer } from '../support/corpus.ts';

const parse = (folder: string, file: string) => lscpuExtendedFormat.parse(readCorpus(folder, file), file);

describe('s390 groups from lscpu -e', () => {
  it('20s390: two Drawers of two Books each, named as hwloc names them', () => {
    const f = parse('hwloc-linux', '20s390-2g6s4c.lscpu-e.txt');
    expect(f.groups).toEqual([
      { path: [0], subtype: 'Drawer' },
      { path: [1], subtype: 'Drawer' },
      { path: [0, 0], subtype: 'Book' },
      { path: [0, 1], subtype: 'Book' },
      { path: [1, 2], subtype: 'Book' },
      { path: [1, 3], subtype: 'Book' },
    ]);
    expect(f.cpus.find((c) => c.id === 13)?.groups).toEqual([1, 2]);
  });

  it('z/VM: a book per one-CPU socket adds nothing, so hwloc keeps no group', () => {
    const f = parse('util-linux-lscpu', 's390-zvm.lscpu-e.txt');
    expect(f.cpus.map((c) => c.package)).toEqual([0, 1, 2, 3]);
    expect(f.cpus.filter((c) => c.groups !== undefined)).toEqual([]);
    expect(f.groups).toBeUndefined();
  });
});

/** Each group as its subtype and CPUs: sources number drawers and books differently. */
function groupSets(f: HostFacts): string[] {
  const members = new Map<string, number[]>();
  for (const c of f.cpus) {
    const path = c.groups ?? [];
    for (let depth = 1; depth <= path.length; depth++) {
      const key = path.slice(0, depth).join('.');
      (members.get(key) ?? members.set(key, []).get(key)!).push(c.id);
    }
  }
  const subtypeOf = new Map((f.groups ?? []).map((g) => [g.path.join('.'), g.subtype]));
  return [...members].map(([key, cpus]) => `${subtypeOf.get(key)} ${formatIdList(cpus)}`).sort();
}

describe('s390 groups from a sysfs dump', () => {
  const dumps = [
    ['hwloc-linux', '20s390-2g6s4c.tar.bz2', 6],
    ['util-linux-lscpu', 's390-lpar-drawer.tar.gz', 0],
    ['util-linux-lscpu', 's390-zvm.tar.gz', 0],
  ] as const;
  for (const [folder, tarball, count] of dumps) {
    it(`${tarball}: the groups lscpu -e and lstopo read from the same files`, async () => {
      const unpacked = await unpackArchive(await openAsBlob(corpusPath(folder, tarball)), tarball);
      const sysfs = sysfsFormat.parse(unpacked.tree, tarball).facts[0];
      const root = dumpRoot(folder, tarball);
      const lscpu = lscpuExtendedFormat.parse(runPeer('lscpu', ['-e', '--sysroot', root]), 'lscpu -e');
      const xml = runPeer('lstopo-no-graphics', ['--of', 'xml', '-'], { HWLOC_FSROOT: root, HWLOC_COMPONENTS: 'linux,stop' });
      const hwloc = hwlocXmlFormat.parse(xml, 'lstopo');
      expect(groupSets(sysfs)).toHaveLength(count);
      expect(groupSets(sysfs)).toEqual(groupSets(lscpu));
      expect(groupSets(sysfs)).toEqual(groupSets(hwloc));
    });
  }

  it('20s390: drawers and books keep the ids the kernel gives them', async () => {
    const tarball = '20s390-2g6s4c.tar.bz2';
    const unpacked = await unpackArchive(await openAsBlob(corpusPath('hwloc-linux', tarball)), tarball);
    const f = sysfsFormat.parse(unpacked.tree, tarball).facts[0];
    expect(f.groups).toEqual([
      { path: [4], subtype: 'Drawer' },
      { path: [3], subtype: 'Drawer' },
      { path: [4, 0], subtype: 'Book' },
      { path: [4, 1], subtype: 'Book' },
      { path: [3, 7], subtype: 'Book' },
      { path: [3, 8], subtype: 'Book' },
    ]);
    expect(f.cpus.find((c) => c.id === 10)?.groups).toEqual([4, 0]);
    expect(groupSets(f)).toEqual(['Book 0-2,10-12', 'Book 13-15', 'Book 16-19', 'Book 3-9', 'Drawer 0-12', 'Drawer 13-19']);
  });

  it('z/VM: book_id 0 on every CPU, yet each CPU its own book by book_siblings, as lscpu numbers them', async () => {
    const tarball = 's390-zvm.tar.gz';
    const unpacked = await unpackArchive(await openAsBlob(corpusPath('util-linux-lscpu', tarball)), tarball);
    const tree = new Map(unpacked.tree);
    // Give the four one-CPU books two packages, so that the books are no longer merged away.
    for (const [path] of tree) {
      const m = /cpu\/cpu(\d)\/topology\/core_siblings_list$/.exec(path);
      if (m) tree.set(path, Number(m[1]) < 2 ? '0-1\n' : '2-3\n');
    }
    const f = sysfsFormat.parse(tree, tarball).facts[0];
    expect(f.cpus.map((c) => c.package)).toEqual([0, 0, 1, 1]);
    expect(f.cpus.map((c) => c.groups)).toEqual([[0], [1], [2], [3]]);
    expect(f.groups?.map((g) => g.subtype)).toEqual(['Book', 'Book', 'Book', 'Book']);
  });
});
