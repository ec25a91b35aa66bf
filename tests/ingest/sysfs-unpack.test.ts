/**
 * Unpacking sysfs tarballs and sosreports: the same tar compressed by the real gzip, xz and
 * bzip2 reads to the same files; a damaged, cut or oversized archive gives what was read and a
 * message, never an exception; a file that is not an archive is read as a paste.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileBundle, sniffArchive, unpackArchive } from '../../src/worker/unpack.ts';
import { corpusPath, extractDump } from '../support/corpus.ts';

const TARBALL = '48amd64-4pa2n6c-sparse.tar.bz2';
const dir = mkdtempSync(join(tmpdir(), 'numascope-unpack-'));

/** The corpus dump as a plain tar made by GNU tar, and compressed by each real compressor. */
function archives(): Record<string, string> {
  const tar = join(dir, 'dump.tar');
  execFileSync('tar', ['-cf', tar, '-C', extractDump('hwloc-linux', TARBALL), '--exclude=.done', '.']);
  const out: Record<string, string> = { none: tar };
  for (const [compression, tool, ext] of [['gzip', 'gzip', 'gz'], ['xz', 'xz', 'xz'], ['bzip2', 'bzip2', 'bz2']]) {
    const file = `${tar}.${ext}`;
    writeFileSync(file, execFileSync(tool, ['-c', tar], { maxBuffer: 256 << 20 }));
    out[compression] = file;
  }
  return out;
}

describe('unpacking archives', () => {
  it('reads the same files from a plain, gzip, xz and bzip2 tar', async () => {
    const files = archives();
    const trees = [];
    for (const [compression, file] of Object.entries(files)) {
      const unpacked = await unpackArchive(await openAsBlob(file), file);
      expect(unpacked.compression).toBe(compression);
      expect(unpacked.diagnostics).toEqual([]);
      trees.push(unpacked.tree);
    }
    expect(trees[0].size).toBeGreaterThan(1000);
    for (const tree of trees.slice(1)) expect([...tree.entries()].sort()).toEqual([...trees[0].entries()].sort());
    // Only what the tree formats read is kept: not sys/class, not proc.
    expect([...trees[0].keys()].every((p) => /sys\/devices\/system\/(cpu|node)\//.test(p))).toBe(true);
  });

  it('stops at the size limit with a message saying what to give instead', async () => {
    const unpacked = await unpackArchive(await openAsBlob(corpusPath('hwloc-linux', TARBALL)), TARBALL, { maxUnpackedBytes: 256 * 1024, maxFileBytes: 1 << 20 });
    expect(unpacked.diagnostics).toHaveLength(1);
    expect(unpacked.diagnostics[0]).toMatchObject({ severity: 'error', source: TARBALL });
    expect(unpacked.diagnostics[0].message).toMatch(/^48amd64-4pa2n6c-sparse\.tar\.bz2 unpacks to more than 256 KiB; numascope stops there/);
  });

  it('skips a wanted file larger than the per-file limit, naming it', async () => {
    const unpacked = await unpackArchive(await openAsBlob(corpusPath('hwloc-linux', TARBALL)), TARBALL, { maxUnpackedBytes: 1 << 30, maxFileBytes: 100 });
    const skipped = unpacked.diagnostics.filter((d) => / is \d+(\.\d)? KiB, more than the 0\.1 KiB numascope reads of one file: skipped$/.test(d.message));
    expect(skipped.length).toBeGreaterThan(0);
    expect(unpacked.tree.size).toBeGreaterThan(0);
    expect([...unpacked.tree.values()].every((t) => t.length <= 100)).toBe(true);
  });

  it('a cut archive gives the files before the cut and an error', async () => {
    const bytes = readFileSync(archives().gzip);
    const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
    const unpacked = await unpackArchive(new Blob([cut]), 'cut.tar.gz');
    expect(unpacked.tree.size).toBeGreaterThan(0);
    expect(unpacked.diagnostics.map((d) => d.severity)).toEqual(['error']);
    expect(unpacked.diagnostics[0].message).toMatch(/damaged or cut short .* files were read before that$/);
  });

  it('a text file is not an archive: it is read as a paste', async () => {
    expect(sniffArchive(new TextEncoder().encode('available: 2 nodes (0-1)\n'))).toBeUndefined();
    const text = execFileSync('numactl', ['-H'], { encoding: 'utf8' });
    const bundle = await readFileBundle(new Blob([text]), 'numactl.txt');
    expect(bundle.kind).toBe('paste');
    expect(bundle.pastes).toEqual([{ name: 'numactl.txt', text }]);
    const refused = await unpackArchive(new Blob([text]), 'numactl.txt');
    expect(refused.diagnostics[0].message).toMatch(/^this is not a tar archive/);
  });
});
