/**
 * The permalink between the page and its stores: what the current workspace, scenes and view
 * make, and opening a link (on start and when the hash changes) — refused links say why and
 * change nothing. After opening, the hash is removed so a reload does not throw away what the
 * user changed since; the workspace itself is kept by the app's own persistence.
 */
import { decodePermalink, encodePermalink, HASH_PREFIX, type Decoded, type SharedWorkspace } from '../../state/permalink.ts';
import { useApp } from '../../state/store.ts';
import { useWorkspace } from '../../state/workspace.ts';
import { useTalk } from '../present/scenes.ts';

export function currentShared(): SharedWorkspace {
  const { indexMode, theme } = useApp.getState();
  return { workspace: useWorkspace.getState().exportWorkspace(), scenes: useTalk.getState().custom ?? [], view: { indexMode, theme } };
}

/** The full URL of the current workspace, or why there is none. */
export async function currentLink(): Promise<Decoded<string>> {
  const hash = await encodePermalink(currentShared());
  if (!hash.ok) return hash;
  return { ok: true, value: `${location.origin}${location.pathname}${hash.value}` };
}

export async function openLink(hash: string): Promise<boolean> {
  const decoded = await decodePermalink(hash);
  if (!decoded.ok) {
    useApp.getState().setNotice(decoded.message);
    return false;
  }
  const { file, scenes, view } = decoded.value;
  useWorkspace.getState().loadWorkspace(file, 'link');
  useApp.setState({ indexMode: view.indexMode });
  useApp.getState().setTheme(view.theme);
  useTalk.setState({ custom: scenes.length > 0 ? scenes : null, index: 0 });
  history.replaceState(null, '', location.pathname + location.search);
  return true;
}

/** Resolves once the workspace restored what this browser saved (it always holds a guest then). */
function whenRestored(): Promise<void> {
  if (useWorkspace.getState().guests.length > 0) return Promise.resolve();
  return new Promise((resolve) => {
    const off = useWorkspace.subscribe((s) => {
      if (s.guests.length === 0) return;
      off();
      resolve();
    });
  });
}

/** Opens the link the page was started with, and any pasted into the address bar later. */
export async function startPermalinks(): Promise<void> {
  await whenRestored();
  window.addEventListener('hashchange', () => {
    if (location.hash.startsWith(HASH_PREFIX)) void openLink(location.hash);
  });
  if (location.hash.startsWith(HASH_PREFIX)) await openLink(location.hash);
}
