/**
 * The undo history as it is kept across a reload: only what is true (names, requests, domain XML
 * texts, pastes of the entries that replaced them), never what is read from it. Consecutive
 * states of a guest differ by a drop or a burst of typing, so each text is kept as the one edit
 * that turns its neighbour nearer the present into it; the present's own texts are not kept at
 * all (the saved workspace holds them). Entries nearest the present come first: a bound on their
 * number and on the kept size cuts the oldest undo steps (then the farthest redo steps), never
 * the current XML.
 */
import type { PartitionRequest } from '../core/partition/request.ts';
import { applyEdits, singleReplacement, type TextEdit } from '../core/domain-xml/edits.ts';
import type { History, HistoryEntry } from './history.ts';
import { readRequest } from './workspace-file.ts';
import { emptyTab, type GuestTab, type WorkspaceSnapshot } from './workspace.ts';

/** Undo and redo steps kept across a reload. */
export const KEPT_STEPS = 50;
/** Characters of history kept (localStorage holds ~5 M characters per origin, shared with the workspace and the pastes). */
export const KEPT_CHARS = 1_000_000;

/** A text: written out, an edit of an earlier text of the table, or a guest's text in the saved workspace. */
type SavedText = { full: string } | { of: number; from: number; to: number; text: string } | { current: string };

interface SavedState {
  active: string | null;
  guests: { id: string; name: string; request: PartitionRequest; text: number }[];
  pastes?: { name: string; text: number }[];
}

interface SavedEntry {
  label: string;
  at: number;
  burst?: string;
  before: number;
  after: number;
}

export interface SavedHistory {
  version: 1;
  /** The save of the guests this history leads to (the same stamp is written with them). */
  stamp: string;
  /** Entries before it are done. */
  index: number;
  entries: SavedEntry[];
  states: SavedState[];
  texts: SavedText[];
}

export interface EncodedHistory {
  saved: SavedHistory;
  /** Steps left out to stay within the bounds (0 when all of the last KEPT_STEPS are kept). */
  droppedForSize: number;
}

/** The workspace as it is now: the state undo starts from, whose texts the saved workspace holds. */
export interface Present {
  guests: readonly { id: string; xml: string }[];
}

/**
 * Edits found by earlier encodings, by the text they make and the text they start from: each
 * save meets the same texts again, and comparing two 5 MB texts is not free. Entries not used
 * by an encoding are forgotten by it.
 */
export type DeltaCache = Map<string, { near: string; edit: TextEdit | undefined }>;

/**
 * The history, nearest entries first, within `maxChars` (JSON characters) and KEPT_STEPS.
 * `present` must be the state at history.index (what the saved workspace holds).
 */
export function encodeHistory(history: History<WorkspaceSnapshot>, present: Present, stamp: string, maxChars = KEPT_CHARS, cache: DeltaCache = new Map()): EncodedHistory {
  const { entries, index } = history;
  const texts: SavedText[] = [];
  const textIds = new Map<string, number>();
  const states: SavedState[] = [];
  const stateIds = new Map<string, number>();
  let chars = 0;
  const used: DeltaCache = new Map();

  for (const g of present.guests) {
    if (textIds.has(g.xml)) continue;
    textIds.set(g.xml, texts.length);
    texts.push({ current: g.id });
  }

  /** The text's id, adding it as an edit of `near` (the same guest's text one step nearer the present) when that is shorter. */
  const textOf = (text: string, near: string | undefined): number => {
    const known = textIds.get(text);
    if (known !== undefined) return known;
    let saved: SavedText = { full: text };
    const base = near === undefined ? undefined : textIds.get(near);
    if (near !== undefined && base !== undefined) {
      let hit = cache.get(text);
      if (hit?.near !== near) hit = { near, edit: singleReplacement(near, text) };
      used.set(text, hit);
      const edit = hit.edit;
      if (edit && edit.text.length + 64 < text.length) saved = { of: base, from: edit.from, to: edit.to, text: edit.text };
    }
    chars += JSON.stringify(saved).length + 1;
    textIds.set(text, texts.length);
    texts.push(saved);
    return texts.length - 1;
  };

  const stateOf = (snap: WorkspaceSnapshot, nearer: WorkspaceSnapshot | undefined): number => {
    const state: SavedState = {
      active: snap.activeGuestId,
      guests: snap.guests.map((g) => ({ id: g.id, name: g.name, request: g.request, text: textOf(g.xml, nearer?.guests.find((n) => n.id === g.id)?.xml) })),
    };
    if (snap.pastes) state.pastes = snap.pastes.map((p) => ({ name: p.name, text: textOf(p.text, nearer?.pastes?.find((n) => n.name === p.name)?.text) }));
    const key = JSON.stringify(state);
    const known = stateIds.get(key);
    if (known !== undefined) return known;
    chars += key.length + 1;
    stateIds.set(key, states.length);
    states.push(state);
    return states.length - 1;
  };

  const kept = new Map<number, SavedEntry>();
  const keep = (i: number, first: WorkspaceSnapshot, second: WorkspaceSnapshot, firstNearer: WorkspaceSnapshot | undefined): boolean => {
    const before = chars;
    const textsBefore = texts.length;
    const statesBefore = states.length;
    const e: HistoryEntry<WorkspaceSnapshot> = entries[i];
    // the side nearer the present first, so the other is kept as an edit of it
    const a = stateOf(first, firstNearer);
    const b = stateOf(second, first);
    const saved: SavedEntry = { label: e.label, at: e.at, before: first === e.before ? a : b, after: first === e.before ? b : a };
    if (e.burst !== undefined) saved.burst = e.burst;
    chars += JSON.stringify(saved).length + 1;
    if (chars > maxChars) {
      // over the bound: undo what this entry added, and stop on this side
      for (const [t, id] of textIds) if (id >= textsBefore) textIds.delete(t);
      for (const [s, id] of stateIds) if (id >= statesBefore) stateIds.delete(s);
      texts.length = textsBefore;
      states.length = statesBefore;
      chars = before;
      return false;
    }
    kept.set(i, saved);
    return true;
  };

  const done = Math.min(index, KEPT_STEPS);
  let from = index;
  for (let i = index - 1; i >= index - done; i--) {
    if (!keep(i, entries[i].after, entries[i].before, entries[i + 1]?.before)) break;
    from = i;
  }
  let to = index;
  for (let i = index; i < entries.length && kept.size < KEPT_STEPS; i++) {
    if (!keep(i, entries[i].before, entries[i].after, entries[i - 1]?.after)) break;
    to = i + 1;
  }
  cache.clear();
  for (const [text, hit] of used) cache.set(text, hit);
  const wanted = Math.min(entries.length, KEPT_STEPS);
  return {
    saved: { version: 1, stamp, index: index - from, entries: entries.slice(from, to).map((_, k) => kept.get(from + k) as SavedEntry), states, texts },
    droppedForSize: Math.max(0, wanted - (to - from)),
  };
}

