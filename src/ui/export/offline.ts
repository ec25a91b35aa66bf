/**
 * Registers the service worker the production build generates (vite.config.ts), so the app
 * works with the network off after its first load. The dev server has none.
 */
export function registerOffline(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`).catch((err: unknown) => {
    console.warn(`Offline use is not available: ${String(err)}`);
  });
}
