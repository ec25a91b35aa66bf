/**
 * Bad input gets nowhere: a hostile paste (an lscpu Model name that is an <img onerror>, a hwloc
 * XML HostName, comment and PCI device name full of markup, a paste named like an SVG onload)
 * is shown as text everywhere — host view, tooltips, PCI tree, problems list, SVG export — no
 * element is ever created from it and no script runs. The fixtures' guards add: no request
 * leaves the origin, no CSP violation.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { encodePermalink } from '../src/state/permalink.ts';
import { corpus, expect, loadPastes, start, test, type AppWindow } from './fixtures.ts';

const MODEL = '<img src=x onerror=alert(1)>';
const HOST = '<b onmouseover=alert(2)>evil</b>';
const DEVICE = '</svg><script>alert(4)</script>';
const NAME = '<svg onload=alert(5)>';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function hostileLscpu(): string {
  return `${corpus('pasted', 'talk-e7-8895v2.lscpu.txt').replace(/^Model name:.*$/m, `Model name:       ${MODEL}`)}<script>alert(6)</script>\n`;
}

function hostileXml(): string {
  const xml = readFileSync(resolve(import.meta.dirname, '../public/samples/24em64t-2n6c2t-pci.xml'), 'utf8');
  return xml
    .replace('value="mirage004"', `value="${escapeAttr(HOST)}"`)
    .replace('value="82576 Gigabit Network Connection"', `value="${escapeAttr(DEVICE)}"`)
    .replace('<topology', '<!-- <script>alert(3)</script> --><topology');
}

/** The machine model of the host the page holds now. */
function modelShown(page: import('@playwright/test').Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as Partial<AppWindow>).numascope?.getState().host?.machine.model);
}

/** Elements a successful injection would have made. */
async function injected(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('img, script:not([src]), b, iframe, object, embed, [onerror], [onload], [onmouseover]')).map((e) => e.outerHTML.slice(0, 80)),
  );
}

test('a hostile paste is text everywhere: no element is created, no script runs, the SVG export is escaped', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await start(page);
  await expect(page.getByText('Everything stays in this browser')).toBeVisible();
  await loadPastes(page, [
    { name: NAME, text: hostileLscpu() },
    { name: 'hwloc', text: hostileXml() },
  ]);
  expect(await modelShown(page)).toBe(MODEL);

  // Host view: the model is the machine's label, as text.
  const machine = page.getByTestId('host-view').locator('#Machine_0');
  await expect(machine).toContainText(MODEL);
  // Tooltip.
  await machine.locator('text').first().hover({ force: true });
  await expect(page.locator('.tooltip:visible')).toContainText(MODEL);
  // PCI tree: the device name as text.
  await expect(page.getByTestId('pci-device').getByText(DEVICE, { exact: false }).first()).toBeVisible();
  // Paste name and the problems list quote the input as text.
  await expect(page.getByTestId('paste-name').first()).toHaveValue(NAME);
  await expect(page.locator('body')).toContainText(NAME);
  expect(await injected(page)).toEqual([]);

  // The SVG export: the hostile text escaped, no element made from it.
  await page.getByTestId('export-menu').locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-topology-svg').click()]);
  const svg = readFileSync(await download.path(), 'utf8');
  expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(svg).not.toMatch(/<img|<script|<b\b|onerror=["']|onload=["']/);
  const tags = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (!k.startsWith('@_') && k !== '#text') tags.add(k);
        walk(v);
      }
  };
  walk(new XMLParser({ ignoreAttributes: false, preserveOrder: true }).parse(svg));
  expect([...tags].filter((t) => !['?xml', 'svg', 'title', 'rect', 'g', 'text', 'line', 'path', 'defs', 'pattern', 'circle', 'polygon', 'tspan', ':@'].includes(t))).toEqual([]);

  // Presenter mode with the same host: still text.
  await page.keyboard.press('Escape');
  await page.getByTestId('present').click();
  await expect(page.getByTestId('presenter')).toContainText(/socket/);
  expect(await injected(page)).toEqual([]);
  await page.keyboard.press('Escape');
  expect(dialogs).toEqual([]);
});

test('a hostile workspace in a link is validated like a paste and shown as text', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await start(page);
  await loadPastes(page, [{ name: NAME, text: hostileLscpu() }]);
  expect(await modelShown(page)).toBe(MODEL);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('export-menu').locator('summary').click();
  await page.getByTestId('export-link').click();
  const link = await page.getByTestId('permalink').inputValue();
  await page.evaluate(() => localStorage.clear());
  await start(page, '/?fresh');
  await page.goto(link);
  await expect.poll(() => modelShown(page)).toBe(MODEL);
  await expect(page.getByTestId('host-view').locator('#Machine_0')).toContainText(MODEL);
  expect(await injected(page)).toEqual([]);

  // A well-formed link whose workspace is not a workspace: refused, with the reason, nothing changed.
  const bad = await encodePermalink({
    workspace: '{"format":"numascope-workspace","version":1,"pastes":[{"name":"<img src=x onerror=alert(7)>"}],"guests":[]}',
    scenes: [],
    view: { indexMode: 'both', theme: 'light' },
  });
  if (!bad.ok) throw new Error(bad.message);
  await page.goto(`/${bad.value}`);
  await expect(page.getByTestId('notice')).toContainText('a paste needs a "name" and a "text"');
  await expect(page.getByTestId('host-view').locator('#Machine_0')).toContainText(MODEL);
  expect(await injected(page)).toEqual([]);
  expect(dialogs).toEqual([]);
});
