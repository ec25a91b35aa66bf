/**
 * Plain `lscpu` (util-linux), both shapes it prints:
 *
 *   CPU(s):              120          ← flat: util-linux <= 2.36, and 2.37+ when not on a terminal
 *   On-line CPU(s) list: 0-119
 *   L1d cache:           32K          ← <= 2.33: one instance; 2.34-2.36: the sum, "1.5 MiB"
 *   NUMA node0 CPU(s):   0-14,60-74   ← empty value: a node without CPUs
 *
 *   Vendor ID:           GenuineIntel ← sectioned: 2.37+ on a terminal; children are indented
 *     Model name:        Intel(R) …
 *       Socket(s):       4
 *   Caches (sum of all):              ← heading without a value
 *     L1d:               1.9 MiB (60 instances)
 *
 * Long values wrap: a terminal wraps them at the value column (mid-word), slides and mail wrap
 * them at column 0 without a `Label:`. Both are continuations of the previous value.
 */
import type { HostFacts } from '../host/facts.ts';
import type { Format } from './format.ts';
import { applySummary, COMMAND_ECHO, REPORTED_PER_KIND, type SummaryField } from './lscpu-common.ts';
import { beginParse, headLines } from './text.ts';

const FIELD = /^(\s*)([^\s:][^:]{0,60}?)\s*:\s*(.*)$/;
/** A terminal wraps a value at its own column; anything narrower than this is a child label. */
const MIN_VALUE_COLUMN = 8;
const FIRST_LABELS = /^\s*(Architecture|CPU op-mode\(s\)|Byte Order|CPU\(s\)|On-line CPU\(s\) (?:list|mask)|Vendor ID|Model name|Thread\(s\) per core|Address sizes):/;
/** Words that survive translation (German keeps "CPU(s)", every language keeps "NUMA", "L1d" …). */
const LSCPU_WORDS = /CPU|NUMA|\bL[123][di]?\b|BogoMIPS|MHz/;

export const lscpuFormat: Format = {
  id: 'lscpu',
  label: 'lscpu',
  sniff(text: string): number {
    const head = headLines(text, 12).filter((l) => !COMMAND_ECHO.test(l));
    const known = head.filter((l) => FIRST_LABELS.test(l)).length;
    if (known >= 2) return 0.95;
    if (known === 1 && FIRST_LABELS.test(head[0] ?? '')) return 0.8;
    // Localized lscpu: parse it anyway, so the user gets the "run LC_ALL=C lscpu" hint.
    const fields = head.filter((l) => FIELD.test(l));
    if (fields.length >= 3 && fields.length >= head.length - 1 && fields.some((l) => LSCPU_WORDS.test(l.split(':')[0]))) return 0.5;
    return 0;
  },
  parse: parseLscpu,
};

export function parseLscpu(text: string, source: string): HostFacts {
  const { facts, sink, lines, binary } = beginParse('lscpu', text, source, 'lscpu');
  if (binary) return facts;

  const fields: SummaryField[] = [];
  // The field a wrapped line continues, and the column its value started in (terminal wrap).
  let open: { field: SummaryField; valueColumn?: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const n = i + 1;
    if (line.trim() === '') {
      open = undefined;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const col = open?.valueColumn;
    if (open && col !== undefined && col >= MIN_VALUE_COLUMN && indent >= col) {
      open.field.value += line.slice(col); // a terminal wraps mid-word, spaces included
      continue;
    }
    if (open && !line.includes(':')) {
      open.field.value += ' ' + line.trim();
      continue;
    }
    const m = FIELD.exec(line);
    if (m) {
      const field = { label: m[2], value: m[3], line: n };
      fields.push(field);
      open = { field, valueColumn: m[3] === '' ? undefined : line.length - m[3].length };
      continue;
    }
    if (COMMAND_ECHO.test(line)) continue;
    open = undefined;
    if (facts.unknownLines++ < REPORTED_PER_KIND) sink.info(n, `not a 'Label: value' line of lscpu; skipped`);
  }

  const structural = applySummary(fields, facts, sink);
  if (structural === 0) {
    if (fields.length > 0 && fields.some((f) => LSCPU_WORDS.test(f.label))) {
      sink.warning(fields[0].line, `the labels are not lscpu's English ones (e.g. '${fields[0].label}'), so most of this cannot be read; run \`LC_ALL=C lscpu\` and paste that instead`);
    } else if (lines.some((l) => l.trim() !== '')) {
      sink.error(undefined, `this does not look like lscpu output: none of its labels (CPU(s):, Socket(s):, NUMA node(s): …) were found`);
    } else {
      sink.error(undefined, 'the paste is empty');
    }
  }
  return facts;
}
