/**
 * The editor's view of a text's diagnostics, made where the text is parsed (the document worker)
 * so the page never parses the XML again: each diagnostic located on the text (line/column ones
 * as given, validate()'s by their path through core's resolver), duplicates folded (readLayout
 * and validate both report a wrong topology), in document order, each with the quick fixes
 * whose repair is unambiguous — edits of this very text.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { positionOf, type DomainDocument } from '../core/domain-xml/index.ts';
import type { GuestLayout } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import { diagnosticSpan, quickFixes, type QuickFix } from '../core/guest/quickfix.ts';

export interface Problem {
  diagnostic: Diagnostic;
  /** UTF-16 offsets of the stretch of text it is about. */
  from: number;
  to: number;
  fixes: QuickFix[];
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * `layout` must be what readLayout read from `doc` (the fixes need the cells' memory); `host` the
 * one validate() judged it against (the pin fixes choose CPUs on it).
 */
export function problemsOf(doc: DomainDocument, layout: GuestLayout | null, diagnostics: readonly Diagnostic[], host?: Host): Problem[] {
  const seen = new Map<string, Problem>();
  for (const d of diagnostics) {
    const span = diagnosticSpan(doc, d) ?? { from: 0, to: 0 };
    const from = Math.min(span.from, doc.text.length);
    const to = Math.min(Math.max(span.to, from), doc.text.length);
    const key = `${positionOf(doc, from).line}:${d.message}`;
    const earlier = seen.get(key);
    if (earlier && RANK[earlier.diagnostic.severity] <= RANK[d.severity]) continue;
    seen.set(key, { diagnostic: d, from, to, fixes: [] });
  }
  const problems = [...seen.values()].sort((a, b) => a.from - b.from || RANK[a.diagnostic.severity] - RANK[b.diagnostic.severity]);
  for (const p of problems) p.fixes = quickFixes(doc, layout, p.diagnostic, host);
  return problems;
}

