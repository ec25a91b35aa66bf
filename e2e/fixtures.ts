/**
 * Every journey runs under two guards: the page must not make a single request outside its own
 * origin (pasted data never leaves the browser), and it must not log a console error or throw.
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
      await page.context().route('**/*', (route) => {
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
