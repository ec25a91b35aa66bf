/**
 * Pastes survive a reload through localStorage. Writes are debounced (a 10 MB paste should not be
 * serialised on every keystroke) and a full storage quota is reported, not thrown.
 */
import { useApp, newPasteId, type PasteEntry } from './store.ts';

const KEY = 'numascope.pastes.v1';
const WRITE_PAUSE_MS = 400;

/** The saved pastes, or undefined on a first start (nothing saved yet, or unreadable). */
export function loadPastes(): PasteEntry[] | undefined {
  let raw: string | null;
  try {
    raw = localStorage.getItem(KEY);
  } catch {
    return undefined;
  }
  if (raw === null) return undefined;
  try {
    const data: unknown = JSON.parse(raw);
    if (!Array.isArray(data)) return undefined;
    return data
      .filter((p): p is { name: string; text: string } => typeof p?.name === 'string' && typeof p?.text === 'string')
      .map((p) => ({ id: newPasteId(), name: p.name, text: p.text }));
  } catch {
    return undefined;
  }
}

function savePastes(pastes: PasteEntry[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(pastes.map(({ name, text }) => ({ name, text }))));
    useApp.getState().setNotice(null);
  } catch {
    useApp
      .getState()
      .setNotice('These pastes are too large for the browser to keep across a reload; they are still parsed and shown.');
  }
}

export function startPersistence(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    savePastes(useApp.getState().pastes);
  };
  const unsubscribe = useApp.subscribe((state, prev) => {
    if (state.pastes === prev.pastes) return;
    clearTimeout(timer);
    timer = setTimeout(flush, WRITE_PAUSE_MS);
  });
  // A reload right after typing must not lose the last keystrokes.
  const onHide = () => {
    if (timer !== undefined) flush();
  };
  window.addEventListener('pagehide', onHide);
  return () => {
    unsubscribe();
    window.removeEventListener('pagehide', onHide);
    clearTimeout(timer);
  };
}
