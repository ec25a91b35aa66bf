/**
 * What `numascope check` reads: host dumps (--host), guests' domain XML (--guest), and bare FILEs,
 * each of which may hold a host and its guests together. checkInputOf() is the one place a bare
 * FILE becomes host pastes, domain documents and runtime state: today a text paste (a collector's
 * output, or any dump inspect reads, with `virsh dumpxml`, `numastat -c qemu` and QEMU command
 * lines among it); sosreports and sysfs tarballs are turned into the same parts here once their
 * reader (src/core/ingest/sosreport.ts, sysfs.ts) lands.
 */
import { separateCollected } from '../core/audit/collected.ts';
import type { Paste } from '../core/ingest/index.ts';

export interface CheckInput {
  pastes: Paste[];
  domains: { source: string; text: string }[];
  /** numastat tables and QEMU command lines. */
  runtime: string[];
}

/** What an archive's first bytes say it is; undefined for text. */
function archiveKind(bytes: Uint8Array): string | undefined {
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(0x1f, 0x8b)) return 'a gzip archive';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'an xz archive';
  if (starts(0x42, 0x5a, 0x68)) return 'a bzip2 archive';
  if (bytes.length > 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar') return 'a tar archive';
  return undefined;
}

export type BareFile = { ok: true; input: CheckInput } | { ok: false; reason: string };

export function checkInputOf(name: string, bytes: Uint8Array): BareFile {
  const archive = archiveKind(bytes);
  if (archive) return { ok: false, reason: `${name} is ${archive}; sosreports and sysfs tarballs cannot be read yet: give the host's dumps as text (--host FILE) and its guests' domain XML (--guest FILE)` };
  const collected = separateCollected(new TextDecoder().decode(bytes), name);
  return {
    ok: true,
    input: {
      pastes: collected.hostText === '' ? [] : [{ name, text: collected.hostText }],
      domains: collected.domains,
      runtime: collected.runtime === '' ? [] : [collected.runtime],
    },
  };
}
