/** The guest panel's tools: the visible undo history, and the workspace as a whole (new, export, import). */
import { memo, useRef, useState, type ChangeEvent } from 'react';
import { useWorkspace } from '../../state/workspace.ts';
import { useAfterFrame } from '../after-frame.ts';

export function GuestPanelHistory() {
  // A frame behind: the step a drop adds is listed after the drop is drawn.
  const history = useAfterFrame(useWorkspace((s) => s.history));
  const [open, setOpen] = useState(false);
  const { undo, redo, goToHistory } = useWorkspace.getState();
  const { entries, index } = history;
  return (
    <details className="history" data-testid="history" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        History ({index}/{entries.length})
      </summary>
      <div className="toolbar">
        <button type="button" onClick={undo} disabled={index === 0} data-testid="undo" title="Undo (Ctrl+Z outside the editor)">
          Undo
        </button>
        <button type="button" onClick={redo} disabled={index >= entries.length} data-testid="redo" title="Redo (Ctrl+Shift+Z outside the editor)">
          Redo
        </button>
      </div>
      {/* drawn only while open: a drop adds an entry, and 200 hidden ones would be laid out again each time */}
      {open && (
        <ol className="history-list">
          <li className={index === 0 ? 'current' : undefined}>
            <button type="button" onClick={() => goToHistory(0)} aria-current={index === 0 ? 'step' : undefined}>
              start
            </button>
          </li>
          {entries.map((e, i) => (
            <li key={e.id} className={i + 1 === index ? 'current' : i + 1 > index ? 'undone' : undefined} data-testid="history-entry">
              <button type="button" onClick={() => goToHistory(i + 1)} aria-current={i + 1 === index ? 'step' : undefined}>
                {e.label}
              </button>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Memoised: it has no props, and the panel around it renders on every drop. */
export const GuestPanelWorkspace = memo(function GuestPanelWorkspace() {
  const input = useRef<HTMLInputElement>(null);
  const { newWorkspace, exportWorkspace, importWorkspace } = useWorkspace.getState();
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) importWorkspace(await file.text(), file.name);
  };
  return (
    <div className="toolbar" role="toolbar" aria-label="Workspace">
      <button
        type="button"
        onClick={() => {
          if (window.confirm('Start a new, empty workspace? (Undo brings this one back.)')) newWorkspace();
        }}
        data-testid="new-workspace"
      >
        New workspace
      </button>
      <button type="button" onClick={() => download('numascope-workspace.json', exportWorkspace())} data-testid="export-workspace">
        Export
      </button>
      <button type="button" onClick={() => input.current?.click()} data-testid="import-workspace">
        Import…
      </button>
      <input ref={input} type="file" accept=".json,application/json" hidden onChange={(e) => void onFile(e)} data-testid="import-workspace-file" />
    </div>
  );
});
