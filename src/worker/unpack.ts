/**
 * An archive (sosreport, sysfs tarball) → the FileTree the core reads. Runs wherever web streams
 * do: the ingest worker for a dropped file, and Node for the CLI. The archive is streamed:
 * decompressed (gzip by DecompressionStream, xz by xz-decompress's WebAssembly build of xz, bzip2
 * by unbzip2-stream's decoder), read as tar by modern-tar, and only the files some tree format
 * reads are kept (isWantedPath), so a 2 GB sosreport never sits in memory. Nothing throws:
 * a broken or oversized archive gives what was read before the problem plus a diagnostic.
 */
import { createTarDecoder } from 'modern-tar';
// xz-decompress is a UMD bundle: Node's ESM loader sees only its default export.
import xz from 'xz-decompress';
import { diagnosticSink, type Diagnostic } from '../core/diagnostics.ts';
import { readPaste, readTree, type Bundle } from '../core/ingest/bundle.ts';
import { isWantedPath, type FileTree } from '../core/ingest/tree.ts';
import { formatKiB } from '../core/units.ts';
import { bzip2Decompressor } from './unpack-bzip2.ts';

export interface UnpackLimits {
  /** Bytes the whole archive may unpack to: beyond it reading stops (a decompression bomb, or not a host dump). */
  maxUnpackedBytes: number;
  /** A wanted file larger than this is skipped with a warning. */
  maxFileBytes: number;
}

/** A sosreport of the plugins numascope reads unpacks to a few MB; a full one with logs, to a few hundred. */
export const DEFAULT_LIMITS: UnpackLimits = { maxUnpackedBytes: 512 * 1024 * 1024, maxFileBytes: 32 * 1024 * 1024 };

export type Compression = 'gzip' | 'xz' | 'bzip2' | 'none';

export interface Unpacked {
  tree: FileTree;
  compression: Compression;
  diagnostics: Diagnostic[];
}

const MAGIC: { compression: Compression; bytes: number[] }[] = [
  { compression: 'gzip', bytes: [0x1f, 0x8b] },
  { compression: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { compression: 'bzip2', bytes: [0x42, 0x5a, 0x68] }, // "BZh"
];
/** POSIX tar's magic at offset 257: "ustar". */
const USTAR = [0x75, 0x73, 0x74, 0x61, 0x72];

/** What an archive's first bytes say it is: a compressed stream, a tar, or neither (undefined). */
export function sniffArchive(head: Uint8Array): Compression | undefined {
  const at = (bytes: number[], offset = 0) => bytes.every((b, i) => head[offset + i] === b);
  return MAGIC.find((m) => at(m.bytes))?.compression ?? (at(USTAR, 257) ? 'none' : undefined);
}

function decompressed(stream: ReadableStream<Uint8Array>, compression: Compression): ReadableStream<Uint8Array> {
  switch (compression) {
    case 'gzip':
      return stream.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
    case 'xz':
      return new xz.XzReadableStream(stream);
    case 'bzip2':
      return stream.pipeThrough(bzip2Decompressor());
    case 'none':
      return stream;
  }
}

/** The archive is larger unpacked than numascope reads: the message says what to give instead. */
class SizeLimit extends Error {}

/** Counts unpacked bytes and stops the stream past the limit. */
function capped(limit: number, name: string): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, out) {
      total += chunk.length;
      if (total > limit) throw new SizeLimit(`${name} unpacks to more than ${formatKiB(limit / 1024)}; numascope stops there (give it a sosreport of the processor, numa, pci and libvirt plugins, or the sysfs folders alone)`);
      out.enqueue(chunk);
    },
  });
}

/**
 * Read past an entry the tree formats do not need. Cancelling its body instead stalls modern-tar
 * 0.8 when the body spans several chunks, and a stream has to be decompressed to be skipped anyway.
 */
async function skip(body: ReadableStream<Uint8Array>): Promise<void> {
  const reader = body.getReader();
  while (!(await reader.read()).done);
}

/** Unpack an archive (a File, a Blob, or bytes) into the text of the files the tree formats read. */
export async function unpackArchive(archive: Blob, name: string, limits: UnpackLimits = DEFAULT_LIMITS): Promise<Unpacked> {
  const sink = diagnosticSink(name);
  const tree = new Map<string, string>();
  const compression = sniffArchive(new Uint8Array(await archive.slice(0, 512).arrayBuffer()));
  if (compression === undefined) {
    sink.error(undefined, 'this is not a tar archive (plain, .gz, .xz or .bz2): numascope reads sosreports and tarballs of /sys/devices/system');
    return { tree, compression: 'none', diagnostics: sink.list };
  }
  const decoder = new TextDecoder();
  const entries = decompressed(archive.stream() as ReadableStream<Uint8Array>, compression)
    .pipeThrough(capped(limits.maxUnpackedBytes, name))
    .pipeThrough(createTarDecoder())
    .getReader();
  try {
    for (let next = await entries.read(); !next.done; next = await entries.read()) {
      const entry = next.value;
      const path = entry.header.name.replace(/^\.\//, '');
      const isFile = entry.header.type === 'file' || entry.header.type === undefined;
      if (!isFile || !isWantedPath(path)) {
        await skip(entry.body);
        continue;
      }
      if (entry.header.size > limits.maxFileBytes) {
        sink.warning(undefined, `${path} is ${formatKiB(entry.header.size / 1024)}, more than the ${formatKiB(limits.maxFileBytes / 1024)} numascope reads of one file: skipped`);
        await skip(entry.body);
        continue;
      }
      tree.set(path, decoder.decode(await new Response(entry.body).arrayBuffer()));
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    sink.error(undefined, e instanceof SizeLimit ? message : `the archive is damaged or cut short (${message}); ${tree.size} files were read before that`);
  }
  return { tree, compression, diagnostics: sink.list };
}

/**
 * A dropped or named file, whatever it is: an archive is unpacked and read as a tree (sosreport,
 * sysfs), anything else is read as a paste (the collector's output, or one tool's). The tree is
 * answered too, for whoever needs the files themselves (the page lists a tree's sysfs files).
 */
export async function readFileTree(file: Blob, name: string, limits: UnpackLimits = DEFAULT_LIMITS): Promise<{ bundle: Bundle; tree?: FileTree }> {
  if (sniffArchive(new Uint8Array(await file.slice(0, 512).arrayBuffer())) === undefined) return { bundle: readPaste(await file.text(), name) };
  const unpacked = await unpackArchive(file, name, limits);
  const bundle = readTree(unpacked.tree, name);
  bundle.diagnostics = [...unpacked.diagnostics, ...bundle.diagnostics];
  return { bundle, tree: unpacked.tree };
}

/** readFileTree()'s Bundle alone: what the CLI reads. */
export async function readFileBundle(file: Blob, name: string, limits: UnpackLimits = DEFAULT_LIMITS): Promise<Bundle> {
  return (await readFileTree(file, name, limits)).bundle;
}
