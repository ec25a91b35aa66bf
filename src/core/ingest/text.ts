/** What every format's parse() starts from: lines, line counts, and binary pastes refused. */
import { diagnosticSink, type DiagnosticSink } from '../diagnostics.ts';
import { emptyFacts, type FormatId, type HostFacts, type NodeFact } from '../host/facts.ts';

/** Split into lines without the line ends; CRLF and CR pastes (from Windows, mail) work too. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The first `count` non-blank lines, for sniffing without reading a whole 10 MB paste. */
export function headLines(text: string, count = 40): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < count && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    if (line.trim() !== '') out.push(line);
    start = end + 1;
  }
  return out;
}

/** Canonical PCI address "dddd:bb:ss.f" from "03:00.0", "0000:03:00.0" or "0000:03:00.0" in any case. */
export function canonicalBdf(text: string, domain = '0000'): string | undefined {
  const m = /^(?:([0-9a-f]{4,8}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(text.trim());
  if (!m) return undefined;
  return `${(m[1] ?? domain).toLowerCase().padStart(4, '0')}:${m[2].toLowerCase()}:${m[3].toLowerCase()}.${m[4]}`;
}

/** The paste's lines, without the empty one a final newline leaves behind. */
function pasteLines(text: string): string[] {
  const lines = splitLines(text);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** How many lines pasteLines would return, without splitting a multi-megabyte dump into strings. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

export interface ParseStart {
  facts: HostFacts;
  /** Collects into facts.diagnostics. */
  sink: DiagnosticSink;
  lines: string[];
  /** True when the paste holds NUL bytes: already reported, and nothing else should be read. */
  binary: boolean;
}

/**
 * The start every text format shares: empty facts whose diagnostics a sink fills, the paste's
 * lines counted, and a binary paste refused once with the name of the tool whose text was expected.
 */
export function beginParse(format: FormatId, text: string, source: string, tool: string): ParseStart {
  const facts = emptyFacts(format, source);
  const sink = diagnosticSink(source);
  facts.diagnostics = sink.list;
  const binary = text.includes('\u0000');
  const lines = binary ? [] : pasteLines(text);
  facts.lines = binary ? countLines(text) : lines.length;
  if (binary) sink.error(undefined, `this paste contains binary data (NUL bytes), not the text ${tool} prints`);
  return { facts, sink, lines, binary };
}

/** At most this many unknown lines get their own diagnostic; the rest are only counted. */
const UNKNOWN_REPORTED = 3;

/** Counts a line the format does not understand, and names the first few as 'info' diagnostics. */
export function unknownLineCounter(facts: HostFacts, sink: DiagnosticSink, tool: string): (line: number, raw: string) => void {
  let reported = 0;
  return (line, raw) => {
    facts.unknownLines++;
    if (reported++ < UNKNOWN_REPORTED) sink.info(line, `not a line ${tool} prints, ignored: '${raw.trim().slice(0, 80)}'`);
  };
}

/** Node facts gathered from lines in any order, created on first mention. */
export function nodeFactsById(): { of(id: number): NodeFact; has(id: number): boolean; sorted(): NodeFact[] } {
  const nodes = new Map<number, NodeFact>();
  return {
    has: (id) => nodes.has(id),
    of(id) {
      let node = nodes.get(id);
      if (!node) nodes.set(id, (node = { id }));
      return node;
    },
    sorted: () => [...nodes.values()].sort((a, b) => a.id - b.id),
  };
}
