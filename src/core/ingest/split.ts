/**
 * People paste several outputs at once ("here is lscpu, and here numactl -H"), often with the
 * shell prompts that ran them. This cuts a paste into parts at the lines where a known output
 * begins, so each part goes to its own parser; a part keeps its line offset so diagnostics
 * point into the paste the person actually sees.
 */
import { splitLines } from './text.ts';

export interface PastePart {
  /** 0-based index of the part's first line in the whole paste. */
  lineOffset: number;
  text: string;
  /** The command of a shell prompt line just before the part (`$ numactl -H`). */
  command?: string;
}

/**
 * Lines that begin an output. `repeats` marks formats whose records repeat (lspci -vvv blocks,
 * nodedev documents): a second match of the same kind continues the part instead of cutting it.
 */
const STARTS: { hint: string; pattern: RegExp; repeats?: boolean }[] = [
  { hint: 'lscpu', pattern: /^(Architecture|CPU op-mode\(s\)|Byte Order):\s/ },
  { hint: 'lscpu-p', pattern: /^# CPU,/ },
  { hint: 'lscpu-p', pattern: /^# The following is the parsable format/ },
  { hint: 'lscpu-e', pattern: /^\s*CPU\s+(NODE|SOCKET|CORE|ONLINE|BOOK|DRAWER|CLUSTER|L1d)\b/ },
  { hint: 'numactl', pattern: /^(available: \d+ nodes|No NUMA available)/ },
  { hint: 'xml', pattern: /^\s*<(\?xml|topology|capabilities|!DOCTYPE)\b/ },
  { hint: 'nodedev', pattern: /^\s*<device>/, repeats: true },
  { hint: 'lstopo', pattern: /^Machine( \(|$)/ },
  { hint: 'lspci-tree', pattern: /^[-+\\]-\[[0-9a-f]{4}:[0-9a-f]{2}\]-/, repeats: true },
  { hint: 'lspci-verbose', pattern: /^([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] [^:]+:/, repeats: true },
  { hint: 'lspci-vmm', pattern: /^Slot:\s+([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]/, repeats: true },
  { hint: 'xl-info', pattern: /^host\s+:\s/ },
  { hint: 'json', pattern: /^\{\s*$/ },
];

/** The lines that may begin a part inside XML: another document, or another nodedev record. */
const XML_START = /^<(\?xml|topology|capabilities|!DOCTYPE|device>)/;

/** `$ lscpu`, `# numactl --hardware`, `[root@kvm01 ~]# lspci -tv`, `user@host:~$ lstopo-no-graphics`. */
const PROMPT = /^\s*(?:\[[^\]]*\][#$]|\S*[$#>%])\s*((?:sudo\s+)?(?:lscpu|numactl|lspci|lstopo\S*|hwloc-\S+|virsh|xl|cat)\b.*)$/;

export function splitPaste(text: string): PastePart[] {
  const lines = splitLines(text);
  const cuts: { line: number; hint?: string; command?: string }[] = [{ line: 0 }];
  let current: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const inXml = current === 'xml' || current === 'nodedev';
    // Inside an XML document indented lines are its content, and so are lines of markup other
    // than a document's start: not testing them keeps a 2 MB hwloc XML (or 20 MB of tags) cheap.
    if (inXml && (line.startsWith(' ') || line.startsWith('\t'))) continue;
    if (inXml && line.startsWith('<') && !XML_START.test(line)) continue;
    const prompt = PROMPT.exec(line);
    if (prompt) {
      // The prompt line itself is not part of any output.
      cuts.push({ line: i + 1, command: prompt[1].trim() });
      current = undefined;
      continue;
    }
    const start = STARTS.find((s) => s.pattern.test(line));
    if (!start) continue;
    // A repeating record continues its part; any other output starts anew only after a blank line.
    if (start.hint === current && (start.repeats || (i > 0 && lines[i - 1].trim() !== ''))) continue;
    // Inside one XML document only its first line starts a part.
    if (current === 'xml' && start.hint === 'nodedev') continue;
    if (start.hint === 'json' && !/"(lscpu|cpus)"/.test(lines[i + 1] ?? '')) continue;
    const last = cuts[cuts.length - 1];
    if (last.hint === undefined && lines.slice(last.line, i).every((l) => l.trim() === '')) last.hint = start.hint;
    else cuts.push({ line: i, hint: start.hint });
    current = start.hint;
  }
  const parts: PastePart[] = [];
  for (let k = 0; k < cuts.length; k++) {
    const from = cuts[k].line;
    const to = k + 1 < cuts.length ? (cuts[k + 1].command !== undefined ? cuts[k + 1].line - 1 : cuts[k + 1].line) : lines.length;
    const body = lines.slice(from, to);
    if (body.every((l) => l.trim() === '')) continue;
    const part: PastePart = { lineOffset: from, text: body.join('\n') };
    if (cuts[k].command) part.command = cuts[k].command;
    parts.push(part);
  }
  return parts;
}
