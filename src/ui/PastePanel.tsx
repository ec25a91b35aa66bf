/**
 * The pastes: one named textarea each, plus ways to add more (type, pick or drop files — a
 * sosreport too —, samples, the collector's output).
 */
import { useEffect, useMemo, useRef, useState, type ChangeEvent, type ClipboardEvent } from 'react';
import { pasteWithGuests, useBundle } from '../state/bundle.ts';
import { useApp, type PasteEntry } from '../state/store.ts';
import { useWorkspace } from '../state/workspace.ts';
import { fetchSample, fetchSampleIndex, type Sample } from '../state/samples.ts';
import { Collector } from './Collector.tsx';
import { readFiles } from './files.ts';

export function PastePanel() {
  const pastes = useApp((s) => s.pastes);
  const addPaste = useApp((s) => s.addPaste);
  const fileInput = useRef<HTMLInputElement>(null);
  const section = useRef<HTMLElement>(null);
  // The history entry "Clear all" made, while it is the latest step: its notice offers the undo.
  const [cleared, setCleared] = useState<number | null>(null);
  const undoable = useWorkspace((s) => cleared !== null && s.history.entries[s.history.index - 1]?.id === cleared);
  const clearAll = () => {
    useWorkspace.getState().clearPastes();
    const { entries, index } = useWorkspace.getState().history;
    setCleared(entries[index - 1]?.id ?? null);
    // the page starts again where the user starts: at the paste box
    section.current?.scrollIntoView({ block: 'start' });
  };

  const onPick = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = event.target.files;
    if (files && files.length > 0) await readFiles(files);
    event.target.value = '';
  };

  return (
    <section className="panel pastes" aria-labelledby="pastes-title" ref={section} data-testid="pastes">
      <div className="panel-head">
        <h2 id="pastes-title">Pastes</h2>
        <div className="toolbar">
          <button type="button" onClick={() => addPaste()} data-testid="add-paste">
            Add paste
          </button>
          <button type="button" onClick={() => fileInput.current?.click()}>
            Open files…
          </button>
          <input ref={fileInput} type="file" multiple hidden onChange={onPick} aria-label="Open files" data-testid="file-input" />
          <button type="button" onClick={clearAll} disabled={pastes.length === 0} data-testid="clear-pastes">
            Clear all
          </button>
        </div>
      </div>
      {undoable && (
        <p className="message info cleared" role="status" data-testid="cleared-notice">
          All pastes cleared.{' '}
          <button type="button" onClick={() => useWorkspace.getState().undo()} data-testid="undo-clear">
            Undo
          </button>
        </p>
      )}
      <SamplePicker />
      <Collector />
      <BundleStatus />
      <p className="hint">
        Paste what a host prints: <code>lscpu</code>, <code>lscpu -e</code>, <code>numactl -H</code>, <code>lspci</code>,{' '}
        <code>lstopo</code> or its XML, <code>virsh capabilities</code>, <code>virsh nodedev-dumpxml</code>,{' '}
        <code>xl info -n</code> — one per box, or several in one. Or drop files anywhere on the page: a sosreport too.
      </p>
      {pastes.length === 0 && <p className="empty">No pastes yet. Add one, open a file or load a sample.</p>}
      <ol className="paste-list">
        {pastes.map((p, i) => (
          <PasteEditor key={p.id} paste={p} index={i} />
        ))}
      </ol>
    </section>
  );
}

/**
 * Browsers lay out every line of a textarea: a few MB in one freezes the page for seconds. Above
 * this size a paste is kept in the store and shown as a read-only preview instead.
 */
const LARGE_PASTE_CHARS = 512 * 1024;
const PREVIEW_LINES = 200;

