/**
 * A sosreport (sos 4.x, `sos report -o processor,numa,pci,libvirt,host[,virsh]`), unpacked:
 *
 *   sosreport-kvm01-…/sos_commands/processor/lscpu          lscpu (lscpu_-ae, lscpu_-e … in other versions)
 *   sosreport-kvm01-…/sos_commands/numa/numactl_--hardware  numactl -H
 *   sosreport-kvm01-…/sos_commands/pci/lspci_-tv, lspci_-nnvv
 *   sosreport-kvm01-…/sos_commands/virsh/virsh_-r_capabilities     sos < 4.5 (its virsh plugin)
 *   sosreport-kvm01-…/sos_commands/libvirt/virsh_-r_capabilities   sos ≥ 4.5 (merged into libvirt)
 *   sosreport-kvm01-…/sos_commands/{virsh,libvirt}/virsh_-r_dumpxml_NAME
 *   sosreport-kvm01-…/sys/devices/system/{cpu,node}/…       the numa and processor plugins' copies
 *   sosreport-kvm01-…/etc/libvirt/qemu/NAME.xml             every defined guest
 *   sosreport-kvm01-…/run/libvirt/qemu/NAME.pid, proc/PID/numa_maps   running guests' memory
 *
 * Tool outputs go to the text formats as pastes named by their path, so their diagnostics
 * point into the report; the sysfs copy is read as sysfs. numastat's system-wide tables say
 * nothing about guests and are left out; a per-process one (numastat -p / -c qemu) is kept.
 */
import { diagnosticSink, type Diagnostic } from '../diagnostics.ts';
import { numaMapsNodes, type ProcessMemory } from './runtime.ts';
import { readSysfs, sysfsRoots } from './sysfs.ts';
import { emptyReading, fileValue, type FileTree, type FoundGuest, type TreeFormat, type TreePaste, type TreeReading } from './tree.ts';

const COMMANDS = 'sos_commands/';
/** A tool's message on stderr, which sos keeps in front of the output. */
const TOOL_NOTE = /^(lscpu|numactl|lspci|virsh|numastat): /;

/** sos_commands files the text formats read, by plugin folder and file name. */
const HOST_OUTPUTS: RegExp[] = [
  /^processor\/lscpu(_-[aepJ]+\S*)?$/,
  /^numa\/numactl_--hardware$/,
  /^pci\/lspci_-tv$/,
  /^pci\/lspci_-(nn)?v{1,3}$/,
  /^(virsh|libvirt)\/virsh(_-r)?_capabilities$/,
];
const DUMPXML = /^(virsh|libvirt)\/virsh(?:_-r)?_dumpxml_(.+)$/;
const PER_PROCESS_NUMASTAT = /^numa\/numastat_-(p|c)\S*$/;
const GUEST_XML = /^etc\/libvirt\/qemu\/([^/]+)\.xml$/;
const PID_FILE = /^run\/libvirt\/qemu\/([^/]+)\.pid$/;
const NUMA_MAPS = /^proc\/(\d+)\/numa_maps$/;

/** The folder a sosreport unpacked into ("sosreport-kvm01-2026-…/"), or undefined for a tree that is not one. */
export function sosRoot(paths: Iterable<string>): string | undefined {
  for (const path of paths) {
    const at = path.indexOf(COMMANDS);
    if (at >= 0 && (at === 0 || path[at - 1] === '/')) return path.slice(0, at);
    const reports = path.indexOf('sos_reports/');
    if (reports >= 0 && (reports === 0 || path[reports - 1] === '/')) return path.slice(0, reports);
  }
  return undefined;
}

export const sosreportFormat: TreeFormat = {
  id: 'sosreport',
  label: 'sosreport',
  sniff: (paths) => (sosRoot(paths) !== undefined ? 1 : 0),
  parse: parseSosreport,
};

