/**
 * `lscpu -p` / `--parse[=list]` (also with `-y`/`--physical` and `-a`): comment lines, the
 * last of which names the columns, then one CSV row per CPU (only online CPUs unless `-a`):
 *
 *   # The following is the parsable format, which can be fed to other
 *   # …
 *   # CPU,Core,Socket,Node,,L1d,L1i,L2,L3
 *   0,0,0,0,,0,0,0,0
 *
 * The empty column stands before the cache ids, one column per level. An offline CPU (`-a`)
 * lists fewer cache ids than the header names, which shifts every later column left; the
 * columns after the caches are therefore matched from the row's end.
 */
import type { HostFacts } from '../host/facts.ts';
import type { Format } from './format.ts';
import { applyCpuRows, columnFromName, COMMAND_ECHO, REPORTED_PER_KIND, type CpuColumn, type CpuRow } from './lscpu-common.ts';
import { beginParse, headLines } from './text.ts';

const BANNER = /^#\s*The following is the parsable format/;
/** A CSV row; the CPU cell is empty where lscpu could not read the CPU (`,,,`). */
const ROW = /^\s*(?:\d+\s*(?:,|$)|,)/;

/** Columns of a `# CPU,Core,…` comment, or undefined when it is prose. */
function headerColumns(comment: string): CpuColumn[] | undefined {
  const names = comment.replace(/^#\s*/, '').split(',');
  if (names.every((n) => n.trim() === '')) return undefined;
  const columns: CpuColumn[] = [];
  for (const name of names) {
    const c = name.trim() === '' ? ({ kind: 'other', name: '' } as const) : columnFromName(name);
    if (c === undefined) return undefined;
    columns.push(c);
  }
  return columns;
}

export const lscpuParseFormat: Format = {
  id: 'lscpu-p',
  label: 'lscpu -p',
  sniff(text: string): number {
    const head = headLines(text, 8).filter((l) => !COMMAND_ECHO.test(l));
    if (head.length > 0 && BANNER.test(head[0])) return 0.95;
    const header = head.find((l) => l.startsWith('#') && headerColumns(l) !== undefined);
    return header !== undefined && head[0].startsWith('#') ? 0.9 : 0;
  },
  parse: parseLscpuParse,
};

/** Spread a row's cells over the columns; see the file comment for short rows. */
function alignCells(columns: readonly CpuColumn[], cells: string[]): (string | undefined)[] {
  if (cells.length >= columns.length) return cells;
  const first = columns.findIndex((c) => c.kind === 'caches');
  if (first < 0) return cells;
  let last = first;
  while (last + 1 < columns.length && columns[last + 1].kind === 'caches') last++;
  const after = columns.length - 1 - last;
  const out: (string | undefined)[] = new Array(columns.length).fill(undefined);
  const before = Math.min(first, cells.length);
  for (let i = 0; i < before; i++) out[i] = cells[i];
  const tail = Math.min(after, cells.length - before);
  for (let k = 0; k < tail; k++) out[columns.length - 1 - k] = cells[cells.length - 1 - k];
  for (let i = before; i < cells.length - tail; i++) out[i] = cells[i];
  return out;
}

export function parseLscpuParse(text: string, source: string): HostFacts {
  const { facts, sink, lines, binary } = beginParse('lscpu-p', text, source, 'lscpu -p');
  if (binary) return facts;

  let columns: CpuColumn[] | undefined;
  const rows: CpuRow[] = [];
  let badRows = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const n = i + 1;
    if (line.trim() === '' || COMMAND_ECHO.test(line)) continue;
    if (line.startsWith('#')) {
      // The header is the last comment with column names; the banner lines are prose.
      columns = headerColumns(line) ?? columns;
      continue;
    }
    if (!ROW.test(line)) {
      if (facts.unknownLines++ < REPORTED_PER_KIND) sink.info(n, 'not a comma-separated row of lscpu -p; skipped');
      continue;
    }
    if (columns === undefined) {
      sink.error(n, "rows without lscpu -p's column header ('# CPU,Core,Socket,Node,,L1d,L1i,L2,L3'); paste the whole output, comment lines included");
      return facts;
    }
    const cells = line.split(',');
    if (cells.length > columns.length && badRows++ < REPORTED_PER_KIND) {
      sink.warning(n, `this row has ${cells.length} values but the header names ${columns.length} columns; the extra values are ignored`);
    }
    rows.push({ cells: alignCells(columns, cells), line: n });
  }
  if (columns === undefined) {
    sink.error(undefined, lines.some((l) => l.trim() !== '') ? "no lscpu -p column header ('# CPU,Core,Socket,Node,,L1d,L1i,L2,L3') found" : 'the paste is empty');
    return facts;
  }
  applyCpuRows(columns, rows, facts, sink);
  if (rows.length === 0) sink.warning(undefined, 'the lscpu -p output has a header but no rows');
  return facts;
}
