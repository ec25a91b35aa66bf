/**
 * The header's tools for a talk: Present (full screen, from the current scene), the scene list
 * (record the current view, reorder, delete, back to the standard walk) and the synthetic-host
 * editor for invented machines.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/store.ts';
import { SyntheticEditor } from '../synthetic/SyntheticEditor.tsx';
import { Presenter } from './Presenter.tsx';
import { deleteScene, moveScene, recordScene, resetScenes, scenesOf, useTalk } from './scenes.ts';
import './present.css';

export function TalkTools() {
  const host = useApp((s) => s.host);
  const custom = useTalk((s) => s.custom);
  // The titles are all the menu shows: moving a vCPU changes none, so a drop does not redraw it.
  const titles = useApp(useShallow((s) => (s.host ? scenesOf(custom, s.host, s.guests).map((scene) => scene.title) : [])));
  const [inventing, setInventing] = useState(false);

  return (
    <div className="talk-tools">
      <button type="button" data-testid="present" disabled={!host} onClick={() => useTalk.setState({ presenting: true, index: 0 })} title="Full screen, ←/→ step through the scenes, Esc leaves">
        Present
      </button>
      <details className="menu" data-testid="scenes-menu">
        <summary>Scenes ({titles.length})</summary>
        <div className="menu-body">
          <ol className="scene-list" data-testid="scene-list">
            {titles.map((title, i) => (
              <li key={`${i}:${title}`} data-testid="scene-item">
                <span>{title}</span>
                <span>
                  <button type="button" aria-label={`Move scene ${i + 1} earlier`} disabled={i === 0} onClick={() => moveScene(i, i - 1)}>
                    ↑
                  </button>
                  <button type="button" aria-label={`Move scene ${i + 1} later`} disabled={i === titles.length - 1} onClick={() => moveScene(i, i + 1)}>
                    ↓
                  </button>
                  <button type="button" aria-label={`Delete scene ${i + 1}`} onClick={() => deleteScene(i)}>
                    ✕
                  </button>
                </span>
              </li>
            ))}
          </ol>
          <div className="menu-group">
            <button type="button" data-testid="record-scene" disabled={!host} onClick={recordScene} title="Adds what you last pointed at in any view, with the current index mode">
              Record current view
            </button>
            {custom && (
              <button type="button" onClick={resetScenes}>
                Standard walk
              </button>
            )}
          </div>
        </div>
      </details>
      <button type="button" data-testid="invent-host" aria-pressed={inventing} onClick={() => setInventing((v) => !v)}>
        Invent a host
      </button>
      {inventing && <SyntheticEditor onClose={() => setInventing(false)} />}
      <Presenter />
    </div>
  );
}
