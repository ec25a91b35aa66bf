/**
 * The editor's view of diagnostics: each located on the text the editor shows (line/column
 * ones as given, validate()'s by their path through core's resolver), duplicates folded
 * (readLayout and validate both report a wrong topology), in document order.
 */
import type { Diagnostic } from '../../core/diagnostics.ts';
import type { DomainDocument } from '../../core/domain-xml/lossless-xml.ts';
import { diagnosticSpan } from '../../core/guest/quickfix.ts';
import { lineStarts, offsetToPosition } from './text-edits.ts';

export interface Problem {
  key: string;
  diagnostic: Diagnostic;
  from: number;
  to: number;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

export function locateProblems(doc: DomainDocument, diagnostics: readonly Diagnostic[]): Problem[] {
  const starts = lineStarts(doc.text);
  const seen = new Map<string, Problem>();
  for (const d of diagnostics) {
    const span = diagnosticSpan(doc, d) ?? { from: 0, to: 0 };
    const from = Math.min(span.from, doc.text.length);
    const to = Math.min(Math.max(span.to, from), doc.text.length);
    const start = offsetToPosition(starts, from);
    const key = `${start.lineNumber}:${d.message}`;
    const earlier = seen.get(key);
    if (earlier && RANK[earlier.diagnostic.severity] <= RANK[d.severity]) continue;
    const end = offsetToPosition(starts, to);
    seen.set(key, {
      key,
      diagnostic: d,
      from,
      to,
      startLineNumber: start.lineNumber,
      startColumn: start.column,
      endLineNumber: end.lineNumber,
      endColumn: end.column,
    });
  }
  return [...seen.values()].sort((a, b) => a.from - b.from || RANK[a.diagnostic.severity] - RANK[b.diagnostic.severity]);
}
