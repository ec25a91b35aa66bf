import { useApp } from './store.ts';

/**
 * Writes a store to storage after a pause in its changes (a 10 MB paste or a busy drag must not
 * be serialised on every change), and at once when the page is hidden, so that a reload right
 * after typing loses nothing. Returns the function that stops it (flushing what is pending).
 */
export function saveAfterPause<S>(
  store: { subscribe(listener: (state: S, prev: S) => void): () => void },
  changed: (state: S, prev: S) => boolean,
  save: () => void,
  pauseMs = 400,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    save();
  };
  const unsubscribe = store.subscribe((state, prev) => {
    if (!changed(state, prev)) return;
    clearTimeout(timer);
    timer = setTimeout(flush, pauseMs);
  });
  const onHide = () => {
    if (timer !== undefined) flush();
  };
  window.addEventListener('pagehide', onHide);
  return () => {
    unsubscribe();
    window.removeEventListener('pagehide', onHide);
    if (timer !== undefined) flush();
  };
}

/**
 * Shows what a series of saves has to say: each save's notice replaces the last, and a good save
 * (null) clears only the notice a save of this series raised, never another part's notice.
 */
export function saveNotices(): (notice: string | null) => void {
  let raised: string | null = null;
  return (notice) => {
    const { notice: shown, setNotice } = useApp.getState();
    if (notice !== null) setNotice(notice);
    else if (raised !== null && shown === raised) setNotice(null);
    raised = notice;
  };
}
