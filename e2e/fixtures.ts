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

/** The talk's host (DESIGN.md §3) as the user pastes it: lscpu, then numactl -H. */
export const TALK = [
  { name: 'lscpu', text: corpus('pasted', 'talk-e7-8895v2.lscpu.txt') },
  { name: 'numactl -H', text: corpus('pasted', 'talk-e7-8895v2.numactl-H.txt') },
];

/**
 * Opens the app and waits for the first-start sample to land and be parsed: before it lands the
 * workspace is briefly empty (and "parsed"), and a sample arriving later would overwrite a test's
 * own pastes.
 */
export async function start(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as AppWindow).numascope?.getState().host != null);
  await parsed(page);
}

/** Opens the app with no pastes at all. */
export async function startEmpty(page: Page): Promise<void> {
  await start(page);
  await clearAll(page);
}

/** Replaces the pastes through the page's own store (large dumps would take long to type) and waits for their host. */
export async function loadPastes(page: Page, pastes: { name: string; text: string }[]): Promise<void> {
  await page.evaluate((p) => {
    const w = window as unknown as AppWindow & { previousHost?: unknown };
    w.previousHost = w.numascope.getState().host;
    w.numascope.getState().replacePastes(p);
  }, pastes);
  await page.waitForFunction(() => {
    const w = window as unknown as AppWindow & { previousHost?: unknown };
    const s = w.numascope.getState();
    return s.status === 'ready' && s.host !== w.previousHost;
  });
}

/** The talk's host pasted box by box into an empty workspace, and drawn. */
export async function pasteTalkHost(page: Page): Promise<void> {
  await startEmpty(page);
  for (const p of TALK) await addPaste(page, p.text, p.name);
  await parsed(page);
  await expect(page.locator('#PU_119')).toHaveCount(1);
  await drawWhole(page);
}

/** Removes every paste, leaving an empty workspace. */
export async function clearAll(page: Page): Promise<void> {
  await page.getByTestId('clear-pastes').click();
  await expect(page.getByTestId('paste')).toHaveCount(0);
  await parsed(page);
}

/**
 * Adds a paste and fills it with text as if pasted (one input event, like Ctrl+V). The new box is
 * awaited before it is filled: filling "the last paste" while the click is still being rendered
 * would overwrite the paste before it.
 */
export async function addPaste(page: Page, text: string, name?: string): Promise<void> {
  const pastes = page.getByTestId('paste');
  const before = await pastes.count();
  await page.getByTestId('add-paste').click();
  await expect(pastes).toHaveCount(before + 1);
  const paste = pastes.nth(before);
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

/** Screenshots to look at; NUMASCOPE_SHOTS moves them out of the shared test-results folder. */
export const SHOTS = process.env.NUMASCOPE_SHOTS ?? 'test-results/screenshots';

/** The whole page, scrolled parts included. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** What the user sees right now (the viewport), for the moments a full-page shot would shrink. */
export async function viewShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/** One element as drawn; returns the file it was written to. */
export async function elementShot(element: Locator, name: string): Promise<string> {
  const path = `${SHOTS}/${name}.png`;
  await element.screenshot({ path });
  return path;
}

/** What the app exposes on window for tests: the host store and the guests' workspace. */
export type AppWindow = {
  numascope: {
    getState(): {
      host: { nodes: unknown[]; cpus: unknown[]; machine: { model?: string } } | null;
      status: string;
      pastes: { name: string; text: string }[];
      replacePastes(pastes: { name: string; text: string }[]): void;
      theme: string;
      indexMode: string;
      guests: unknown[];
    };
  };
  numascopeWorkspace: {
    getState(): {
      guests: { id: string; xml: string; layout: unknown; pendingEdits?: { edits: unknown[] } }[];
      autoLayout(id: string): Promise<boolean>;
      setRequest(id: string, patch: Record<string, unknown>): void;
      exportWorkspace(): string;
      settled(): Promise<void>;
    };
  };
  /** The page's Monaco editors (src/ui/editor/registry.ts), once Monaco has loaded. */
  numascopeEditors?: {
    getContainerDomNode(): HTMLElement;
    getValue(): string;
    getPosition(): { lineNumber: number; column: number } | null;
    focus(): void;
  }[];
};

/**
 * Lays the active guest out with the guest panel's Auto button, in mode host unless told: the
 * talk's goldens (DESIGN.md §3) are mode host's, the app's default is auto.
 */
export async function autoLayout(page: Page, vcpus: number, gib: number, mode: 'auto' | 'host' | 'node' = 'host'): Promise<void> {
  const panel = page.getByTestId('guest-panel');
  await panel.getByTestId('req-vcpus').fill(String(vcpus));
  await panel.getByTestId('req-memory').fill(String(gib));
  await panel.getByTestId('req-mode').selectOption(mode);
  await panel.getByTestId('auto-layout').click();
}

/** The talk host (the first-start sample) with the golden guest (mode host) laid out by the partitioning core. */
export async function talkWithGuest(page: Page): Promise<void> {
  await start(page);
  await expect.poll(() => page.evaluate(() => (window as unknown as AppWindow).numascope.getState().host?.nodes.length)).toBe(4);
  await page.waitForFunction(() => ((window as unknown as AppWindow).numascopeWorkspace?.getState().guests.length ?? 0) > 0);
  await page.evaluate(async () => {
    const ws = (window as unknown as AppWindow).numascopeWorkspace.getState();
    ws.setRequest(ws.guests[0].id, { mode: 'host' });
    await ws.autoLayout(ws.guests[0].id);
    await (window as unknown as AppWindow).numascopeWorkspace.getState().settled();
  });
  await page.waitForFunction(() => (window as unknown as AppWindow).numascope.getState().guests.length === 1);
  await drawWhole(page);
}

/**
 * Draws the host without folds, as `f` does: at Fit the talk host folds its cores to keep its
 * labels readable, and these journeys drag onto cores the folds hide.
 */
export async function drawWhole(page: Page): Promise<void> {
  const view = page.getByTestId('host-view');
  if ((await view.locator('.box.More').count()) === 0) return;
  // The button, not `f`: a key goes wherever the focus is (an open editor takes it as text).
  await page.getByTestId('expand-all').click();
  await expect(view.locator('.box.More')).toHaveCount(0);
}

type Box = { x: number; y: number; width: number; height: number };

/**
 * A person's drag with the real mouse, left with the button down over the target: pressed on
 * `from`'s centre, moved past the drag threshold, then onto `to` (an element, or a box on the
 * screen where the target is painted on a canvas). The caller checks the hint, then releases.
 */
export async function dragOnto(page: Page, from: Locator, to: Locator | Box): Promise<void> {
  const a = await from.boundingBox();
  const b = 'boundingBox' in to ? await to.boundingBox() : to;
  if (!a || !b) throw new Error('the drag source or its target is not drawn');
  const start = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + 10, start.y + 10, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
}
