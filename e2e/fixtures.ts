/**
 * Every journey runs under three guards: neither the page nor its workers or service worker may
 * make a single request outside the page's origin (pasted data never leaves the browser), the
 * Content-Security-Policy must never be violated, and the page must not log a console error or
 * throw.
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const CORPUS = resolve(import.meta.dirname, '../../shared/corpus');

export function corpus(...parts: string[]): string {
  return readFileSync(resolve(CORPUS, ...parts), 'utf8');
}

export const test = base.extend<{ guard: void }>({
  guard: [
    async ({ page, baseURL }, use) => {
      const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
      const foreign: string[] = [];
      const errors: string[] = [];
      const violations: string[] = [];
      const context = page.context();
      // Requests a service worker or a worker makes reach the context, not always the route.
      const watch = (url: string) => {
        if (/^https?:/.test(url) && new URL(url).origin !== origin && !foreign.includes(url)) foreign.push(url);
      };
      context.on('request', (request) => watch(request.url()));
      await context.exposeBinding('__numascopeCspViolation', (_source, text: string) => violations.push(text));
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          const report = (window as unknown as { __numascopeCspViolation?: (t: string) => void }).__numascopeCspViolation;
          report?.(`${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} at ${e.sourceFile}:${e.lineNumber}`);
        });
      });
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (new URL(url).origin === origin) return route.continue();
        foreign.push(url);
        return route.abort('blockedbyclient');
      });
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
      await use();
      expect(foreign, 'requests that left the page origin').toEqual([]);
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
      expect(errors, 'console errors and uncaught exceptions').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the worker has answered for the current pastes. */
export async function parsed(page: Page): Promise<void> {
  await expect(page.getByTestId('parse-status')).toHaveAttribute('data-status', /^(ready|empty)$/);
}

/** Removes every paste, leaving an empty workspace. */
export async function clearAll(page: Page): Promise<void> {
  await page.getByTestId('clear-pastes').click();
  await expect(page.getByTestId('paste')).toHaveCount(0);
  await parsed(page);
}

/** Adds a paste and fills it with text as if pasted (one input event, like Ctrl+V). */
export async function addPaste(page: Page, text: string, name?: string): Promise<void> {
  await page.getByTestId('add-paste').click();
  const paste = page.getByTestId('paste').last();
  if (name !== undefined) await paste.getByTestId('paste-name').fill(name);
  await paste.getByTestId('paste-text').fill(text);
}

/** Pastes text into a textarea the way Ctrl+V does: a paste event carrying the clipboard. */
export async function clipboardPaste(target: Locator, text: string): Promise<void> {
  await target.evaluate((el, data) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', data);
    const event = new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true });
    if (el.dispatchEvent(event)) {
      // Nobody took the paste over: do what the browser would, insert it as typed text.
      (el as HTMLTextAreaElement).focus();
      document.execCommand('insertText', false, data);
    }
  }, text);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** What the app exposes on window for tests: the host store and the guests' workspace. */
export type AppWindow = {
  numascope: {
    getState(): { host: { nodes: unknown[]; cpus: unknown[] } | null; pastes: { name: string; text: string }[]; theme: string; indexMode: string; guests: unknown[] };
  };
  numascopeWorkspace: {
    getState(): { guests: { id: string; layout: unknown }[]; autoLayout(id: string): Promise<boolean>; exportWorkspace(): string; settled(): Promise<void> };
  };
};

/** The talk host (the first-start sample) with the golden guest laid out by the partitioning core. */
export async function talkWithGuest(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(() => (window as unknown as AppWindow).numascope?.getState().host?.nodes.length === 4);
  await parsed(page);
  await page.waitForFunction(() => ((window as unknown as AppWindow).numascopeWorkspace?.getState().guests.length ?? 0) > 0);
  await page.evaluate(async () => {
    const ws = (window as unknown as AppWindow).numascopeWorkspace.getState();
    await ws.autoLayout(ws.guests[0].id);
    await (window as unknown as AppWindow).numascopeWorkspace.getState().settled();
  });
  await page.waitForFunction(() => (window as unknown as AppWindow).numascope.getState().guests.length === 1);
}
