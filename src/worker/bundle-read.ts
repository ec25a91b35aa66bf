/**
 * The bundle worker's job, apart from the worker so Node tests run it: a file (sosreport, sysfs
 * tarball, the collector's output, one tool's output) read into what the page applies.
 */
import { formatKiB } from '../core/units.ts';
import type { BundleReading } from './bundle-protocol.ts';
import { readFileBundle, sniffArchive, type UnpackLimits } from './unpack.ts';

/** An archive is streamed and capped while unpacking; a text file is read whole, so it is capped here. */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

export async function readBundleFile(file: Blob, name: string, limits?: UnpackLimits): Promise<BundleReading> {
  const archive = sniffArchive(new Uint8Array(await file.slice(0, 512).arrayBuffer())) !== undefined;
  if (!archive && file.size > MAX_TEXT_BYTES) {
    const message = `it is ${formatKiB(file.size / 1024)} of text, more than the ${formatKiB(MAX_TEXT_BYTES / 1024)} a host's outputs ever are`;
    return { name, format: 'paste', pastes: [], guests: [], diagnostics: [{ severity: 'error', source: name, message }], factCount: 0 };
  }
  const { pastes, guests, diagnostics, kind, facts } = await readFileBundle(file, name, limits);
  return { name, format: kind, pastes, guests, diagnostics, factCount: facts.length };
}
