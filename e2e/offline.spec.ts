/**
 * Offline use: after the first load the service worker has the whole app, so with the network
 * off a reload brings back the app and the last workspace. The page runs under the production
 * Content-Security-Policy (a meta tag injected at build), which the fixtures check is never
 * violated.
 */
import { expect, parsed, talkWithGuest, test, type AppWindow } from './fixtures.ts';

type W = AppWindow;

test('the production page carries a strict CSP: no eval, nothing from another origin (the fixtures fail any violation)', async ({ page }) => {
  await page.goto('/');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
});

test('offline: with the service worker active, a reload with the network off brings back the app and the last workspace', async ({ page, context }) => {
  await talkWithGuest(page);
  // Another host, so that "the last workspace" is not the first-start sample.
  await page.getByTestId('invent-host').click();
  await page.getByTestId('synthetic-preset').selectOption('cxl-2s');
  await page.waitForFunction(() => (window as unknown as W).numascope.getState().host?.nodes.length === 4 && (window as unknown as W).numascope.getState().pastes[0]?.name === 'synthetic host');
  await parsed(page);
  await page.waitForTimeout(800); // persistence writes after a pause in typing
  const before = await page.evaluate(() => (window as unknown as W).numascopeWorkspace.getState().exportWorkspace());

  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await context.setOffline(true);
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  await page.waitForFunction(() => (window as unknown as W).numascope?.getState().host?.cpus.length === 64);
  await parsed(page);
  await page.evaluate(() => (window as unknown as W).numascopeWorkspace.getState().settled());
  expect(await page.evaluate(() => (window as unknown as W).numascopeWorkspace.getState().exportWorkspace())).toBe(before);
  await expect(page.getByTestId('host-view').locator('.box.NUMANode')).toHaveCount(4);
  await context.setOffline(false);
});
