/**
 * Everything one host hands over at once — a sosreport, a sysfs tarball, or the collector's
 * output pasted in one box — read into a Bundle: the tool outputs for the text formats, facts
 * read from files, the guests defined there and the runtime memory state. bundleHost() then
 * merges it all into one Host, as ingest() does for pastes.
 */
import type { Diagnostic } from '../diagnostics.ts';
import { mergeFacts } from '../host/merge.ts';
import { ingest, labelOf, type IngestResult } from './index.ts';
import { treeFormats } from './registry.ts';
import { libvirtPids, numastatProcesses, type ProcessMemory } from './runtime.ts';
import { domainName, sosHostname, sosreportFormat } from './sosreport.ts';
import { splitLines } from './text.ts';
import { emptyReading, type FileTree, type TreeReading } from './tree.ts';

export interface Bundle extends TreeReading {
  /** The file or paste it came from. */
  name: string;
  /** What it was read as: a tree format's id ('sosreport', 'sysfs') or 'paste'. */
  kind: string;
  /** The host's name where the archive says it (a sosreport's); its dumps' own statement wins. */
  hostname?: string;
}

/** Read an unpacked archive with the tree format whose sniff is surest. */
export function readTree(tree: FileTree, name: string): Bundle {
  const paths = [...tree.keys()];
  let best: { format: (typeof treeFormats)[number]; score: number } | undefined;
  for (const format of treeFormats) {
    const score = format.sniff(paths);
    if (score > 0 && (!best || score > best.score)) best = { format, score };
  }
  if (!best) {
    const reading = emptyReading();
    reading.diagnostics.push({
      severity: 'error',
      source: name,
      message: `the archive holds neither a sosreport (sos_commands/) nor sys/devices/system (${tree.size} files numascope could use)`,
    });
    return { ...reading, name, kind: 'unknown' };
  }
  const bundle: Bundle = { ...best.format.parse(tree, name), name, kind: best.format.id };
  const hostname = best.format === sosreportFormat ? sosHostname(tree, name) : undefined;
  if (hostname) bundle.hostname = hostname;
  return bundle;
}

/** A prompt line before a command's output: `$ virsh dumpxml vm1`, `[root@kvm01 ~]# numastat -c qemu`. */
const PROMPT = /^\s*(?:\[[^\]]*\][#$]|\S*[$#>%])\s*(?:sudo\s+)?(\S.*)$/;
/** Outputs about the running guests, not the host: taken out of the host's part. */
const NUMASTAT = /^numastat\b/;
const PID_FILES = /^grep\b.*\/run\/libvirt\/qemu\//;

/**
 * The collector's output (or any paste): guests' domain XML, numastat's per-process table and
 * libvirt's pid files are taken out, and the rest goes to the text formats. Taken-out lines
 * become blank lines, so diagnostics still name the paste's own line numbers.
 */
export function readPaste(text: string, name: string): Bundle {
  const bundle: Bundle = { ...emptyReading(), name, kind: 'paste' };
  const lines = splitLines(text);
  const host = [...lines];
  let runtime: { from: number; kind: 'numastat' | 'pids' } | undefined;
  let pids = new Map<number, string>();
  const endRuntime = (to: number) => {
    if (!runtime) return;
    const section = { name: `${name}:${runtime.from + 1}`, text: lines.slice(runtime.from, to).join('\n') };
    if (runtime.kind === 'numastat') bundle.numastat = section;
    else pids = libvirtPids(section.text);
    host.fill('', runtime.from - 1, to);
    runtime = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const prompt = PROMPT.exec(lines[i]);
    if (prompt && /^[a-z]/.test(prompt[1]) && !lines[i].trimStart().startsWith('<')) {
      endRuntime(i);
      if (NUMASTAT.test(prompt[1])) runtime = { from: i + 1, kind: 'numastat' };
      else if (PID_FILES.test(prompt[1])) runtime = { from: i + 1, kind: 'pids' };
      continue;
    }
    // virsh dumpxml starts a domain at column 0; virsh capabilities' <domain> elements are indented.
    if (runtime || !/^<domain[\s>]/.test(lines[i])) continue;
    const end = lines.findIndex((l, k) => k > i && /^<\/domain>\s*$/.test(l));
    const to = end < 0 ? lines.length : end + 1;
    const xml = lines.slice(i, to).join('\n');
    bundle.guests.push({ name: domainName(xml) ?? `guest at line ${i + 1}`, source: `${name}:${i + 1}`, xml: `${xml}\n` });
    host.fill('', i, to);
    i = to - 1;
  }
  endRuntime(lines.length);
  if (host.some((l) => l.trim() !== '')) bundle.pastes.push({ name, text: host.join('\n') });
  bundle.memory = runningGuests(bundle, pids);
  return bundle;
}

/**
 * numastat's rows of QEMU processes, each tied to its guest by libvirt's pid files (the QEMU
 * driver's own driver.pid is no guest). `numastat -c qemu` matches command lines, so it also
 * lists the shell that ran the collector: rows that are neither a guest nor QEMU are left out.
 */
function runningGuests(bundle: Bundle, pids: ReadonlyMap<number, string>): ProcessMemory[] {
  if (!bundle.numastat) return [];
  const names = new Set(bundle.guests.map((g) => g.name));
  const [, firstLine] = /:(\d+)$/.exec(bundle.numastat.name) ?? [];
  return numastatProcesses(bundle.numastat.text).flatMap((row) => {
    const memory: ProcessMemory = { pid: row.pid, source: `${bundle.name}:${Number(firstLine) + row.line - 1}`, nodes: row.nodes };
    const guest = pids.get(row.pid);
    if (guest !== undefined && names.has(guest)) return [{ guest, ...memory }];
    return /qemu|kvm/i.test(row.command) ? [memory] : [];
  });
}

/** The Host a bundle describes: its tool outputs through ingest(), merged with the facts read from files. */
export function bundleHost(bundle: Bundle): IngestResult {
  const pasted = ingest(bundle.pastes);
  const facts = [...pasted.facts, ...bundle.facts];
  const host = bundle.facts.length === 0 ? pasted.host : mergeFacts(facts, labelOf);
  const pasteProblems: Diagnostic[] = bundle.facts.length === 0 ? [] : pasted.pastes.flatMap((p) => p.diagnostics);
  // concat, not unshift(...): a report's problems are as many as its files' lines, too many to pass as arguments.
  host.diagnostics = bundle.diagnostics.concat(pasteProblems, host.diagnostics);
  if (bundle.hostname && !host.machine.hostname) host.machine.hostname = bundle.hostname;
  return { host, facts, pastes: pasted.pastes };
}
