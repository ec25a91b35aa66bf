/**
 * Node's side of reading what a host hands over: a sosreport or sysfs tarball (any of .tar,
 * .tar.gz, .tar.xz, .tar.bz2), a folder a sosreport or dump was unpacked into, or a text file
 * (the collector's output). `numascope check` and friends call readBundle(); bundleHost() of
 * the result is the host, and its guests are the domains defined there.
 */
import { openAsBlob } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { readTree, type Bundle } from '../core/ingest/bundle.ts';
import { isWantedPath } from '../core/ingest/tree.ts';
import { DEFAULT_LIMITS, readFileBundle, type UnpackLimits } from '../worker/unpack.ts';

/**
 * Read a file, a folder, or bytes already in memory (then `name` names them in diagnostics).
 * Never throws: a path that cannot be read gives a bundle with one error.
 */
export async function readBundle(input: string | Uint8Array, name?: string, limits: UnpackLimits = DEFAULT_LIMITS): Promise<Bundle> {
  if (typeof input !== 'string') return readFileBundle(new Blob([input as Uint8Array<ArrayBuffer>]), name ?? 'input', limits);
  const label = name ?? input;
  try {
    const info = await stat(input);
    if (info.isDirectory()) return readTree(await readFolder(input, limits), label);
    return await readFileBundle(await openAsBlob(input), label, limits);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { name: label, kind: 'unreadable', facts: [], pastes: [], guests: [], numaMaps: [], memory: [], diagnostics: [{ severity: 'error', source: label, message: `cannot read it: ${message}` }] };
  }
}

/** The wanted files under a folder, keyed as they would be in a tarball of it ("dump/sys/devices/…"). */
async function readFolder(folder: string, limits: UnpackLimits): Promise<Map<string, string>> {
  const tree = new Map<string, string>();
  const top = basename(folder);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const path = `${top}/${relative(folder, full)}`;
    if (!isWantedPath(path)) continue;
    if ((await stat(full)).size > limits.maxFileBytes) continue;
    tree.set(path, await readFile(full, 'utf8'));
  }
  return tree;
}