/**
 * The history back from what encodeHistory kept, or undefined when it is unreadable or was not
 * saved with `present` (stamped `stamp`): the guests were saved without it, or by another tab.
 * Then undo starts afresh.
 */
export function decodeHistory(data: unknown, present: Present, stamp: string | undefined): History<WorkspaceSnapshot> | undefined {
  if (!isSaved(data) || stamp === undefined || data.stamp !== stamp) return undefined;
  const texts: string[] = [];
  for (const t of data.texts) {
    if ('full' in t) texts.push(t.full);
    else if ('current' in t) {
      const g = present.guests.find((p) => p.id === t.current);
      if (!g) return undefined;
      texts.push(g.xml);
    } else {
      const base = texts[t.of];
      if (base === undefined || t.from > t.to || t.to > base.length) return undefined;
      texts.push(applyEdits(base, [{ from: t.from, to: t.to, text: t.text }]));
    }
  }
  const text = (i: number) => texts[i];
  const states: WorkspaceSnapshot[] = [];
  for (const s of data.states) {
    if (s.guests.some((g) => text(g.text) === undefined) || s.pastes?.some((p) => text(p.text) === undefined)) return undefined;
    const snap: WorkspaceSnapshot = {
      activeGuestId: s.active,
      guests: s.guests.map((g): GuestTab => emptyTab(g.id, g.name, readRequest(g.request, '', () => {}) ?? readRequest(undefined, '', () => {})!, text(g.text))),
    };
    if (s.pastes) snap.pastes = s.pastes.map((p) => ({ name: p.name, text: text(p.text) }));
    states.push(snap);
  }
  const entries: HistoryEntry<WorkspaceSnapshot>[] = [];
  for (const [k, e] of data.entries.entries()) {
    const before = states[e.before];
    const after = states[e.after];
    if (!before || !after) return undefined;
    // negative ids: never the ids record() gives the entries made after the reload
    const entry: HistoryEntry<WorkspaceSnapshot> = { id: -1 - k, label: e.label, at: e.at, before, after };
    if (e.burst !== undefined) entry.burst = e.burst;
    entries.push(entry);
  }
  if (data.index > entries.length) return undefined;
  const now = data.index === 0 ? entries[0]?.before : entries[data.index - 1].after;
  if (now && !samePresent(now, present)) return undefined;
  return { entries, index: data.index };
}

function samePresent(snap: WorkspaceSnapshot, present: Present): boolean {
  return snap.guests.length === present.guests.length && snap.guests.every((g, i) => g.id === present.guests[i].id && g.xml === present.guests[i].xml);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isSavedText(t: unknown): t is SavedText {
  if (!isObj(t)) return false;
  if ('full' in t) return isStr(t.full);
  if ('current' in t) return isStr(t.current);
  return isInt(t.of) && isInt(t.from) && isInt(t.to) && isStr(t.text);
}

function isSavedState(s: unknown, texts: number): s is SavedState {
  if (!isObj(s) || !(s.active === null || isStr(s.active)) || !Array.isArray(s.guests)) return false;
  const ref = (v: unknown) => isInt(v) && v < texts;
  if (!s.guests.every((g) => isObj(g) && isStr(g.id) && isStr(g.name) && ref(g.text))) return false;
  return s.pastes === undefined || (Array.isArray(s.pastes) && s.pastes.every((p) => isObj(p) && isStr(p.name) && ref(p.text)));
}

function isSaved(d: unknown): d is SavedHistory {
  if (!isObj(d) || d.version !== 1 || !isStr(d.stamp) || !isInt(d.index) || !Array.isArray(d.entries) || !Array.isArray(d.states) || !Array.isArray(d.texts)) return false;
  const { texts, states, entries } = d;
  // an edit refers to an earlier text only, so the texts decode in one pass
  if (!texts.every((t, i) => isSavedText(t) && (!('of' in t) || t.of < i))) return false;
  if (!states.every((s) => isSavedState(s, texts.length))) return false;
  return entries.every((e) => isObj(e) && isStr(e.label) && typeof e.at === 'number' && isInt(e.before) && isInt(e.after) && (e.burst === undefined || isStr(e.burst)));
}
