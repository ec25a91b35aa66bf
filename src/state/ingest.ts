/**
 * Keeps the Host in step with the pastes: every change to the pastes schedules one parse in the
 * worker (debounced while typing); the newest request always wins.
 */
import { IngestClient } from '../worker/ingest-client.ts';
import { useApp, type PasteEntry } from './store.ts';

const TYPING_PAUSE_MS = 150;

export function startIngest(client = new IngestClient()): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  const run = async (pastes: PasteEntry[]) => {
    const mine = ++generation;
    const filled = pastes.filter((p) => p.text.trim() !== '').map(({ name, text }) => ({ name, text }));
    if (filled.length === 0) {
      client.dispose();
      useApp.setState({ host: null, facts: [], unrecognised: [], status: 'empty', error: null, parseMs: null });
      return;
    }
    const outcome = await client.parse(filled);
    if (mine !== generation || outcome.kind === 'superseded') return;
    if (outcome.kind === 'done') {
      const { host, facts, unrecognised, ms } = outcome;
      useApp.setState({ host, facts, unrecognised, status: 'ready', error: null, parseMs: ms });
    } else {
      useApp.setState({ status: 'failed', error: outcome.error });
    }
  };

  const schedule = (pastes: PasteEntry[], delay: number) => {
    clearTimeout(timer);
    // Say at once that the host shown is behind the pastes, not only once the worker starts.
    if (useApp.getState().status !== 'parsing') useApp.setState({ status: 'parsing' });
    timer = setTimeout(() => void run(pastes), delay);
  };

  schedule(useApp.getState().pastes, 0);
  const unsubscribe = useApp.subscribe((state, prev) => {
    if (state.pastes !== prev.pastes) schedule(state.pastes, TYPING_PAUSE_MS);
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
    client.dispose();
  };
}
