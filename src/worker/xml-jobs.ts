/**
 * What the domain XML worker does for one job, as a plain function (the worker wraps it, tests
 * and Node call it directly). Every answer carries the layout read back from the text it returns
 * and that text's diagnostics (the parse's, then validate()'s against the host), so the page
 * never holds a layout that did not come from its XML.
 */
import { parseDomainDocument, readLayout, writeLayout, type DomainDocument } from '../core/domain-xml/index.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { GuestLayout } from '../core/guest/model.ts';
import { validate } from '../core/guest/validate.ts';
import type { Host } from '../core/host/model.ts';
import type { XmlAnswer, XmlJob } from './xml-protocol.ts';

/** Parses a text, reusing the last document when the text is the same (typing, then a drag). */
export function documentCache(): (text: string) => DomainDocument {
  let cached: { text: string; doc: DomainDocument } | null = null;
  return (text) => {
    if (cached?.text === text) return cached.doc;
    const doc = parseDomainDocument(text, 'domain XML');
    cached = { text, doc };
    return doc;
  };
}

function derive(doc: DomainDocument, host: Host | null): { layout: GuestLayout | null; diagnostics: Diagnostic[] } {
  const read = readLayout(doc);
  const checked = read.layout && host ? validate(read.layout, host) : [];
  return { layout: read.layout, diagnostics: [...read.diagnostics, ...checked] };
}

export function runXmlJob(job: XmlJob, documentOf: (text: string) => DomainDocument): XmlAnswer {
  const started = performance.now();
  if (job.op === 'read') {
    if (job.text.trim() === '') return { op: 'read', layout: null, diagnostics: [], ms: performance.now() - started };
    return { op: 'read', ...derive(documentOf(job.text), job.host), ms: performance.now() - started };
  }
  const base = job.text.trim() === '' ? null : documentOf(job.text);
  const written = writeLayout(base, job.layout, job.name === undefined ? {} : { name: job.name });
  const derived = derive(documentOf(written.text), job.host);
  return {
    op: 'write',
    text: written.text,
    // A blank editor is replaced as a whole: its whitespace is not worth keeping.
    edits: base ? written.edits : [{ from: 0, to: job.text.length, text: written.text }],
    layout: derived.layout,
    diagnostics: [...written.diagnostics, ...derived.diagnostics],
    ms: performance.now() - started,
  };
}
