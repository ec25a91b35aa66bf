/**
 * The node overview (issue 16): on the 24-node SGI sample, 24 tiles in groups, a guest's bars on
 * the nodes it holds and nowhere else, and a click on a tile bringing that node's box into the
 * host view; the talk's 4-node host gets no overview.
 */
import { elementShot, expect, parsed, start, test, viewShot, type AppWindow } from './fixtures.ts';

type Rect = { x: number; y: number; width: number; height: number };
type HostViewWindow = { numascopeHostView: { rectOf(id: string): Rect | null } };

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

  // Node 12 is folded away at Fit ("… 19× …" packages); a click on its tile draws it and centres it.
  const view = page.getByTestId('host-view');
  await page.getByTestId('fit').click();
  const viewBox = await view.boundingBox();
  if (!viewBox) throw new Error('the host view is not drawn');
  const rect = () => page.evaluate(() => (window as unknown as HostViewWindow).numascopeHostView.rectOf('NUMANode_12'));
  const centreInView = (r: Rect | null, v: Rect) => {
    if (!r) return false;
    const cx = r.x + r.width / 2;
    const cy = r.y + r.height / 2;
    return cx > v.x && cx < v.x + v.width && cy > v.y && cy < v.y + v.height;
  };
  expect(await rect()).toBeNull();
  // The tile under the pointer lights its node: outlined in the overview's lit layer and in the host view's.
  await overview.getByTestId('overview-tile-12').hover();
  await expect(overview.locator('.lit-marks [data-box="NUMANode_12"]')).toHaveCount(1);
  await expect(view.locator('.lit-marks [data-box="NUMANode_12"]')).toHaveCount(1);
  await overview.getByTestId('overview-tile-12').click();
  await expect.poll(async () => centreInView(await rect(), (await view.boundingBox()) ?? viewBox)).toBe(true);
  // Centred, and on the page's screen: the view was scrolled into sight.
  const shown = await rect();
  const now = await view.boundingBox();
  expect(shown && now && Math.abs(shown.x + shown.width / 2 - (now.x + now.width / 2))).toBeLessThan(now ? now.width / 4 : 0);
  const viewport = page.viewportSize();
  expect(now && viewport && now.y < viewport.height && now.y + now.height > 0).toBe(true);
  // Still drawn once the pointer has left the tile and the node is no longer lit.
  await page.mouse.move(viewport ? viewport.width - 2 : 0, 2);
  await expect.poll(async () => centreInView(await rect(), (await view.boundingBox()) ?? viewBox)).toBe(true);
  await viewShot(page, 'overview-node-12-in-view');
});
