/**
 * Runtime memory of QEMU processes as `numastat -c qemu` prints it (numactl's numastat), and which
 * guest each process is. numastat names a process only by its command (`qemu-kvm`,
 * `qemu-system-x86`), so the guest comes from its command line (`ps -o pid,args`, /proc/PID/cmdline),
 * where libvirt passes `-name guest=NAME`. Two layouts are read:
 *
 *   Per-node process memory usage (in MBs)                Per-node process memory usage (in MBs) for PID 3389 (qemu-kvm)
 *   PID              Node 0 Node 1 Total                           Node 0 Node 1 Total
 *   ---------------  ------ ------ -----                           ------ ------ -----
 *   3389 (qemu-kvm)      34   7890  7924                  Huge          0      0     0
 *   ---------------  ------ ------ -----                  …
 *   Total                34   7890  7924                  Total        34   7890  7924
 */
import { diagnosticSink, type Diagnostic } from '../diagnostics.ts';
import { splitLines } from '../ingest/text.ts';
import type { NodeKiB } from './finding.ts';

export interface QemuProcess {
  pid: number;
  command: string;
  memory: NodeKiB[];
}

const TITLE = /^Per-node process memory usage \(in (MBs|KBs|GBs)\)(?: for PID (\d+) \((.*)\))?\s*$/;
const UNIT_KIB: Record<string, number> = { KBs: 1, MBs: 1024, GBs: 1024 * 1024 };

export function isNumastat(text: string): boolean {
  return splitLines(text).some((l) => TITLE.test(l));
}

export function parseNumastat(text: string, source: string): { processes: QemuProcess[]; diagnostics: Diagnostic[] } {
  const sink = diagnosticSink(source);
  const lines = splitLines(text);
  const processes: QemuProcess[] = [];
  let unit = 1024;
  let columns: number[] | null = null;
  let single: { pid: number; command: string } | undefined;
  lines.forEach((line, i) => {
    const title = TITLE.exec(line);
    if (title) {
      unit = UNIT_KIB[title[1]];
      columns = null;
      single = title[2] ? { pid: Number(title[2]), command: title[3] } : undefined;
      return;
    }
    if (/^\s*(PID\s+)?Node \d+/.test(line)) {
      columns = [...line.matchAll(/Node (\d+)/g)].map((m) => Number(m[1]));
      return;
    }
    if (!columns || /^[\s-]*$/.test(line)) return;
    const row = single ? /^(Total)\s+([\d.\s]+)$/.exec(line) : /^(\d+) \((.*)\)\s+([\d.\s]+)$/.exec(line);
    if (!row) return;
    const values = row[row.length - 1].trim().split(/\s+/).map(Number);
    // One value per node column, then the total.
    if (values.length !== columns.length + 1 || values.some((v) => !Number.isFinite(v))) {
      sink.warning(i + 1, `numastat row with ${values.length} values for ${columns.length} node columns and a total; skipped`);
      return;
    }
    const memory = columns.map((node, k) => ({ node, kib: Math.round(values[k] * unit) }));
    if (single) processes.push({ ...single, memory });
    else processes.push({ pid: Number(row[1]), command: row[2], memory });
  });
  return { processes, diagnostics: sink.list };
}

/** PID → guest name from command lines that carry libvirt's `-name guest=NAME` (or `-name NAME`). */
export function qemuGuestNames(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of splitLines(text)) {
    const m = /^\s*(\d+)\s+\S*qemu\S*\s.*?-name\s+(?:guest=)?((?:[^,\s]|,,)+)/.exec(line);
    if (m) out.set(Number(m[1]), m[2].replace(/,,/g, ','));
  }
  return out;
}

/** Each named guest's resident memory per node (the processes' rows added up). */
export function residentByGuest(processes: readonly QemuProcess[], names: ReadonlyMap<number, string>): Map<string, NodeKiB[]> {
  const out = new Map<string, Map<number, number>>();
  for (const p of processes) {
    const name = names.get(p.pid);
    if (name === undefined) continue;
    const nodes = out.get(name) ?? new Map<number, number>();
    for (const m of p.memory) nodes.set(m.node, (nodes.get(m.node) ?? 0) + m.kib);
    out.set(name, nodes);
  }
  return new Map([...out].map(([name, nodes]) => [name, [...nodes].sort((a, b) => a[0] - b[0]).map(([node, kib]) => ({ node, kib }))]));
}