function parseSosreport(tree: FileTree, source: string): TreeReading {
  const reading = emptyReading();
  const sink = diagnosticSink(source);
  const root = sosRoot(tree.keys()) ?? '';
  const inside = [...tree.keys()].filter((p) => p.startsWith(root)).map((p) => p.slice(root.length)).sort();
  const text = (path: string) => tree.get(root + path) ?? '';

  const dumped = new Map<string, FoundGuest>();
  for (const path of inside) {
    if (!path.startsWith(COMMANDS)) continue;
    const command = path.slice(COMMANDS.length);
    if (HOST_OUTPUTS.some((o) => o.test(command))) {
      const output = withoutToolNotes(text(path), root + path, reading.diagnostics);
      if (output.trim() !== '') reading.pastes.push({ name: root + path, text: output });
      continue;
    }
    const dumpxml = DUMPXML.exec(command);
    if (dumpxml) dumped.set(dumpxml[2], { name: dumpxml[2], source: root + path, xml: text(path) });
    else if (PER_PROCESS_NUMASTAT.test(command)) reading.numastat = { name: root + path, text: text(path) };
  }

  for (const path of inside) {
    const guest = GUEST_XML.exec(path);
    if (!guest) continue;
    const xml = text(path);
    reading.guests.push({ name: domainName(xml) ?? guest[1], source: root + path, xml });
  }
  // A guest that virsh dumped but that has no file in /etc/libvirt/qemu is transient: keep its dump.
  const defined = new Set(reading.guests.map((g) => g.name));
  for (const guest of dumped.values()) if (!defined.has(guest.name)) reading.guests.push(guest);

  // run/libvirt/qemu holds a pid file per running guest, beside the driver's own driver.pid.
  const names = new Set(reading.guests.map((g) => g.name));
  const pids = new Map<number, string>();
  for (const path of inside) {
    const pidFile = PID_FILE.exec(path);
    if (!pidFile || !names.has(pidFile[1])) continue;
    const pid = Number(fileValue(tree, root + path));
    if (Number.isInteger(pid)) pids.set(pid, pidFile[1]);
  }

  for (const path of inside) {
    const maps = NUMA_MAPS.exec(path);
    if (!maps) continue;
    const pid = Number(maps[1]);
    const entry = { pid, source: root + path, text: text(path) };
    const guest = pids.get(pid);
    reading.numaMaps.push(guest === undefined ? entry : { guest, ...entry });
    const memory: ProcessMemory = { pid, source: entry.source, nodes: numaMapsNodes(entry.text) };
    reading.memory.push(guest === undefined ? memory : { guest, ...memory });
  }

  const sysfs = sysfsRoots(inside).includes('') ? readSysfs(tree, root, source) : undefined;
  if (sysfs) reading.facts.push(sysfs);
  if (!sysfs && !reading.pastes.some(isTopology)) {
    sink.error(undefined, 'this sosreport has neither lscpu, numactl -H nor sys/devices/system: make it with `sos report -o processor,numa,pci,libvirt,host`');
  }
  for (const d of sink.list) reading.diagnostics.push(d);
  return reading;
}

/**
 * sos stores a command's stderr with its stdout, so a tool's own complaint can open the file
 * ("lspci: Unable to load libkmod resources: error -2"). Those lines are the tool's, not the
 * host's: they become notes, blanked so the text formats' line numbers stay the file's. A file
 * of nothing but complaints is noted as any paste's problems are: the first few, then a count.
 */
function withoutToolNotes(text: string, source: string, diagnostics: Diagnostic[]): string {
  const lines = text.split('\n');
  const notes = diagnosticSink(source);
  for (let i = 0; i < lines.length && TOOL_NOTE.test(lines[i]); i++) {
    notes.info(i + 1, `the tool said: ${lines[i].trim()}`);
    lines[i] = '';
  }
  for (const d of notes.list) diagnostics.push(d);
  return lines.join('\n');
}

function isTopology(paste: TreePaste): boolean {
  return /sos_commands\/(processor|numa|virsh|libvirt)\//.test(paste.name);
}

