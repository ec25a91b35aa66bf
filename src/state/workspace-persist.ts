/**
 * The guests survive a reload and a browser restart through localStorage (the pastes have their
 * own key, persist.ts). Only what is true is kept — names, requests and XML texts; layouts are
 * read again from the XML on start. Writes are debounced and flushed when the page hides.
 */
import type { PartitionRequest } from '../core/partition/request.ts';
import { saveAfterPause } from './save-after-pause.ts';
import { useApp } from './store.ts';
import { readRequest } from './workspace-file.ts';
import type { WorkspaceState, WorkspaceStore } from './workspace.ts';

const KEY = 'numascope.workspace.v1';
const WRITE_PAUSE_MS = 300;

export interface SavedWorkspace {
  guests: { id: string; name: string; request: PartitionRequest; xml: string }[];
  activeGuestId: string | null;
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
    const d = data as { guests: unknown[]; activeGuestId?: unknown };
    const guests: SavedWorkspace['guests'] = [];
    for (const g of d.guests) {
      if (typeof g !== 'object' || g === null) continue;
      const { id, name, xml, request } = g as Record<string, unknown>;
      if (typeof id !== 'string' || typeof name !== 'string' || typeof xml !== 'string') continue;
      guests.push({ id, name, xml, request: readRequest(request, '', () => {}) ?? readRequest(undefined, '', () => {})! });
    }
    return { guests, activeGuestId: typeof d.activeGuestId === 'string' ? d.activeGuestId : null };
  } catch {
    return undefined;
  }
}

function save(state: WorkspaceState, storage: Storage): boolean {
  const data: SavedWorkspace = {
    guests: state.guests.map(({ id, name, request, xml }) => ({ id, name, request, xml })),
    activeGuestId: state.activeGuestId,
  };
  try {
    storage.setItem(KEY, JSON.stringify(data));
    return true;
  } catch {
    return false;
  }
}

export function startWorkspacePersistence(workspace: WorkspaceStore, storage: Storage = localStorage): () => void {
  let warned = false;
  const changed = (s: WorkspaceState, prev: WorkspaceState) => {
    if (s.activeGuestId !== prev.activeGuestId) return true;
    if (s.guests === prev.guests) return false;
    // Only what is saved counts: a re-read layout or a new score is derived from the XML.
    return (
      s.guests.length !== prev.guests.length ||
      s.guests.some((g, i) => {
        const p = prev.guests[i];
        return g.id !== p.id || g.name !== p.name || g.xml !== p.xml || g.request !== p.request;
      })
    );
  };
  const write = () => {
    if (save(workspace.getState(), storage)) {
      warned = false;
      return;
    }
    if (!warned) useApp.getState().setNotice('The browser refused to store the guests (storage full?): export the workspace to keep them.');
    warned = true;
  };
  return saveAfterPause(workspace, changed, write, WRITE_PAUSE_MS);
}
