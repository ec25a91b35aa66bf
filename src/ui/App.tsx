/** The page: the diagrams on top; below, pastes on the left and what they say about the host on the right. */
import { useEffect, useState, type DragEvent } from 'react';
import { useApp } from '../state/store.ts';
import { Diagrams } from './Diagrams.tsx';
import { HostSummary } from './HostSummary.tsx';
import { PastePanel } from './PastePanel.tsx';
import { Sources } from './Sources.tsx';
import { readFiles } from './files.ts';

export function App() {
  const [dragging, setDragging] = useState(false);
  const theme = useApp((s) => s.theme);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

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

  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length > 0) void readFiles(e.dataTransfer.files);
  };

  return (
    <div
      className={dragging ? 'app dragging' : 'app'}
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
      </header>
      <Diagrams />
      <main className="layout">
        <PastePanel />
        <div className="results">
          <Sources />
          <HostSummary />
          <EmptyResult />
        </div>
      </main>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop files to add them as pastes
        </div>
      )}
    </div>
  );
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
