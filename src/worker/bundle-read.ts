/**
 * The bundle worker's job, apart from the worker so Node tests run it: a file (sosreport, sysfs
 * tarball, the collector's output, one tool's output) read into what the page applies. The page
 * builds its host from pastes alone, so an archive's sysfs files (a sysfs tarball's, or the
 * sys/ copy inside a sosreport) come as one more paste listing them (ingest-sysfs.ts), which the
 * ingest worker merges with the tool outputs as bundleHost() does for the CLI.
 */
import type { Bundle } from '../core/ingest/bundle.ts';
import type { FileTree } from '../core/ingest/tree.ts';
import { formatKiB } from '../core/units.ts';
import type { BundleReading } from './bundle-protocol.ts';
import { sysfsListing } from './ingest-sysfs.ts';
import { readFileTree, sniffArchive, type UnpackLimits } from './unpack.ts';

/** An archive is streamed and capped while unpacking; a text file is read whole, so it is capped here. */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

export async function readBundleFile(file: Blob, name: string, limits?: UnpackLimits): Promise<BundleReading> {
  const archive = sniffArchive(new Uint8Array(await file.slice(0, 512).arrayBuffer())) !== undefined;
  if (!archive && file.size > MAX_TEXT_BYTES) {
    const message = `it is ${formatKiB(file.size / 1024)} of text, more than the ${formatKiB(MAX_TEXT_BYTES / 1024)} a host's outputs ever are`;
    return { name, format: 'paste', pastes: [], guests: [], diagnostics: [{ severity: 'error', source: name, message }] };
  }
  const { bundle, tree } = await readFileTree(file, name, limits);
  const { guests, diagnostics, kind } = bundle;
  return { name, format: kind, pastes: withListing(bundle, tree), guests, diagnostics };
}

/**
 * The bundle's tool outputs, and its sysfs files listed where it read facts from them: named
 * after the archive for a sysfs tarball (its only paste), after the folder they sit in for a
 * sosreport ("sosreport-kvm01-…/sys/devices/system", beside "sosreport-kvm01-…/sos_commands/…").
 */
function withListing(bundle: Bundle, tree: FileTree | undefined): Bundle['pastes'] {
  if (tree === undefined || bundle.facts.length === 0) return bundle.pastes;
  const listing = sysfsListing(tree);
  if (listing.trim() === '') return bundle.pastes;
  const folder = /^(.*?sys\/devices\/system)\//.exec(listing)?.[1];
  const name = bundle.pastes.length === 0 || folder === undefined ? bundle.name : folder;
  return [...bundle.pastes, { name, text: listing }];
}
