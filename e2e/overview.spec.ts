/**
 * The node overview (issue 16): on the 24-node SGI sample, 24 tiles in groups beside the host view
 * (under it in a narrow window), a guest's bars on the nodes it holds and nowhere else, and a
 * click on a tile bringing that node's box into the host view, whole and centred; the talk's
 * 4-node host gets no overview.
 */
import type { Page } from '@playwright/test';
import { elementShot, expect, parsed, start, test, viewShot, type AppWindow } from './fixtures.ts';

type Rect = { x: number; y: number; width: number; height: number };
type HostViewWindow = { numascopeHostView: { rectOf(id: string): Rect | null } };

test.use({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });

/** How far a box is from whole and centred in the host view, in px: 0 when so (Infinity when not drawn). */
const CENTRED_PX = 3;
async function centredMiss(page: Page, id: string): Promise<number> {
  const [r, v] = await Promise.all([rect(page, id), page.getByTestId('host-view').boundingBox()]);
  if (!r || !v) return Infinity;
  const outside = Math.max(0, v.x - r.x, v.y - r.y, r.x + r.width - (v.x + v.width), r.y + r.height - (v.y + v.height));
  const off = Math.max(Math.abs(r.x + r.width / 2 - (v.x + v.width / 2)), Math.abs(r.y + r.height / 2 - (v.y + v.height / 2)));
  return Math.max(outside, off);
}

const rect = (page: Page, id: string) => page.evaluate((box) => (window as unknown as HostViewWindow).numascopeHostView.rectOf(box), id);

test('the talk host, with 4 nodes, has no overview', async ({ page }) => {
  await start(page);
  await expect(page.getByTestId('host-view')).toBeVisible();
  await expect(page.getByTestId('node-overview')).toHaveCount(0);
});

test('the 24-node sample: tiles in groups, a guest’s bars on its nodes, a click brings a node into view', async ({ page }) => {
  await start(page);
  await page.getByTestId('samples').selectOption('192em64t-24n8c2t');
  await page.waitForFunction(() => (window as unknown as AppWindow).numascope.getState().host?.nodes.length === 24);
  await parsed(page);
  const overview = page.getByTestId('node-overview');
  const tiles = overview.locator('[data-node]');
  await expect(tiles).toHaveCount(24);
  // Each package of the SGI holds one node: the tiles are grouped by distance, two nodes a blade.
  await expect(overview.getByTestId('overview-row')).toHaveCount(12);
  await expect(overview.getByTestId('overview-row').first()).toContainText('nodes 0-1');

  // A guest over a few nodes (more vCPUs than one node's 16 CPUs), laid out by the partitioning core in the page's own worker.
  const nodes = await page.evaluate(async () => {
    const w = window as unknown as AppWindow;
    const ws = w.numascopeWorkspace.getState();
    const id = ws.guests[0]?.id ?? (ws as unknown as { addGuest(): string }).addGuest();
    ws.setRequest(id, { mode: 'auto', vcpus: 24, memoryKiB: 8 * 1024 * 1024 });
    await w.numascopeWorkspace.getState().autoLayout(id);
    await w.numascopeWorkspace.getState().settled();
    const guests = w.numascope.getState().guests as { cells: { hostNodes: number[] }[] }[];
    return [...new Set(guests[0].cells.flatMap((c) => c.hostNodes))].sort((a, b) => a - b);
  });
  expect(nodes.length).toBeGreaterThan(1);
  const bars = overview.locator('[data-guest="0"]');
  await expect(bars).toHaveCount(nodes.length);
  for (const n of nodes) {
    const bar = overview.getByTestId(`overview-bars-${n}-0`);
    await expect(bar.getByTestId('overview-cpu-bar')).toHaveAttribute('width', /^[1-9]/);
    await expect(bar.getByTestId('overview-memory-bar')).toHaveAttribute('width', /^[1-9]/);
  }
  await elementShot(page.getByTestId('topology'), 'overview-24-nodes');

  // Node 12 is folded away at Fit (a run of packages); a click on its tile draws it and brings
  // its box into the view whole and centred, after the folds its zoom opens.
  const view = page.getByTestId('host-view');
  await page.getByTestId('fit').click();
  expect(await rect(page, 'NUMANode_12')).toBeNull();
  // The tile under the pointer lights its node: outlined in the overview's lit layer and in the host view's.
  await overview.getByTestId('overview-tile-12').hover();
  await expect(overview.locator('.lit-marks [data-box="NUMANode_12"]')).toHaveCount(1);
  await expect(view.locator('.lit-marks [data-box="NUMANode_12"]')).toHaveCount(1);
  await overview.getByTestId('overview-tile-12').click();
  await expect.poll(() => centredMiss(page, 'NUMANode_12'), { timeout: 10_000 }).toBeLessThanOrEqual(CENTRED_PX);
  // And it stays so: once the pointer has left the tile and the node is no longer lit, too.
  await page.mouse.move(1598, 2);
  await page.waitForTimeout(600);
  expect(await centredMiss(page, 'NUMANode_12')).toBeLessThanOrEqual(CENTRED_PX);
  // On the page's screen: the view was scrolled into sight.
  const now = await view.boundingBox();
  expect(now && now.y < 1000 && now.y + now.height > 0).toBe(true);
  await viewShot(page, 'overview-node-12-in-view');
  // From there, zoomed in, another node: the same.
  await overview.getByTestId('overview-tile-3').click();
  await expect.poll(() => centredMiss(page, 'NUMANode_3'), { timeout: 10_000 }).toBeLessThanOrEqual(CENTRED_PX);
  await page.waitForTimeout(600);
  expect(await centredMiss(page, 'NUMANode_3')).toBeLessThanOrEqual(CENTRED_PX);
  // Enter on a focused tile does the same.
  await overview.getByTestId('overview-tile-20').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => centredMiss(page, 'NUMANode_20'), { timeout: 10_000 }).toBeLessThanOrEqual(CENTRED_PX);
});

