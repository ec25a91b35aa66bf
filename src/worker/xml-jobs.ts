/**
 * What the domain document worker does for one job, as plain functions (the worker wraps them,
 * tests and Node call them directly). Every answer carries the layout read back from the text it
 * returns and that text's diagnostics (the parse's, then validate()'s against the host), located
 * on the text with their quick fixes, so the page never holds a layout that did not come from
 * its XML and never parses the XML itself. A drop is one job: editAll() on the text's own layout,
 * written back into that text — one round trip, one parse of each text.
 */
import { domainNameOf, parseDomainDocument, readLayout, writeLayout, type DomainDocument, type ReadResult } from '../core/domain-xml/index.ts';
import type { GuestLayout } from '../core/guest/model.ts';
import { validate } from '../core/guest/validate.ts';
import type { Host } from '../core/host/model.ts';
import { editAll } from '../core/partition/index.ts';
import { problemsOf } from './problems.ts';
import type { Derived, EditAnswer, Written, XmlAnswer, XmlJob } from './xml-protocol.ts';

/** Texts kept parsed: each guest's current one and the one before, for a few guests. */
const KEPT_DOCUMENTS = 8;

interface Parsed {
  doc: DomainDocument;
  read: ReadResult;
}

/** What a worker keeps between jobs: the host it was last given and the texts it parsed lately. */
export interface XmlSession {
  host: Host | null;
  parsed(text: string): Parsed;
}

export function xmlSession(): XmlSession {
  // most recently used last; texts are compared whole, which is a memcmp next to a parse
  const kept: { text: string; parsed: Parsed }[] = [];
  return {
    host: null,
    parsed(text) {
      const i = kept.findIndex((k) => k.text === text);
      if (i >= 0) {
        const [hit] = kept.splice(i, 1);
        kept.push(hit);
        return hit.parsed;
      }
      const doc = parseDomainDocument(text, 'domain XML');
      const parsed = { doc, read: readLayout(doc) };
      kept.push({ text, parsed });
      if (kept.length > KEPT_DOCUMENTS) kept.shift();
      return parsed;
    },
  };
}

/** The text's layout and diagnostics; `extra` are diagnostics about the text found before it was read (the writer's). */
function derive(session: XmlSession, text: string, extra: Derived['diagnostics'] = []): Derived {
  if (text.trim() === '') return { layout: null, diagnostics: extra, problems: [], domainName: null };
  const { doc, read } = session.parsed(text);
  const checked = read.layout && session.host ? validate(read.layout, session.host) : [];
  const diagnostics = [...extra, ...read.diagnostics, ...checked];
  return { layout: read.layout, diagnostics, problems: problemsOf(doc, read.layout, diagnostics, session.host ?? undefined), domainName: domainNameOf(doc) };
}

function write(session: XmlSession, text: string, layout: GuestLayout, name: string | undefined): Written {
  const base = text.trim() === '' ? null : session.parsed(text).doc;
  const written = writeLayout(base, layout, name === undefined ? {} : { name });
  const refusal = written.text === text ? written.diagnostics.find((d) => d.severity === 'error') : undefined;
  return {
    ...(refusal ? { refused: refusal.message } : {}),
    text: written.text,
    // A blank editor is replaced as a whole: its whitespace is not worth keeping.
    edits: base ? written.edits : [{ from: 0, to: text.length, text: written.text }],
    ...derive(session, written.text, written.diagnostics),
  };
}

function editText(session: XmlSession, job: Extract<XmlJob, { op: 'edit' }>): EditAnswer {
  const layout = job.text.trim() === '' ? null : session.parsed(job.text).read.layout;
  if (!layout || !session.host) return { op: 'edit', outcome: 'no-layout' };
  if (job.ops.length === 0) return { op: 'edit', outcome: 'refused', reason: 'nothing to do', explanation: [] };
  const edited = editAll(session.host, layout, job.ops, job.occupancy);
  if (!edited.ok) return { op: 'edit', outcome: 'refused', reason: edited.reason, explanation: edited.explanation };
  const { explanation, score } = edited.result;
  return { op: 'edit', outcome: 'done', explanation, score, ...write(session, job.text, edited.result.layout, job.name) };
}

export function runXmlJob(job: XmlJob, session: XmlSession): XmlAnswer {
  const started = performance.now();
  if (job.host !== undefined) session.host = job.host;
  const answer = job.op === 'read' ? { op: 'read' as const, ...derive(session, job.text) } : job.op === 'write' ? { op: 'write' as const, ...write(session, job.text, job.layout, job.name) } : editText(session, job);
  return { ...answer, ms: performance.now() - started };
}
