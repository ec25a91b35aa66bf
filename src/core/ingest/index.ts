/**
 * Paste → facts → Host. A person pastes whatever their host printed; numascope recognises each
 * output (several may share one paste), parses it, and merges everything into one Host.
 * Nothing here throws: unrecognisable text becomes a diagnostic naming the lines.
 */
import { diagnosticSink, type Diagnostic } from '../diagnostics.ts';
import { emptyFacts, type FormatId, type HostFacts } from '../host/facts.ts';
import { mergeFacts } from '../host/merge.ts';
import type { Host } from '../host/model.ts';
import type { Format } from './format.ts';
import { formats } from './registry.ts';
import { splitPaste, type PastePart } from './split.ts';

export interface Paste {
  name: string;
  text: string;
}

export interface PasteResult {
  /** The paste's name, as given. */
  name: string;
  /** One entry per output recognised in the paste; empty when nothing was. */
  facts: HostFacts[];
  /** Problems with the paste as a whole (binary data, unrecognised parts). */
  diagnostics: Diagnostic[];
}

export interface IngestResult {
  host: Host;
  facts: HostFacts[];
  /** What became of each paste, in the order given. */
  pastes: PasteResult[];
}

export { formats };

/** Below this, a sniff is a guess we should not act on. */
const MIN_CONFIDENCE = 0.3;

function detectFormat(text: string): { format: Format; confidence: number } | undefined {
  let best: { format: Format; confidence: number } | undefined;
  for (const format of formats) {
    const confidence = safeSniff(format, text);
    if (confidence >= MIN_CONFIDENCE && (!best || confidence > best.confidence)) best = { format, confidence };
  }
  return best;
}

export function labelOf(format: FormatId): string {
  return formats.find((f) => f.id === format)?.label ?? format;
}

function parsePaste(paste: Paste): PasteResult {
  const sink = diagnosticSink(paste.name);
  if (paste.text.trim() === '') {
    sink.warning(undefined, 'the paste is empty');
    return { name: paste.name, facts: [], diagnostics: sink.list };
  }
  const binary = binaryReason(paste.text);
  if (binary) {
    sink.error(undefined, `${binary}: paste the text a command printed (lscpu, numactl -H, lstopo-no-graphics --of xml, virsh capabilities …), not a binary file`);
    return { name: paste.name, facts: [], diagnostics: sink.list };
  }
  const parts = splitPaste(paste.text);
  const facts: HostFacts[] = [];
  const named = (part: PastePart, k: number) => (parts.length === 1 ? paste.name : `${paste.name}#${k + 1}${part.command ? ` (${part.command})` : ''}`);
  const span = (part: PastePart) => {
    const last = part.lineOffset + lineCount(part.text);
    return last === part.lineOffset + 1 ? `line ${last}` : `lines ${part.lineOffset + 1}–${last}`;
  };
  const seen = new Set<string>();
  const repeats: PastePart[] = [];
  parts.forEach((part, k) => {
    // The same output pasted again says nothing new, and 1,600 copies must not cost 1,600 parses.
    if (seen.has(part.text)) {
      repeats.push(part);
      return;
    }
    seen.add(part.text);
    const detected = detectFormat(part.text);
    const first = part.lineOffset + 1;
    if (!detected) {
      const where = parts.length === 1 ? 'this paste' : span(part);
      sink.error(first, `${where} ${where.startsWith('lines') ? 'are' : 'is'} not recognised as any host dump; numascope reads ${formats.map((f) => f.label).join(', ')}`);
      return;
    }
    const result = safeParse(detected.format, part.text, named(part, k));
    if (part.lineOffset > 0) for (const d of result.diagnostics) if (d.line !== undefined) d.line += part.lineOffset;
    facts.push(result);
  });
  if (repeats.length > 0) {
    const shown = repeats.slice(0, 3).map(span).join(', ') + (repeats.length > 3 ? ` and ${repeats.length - 3} more` : '');
    sink.warning(repeats[0].lineOffset + 1, `${repeats.length === 1 ? 'one part repeats' : `${repeats.length} parts repeat`} an earlier part word for word (${shown}); each output is read once`);
  }
  return { name: paste.name, facts, diagnostics: sink.list };
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function ingest(pastes: readonly Paste[]): IngestResult {
  const results = pastes.map(parsePaste);
  const facts = results.flatMap((r) => r.facts);
  const host = mergeFacts(facts, labelOf);
  host.diagnostics = results.flatMap((r) => r.diagnostics).concat(host.diagnostics);
  return { host, facts, pastes: results };
}

/** NUL bytes or mostly control characters in the first 4 KiB: a binary file, not a tool's output. */
function binaryReason(text: string): string | undefined {
  const head = text.slice(0, 4096);
  if (head.includes('\u0000')) return 'the paste contains NUL bytes';
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  return control > head.length * 0.1 ? 'the paste is mostly control characters' : undefined;
}

/** A format's bug must not take the page down: report it as a diagnostic and go on. */
function safeSniff(format: Format, text: string): number {
  try {
    return format.sniff(text);
  } catch {
    return 0;
  }
}

function safeParse(format: Format, text: string, source: string): HostFacts {
  try {
    return format.parse(text, source);
  } catch (e) {
    const facts = emptyFacts(format.id, source);
    facts.diagnostics.push({
      severity: 'error',
      source,
      message: `numascope's ${format.label} reader failed on this paste (${e instanceof Error ? e.message : String(e)}); please report it with the paste`,
    });
    return facts;
  }
}
