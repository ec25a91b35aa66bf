/**
 * The page. On top the workbench: the host view with the guest panel docked beside it (so a
 * vCPU handle and the PU it goes to are on screen together, like an inspector beside lstopo's
 * drawing), and the active guest's domain XML with its other views — beside them on a wide
 * screen, below them otherwise. Then the audit of the host and its guests, the affinity maps,
 * distances and PCI locality; at the bottom, pastes on the left and what they say about the
 * host on the right.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { Host } from '../core/host/model.ts';
import { misfitsOf, ownErrorsOf } from '../state/misfits.ts';
import { HASH_PREFIX } from '../state/permalink.ts';
import { loadPastes } from '../state/persist.ts';
import { useApp } from '../state/store.ts';
import { startWorkspace } from '../state/workspace-sync.ts';
import { followGuestText, useWorkspace, type GuestTab } from '../state/workspace.ts';
import { Diagrams, drawable, Topology } from './Diagrams.tsx';
import { Dock } from './Dock.tsx';
import { ExportMenu } from './export/ExportMenu.tsx';
import { TalkTools } from './present/TalkTools.tsx';
import { DragLayer } from './dnd/DragLayer.tsx';
import { useAfterFrame } from './after-frame.ts';
import { ViewTabs } from './editor/ViewTabs.tsx';
import { XmlEditor } from './editor/XmlEditor.tsx';
import { HostSummary } from './HostSummary.tsx';
import { PastePanel } from './PastePanel.tsx';
import { Sources } from './Sources.tsx';
import { readFiles } from './files.ts';

let workspaceStarted = false;

/** Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) outside the editor and the text fields undo the workspace. */
function isTextField(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || !!t.closest('.monaco-editor, [data-testid="xml-editor"]');
}

export function App() {
  const [dragging, setDragging] = useState(false);
  const theme = useApp((s) => s.theme);

  useEffect(() => {
    // once per page: the workspace outlives StrictMode's second mount
    if (workspaceStarted) return;
    workspaceStarted = true;
    startWorkspace();
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || isTextField(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) useWorkspace.getState().undo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') useWorkspace.getState().redo();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // A first visit (nothing saved, no link) starts where the user starts: at the paste box, once
  // the sample host it opens on is drawn above it.
  useEffect(() => {
    if (loadPastes() !== undefined || location.hash.startsWith(HASH_PREFIX)) return;
    const off = useApp.subscribe((s) => {
      if (!s.host) return;
      off();
      requestAnimationFrame(() => document.querySelector('[data-testid="pastes"]')?.scrollIntoView({ block: 'start' }));
    });
    return off;
  }, []);

  // Dropping a file anywhere must not navigate away to it.
  useEffect(() => {
    const stop = (e: globalThis.DragEvent) => e.preventDefault();
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);

  // Without a host the user starts by pasting one: the paste box opens the page (CSS order, so
  // nothing is remounted and focus stays). When the first host arrives the workbench goes back
  // on top, and the element being typed in stays where it was on screen (its offset is taken
  // before the move, put back after it).
  const pastesFirst = useApp((s) => s.host === null);
  const order = useRef({ pastesFirst, anchor: null as { el: Element; top: number } | null });
  if (order.current.pastesFirst !== pastesFirst) {
    const el = document.activeElement;
    order.current = { pastesFirst, anchor: el && el !== document.body ? { el, top: el.getBoundingClientRect().top } : null };
  }
  useLayoutEffect(() => {
    const { anchor } = order.current;
    if (!anchor) return;
    order.current.anchor = null;
    if (anchor.el.isConnected) window.scrollBy(0, anchor.el.getBoundingClientRect().top - anchor.top);
  }, [pastesFirst]);

  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length > 0) void readFiles(e.dataTransfer.files);
  };

  return (
    <div
      className={`app${dragging ? ' dragging' : ''}${pastesFirst ? ' pastes-first' : ''}`}
      onDragEnter={(e) => hasFiles(e) && setDragging(true)}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}
    >
      <header className="top">
        <h1>numascope</h1>
        <p className="tagline">A KVM host's NUMA topology from what it prints. Everything stays in this browser.</p>
        <StatusLine />
        <TalkTools />
        <ExportMenu />
      </header>
      <Workbench />
      <Diagrams />
      <main className="layout">
        <PastePanel />
        <div className="results">
          <Sources />
          <HostSummary />
          <EmptyResult />
        </div>
      </main>
      <DragLayer />
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop files to add them as pastes (a sosreport opens its host and guests)
        </div>
      )}
    </div>
  );
}

