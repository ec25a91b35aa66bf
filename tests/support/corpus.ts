/**
 * Access to the shared corpus of real host dumps (../shared/corpus, see its SOURCES.md) and to
 * the real tools the tests compare against. Dumps are extracted once per machine into a cache
 * directory; peers that are missing fail the test loudly (scripts/setup.sh installs them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';

export const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus');

export function corpusPath(...parts: string[]): string {
  return join(CORPUS, ...parts);
}

export function readCorpus(...parts: string[]): string {
  return readFileSync(corpusPath(...parts), 'utf8');
}

/** Files of one corpus folder whose names match, sorted. */
export function corpusFiles(folder: string, match: RegExp): string[] {
  return readdirSync(corpusPath(folder))
    .filter((f) => match.test(f))
    .sort();
}

/** The host that ingest reads from corpus files (paths under CORPUS) pasted together. */
export function corpusHost(...files: string[]): Host {
  return ingest(files.map((f) => ({ name: f, text: readCorpus(f) }))).host;
}

/** Extract a corpus sysfs dump (.tar.gz / .tar.bz2) once and return the directory it unpacked into. */
export function extractDump(folder: string, tarball: string): string {
  const name = basename(tarball).replace(/\.tar\.(gz|bz2|xz)$/, '');
  const dir = join(tmpdir(), 'numascope-dumps', folder, name);
  if (!existsSync(join(dir, '.done'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xf', corpusPath(folder, tarball), '-C', dir]);
    execFileSync('touch', [join(dir, '.done')]);
  }
  return dir;
}

/** The folder of an extracted dump that holds sys/devices/system: the dump itself or a folder inside it. */
export function dumpRoot(folder: string, tarball: string): string {
  const dir = extractDump(folder, tarball);
  if (existsSync(join(dir, 'sys/devices/system'))) return dir;
  const sub = readdirSync(dir).find((d) => existsSync(join(dir, d, 'sys/devices/system')));
  if (!sub) throw new Error(`${tarball} has no sys/devices/system`);
  return join(dir, sub);
}

/** Run a real peer tool and return its stdout; throws (failing the test) if it is missing or fails. */
export function runPeer(cmd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: 'C', ...env }, maxBuffer: 64 << 20 });
}

/**
 * Debian's numactl -H over a sysfs tree (a dump's or a generated one's sys/devices/system):
 * bind-mounted over this machine's in a private mount namespace, which only root may make.
 */
export function numactlOver(system: string): string {
  const script = 'mount --bind "$1/node" /sys/devices/system/node && mount --bind "$1/cpu" /sys/devices/system/cpu && exec numactl -H';
  return runPeer('unshare', ['-m', 'sh', '-c', script, 'sh', system]);
}
