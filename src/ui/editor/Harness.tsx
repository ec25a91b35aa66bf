/**
 * `?harness=editor`: the editor and the view tabs on their own, driven the way the store drives
 * them (debounced re-read of typed text; diagram changes as the XML writer's minimal edits), so
 * the editor's journeys run before — and independently of — the page that hosts it. It replaces
 * the app on screen (the app stays mounted, hidden) and exposes `window.editorHarness` for e2e.
 */
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { parseDomainDocument, readLayout, writeLayout, type TextEdit } from '../../core/domain-xml/index.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import type { Host } from '../../core/host/model.ts';
import { ingest } from '../../core/ingest/index.ts';
import { edit, type EditOp } from '../../core/partition/edit.ts';
import { DEFAULT_REQUEST, NO_OCCUPANCY } from '../../core/partition/request.ts';
import { solve } from '../../core/partition/solve.ts';
import type { Problem } from '../../state/engine.ts';
import { runXmlJob, xmlSession } from '../../worker/xml-jobs.ts';
import { mountedEditors } from './registry.ts';
import { ViewTabs } from './ViewTabs.tsx';
import { XmlEditor, type PendingEdits } from './XmlEditor.tsx';

const TALK_HOST = ['talk-e7-8895v2.lscpu.txt', 'talk-e7-8895v2.numactl-H.txt'];
const DEBOUNCE_MS = 150;

interface Doc {
  value: string;
  version: number;
  pendingEdits?: PendingEdits;
  layout: GuestLayout | null;
  problems: Problem[];
  domainName: string | null;
}

export interface EditorHarness {
  /** A diagram edit (core edit()), written as the XML writer's minimal edits. */
  diagram(op: EditOp): TextEdit[];
  /** A change from outside without edits: undo/redo in the page, an import. */
  replace(text: string): void;
  state(): { value: string; model: string; cursor: { lineNumber: number; column: number } | null };
}

declare global {
  interface Window {
    editorHarness?: EditorHarness;
  }
}

/** The document worker's own read, run here: what the store would hand the editor. */
const session = xmlSession();
function read(text: string, host: Host | null): Pick<Doc, 'layout' | 'problems' | 'domainName'> {
  const r = runXmlJob({ op: 'read', text, host }, session);
  return r.op === 'read' ? { layout: r.layout, problems: r.problems, domainName: r.domainName } : { layout: null, problems: [], domainName: null };
}

function Harness() {
  const [host, setHost] = useState<Host | null>(null);
  const [doc, setDoc] = useState<Doc | null>(null);
  const docRef = useRef(doc);
  docRef.current = doc;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const typed = useRef<string | null>(null);

  useEffect(() => {
    void (async () => {
      const pastes = await Promise.all(
        TALK_HOST.map(async (name) => ({ name, text: await (await fetch(`${import.meta.env.BASE_URL}samples/${name}`)).text() })),
      );
      const h = ingest(pastes).host;
      const text = writeLayout(null, solve(h, DEFAULT_REQUEST).layout, { name: 'talk' }).text;
      setHost(h);
      setDoc({ value: text, version: 0, ...read(text, h) });
    })();
  }, []);

  useEffect(() => {
    if (!host) return;
    window.editorHarness = {
      diagram(op) {
        flush();
        const d = docRef.current!;
        const before = parseDomainDocument(d.value);
        const layout = readLayout(before).layout!;
        const written = writeLayout(before, edit(host, layout, op, NO_OCCUPANCY).layout);
        commit({ value: written.text, version: d.version + 1, pendingEdits: { version: d.version + 1, baseVersion: d.version, edits: written.edits }, ...read(written.text, host) });
        return written.edits;
      },
      replace(text) {
        // As the store must: typing not yet read is taken in before an outside change lands.
        flush();
        const d = docRef.current!;
        commit({ value: text, version: d.version + 1, ...read(text, host) });
      },
      state() {
        const editor = mountedEditors.find((e) => e.getContainerDomNode().closest('.editor-harness'));
        return { value: docRef.current?.value ?? '', model: editor?.getValue() ?? '', cursor: editor?.getPosition() ?? null };
      },
    };
  }, [host]);

  const commit = (next: Doc) => {
    docRef.current = next;
    setDoc(next);
  };

  const flush = () => {
    clearTimeout(timer.current);
    const text = typed.current;
    typed.current = null;
    const d = docRef.current;
    if (text === null || !d) return;
    commit({ value: text, version: d.version + 1, ...read(text, host) });
  };

  const onChange = (text: string) => {
    typed.current = text;
    clearTimeout(timer.current);
    timer.current = setTimeout(flush, DEBOUNCE_MS);
  };

  if (!doc) return <p data-testid="editor-harness-loading">Loading the talk's host…</p>;
  return (
    <div className="editor-harness-grid">
      <XmlEditor value={doc.value} pendingEdits={doc.pendingEdits} problems={doc.problems} problemsFor={doc.value} onChange={onChange} />
      <ViewTabs layout={doc.layout} host={host} domainName={doc.domainName} />
    </div>
  );
}

export function mountHarness(): void {
  const el = document.createElement('div');
  el.className = 'editor-harness';
  el.dataset.testid = 'editor-harness';
  el.style.padding = '0.75rem';
  const app = document.getElementById('root');
  if (app) app.hidden = true;
  document.body.appendChild(el);
  createRoot(el).render(
    <StrictMode>
      <h1 style={{ marginBottom: '0.5rem' }}>Editor harness</h1>
      <Harness />
    </StrictMode>,
  );
}
