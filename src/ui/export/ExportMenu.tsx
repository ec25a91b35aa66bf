/**
 * The Export menu: the topology or distances as SVG or PNG (1×, 2×, 3×), every guest's domain
 * XML and affinity map as files, a permalink of the whole workspace, and printing (print.css
 * drops the page's controls). Messages are shown as text, whatever they quote.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/store.ts';
import { useWorkspace } from '../../state/workspace.ts';
import { guestName, useCellColours } from '../guest/colours.ts';
import { exportAffinity, exportDrawing, exportXml, type DrawingFormat } from './actions.ts';
import { exportCaption } from './caption.ts';
import { currentLink } from './link.ts';
import './print.css';

const SCALES = [1, 2, 3] as const;

function viewRoot(kind: 'topology' | 'distances'): Element | null {
  return kind === 'topology' ? document.querySelector('[data-testid="host-view"]') : document.querySelector('[data-testid="heatmap"]')?.parentElement ?? null;
}

export function ExportMenu() {
  const host = useApp((s) => s.host);
  // A count and names: the guests themselves are read when a file is asked for, so a drop does not redraw the menu.
  const count = useApp((s) => s.guests.length);
  const tabNames = useWorkspace(useShallow((s) => s.guests.map((tab) => tab.name)));
  const names = Array.from({ length: count }, (_, i) => tabNames[i] ?? guestName(i));
  const colours = useCellColours();
  const [message, setMessage] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);

  const drawing = async (kind: 'topology' | 'distances', format: DrawingFormat, scale = 1) => {
    // Guests are read now, not rendered with the menu: the file shows the layout of this moment.
    const caption = host ? exportCaption(host, useApp.getState().guests, names, colours, kind === 'topology') : undefined;
    setMessage(await exportDrawing(viewRoot(kind), kind, format, scale, caption));
  };
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
  const xmlOf = (i: number) => {
    const guest = useApp.getState().guests[i];
    const refused = guest && exportXml(names[i], guest, useWorkspace.getState().guests[i]?.xml);
    if (refused) setMessage(refused);
  };
  const affinityOf = (i: number) => {
    const guest = useApp.getState().guests[i];
    if (host && guest) exportAffinity(names[i], host, guest);
  };

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
        {names.map((name, i) => (
          <div className="menu-group" key={i}>
            <span className="menu-label">{name}</span>
            <button type="button" role="menuitem" onClick={() => xmlOf(i)} data-testid={`export-xml-${i}`}>
              Domain XML
            </button>
            <button type="button" role="menuitem" onClick={() => affinityOf(i)} data-testid={`export-affinity-${i}`} disabled={!host}>
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
