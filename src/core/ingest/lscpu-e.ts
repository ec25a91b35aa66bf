/**
 * `lscpu -e` / `--extended[=list]`: a whitespace-aligned table, one row per CPU, offline CPUs
 * included (`ONLINE no`, `-` where lscpu cannot tell):
 *
 *   CPU NODE SOCKET CORE L1d:L1i:L2:L3 ONLINE    MAXMHZ    MINMHZ
 *     0    0      0    0 0:0:0:0          yes 2300.0000 1200.0000
 *     0    -      -    - 0:0:0             no         -         -
 *
 * The columns are whatever the user asked for, in that order; the cache column's header names
 * the levels its `:`-joined ids stand for. CORE/SOCKET ids are lscpu's logical (machine-wide) ones.
 */
import type { HostFacts } from '../host/facts.ts';
import type { Format } from './format.ts';
import { applyCpuRows, columnFromName, COMMAND_ECHO, REPORTED_PER_KIND, type CpuColumn, type CpuRow } from './lscpu-common.ts';
import { beginParse, headLines } from './text.ts';

const ROW = /^\s*(?:\d+|-)(?:\s|$)/;

/** Columns of a header line, or undefined when some word is not an lscpu -e column. */
function headerColumns(line: string): CpuColumn[] | undefined {
  const words = line.trim().split(/\s+/);
  if (words.length === 0 || words.some((w) => w !== w.toUpperCase() && !/^L\d/.test(w))) return undefined;
  const columns: CpuColumn[] = [];
  for (const w of words) {
    const c = columnFromName(w);
    if (c === undefined) return undefined;
    columns.push(c);
  }
  return columns;
}

export const lscpuExtendedFormat: Format = {
  id: 'lscpu-e',
  label: 'lscpu -e',
  sniff(text: string): number {
    const head = headLines(text, 3).filter((l) => !COMMAND_ECHO.test(l));
    const columns = head.length > 0 ? headerColumns(head[0]) : undefined;
    if (columns === undefined || columns.length < 2) return 0;
    return columns.some((c) => c.kind === 'cpu') ? 0.95 : 0.6;
  },
  parse: parseLscpuExtended,
};

export function parseLscpuExtended(text: string, source: string): HostFacts {
  const { facts, sink, lines, binary } = beginParse('lscpu-e', text, source, 'lscpu -e');
  if (binary) return facts;

  let columns: CpuColumn[] | undefined;
  let modelColumn = -1;
  const rows: CpuRow[] = [];
  let shortRows = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const n = i + 1;
    if (line.trim() === '' || (columns === undefined && COMMAND_ECHO.test(line))) continue;
    if (columns === undefined) {
      columns = headerColumns(line);
      if (columns === undefined) {
        sink.error(n, `expected lscpu -e's header line (like 'CPU NODE SOCKET CORE L1d:L1i:L2:L3 ONLINE'), found '${line.trim().slice(0, 60)}'`);
        return facts;
      }
      modelColumn = columns.findIndex((c) => c.kind === 'other' && c.name === 'modelname');
      continue;
    }
    if (!ROW.test(line)) {
      if (facts.unknownLines++ < REPORTED_PER_KIND) sink.info(n, 'not a row of the lscpu -e table; skipped');
      continue;
    }
    let cells = line.trim().split(/\s+/);
    if (cells.length > columns.length && modelColumn >= 0) {
      // MODELNAME is the one column whose values contain spaces.
      const extra = cells.length - columns.length;
      cells = [...cells.slice(0, modelColumn), cells.slice(modelColumn, modelColumn + extra + 1).join(' '), ...cells.slice(modelColumn + extra + 1)];
    }
    if (cells.length !== columns.length && shortRows++ < REPORTED_PER_KIND) {
      sink.warning(n, `this row has ${cells.length} values but the header has ${columns.length} columns (cut off?); only the values that line up are used`);
    }
    rows.push({ cells, line: n });
  }
  if (columns === undefined) {
    sink.error(undefined, 'the paste is empty: no lscpu -e table found');
    return facts;
  }
  applyCpuRows(columns, rows, facts, sink);
  if (rows.length === 0) sink.warning(undefined, 'the lscpu -e table has a header but no rows');
  return facts;
}