test('beside the host view in a 1600-px window, under it below 1200 px', async ({ page }) => {
  await start(page);
  await page.getByTestId('samples').selectOption('192em64t-24n8c2t');
  await page.waitForFunction(() => (window as unknown as AppWindow).numascope.getState().host?.nodes.length === 24);
  await parsed(page);
  const overview = page.getByTestId('node-overview');
  const view = page.getByTestId('host-view');
  await expect(overview.locator('[data-node]')).toHaveCount(24);
  const box = async () => {
    const [o, v] = await Promise.all([overview.boundingBox(), view.boundingBox()]);
    if (!o || !v) throw new Error('the overview or the host view is not drawn');
    return { o, v };
  };
  let { o, v } = await box();
  // Beside: to the right of the view, level with it, its foot no lower than the view's, the view's foot on screen.
  expect(o.x).toBeGreaterThanOrEqual(v.x + v.width);
  expect(o.y).toBeLessThan(v.y + 1);
  expect(o.y + o.height).toBeLessThanOrEqual(v.y + v.height + 1);
  expect(v.y + v.height).toBeLessThanOrEqual(1000);
  // Two tiles to a row, the tiles inside the overview's width.
  const tiles = await overview.locator('[data-node]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Rect));
  expect(new Set(tiles.map((t) => Math.round(t.x))).size).toBe(2);
  for (const t of tiles) expect(t.x + t.width).toBeLessThanOrEqual(o.x + o.width);
  await elementShot(page.getByTestId('topology'), 'overview-beside-24-nodes');

  await page.setViewportSize({ width: 1100, height: 900 });
  await expect.poll(async () => (await box()).o.y).toBeGreaterThanOrEqual((await box()).v.y + (await box()).v.height);
  ({ o, v } = await box());
  expect(o.width).toBeGreaterThan(v.width * 0.9);
});
