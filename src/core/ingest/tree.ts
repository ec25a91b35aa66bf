/**
 * Formats that are a tree of files rather than one text: a sosreport, a tar of
 * /sys/devices/system (hwloc-gather-topology's dumps). Unpacking archives is the edge's job
 * (src/worker/unpack.ts, src/cli/unpack.ts); the core only ever sees the files' text, keyed by
 * their path inside the archive, so it stays pure and runs the same in the page, a worker and Node.
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { HostFacts } from '../host/facts.ts';
import type { ProcessMemory } from './runtime.ts';

/** Path inside the archive ("sosreport-kvm01-2026-…/sos_commands/numa/numactl_--hardware") → the file's text. */
export type FileTree = ReadonlyMap<string, string>;

/** A tool's output found in a tree, to be read by the text formats as if pasted. */
export interface TreePaste {
  /** The file's path in the tree: diagnostics point there. */
  name: string;
  text: string;
}

/** A guest defined on the host: its domain XML exactly as the host keeps it. */
export interface FoundGuest {
  name: string;
  /** Where the XML came from (a path in the tree, or a paste and its part). */
  source: string;
  xml: string;
}

/** Runtime memory placement as the host printed it, for the audit to compare with the bindings. */
export interface NumaMaps {
  /** The guest whose QEMU process this is, when a pid file names it. */
  guest?: string;
  pid: number;
  source: string;
  text: string;
}

export interface TreeReading {
  /** Facts read from the files themselves (sysfs). */
  facts: HostFacts[];
  /** Tool outputs inside the tree (lscpu, numactl -H, lspci, virsh capabilities …). */
  pastes: TreePaste[];
  guests: FoundGuest[];
  /** `numastat` output (per-process `numastat -c qemu` when the tree has it). */
  numastat?: TreePaste;
  numaMaps: NumaMaps[];
  /** Each running process's memory per host node, from numa_maps or numastat, tied to its guest where known. */
  memory: ProcessMemory[];
  /** Problems with the tree as a whole (nothing recognised, files skipped). */
  diagnostics: Diagnostic[];
}

/**
 * One tree format. sniff() looks only at the paths (0 = not this format, 1 = certain);
 * parse() never throws: what it cannot use becomes a diagnostic naming the file.
 */
export interface TreeFormat {
  id: string;
  label: string;
  sniff(paths: readonly string[]): number;
  parse(tree: FileTree, source: string): TreeReading;
}

export function emptyReading(): TreeReading {
  return { facts: [], pastes: [], guests: [], numaMaps: [], memory: [], diagnostics: [] };
}

/** A sysfs or procfs file's value: sysfs pads some with NULs, all end in a newline. */
export function fileValue(tree: FileTree, path: string): string | undefined {
  const text = tree.get(path);
  return text === undefined ? undefined : text.replace(/\0/g, '').trim();
}

/**
 * The files some tree format reads: everything else in an archive (a sosreport's logs, sysfs's
 * power and cpuidle folders) is skipped while unpacking, so memory follows what numascope uses.
 */
const WANTED = [
  /(^|\/)sys\/devices\/system\/(cpu|node)\//,
  /(^|\/)sos_commands\/(processor|numa|pci|libvirt|virsh)\/[^/]+$/,
  // The host plugin's `hostname`: what names the host in a full report.
  /(^|\/)sos_commands\/host\/hostname$/,
  // Says "this is a sosreport" even when it lacks the plugins above, so the message can say which to run.
  /(^|\/)sos_reports\/manifest\.json$/,
  /(^|\/)etc\/libvirt\/qemu\/[^/]+\.xml$/,
  /(^|\/)run\/libvirt\/qemu\/[^/]+\.pid$/,
  /(^|\/)proc\/\d+\/numa_maps$/,
];

export function isWantedPath(path: string): boolean {
  return WANTED.some((w) => w.test(path));
}
