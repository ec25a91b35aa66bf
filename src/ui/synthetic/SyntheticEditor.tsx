/**
 * The synthetic-host editor: an hwloc synthetic string and a distance matrix, with presets for
 * talks. What it makes is an ordinary paste ("synthetic host"), so the preview is the normal
 * ingest path and its problems show in the normal problems list. The grid follows the node
 * count the ingest found.
 */
import { useEffect, useRef, useState } from 'react';
import { resizeDistances, syntheticPaste } from '../../core/synthetic/compose.ts';
import { SYNTHETIC_PRESETS } from '../../core/synthetic/presets.ts';
import { useApp } from '../../state/store.ts';
import './synthetic.css';

const PASTE_NAME = 'synthetic host';
const TYPE_PAUSE_MS = 250;

export function SyntheticEditor({ onClose }: { onClose(): void }) {
  const [presetId, setPresetId] = useState(SYNTHETIC_PRESETS[2].id);
  const preset = SYNTHETIC_PRESETS.find((p) => p.id === presetId) ?? SYNTHETIC_PRESETS[0];
  const [topology, setTopology] = useState(preset.topology);
  const [distances, setDistances] = useState<number[][]>(preset.distances);
  const [symmetric, setSymmetric] = useState(true);
  const pasteId = useRef<string | null>(null);
  const host = useApp((s) => s.host);
  const status = useApp((s) => s.status);

  const choose = (id: string) => {
    const p = SYNTHETIC_PRESETS.find((x) => x.id === id);
    if (!p) return;
    setPresetId(id);
    setTopology(p.topology);
    setDistances(p.distances);
  };

  // Every change becomes the paste; the ingest worker does the rest, latest wins.
  useEffect(() => {
    const timer = setTimeout(() => {
      const text = syntheticPaste({ topology, distances });
      const app = useApp.getState();
      const id = pasteId.current;
      if (id && app.pastes.some((p) => p.id === id)) {
        if (app.pastes.find((p) => p.id === id)?.text !== text) app.updatePaste(id, { text });
        return;
      }
      app.replacePastes([{ name: PASTE_NAME, text }]);
      pasteId.current = useApp.getState().pastes[0]?.id ?? null;
    }, TYPE_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [topology, distances]);

  // The string decides how many nodes there are; the grid grows or shrinks with it (a string
  // that does not parse keeps the grid as it was).
  const fromUs = useApp((s) => s.pastes.length === 1 && s.pastes[0].id === pasteId.current);
  const nodeIds = fromUs && host ? host.nodes.map((n) => n.id) : distances.map((_, i) => i);
  useEffect(() => {
    if (fromUs && status === 'ready' && host && host.nodes.length > 0 && host.nodes.length !== distances.length) setDistances((d) => resizeDistances(d, host.nodes.length));
  }, [fromUs, status, host, distances.length]);

  const setCell = (i: number, j: number, value: number) => {
    if (!Number.isInteger(value) || value < 0 || value > 255) return;
    setDistances((d) =>
      d.map((row, r) => row.map((v, c) => ((r === i && c === j) || (symmetric && r === j && c === i) ? value : v))),
    );
  };

  return (
    <section className="panel synthetic-editor" aria-labelledby="synthetic-title" data-testid="synthetic-editor">
      <div className="panel-head">
        <h2 id="synthetic-title">Invent a host</h2>
        <button type="button" onClick={onClose} aria-label="Close the synthetic-host editor">
          Close
        </button>
      </div>
      <p className="muted small">Replaces the pastes with one “{PASTE_NAME}” paste; its problems show with the other pastes’.</p>
      <label>
        Preset{' '}
        <select value={presetId} onChange={(e) => choose(e.target.value)} data-testid="synthetic-preset">
          {SYNTHETIC_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small">{preset.note}</p>
      <label className="synthetic-string">
        <span>
          hwloc synthetic string (as <span className="mono">lstopo -i</span> takes it)
        </span>
        <textarea className="mono" rows={3} spellCheck={false} value={topology} onChange={(e) => setTopology(e.target.value)} data-testid="synthetic-string" />
      </label>
      <div className="synthetic-matrix">
        <div className="panel-head">
          <span>Distances (row = from, column = to; 10 = local)</span>
          <label>
            <input type="checkbox" checked={symmetric} onChange={(e) => setSymmetric(e.target.checked)} /> symmetric
          </label>
        </div>
        <table data-testid="synthetic-matrix">
          <thead>
            <tr>
              <th />
              {nodeIds.map((id) => (
                <th key={id} scope="col">
                  {id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {distances.map((row, i) => (
              <tr key={i}>
                <th scope="row">{nodeIds[i] ?? i}</th>
                {row.map((v, j) => (
                  <td key={j}>
                    <input
                      type="number"
                      min={0}
                      max={255}
                      value={v}
                      aria-label={`distance from node ${nodeIds[i] ?? i} to node ${nodeIds[j] ?? j}`}
                      data-testid={`dist-${i}-${j}`}
                      onChange={(e) => setCell(i, j, Number(e.target.value))}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