function PasteEditor({ paste, index }: { paste: PasteEntry; index: number }) {
  const updatePaste = useApp((s) => s.updatePaste);
  const removePaste = useApp((s) => s.removePaste);
  const lines = useMemo(() => lineCount(paste.text), [paste.text]);
  const large = paste.text.length > LARGE_PASTE_CHARS;

  // Catch a huge clipboard before the browser puts it into the textarea, and the collector's
  // output: its guests open as tabs and the box keeps the host's part.
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = e.clipboardData.getData('text/plain');
    const { selectionStart, selectionEnd } = e.currentTarget;
    const text = paste.text.slice(0, selectionStart) + pasted + paste.text.slice(selectionEnd);
    if (pasteWithGuests(paste.id, text)) {
      e.preventDefault();
      return;
    }
    if (paste.text.length + pasted.length <= LARGE_PASTE_CHARS) return;
    e.preventDefault();
    updatePaste(paste.id, { text });
  };

  return (
    <li className="paste" data-testid="paste">
      <div className="paste-head">
        <input
          className="paste-name"
          value={paste.name}
          onChange={(e) => updatePaste(paste.id, { name: e.target.value })}
          aria-label={`Name of paste ${index + 1}`}
          data-testid="paste-name"
          spellCheck={false}
        />
        <span className="paste-size">
          {lines === 1 ? '1 line' : `${lines.toLocaleString('en')} lines`}
          {large && `, ${(paste.text.length / 1048576).toFixed(1)} MiB`}
        </span>
        <button type="button" className="quiet" onClick={() => removePaste(paste.id)} aria-label={`Remove ${paste.name}`}>
          Remove
        </button>
      </div>
      {large ? (
        <LargePreview paste={paste} onClear={() => updatePaste(paste.id, { text: '' })} />
      ) : (
        <textarea
          value={paste.text}
          onChange={(e) => updatePaste(paste.id, { text: e.target.value })}
          onPaste={onPaste}
          aria-label={`Text of ${paste.name}`}
          data-testid="paste-text"
          spellCheck={false}
          autoComplete="off"
          wrap="off"
          rows={8}
          placeholder="Paste lscpu, numactl -H, lstopo XML, virsh capabilities …"
        />
      )}
    </li>
  );
}

function LargePreview({ paste, onClear }: { paste: PasteEntry; onClear: () => void }) {
  const head = useMemo(() => firstLines(paste.text, PREVIEW_LINES), [paste.text]);
  return (
    <div className="large-paste" data-testid="paste-preview">
      <p className="message warning">
        Too large to edit here: parsed in full, the first {PREVIEW_LINES} lines are shown.{' '}
        <button type="button" onClick={onClear}>
          Empty it
        </button>
      </p>
      <pre aria-label={`Start of ${paste.name}`}>{head}</pre>
    </div>
  );
}

function firstLines(text: string, count: number): string {
  let end = -1;
  for (let n = 0; n < count; n++) {
    end = text.indexOf('\n', end + 1);
    if (end === -1) return text;
  }
  return text.slice(0, end);
}

function lineCount(text: string): number {
  if (text === '') return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function SamplePicker() {
  const replacePastes = useApp((s) => s.replacePastes);
  const setNotice = useApp((s) => s.setNotice);
  const [samples, setSamples] = useState<Sample[]>([]);

  useEffect(() => {
    let live = true;
    fetchSampleIndex()
      .then((index) => live && setSamples(index.samples))
      .catch((err: unknown) => live && setNotice(`Could not list the samples: ${String(err)}`));
    return () => {
      live = false;
    };
  }, [setNotice]);

  const load = async (id: string) => {
    const sample = samples.find((s) => s.id === id);
    if (!sample) return;
    try {
      replacePastes(await fetchSample(sample));
    } catch (err) {
      setNotice(`Could not load the sample: ${String(err)}`);
    }
  };

  return (
    <label className="samples">
      <span>Samples</span>
      <select value="" onChange={(e) => void load(e.target.value)} data-testid="samples" disabled={samples.length === 0}>
        <option value="">Load a sample host (replaces the pastes)…</option>
        {samples.map((s) => (
          <option key={s.id} value={s.id} title={s.source}>
            {s.title}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What the files being read are, and what the last sosreport, tarball or collector output brought. */
function BundleStatus() {
  const reading = useBundle((s) => s.reading);
  const opened = useBundle((s) => s.opened);
  if (reading.length > 0) {
    return (
      <p className="message info" role="status" data-testid="bundle-status" data-status="reading">
        Reading {reading.join(', ')}…
      </p>
    );
  }
  if (!opened) return null;
  const what = opened.format === 'paste' ? `${opened.name} (the collector's output)` : `the ${opened.format} ${opened.name}`;
  const guests = opened.guests === 1 ? '1 guest' : `${opened.guests} guests`;
  return (
    <p className={`message ${opened.warnings.length > 0 ? 'warning' : 'info'}`} role="status" data-testid="bundle-status" data-status="opened">
      Opened {what}: {opened.outputs === 1 ? '1 output' : `${opened.outputs} outputs`} of the host, {guests} found on it.
      {opened.warnings.length > 0 && ` ${opened.warnings[0]}${opened.warnings.length > 1 ? ` (and ${opened.warnings.length - 1} more)` : ''}`}
    </p>
  );
}
