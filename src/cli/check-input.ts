/**
 * What `numascope check` and `inspect` read from the files they are named: every FILE goes through
 * readBundle() (src/cli/unpack.ts) — a sosreport or sysfs tarball, the folder one was unpacked
 * into, or a text paste such as the collector's output — so guests, numastat and pid files are
 * found one way, by the bundle reader. And whether the files are a fleet: a folder of sosreports,
 * or several archives, each another host.
 */
import { readFileSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bundle } from '../core/ingest/bundle.ts';
import { sniffArchive } from '../worker/unpack.ts';
import { readBundle } from './unpack.ts';

/** A FILE as a Bundle; `-` is standard input. Never throws: what cannot be read is the bundle's diagnostic. */
export async function readInput(file: string): Promise<Bundle> {
  if (file !== '-') return readBundle(file);
  try {
    return await readBundle(new Uint8Array(readFileSync(0)), 'stdin');
  } catch (e) {
    const message = `cannot read it: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    return { name: 'stdin', kind: 'unreadable', facts: [], pastes: [], guests: [], numaMaps: [], memory: [], diagnostics: [{ severity: 'error', source: 'stdin', message }] };
  }
}

/** Why an unreadable bundle (a missing file, a folder that cannot be listed) was not read: "cannot read FILE: ENOENT: …". */
export function whyUnreadable(bundle: Bundle): string {
  return bundle.diagnostics.map((d) => `cannot read ${d.source}: ${d.message.replace(/^cannot read it: /, '')}`).join('\n');
}

async function isArchive(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(512);
    const { bytesRead } = await file.read(head, 0, 512, 0);
    return sniffArchive(head.subarray(0, bytesRead)) !== undefined;
  } finally {
    await file.close();
  }
}

/** Folders a host dump unpacks to start with these (a sosreport, a tar of /sys). */
const DUMP_TOP = new Set(['sos_commands', 'sos_reports', 'sys']);

async function isDumpFolder(path: string): Promise<boolean> {
  const entries = await readdir(path);
  return entries.some((e) => DUMP_TOP.has(e));
}

/** One host's files: an archive, or a folder an archive was unpacked into. */
async function isHostDump(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return await isDumpFolder(path);
    return info.isFile() && (await isArchive(path));
  } catch {
    return false;
  }
}

/**
 * The hosts when `files` are a fleet, else undefined: one folder that is no dump itself but
 * holds archives or unpacked sosreports (each a host, in name order), or several files that are
 * each a host's archive or folder. A folder holding one unpacked dump alone is that dump, read
 * as one host; a folder holding nothing numascope reads is a fleet of no hosts.
 */
export async function fleetOf(files: readonly string[]): Promise<string[] | undefined> {
  if (files.length === 1) {
    const [folder] = files;
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory() || (await isDumpFolder(folder))) return undefined;
    const entries = (await readdir(folder)).sort().map((e) => join(folder, e));
    const hosts: string[] = [];
    for (const entry of entries) if (await isHostDump(entry)) hosts.push(entry);
    const oneFolder = hosts.length === 1 && (await stat(hosts[0])).isDirectory();
    return oneFolder ? undefined : hosts;
  }
  if (files.length < 2 || files.includes('-')) return undefined;
  for (const file of files) if (!(await isHostDump(file))) return undefined;
  return [...files];
}
