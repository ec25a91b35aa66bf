/**
 * Undo and redo across the diagram and the editor: every change to the workspace's guests is an
 * entry holding the guests before and after it. Restoring an entry hands each editor the change
 * as minimal edits (core/domain-xml/edits.ts), so its cursor and its own undo stack survive a
 * global undo.
 */
export interface HistoryEntry<S> {
  id: number;
  label: string;
  /** When the change was made (ms since the epoch). */
  at: number;
  before: S;
  after: S;
  /** Changes that merge into one entry while they keep coming (typing in one guest's editor). */
  burst?: string;
}

export interface History<S> {
  entries: HistoryEntry<S>[];
  /** Entries before this index are done; from it on they can be redone. */
  index: number;
}

/** Oldest entries go first beyond this: each holds whole XML texts. */
export const HISTORY_LIMIT = 200;
/** Changes of one burst closer together than this are one undo step. */
export const BURST_MS = 1500;

let nextId = 1;

export function record<S>(history: History<S>, label: string, before: S, after: S, now: number, burst?: string): History<S> {
  const done = history.entries.slice(0, history.index);
  const last = done[done.length - 1];
  if (burst !== undefined && last?.burst === burst && now - last.at < BURST_MS) {
    done[done.length - 1] = { ...last, after, at: now };
    return { entries: done, index: done.length };
  }
  const entry: HistoryEntry<S> = { id: nextId++, label, at: now, before, after };
  if (burst !== undefined) entry.burst = burst;
  const entries = [...done, entry].slice(-HISTORY_LIMIT);
  return { entries, index: entries.length };
}