/** The guest's <name>, as libvirt calls it (the file name is the same unless edited by hand). */
export function domainName(xml: string): string | undefined {
  return /<name>\s*([^<]+?)\s*<\/name>/.exec(xml)?.[1];
}

/**
 * sos names a report after the host's short name, then the --label and --case-id it was given:
 * `sosreport-HOST[-LABEL][-CASE]-YYYY-MM-DD-RANDOM` (its "friendly" pattern, every 4.x policy)
 * or `sosreport-HOST[.CASE]-YYYYMMDDhhmmss` ("legacy", sos 3). The name alone cannot tell
 * "kvm01-rack2" from host "kvm01" labelled "rack2".
 */
const FRIENDLY_NAME = /^sosreport-(.+)-\d{4}-\d{2}-\d{2}-[a-z]+$/;
const LEGACY_NAME = /^sosreport-(.+)-\d{14}$/;
/** How sos's command line names the label (--name is its old spelling) and the case id; argparse takes `--opt value` and `--opt=value`. */
const NAME_OPTIONS = /(?:^|\s)--(label|name|case-id)(?:=|\s+)(\S+)/g;
const MANIFEST = 'sos_reports/manifest.json';

/** The host plugin's output of `hostname`, in every full report (its root `hostname` links to it). */
const HOSTNAME_FILE = 'sos_commands/host/hostname';

/**
 * The host a sosreport was made on: what `hostname` printed there, where the report has the host
 * plugin (every full report does). Otherwise from the report's name: sos's manifest.json does
 * not name the host (no sos version writes a hostname there; only `sos collect`'s own manifest
 * does, per node), but it keeps the command line, whose --label and --case-id are what sos
 * appended to the host's name in the report's folder: taking them off leaves the name. Without
 * a manifest, or with options it does not show (a label set in sos.conf), the folder's name is
 * taken whole.
 */
export function sosHostname(tree: FileTree, source: string): string | undefined {
  const root = sosRoot(tree.keys()) ?? '';
  const printed = tree.get(root + HOSTNAME_FILE)?.trim();
  if (printed && /^[^\s/]+$/.test(printed)) return printed;
  const folder = root !== '' ? (root.slice(0, -1).split('/').pop() ?? '') : (source.split('/').filter(Boolean).pop() ?? '').replace(/\.tar(\.\w+)?$/, '');
  const friendly = FRIENDLY_NAME.exec(folder);
  const legacy = friendly ? null : LEGACY_NAME.exec(folder);
  const name = friendly?.[1] ?? legacy?.[1];
  if (name === undefined) return undefined;
  const { label, caseId } = manifestNames(tree.get(root + MANIFEST));
  if (friendly) return withoutTail(withoutTail(name, caseId, '-'), label, '-');
  return withoutTail(name, caseId, '.');
}

/** `name` less a `-tail` sos appended, spelt as sos spells file names (it drops what they cannot hold). */
function withoutTail(name: string, tail: string | undefined, separator: string): string {
  const spelt = tail?.replace(/[^-a-z,A-Z.0-9]/g, '');
  const suffix = `${separator}${spelt}`;
  return spelt && name.length > suffix.length && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
}

/** The --label and --case-id of the command line manifest.json records; none when it is not sos's JSON. */
function manifestNames(text: string | undefined): { label?: string; caseId?: string } {
  let cmdline: unknown;
  try {
    cmdline = text === undefined ? undefined : (JSON.parse(text) as { cmdline?: unknown })?.cmdline;
  } catch {
    // A manifest cut short or edited by hand says nothing about the name: the folder's stands.
    return {};
  }
  if (typeof cmdline !== 'string') return {};
  const out: { label?: string; caseId?: string } = {};
  for (const m of cmdline.matchAll(NAME_OPTIONS)) {
    if (m[1] === 'case-id') out.caseId = m[2];
    else out.label = m[2];
  }
  return out;
}
