/**
 * Pastes survive a reload through localStorage. Writes are debounced (a 10 MB paste should not be
 * serialised on every keystroke) and a full storage quota is reported, not thrown.
 */
import { saveAfterPause, saveNotices } from './save-after-pause.ts';
import { useApp, newPasteId, type PasteEntry } from './store.ts';

const KEY = 'numascope.pastes.v1';

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

/** Pastes above this are the first to be left out when everything does not fit. */
const KEEP_BELOW_CHARS = 512 * 1024;

function write(pastes: PasteEntry[]): boolean {
  try {
    localStorage.setItem(KEY, JSON.stringify(pastes.map(({ name, text }) => ({ name, text }))));
    return true;
  } catch {
    return false;
  }
}

const noticeOfSave = saveNotices();

function savePastes(pastes: PasteEntry[]): void {
  if (write(pastes)) {
    noticeOfSave(null);
    return;
  }
  // Over the storage quota: keep the small pastes rather than leave an older state behind.
  const small = pastes.filter((p) => p.text.length <= KEEP_BELOW_CHARS);
  const dropped = pastes.filter((p) => p.text.length > KEEP_BELOW_CHARS).map((p) => `“${p.name}”`);
  if (dropped.length > 0 && write(small)) {
    noticeOfSave(`Too large to keep across a reload: ${dropped.join(', ')}. It is parsed and shown now; reopen the file after a reload.`);
  } else {
    noticeOfSave('The browser refused to store these pastes; they are parsed and shown, but a reload will lose them.');
  }
}

export function startPersistence(): () => void {
  return saveAfterPause(useApp, (state, prev) => state.pastes !== prev.pastes, () => savePastes(useApp.getState().pastes));
}