/** The host view, the dock beside it (guest panel or Audit view), and the active guest's domain XML with the views derived from it. */
function Workbench() {
  const hasTopology = useApp((s) => drawable(s.host));
  return (
    <div className={hasTopology ? 'workbench' : 'workbench no-topology'} data-testid="workbench">
      <Topology />
      <Dock />
      <XmlPane />
    </div>
  );
}

function XmlPane() {
  const host = useApp((s) => s.host);
  const guest = useWorkspace((s) => s.guests.find((g) => g.id === s.activeGuestId) ?? s.guests[0]);
  // The other views follow a frame behind the XML: a drop's own frame draws the diagram, the editor
  // and the affinity map, not these texts. One deferred value, so one catch-up render.
  const layout = guest?.layout ?? null;
  const domainName = guest?.domainName ?? null;
  const trouble = guest ? troubleOf(guest, host) : null;
  const views = useAfterFrame(useMemo(() => ({ layout, host, domainName, trouble }), [layout, host, domainName, trouble]));
  return (
    <section className="panel xml-pane" data-testid="xml-pane" aria-label="Domain XML">
      {guest ? (
        <>
          <h2>Domain XML of {guest.name}</h2>
          <div className="xml-pane-body">
            <XmlEditor
              key={guest.id}
              value={guest.xml}
              pendingEdits={guest.pendingEdits}
              problems={guest.problems}
              problemsFor={guest.derivedVersion === guest.version ? guest.xml : null}
              onChange={(text) => useWorkspace.getState().setXmlFromEditor(guest.id, text)}
              follow={(apply) => followGuestText(guest.id, apply)}
            />
            <ViewTabs layout={views.layout} host={views.host} domainName={views.domainName} trouble={views.trouble} />
          </div>
        </>
      ) : (
        <p className="muted">Add a guest to see its domain XML here.</p>
      )}
    </section>
  );
}

/** The line the runnable views open with while the guest's layout would not run as it stands. */
function troubleOf(guest: GuestTab, host: Host | null): string | null {
  const misfit = misfitsOf(guest.layout, host);
  // the host's findings are the guest panel's "Lay out again"; the rest are the XML's own
  const errors = ownErrorsOf(guest.diagnostics, misfit);
  if (errors.length > 0) return `This layout has ${errors.length} error${errors.length > 1 ? 's' : ''} (${errors[0].message}): these commands would fail. Fix the XML first.`;
  if (misfit.length === 0) return null;
  const failing = misfit.some((d) => d.severity === 'error') ? ': these commands would fail' : '';
  return `This layout doesn't fit this host (${misfit[0].message})${failing}. Lay the guest out again first.`;
}

function StatusLine() {
  const status = useApp((s) => s.status);
  const error = useApp((s) => s.error);
  const notice = useApp((s) => s.notice);
  const parseMs = useApp((s) => s.parseMs);
  const text =
    status === 'parsing'
      ? 'Parsing…'
      : status === 'failed'
        ? `Could not parse (showing the last good host): ${error ?? 'unknown error'}`
        : status === 'ready' && parseMs !== null
          ? `Parsed in ${parseMs < 1 ? '<1' : Math.round(parseMs)} ms`
          : '';
  return (
    <div className="status" role="status" aria-live="polite">
      <span data-testid="parse-status" data-status={status} className={status === 'failed' ? 'message error' : undefined}>
        {text}
      </span>
      {notice && (
        <span className="message warning" data-testid="notice">
          {notice}
        </span>
      )}
    </div>
  );
}

function EmptyResult() {
  const status = useApp((s) => s.status);
  const host = useApp((s) => s.host);
  const unrecognised = useApp((s) => s.unrecognised);
  if (status === 'empty') {
    return (
      <section className="panel placeholder">
        <p>Paste a host dump on the left, or pick a sample, to see its NUMA topology here.</p>
      </section>
    );
  }
  if (status === 'ready' && host && host.nodes.length === 0 && host.cpus.length === 0 && host.pci.length === 0) {
    return (
      <section className="panel placeholder" data-testid="no-topology">
        <p>
          {unrecognised.length > 0
            ? 'Nothing in these pastes describes a host yet.'
            : 'These pastes were read, but they do not describe any CPUs, NUMA nodes or PCI devices.'}
        </p>
      </section>
    );
  }
  return null;
}
