/**
 * Wires the workspace into the page: the diagrams draw store.guests (GuestLayout[]), which is
 * derived here from the guest tabs that have a layout, in tab order; a new host re-validates
 * every guest; the guests are restored on start and saved as they change.
 */
import { DEFAULT_REQUEST } from '../core/partition/request.ts';
import type { GuestLayout } from '../core/guest/model.ts';
import { useApp } from './store.ts';
import { loadHistory, loadWorkspace, startWorkspacePersistence } from './workspace-persist.ts';
import { useWorkspace, type GuestTab, type WorkspaceStore } from './workspace.ts';

let drawn: string[] = [];

/** The tab id of each entry of store.guests (the overlay's guest index g). */
export function drawnGuestId(index: number): string | undefined {
  return drawn[index];
}

/** The overlay's guest index of a tab, or -1 when it draws nothing. */
export function drawnIndexOf(id: string): number {
  return drawn.indexOf(id);
}

function derive(guests: readonly GuestTab[]): { ids: string[]; layouts: GuestLayout[] } {
  const withLayout = guests.filter((g) => g.layout !== null);
  return { ids: withLayout.map((g) => g.id), layouts: withLayout.map((g) => g.layout as GuestLayout) };
}

export function startWorkspace(workspace: WorkspaceStore = useWorkspace): () => void {
  const saved = loadWorkspace();
  if (saved && saved.guests.length > 0) {
    workspace.getState().hydrate(saved.guests, saved.activeGuestId);
    const history = loadHistory(saved, workspace.getState());
    if (history) workspace.getState().hydrateHistory(history);
  } else if (workspace.getState().guests.length === 0) workspace.getState().hydrate([{ name: 'guest 1', request: { ...DEFAULT_REQUEST, devices: [] }, xml: '' }], null);

  let last: GuestLayout[] = [];
  const publish = (guests: readonly GuestTab[]) => {
    const { ids, layouts } = derive(guests);
    drawn = ids;
    // only when a layout changed: a re-read that found the same layouts must not redraw
    if (layouts.length === last.length && layouts.every((l, i) => l === last[i])) return;
    last = layouts;
    useApp.getState().setGuests(layouts);
  };
  publish(workspace.getState().guests);
  const offGuests = workspace.subscribe((s, prev) => {
    if (s.guests !== prev.guests) publish(s.guests);
  });
  const offHost = useApp.subscribe((s, prev) => {
    if (s.host !== prev.host) workspace.getState().revalidate();
  });
  const offPersist = startWorkspacePersistence(workspace);
  if (typeof window !== 'undefined') (window as unknown as { numascopeWorkspace?: unknown }).numascopeWorkspace = workspace;
  return () => {
    offGuests();
    offHost();
    offPersist();
  };
}
