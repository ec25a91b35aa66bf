/**
 * The guests survive a reload and a browser restart through localStorage (the pastes have their
 * own key, persist.ts). Only what is true is kept — names, requests, XML texts and where a found
 * guest came from; layouts are read again from the XML on start. The undo history is kept beside them (workspace-history.ts),
 * bounded, and always written after the guests: when storage refuses it, fewer steps are kept
 * (and the page says so), never fewer guests. Writes are debounced and flushed when the page hides.
 */
import type { PartitionRequest } from '../core/partition/request.ts';
import type { History } from './history.ts';
import { saveAfterPause, saveNotices } from './save-after-pause.ts';
import { decodeHistory, encodeHistory, KEPT_CHARS, type DeltaCache, type Present } from './workspace-history.ts';
import { readFound, readRequest } from './workspace-file.ts';
import type { WorkspaceSnapshot, WorkspaceState, WorkspaceStore } from './workspace.ts';

const KEY = 'numascope.workspace.v1';
const HISTORY_KEY = 'numascope.history.v1';
const WRITE_PAUSE_MS = 300;

export interface SavedWorkspace {
  guests: { id: string; name: string; request: PartitionRequest; xml: string; found?: { source: string } }[];
  activeGuestId: string | null;
  /** Which save wrote them: the undo history saved with them carries the same. */
  stamp?: string;
}

/** The saved guests, or undefined when nothing (readable) was saved. */
export function loadWorkspace(storage: Storage = localStorage): SavedWorkspace | undefined {
  let raw: string | null;
  try {
    raw = storage.getItem(KEY);
  } catch {
    return undefined;
  }
  if (raw === null) return undefined;
  try {
    const data: unknown = JSON.parse(raw);
    if (typeof data !== 'object' || data === null || !Array.isArray((data as { guests?: unknown }).guests)) return undefined;
    const d = data as { guests: unknown[]; activeGuestId?: unknown; stamp?: unknown };
    const guests: SavedWorkspace['guests'] = [];
    for (const g of d.guests) {
      if (typeof g !== 'object' || g === null) continue;
      const { id, name, xml, request, found } = g as Record<string, unknown>;
      if (typeof id !== 'string' || typeof name !== 'string' || typeof xml !== 'string') continue;
      // a mark that cannot be read is dropped, like a request: the guest itself is kept
      const mark = readFound(found, '', () => {});
      guests.push({ id, name, xml, request: readRequest(request, '', () => {}) ?? readRequest(undefined, '', () => {})!, ...(mark ? { found: mark } : {}) });
    }
    const saved: SavedWorkspace = { guests, activeGuestId: typeof d.activeGuestId === 'string' ? d.activeGuestId : null };
    if (typeof d.stamp === 'string') saved.stamp = d.stamp;
    return saved;
  } catch {
    return undefined;
  }
}

/** The undo history saved with `saved` (the guests just loaded, as `present`), or undefined when there is none that leads to them. */
export function loadHistory(saved: SavedWorkspace, present: Present, storage: Storage = localStorage): History<WorkspaceSnapshot> | undefined {
  try {
    const raw = storage.getItem(HISTORY_KEY);
    return raw === null ? undefined : decodeHistory(JSON.parse(raw), present, saved.stamp);
  } catch {
    return undefined;
  }
}

let saves = 0;

function saveGuests(state: WorkspaceState, storage: Storage, stamp: string): boolean {
  const data: SavedWorkspace = {
    guests: state.guests.map(({ id, name, request, xml, found }) => ({ id, name, request, xml, ...(found ? { found } : {}) })),
    activeGuestId: state.activeGuestId,
    stamp,
  };
  try {
    storage.setItem(KEY, JSON.stringify(data));
    return true;
  } catch {
    return false;
  }
}

/** How many steps of the history storage took: all it was asked to keep, fewer, or none. */
interface HistorySaved {
  kept: number;
  total: number;
  /** Steps left out for size (by the bound or because storage refused more). */
  dropped: number;
}

function saveHistory(state: WorkspaceState, storage: Storage, stamp: string, cache: DeltaCache): HistorySaved {
  const total = state.history.entries.length;
  // Storage may hold less than the bound (the pastes and the guests share it): halve until it takes it.
  for (let budget = KEPT_CHARS; budget >= 1024; budget = Math.floor(budget / 2)) {
    const { saved, droppedForSize } = encodeHistory(state.history, state, stamp, budget, cache);
    try {
      storage.setItem(HISTORY_KEY, JSON.stringify(saved));
      return { kept: saved.entries.length, total, dropped: droppedForSize };
    } catch {
      // over the quota: try a smaller history
    }
  }
  try {
    storage.removeItem(HISTORY_KEY);
  } catch {
    // nothing stored either way
  }
  return { kept: 0, total, dropped: total };
}

const GUESTS_REFUSED = 'The browser refused to store the guests (storage full?): export the workspace to keep them.';

function historyNotice({ kept, total, dropped }: HistorySaved): string | null {
  if (dropped === 0) return null;
  if (kept === 0) return `The undo history is too large to keep in this browser: after a reload, undo starts afresh (the guests themselves are saved).`;
  return `The undo history is too large to keep in this browser: only the last ${kept} of ${total} steps survive a reload (the guests themselves are saved).`;
}

/**
 * Writes the guests, then as much of the undo history as storage takes. Returns what the page
 * should tell the person (null when everything was kept).
 */
export function saveWorkspace(state: WorkspaceState, storage: Storage, deltas: DeltaCache = new Map()): string | null {
  saves += 1;
  const stamp = `${Date.now().toString(36)}-${saves}-${Math.random().toString(36).slice(2, 8)}`;
  if (!saveGuests(state, storage, stamp)) {
    // the history would lead to guests that were not saved: better none than a wrong one
    try {
      storage.removeItem(HISTORY_KEY);
    } catch {
      // nothing stored either way
    }
    return GUESTS_REFUSED;
  }
  return historyNotice(saveHistory(state, storage, stamp, deltas));
}

export function startWorkspacePersistence(workspace: WorkspaceStore, storage: Storage = localStorage): () => void {
  const deltas: DeltaCache = new Map();
  const notify = saveNotices();
  const changed = (s: WorkspaceState, prev: WorkspaceState) => {
    if (s.activeGuestId !== prev.activeGuestId) return true;
    if (s.history.index !== prev.history.index || s.history.entries.length !== prev.history.entries.length) return true;
    if (s.guests === prev.guests) return false;
    // Only what is saved counts: a re-read layout or a new score is derived from the XML.
    return (
      s.guests.length !== prev.guests.length ||
      s.guests.some((g, i) => {
        const p = prev.guests[i];
        return g.id !== p.id || g.name !== p.name || g.xml !== p.xml || g.request !== p.request || g.found !== p.found;
      })
    );
  };
  return saveAfterPause(workspace, changed, () => notify(saveWorkspace(workspace.getState(), storage, deltas)), WRITE_PAUSE_MS);
}
