/**
 * Undo and redo across the diagram and the editor: every change to the workspace's guests is an
 * entry holding the guests before and after it. Restoring an entry hands each editor the change
 * as one minimal edit, so its cursor and its own undo stack survive a global undo.
 */
import type { TextEdit } from '../core/domain-xml/index.ts';

/** The smallest single replacement turning `from` into `to` (common prefix and suffix kept). */
export function textDiff(from: string, to: string): TextEdit[] {
  if (from === to) return [];
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  // never split a surrogate pair: an editor would see half a character
  if (start > 0 && isHighSurrogate(from.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
  if (end > 0 && isLowSurrogate(from.charCodeAt(from.length - end))) end--;
  return [{ from: start, to: from.length - end, text: to.slice(start, to.length - end) }];
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

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
