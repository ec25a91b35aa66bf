/**
 * A sysfs tree as one paste: the page builds its host from pastes, so a sysfs tarball opened
 * becomes a listing of its files, one `path:line` per line of each file, as
 * `grep -r '' /sys/devices/system/{cpu,node}` prints them (an empty file is `path:`). The
 * listing goes where every paste goes — the undo history, localStorage, a workspace file — and
 * the ingest worker reads it back into the same tree, through the same sysfs reader and the same
 * merge as bundleHost(), so the page draws the host `numascope inspect` builds from the tarball.
 */
import { bundleHost, type Bundle } from '../core/ingest/bundle.ts';
import { ingest, type IngestResult, type Paste } from '../core/ingest/index.ts';
import { sysfsFormat } from '../core/ingest/sysfs.ts';
import { emptyReading, type FileTree } from '../core/ingest/tree.ts';

/** A path a listing can name: no blank nor colon in it, under sys/devices/system/{cpu,node}. */
const PATH = /^[^\s:]*sys\/devices\/system\/(?:cpu|node)\/[^\s:]*$/;
/** A listing line: such a path, then one line of its file. */
const LINE = /^([^\s:]*sys\/devices\/system\/(?:cpu|node)\/[^\s:]*):(.*)$/;

/** The tree's sysfs files as a listing; a path with a colon or blank (a driver's folder, which no reader uses) is left out. */
export function sysfsListing(tree: FileTree): string {
  const lines: string[] = [];
  for (const [path, text] of tree) {
    if (!PATH.test(path)) continue;
    // sysfs pads some values with NULs and ends each in a newline; the reader trims both
    for (const line of text.replace(/\0/g, '').trimEnd().split('\n')) lines.push(`${path}:${line}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The tree a listing names, or undefined when the text is not a listing (every non-blank line must be one). */
export function treeOfListing(text: string): FileTree | undefined {
  const tree = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = LINE.exec(line);
    if (!m) return undefined;
    const held = tree.get(m[1]);
    tree.set(m[1], held === undefined ? m[2] : `${held}\n${m[2]}`);
  }
  return tree.size > 0 ? tree : undefined;
}

/**
 * ingest() of the pastes, with the sysfs listings among them read as the files they list and
 * merged with the tool outputs as bundleHost() does; without a listing, ingest() itself.
 */
export function ingestWithSysfs(pastes: Paste[]): IngestResult {
  const trees = pastes.map((p) => treeOfListing(p.text));
  if (trees.every((t) => t === undefined)) return ingest(pastes);
  const bundle: Bundle = { ...emptyReading(), name: 'pastes', kind: 'paste', pastes: pastes.filter((_, i) => trees[i] === undefined) };
  for (const [i, tree] of trees.entries()) {
    if (tree === undefined) continue;
    const reading = sysfsFormat.parse(tree, pastes[i].name);
    bundle.facts.push(...reading.facts);
    bundle.diagnostics.push(...reading.diagnostics);
  }
  return bundleHost(bundle);
}
