/**
 * `lscpu -J` / `--json`, two documents:
 *
 *   {"lscpu": [{"field": "CPU(s):", "data": "8", "children": [ … ]}, …]}   ← plain lscpu
 *   {"cpus": [{"cpu": 0, "node": 0, "l1d:l1i:l2:l3": "0:0:0:0", "online": true}, …]}  ← -e -J
 *
 * Each is mapped onto the same fields/rows as the text forms (lscpu-common.ts). `children`
 * (2.37+ on a terminal) are flattened. util-linux 2.38 writes a bare `-` for an unknown number
 * (`"node": -,`), which is not JSON; it is read as "unknown", as in the text table.
 */
import type { DiagnosticSink } from '../diagnostics.ts';
import type { HostFacts } from '../host/facts.ts';
import type { Format } from './format.ts';
import { beginParse } from './text.ts';
import { applyCpuRows, applySummary, columnFromName, type CpuColumn, type CpuRow, type SummaryField } from './lscpu-common.ts';

export const lscpuJsonFormat: Format = {
  id: 'lscpu-json',
  label: 'lscpu -J',
  sniff(text: string): number {
    const head = text.slice(0, 400).trimStart();
    if (!head.startsWith('{')) return 0;
    if (/^\{\s*"lscpu"\s*:\s*\[/.test(head)) return 0.95;
    if (/^\{\s*"cpus"\s*:\s*\[/.test(head) && /"cpu"\s*:/.test(head)) return 0.95;
    return 0;
  },
  parse: parseLscpuJson,
};

/** Replace lscpu's bare `-` values with `null`, outside strings only; linear. */
function repairBareDashes(text: string): { json: string; repaired: boolean } {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) {
      inString = true;
    } else if (ch === 45 /* - */ && !/[0-9.]/.test(text[i + 1] ?? '')) {
      out += text.slice(from, i) + 'null';
      from = i + 1;
    }
  }
  return from === 0 ? { json: text, repaired: false } : { json: out + text.slice(from), repaired: true };
}

/**
 * 1-based line of a JSON.parse error: from V8's "(line L column C)" or "at position N" when the
 * engine gives one (Node 20 often does not), else from our own scan for the first bad offset.
 */
function errorLine(message: string, text: string): number | undefined {
  const lc = /line (\d+) column \d+/.exec(message);
  if (lc) return Number(lc[1]);
  const pos = /position (\d+)/.exec(message);
  const offset = pos ? Number(pos[1]) : firstJsonError(text);
  if (offset === undefined) return undefined;
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const JSON_LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Offset of the first character that breaks JSON syntax (only run after JSON.parse failed). */
function firstJsonError(text: string): number | undefined {
  const stack: string[] = [];
  let i = 0;
  // 'value': a value comes next; 'key': a string key then ':' (or '}' right after '{'); 'after':
  // a separator or closer of the enclosing container.
  let want: 'value' | 'key' | 'after' = 'value';
  let emptyAllowed = false;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) return want === 'after' && stack.length === 0 ? undefined : i;
    const ch = text[i];
    const top = stack[stack.length - 1];
    if (emptyAllowed && ((ch === '}' && top === '{') || (ch === ']' && top === '['))) {
      stack.pop();
      i++;
      want = 'after';
      emptyAllowed = false;
      continue;
    }
    emptyAllowed = false;
    if (want === 'after') {
      if (top === undefined) return i; // text after the document
      if (ch === ',') want = top === '{' ? 'key' : 'value';
      else if ((ch === '}' && top === '{') || (ch === ']' && top === '[')) stack.pop();
      else return i;
      i++;
      continue;
    }
    if (want === 'value' && (ch === '{' || ch === '[')) {
      stack.push(ch);
      i++;
      want = ch === '{' ? 'key' : 'value';
      emptyAllowed = true;
      continue;
    }
    JSON_LITERAL.lastIndex = i;
    if (!JSON_LITERAL.test(text) || (want === 'key' && ch !== '"')) return i;
    i = JSON_LITERAL.lastIndex;
    if (want === 'key') {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text[i] !== ':') return i;
      i++;
      want = 'value';
    } else {
      want = 'after';
    }
  }
}

/** 1-based lines of each match of `pattern` in order, so objects can be pointed at. */
function matchLines(text: string, pattern: RegExp): number[] {
  const out: number[] = [];
  let line = 1;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    out.push(line);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseLscpuJson(text: string, source: string): HostFacts {
  const { facts, sink, binary } = beginParse('lscpu-json', text, source, 'lscpu -J');
  if (binary) return facts;
  if (text.trim() === '') {
    sink.error(undefined, 'the paste is empty');
    return facts;
  }
  const { json, repaired } = repairBareDashes(text);
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    sink.error(errorLine(message, json), `not valid JSON (${message}); paste the complete output of lscpu -J`);
    return facts;
  }
  if (repaired) sink.info(undefined, "lscpu wrote '-' (not JSON) for values it does not know; they are read as unknown");
  if (isRecord(doc) && Array.isArray(doc.lscpu)) {
    readSummary(doc.lscpu, text, facts, sink);
  } else if (isRecord(doc) && Array.isArray(doc.cpus)) {
    readCpus(doc.cpus, text, facts, sink);
  } else if (isRecord(doc) && Array.isArray(doc.caches)) {
    sink.error(1, "this is lscpu -C (caches) JSON, which does not say which CPUs share what; paste 'lscpu -J' or 'lscpu -e -J'");
  } else {
    sink.error(1, `JSON without the "lscpu" or "cpus" list that lscpu -J prints`);
  }
  return facts;
}

function readSummary(items: unknown[], text: string, facts: HostFacts, sink: DiagnosticSink): void {
  const lines = matchLines(text, /"field"\s*:/g);
  const fields: SummaryField[] = [];
  const walk = (list: unknown[]): void => {
    for (const item of list) {
      if (!isRecord(item)) continue;
      const line = lines[fields.length] ?? 1;
      if (typeof item.field === 'string') {
        const data = item.data;
        const value = typeof data === 'string' || typeof data === 'number' ? String(data) : '';
        fields.push({ label: item.field.trim().replace(/\s*:$/, ''), value, line });
      }
      if (Array.isArray(item.children)) walk(item.children);
    }
  };
  walk(items);
  if (applySummary(fields, facts, sink) === 0) {
    sink.warning(fields[0]?.line ?? 1, "none of lscpu's English labels were found; if lscpu ran in another language, run `LC_ALL=C lscpu -J` and paste that");
  }
}

function readCpus(items: unknown[], text: string, facts: HostFacts, sink: DiagnosticSink): void {
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  for (const item of items) {
    if (!isRecord(item)) continue;
    for (const k of Object.keys(item)) {
      if (!keyIndex.has(k)) {
        keyIndex.set(k, keys.length);
        keys.push(k);
      }
    }
  }
  const columns: CpuColumn[] = keys.map((k) => columnFromName(k) ?? { kind: 'other', name: k });
  const lines = matchLines(text, /"cpu"\s*:/g);
  const rows: CpuRow[] = [];
  items.forEach((item, i) => {
    if (!isRecord(item)) return;
    const cells: (string | undefined)[] = new Array(keys.length).fill(undefined);
    for (const [k, v] of Object.entries(item)) {
      cells[keyIndex.get(k) ?? 0] = v === null ? '-' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : typeof v === 'object' ? undefined : String(v);
    }
    rows.push({ cells, line: lines[i] ?? 1 });
  });
  applyCpuRows(columns, rows, facts, sink);
}
