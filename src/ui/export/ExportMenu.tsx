/**
 * The Export menu: the topology or distances as SVG or PNG (1×, 2×, 3×), every guest's domain
 * XML and affinity map as files, a permalink of the whole workspace, and printing (print.css
 * drops the page's controls). Messages are shown as text, whatever they quote.
 */
import { useState } from 'react';
import { useApp } from '../../state/store.ts';
import { useWorkspace } from '../../state/workspace.ts';
import { exportAffinity, exportDrawing, exportXml, type DrawingFormat } from './actions.ts';
import { currentLink } from './link.ts';
import './print.css';

const SCALES = [1, 2, 3] as const;

function viewRoot(kind: 'topology' | 'distances'): Element | null {
  return kind === 'topology' ? document.querySelector('[data-testid="host-view"]') : document.querySelector('[data-testid="heatmap"]')?.parentElement ?? null;
}

export function ExportMenu() {
  const host = useApp((s) => s.host);
  const guests = useApp((s) => s.guests);
  const tabs = useWorkspace((s) => s.guests);
  const [message, setMessage] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);

  const drawing = async (kind: 'topology' | 'distances', format: DrawingFormat, scale = 1) => setMessage(await exportDrawing(viewRoot(kind), kind, format, scale));
  const makeLink = async () => {
    const r = await currentLink();
    if (!r.ok) {
      setLink(null);
      setMessage(r.message);
      return;
    }
    setLink(r.value);
    try {
      await navigator.clipboard.writeText(r.value);
      setMessage(`Link copied (${Math.ceil(r.value.length / 1024)} kB). Opening it restores this workspace; nothing is stored anywhere but in the link.`);
    } catch {
      setMessage(`Link ready (${Math.ceil(r.value.length / 1024)} kB): copy it from the field below.`);
    }
  };
  const guestName = (i: number) => tabs[i]?.name ?? `guest ${i + 1}`;

  return (
    <details className="menu export-menu" data-testid="export-menu">
      <summary>Export</summary>
      <div className="menu-body" role="menu">
        <div className="menu-group">
          <span className="menu-label">Topology</span>
          <button type="button" role="menuitem" onClick={() => void drawing('topology', 'svg')} data-testid="export-topology-svg" disabled={!host}>
            SVG
          </button>
          {SCALES.map((k) => (
            <button key={k} type="button" role="menuitem" onClick={() => void drawing('topology', 'png', k)} data-testid={`export-topology-png-${k}`} disabled={!host}>
              PNG {k}×
            </button>
          ))}
        </div>
        <div className="menu-group">
          <span className="menu-label">Distances</span>
          <button type="button" role="menuitem" onClick={() => void drawing('distances', 'svg')} data-testid="export-distances-svg" disabled={!host}>
            SVG
          </button>
          {SCALES.map((k) => (
            <button key={k} type="button" role="menuitem" onClick={() => void drawing('distances', 'png', k)} data-testid={`export-distances-png-${k}`} disabled={!host}>
              PNG {k}×
            </button>
          ))}
        </div>
        {guests.map((g, i) => (
          <div className="menu-group" key={i}>
            <span className="menu-label">{guestName(i)}</span>
            <button type="button" role="menuitem" onClick={() => exportXml(guestName(i), g, tabs[i]?.xml)} data-testid={`export-xml-${i}`}>
              Domain XML
            </button>
            <button type="button" role="menuitem" onClick={() => host && exportAffinity(guestName(i), host, g)} data-testid={`export-affinity-${i}`} disabled={!host}>
              Affinity map
            </button>
          </div>
        ))}
        <div className="menu-group">
          <button type="button" role="menuitem" onClick={() => void makeLink()} data-testid="export-link">
            Copy permalink
          </button>
          <button type="button" role="menuitem" onClick={() => window.print()}>
            Print…
          </button>
        </div>
        {link && <input className="mono link-field" readOnly value={link} aria-label="Permalink" data-testid="permalink" onFocus={(e) => e.currentTarget.select()} />}
        {message && (
          <p className="muted small" role="status" data-testid="export-message">
            {message}
          </p>
        )}
      </div>
    </details>
  );
}
