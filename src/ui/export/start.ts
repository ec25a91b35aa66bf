/** What sharing needs once the saved workspace is back: the service worker and the link to open. */
import { startPermalinks } from './link.ts';
import { registerOffline } from './offline.ts';

export function startSharing(): Promise<void> {
  registerOffline();
  return startPermalinks();
}
