/**
 * s390 drawers and books from lscpu's DRAWER and BOOK columns (ingest/lscpu-groups.ts): Groups
 * named as hwloc names them, and merged away where hwloc merges them, on real s390 tables.
 */
import { describe, expect, it } from 'vitest';
import { lscpuExtendedFormat } from '../../src/core/ingest/lscpu-e.ts';
import { readCorpus } from '../support/corpus.ts';

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
