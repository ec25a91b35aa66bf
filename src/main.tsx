import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useApp } from './state/store.ts';
import { startIngest } from './state/ingest.ts';
import { loadPastes, startPersistence } from './state/persist.ts';
import { fetchSample, fetchSampleIndex } from './state/samples.ts';
import { App } from './ui/App.tsx';
import { startSharing } from './ui/export/start.ts';
import './ui/app.css';

/** On a first start (nothing saved) the app opens on the talk's host, so it is never blank. */
async function restorePastes(): Promise<void> {
  const saved = loadPastes();
  if (saved) {
    useApp.setState({ pastes: saved });
    return;
  }
  try {
    const index = await fetchSampleIndex();
    const sample = index.samples.find((s) => s.id === index.default);
    if (sample) useApp.getState().replacePastes(await fetchSample(sample));
  } catch (err) {
    useApp.getState().setNotice(`Could not load the sample host: ${String(err)}`);
  }
}

startIngest();
void restorePastes().then(startPersistence).then(() => startSharing());

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
