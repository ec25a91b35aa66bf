/**
 * Presenter mode and exports in a real Chromium at 1080p: the standard walk through the talk's
 * host and its golden guest, full screen, large type (every text of every diagram measured on
 * screen, and inside its box), the laser, the permalink's QR code read back by a real decoder
 * (zbarimg), recorded and reordered scenes; SVG and PNG exports checked as files; the permalink
 * opened again restores the same workspace and view.
 */
import type { Page } from '@playwright/test';
import qrcode from 'qrcode-generator';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { corpus, dragOnto, elementShot, expect, parsed, start, talkWithGuest, test, viewShot, type AppWindow } from './fixtures.ts';
import { ingest } from '../src/core/ingest/index.ts';
import { DEFAULT_REQUEST } from '../src/core/partition/request.ts';
import { solve } from '../src/core/partition/solve.ts';
import { syntheticPaste } from '../src/core/synthetic/compose.ts';
import { SYNTHETIC_PRESETS } from '../src/core/synthetic/presets.ts';
import { loadPastes } from './fixtures.ts';
import { colourDistance } from '../src/ui/present/highlight.ts';
import { CELL_PALETTE } from '../src/ui/guest/colours.ts';


interface DiagramText {
  text: string;
  /** Font size on screen: computed size × the drawing's scale. */
  px: number;
  /** The text's extent lies inside the rectangle of the box (or vCPU chip) it belongs to. */
  inside: boolean;
}

/**
 * Every text the presenter's host view draws, as a person sees it: its size on screen and
 * whether it stays inside its box. Null when the scene has no host view.
 */
async function diagramTexts(page: Page): Promise<{ texts: DiagramText[]; onCanvas: boolean; drawingInScene: boolean } | null> {
  return page.getByTestId('presenter').evaluate((p) => {
    const svg = p.querySelector<SVGSVGElement>('svg.topo');
    if (!svg) return null;
    const k = svg.getBoundingClientRect().width / svg.width.baseVal.value;
    const texts: DiagramText[] = [];
    for (const t of p.querySelectorAll<SVGTextElement>('svg.topo text, svg.topo-lit text')) {
      const text = t.textContent ?? '';
      if (!text.trim()) continue;
      const rect = t.closest('g.box, g.vcpu')?.querySelector<SVGRectElement>(':scope > rect');
      const b = t.getBBox();
      const inside =
        !!rect &&
        b.x >= rect.x.baseVal.value - 0.5 &&
        b.y >= rect.y.baseVal.value - 0.5 &&
        b.x + b.width <= rect.x.baseVal.value + rect.width.baseVal.value + 0.5 &&
        b.y + b.height <= rect.y.baseVal.value + rect.height.baseVal.value + 0.5;
      texts.push({ text, px: parseFloat(getComputedStyle(t).fontSize) * k, inside });
    }
    const scene = p.querySelector('[data-testid="scene-body"]')?.getBoundingClientRect();
    const drawn = svg.getBoundingClientRect();
    const drawingInScene = !!scene && drawn.left >= scene.left - 1 && drawn.top >= scene.top - 1 && drawn.right <= scene.right + 1 && drawn.bottom <= scene.bottom + 1;
    return { texts, onCanvas: p.querySelector('[data-testid="host-view"]')?.hasAttribute('data-canvas') ?? false, drawingInScene };
  });
}

/**
 * The "≥ 20 px at 1080p" for the diagram itself: once the view has fitted the drawing,
 * no text is smaller, none runs out of its box, and the drawing is whole on screen. Returns the
 * smallest size seen.
 */
async function expectReadable(page: Page, what: string): Promise<number> {
  let smallest = 0;
  await expect
    .poll(async () => {
      const d = await diagramTexts(page);
      smallest = d && d.texts.length > 0 ? Math.min(...d.texts.map((t) => t.px)) : 0;
      return smallest;
    }, { message: `${what}: smallest diagram text on screen (px)` })
    .toBeGreaterThanOrEqual(20);
  const d = await diagramTexts(page);
  expect(d?.onCanvas, `${what}: every label is an SVG text that was measured`).toBe(false);
  expect(d?.drawingInScene, `${what}: the drawing fits the screen`).toBe(true);
  expect(d?.texts.filter((t) => !t.inside).map((t) => t.text) ?? [], `${what}: texts running out of their box`).toEqual([]);
  expect(d?.texts.filter((t) => t.px < 20).map((t) => `${t.text} ${t.px.toFixed(1)}px`) ?? [], `${what}: texts under 20 px`).toEqual([]);
  return smallest;
}

interface ScreenText {
  text: string;
  /** Size on screen: the computed size times every zoom and scale between it and the screen. */
  px: number;
  /** Wholly inside the window and, for the scene's own text, inside the scene. */
  shown: boolean;
}

/**
 * Every text the presenter shows, HTML and SVG alike (titles, details, diagrams, legends, the
 * affinity grid), as drawn: an SVG text's size scaled by its drawing's scale on screen (its
 * bounding box on screen against its own), an HTML text's by the CSS zoom it is under.
 */
async function screenTexts(page: Page): Promise<ScreenText[]> {
  return page.getByTestId('presenter').evaluate((p) => {
    const scene = p.querySelector('[data-testid="scene-body"]')?.getBoundingClientRect();
    const out: ScreenText[] = [];
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const el = node.parentElement;
      if (!text || !el || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rect = range.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      let px = parseFloat(getComputedStyle(el).fontSize);
      if (el instanceof SVGGraphicsElement) {
        const own = el.getBBox();
        if (own.height === 0) continue;
        px *= el.getBoundingClientRect().height / own.height;
      } else {
        px *= (el as HTMLElement & { currentCSSZoom: number }).currentCSSZoom;
      }
      const inWindow = rect.left >= -1 && rect.top >= -1 && rect.right <= innerWidth + 1 && rect.bottom <= innerHeight + 1;
      const inScene = !scene || !el.closest('[data-testid="scene-body"]') || (rect.left >= scene.left - 1 && rect.top >= scene.top - 1 && rect.right <= scene.right + 1 && rect.bottom <= scene.bottom + 1);
      out.push({ text, px, shown: inWindow && inScene });
    }
    return out;
  });
}

/** The "every scene's text ≥ 20 px at 1920×1080": every text on screen, none cut off. */
async function expectSceneReadable(page: Page, what: string): Promise<ScreenText[]> {
  let texts: ScreenText[] = [];
  await expect
    .poll(async () => {
      texts = await screenTexts(page);
      return texts.length > 0 ? Math.min(...texts.map((t) => t.px)) : 0;
    }, { message: `${what}: smallest text on screen (px)` })
    .toBeGreaterThanOrEqual(20);
  expect(texts.filter((t) => t.px < 20).map((t) => `${t.text} ${t.px.toFixed(1)}px`), `${what}: texts under 20 px`).toEqual([]);
  expect(texts.filter((t) => !t.shown).map((t) => t.text), `${what}: texts cut off by the screen or the scene`).toEqual([]);
  return texts;
}

/** A computed colour ("rgb(255, 0, 255)") as #rrggbb. */
function hexOf(rgb: string): string {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** What Debian's zbarimg reads from a picture: a real QR decoder, not the encoder we draw with. */
function decodeQr(png: string): string {
  return execFileSync('zbarimg', ['--raw', '--quiet', png], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\n$/, '');
}

test.use({ viewport: { width: 1920, height: 1080 } });

type W = AppWindow;

async function fontPx(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

test('presenter journey: full screen, large type, scenes stepped with the arrows, laser, QR code', async ({ page }) => {
  await talkWithGuest(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('export-menu').locator('summary').click();
  await page.getByTestId('export-link').click();
  const link = await page.getByTestId('permalink').inputValue();
  await page.getByTestId('export-menu').locator('summary').click();
  await page.getByTestId('present').click();
  const presenter = page.getByTestId('presenter');
  await expect(presenter).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid') ?? null)).toBe('presenter');
  // No chrome: the page's header and the views' toolbars are not on screen.
  await expect(presenter.locator('button:visible')).toHaveCount(0);
  expect(await fontPx(page, '[data-testid="scene-title"]')).toBeGreaterThanOrEqual(20);
  expect(await fontPx(page, '.scene-details li')).toBeGreaterThanOrEqual(20);
  expect(await presenter.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 0, 0)');

  const walk = ['sockets', 'nodes', 'caches', 'distances', 'guest', 'pins'];
  for (const [i, kind] of walk.entries()) {
    await expect(presenter).toHaveAttribute('data-scene', kind);
    await expect(page.getByTestId('scene-count')).toHaveText(`${i + 1} / ${walk.length}`);
    if (kind === 'nodes') await expect(presenter.locator('#NUMANode_3')).toHaveClass(/\blit\b/);
    if (kind === 'distances') await expect(presenter.getByTestId('heat-0-2')).toBeVisible();
    if (kind === 'pins') await expect(presenter.getByText('vCPU 5 → 76')).toBeVisible();
    if (kind === 'sockets' || kind === 'nodes' || kind === 'caches' || kind === 'guest') await expectReadable(page, `talk host, ${kind}`);
    const texts = await expectSceneReadable(page, `talk host, ${kind}`);
    if (kind === 'distances') {
      // The matrix fills the scene's height, and its caption speaks of this host's 21.
      const [matrix, room] = await Promise.all([presenter.getByTestId('heatmap').boundingBox(), presenter.getByTestId('scene-body').boundingBox()]);
      expect(matrix && room && matrix.height / room.height, 'share of the scene the matrix fills').toBeGreaterThan(0.9);
      await expect(presenter.locator('[data-testid=heatmap] text'), 'the corner note, 8 node labels and 16 distances, all measured above').toHaveCount(25);
      await expect(presenter.getByTestId('heat-caption')).toContainText('21 ≈ 2.1× local (e.g. node 0 → 1)');
    }
    if (kind === 'pins') expect(texts.filter((t) => /^\d+$/.test(t.text)).length, 'every vCPU row drawn').toBeGreaterThanOrEqual(16);
    if (kind === 'sockets') {
      // What the scene lights (socket 0) is in a colour no guest cell has.
      const lit = hexOf(await presenter.locator('.lit-mark').first().evaluate((m) => getComputedStyle(m).stroke));
      const cells = await presenter.locator('.vcpu.pinned rect').evaluateAll((rs) => [...new Set(rs.map((r) => getComputedStyle(r).fill))]);
      expect(cells.length, 'cell colours drawn').toBe(4);
      for (const fill of [...cells.map(hexOf), ...CELL_PALETTE.map((c) => c.fill)]) expect(colourDistance(lit, fill), `highlight ${lit} vs cell ${fill}`).toBeGreaterThan(40);
    }
    // The whole machine when the scene is about its threads: nothing folded away.
    if (kind === 'sockets' || kind === 'guest') await expect(presenter.locator('.boxes .box.PU')).toHaveCount(120);
    if (kind === 'guest') await expect(presenter.locator('.vcpu.pinned')).toHaveCount(16);
    if (kind === 'guest') {
      // S saves the scene as SVG, captioned like the Export menu's files.
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('s')]);
      const file = readFileSync(await download.path(), 'utf8');
      expect(file).toContain('4 sockets, 4 NUMA nodes, 120 CPUs</text>');
      expect(file).toContain('cell 3: vCPUs 12-15, memory on node 3</text>');
      await page.mouse.move(900, 600);
      const laser = page.getByTestId('laser');
      await expect(laser).toBeVisible();
      const box = await laser.boundingBox();
      expect(box && Math.abs(box.x + box.width / 2 - 900) < 2 && Math.abs(box.y + box.height / 2 - 600) < 2).toBe(true);
    }
    await viewShot(page, `present-${i + 1}-${kind}`);
    await page.keyboard.press('ArrowRight');
  }
  // The last scene stays; ← goes back.
  await expect(presenter).toHaveAttribute('data-scene', 'pins');
  await page.keyboard.press('ArrowLeft');
  await expect(presenter).toHaveAttribute('data-scene', 'guest');

  await page.keyboard.press('q');
  const qr = page.getByTestId('qr');
  await expect(qr).toBeVisible();
  // The code carries the permalink: the same modules as the encoder makes for that link.
  const code = qrcode(0, 'L');
  code.addData(link, 'Byte');
  code.make();
  const n = code.getModuleCount();
  let dark = 0;
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (code.isDark(r, c)) dark++;
  expect(await qr.getAttribute('viewBox')).toBe(`0 0 ${n + 8} ${n + 8}`);
  expect(((await qr.locator('path').getAttribute('d')) ?? '').split('M').length - 1).toBe(dark);
  // And a real decoder reads the link back from the pixels Chromium shows.
  expect(decodeQr(await elementShot(qr, 'present-qr-code'))).toBe(link);
  expect(Number(await page.getByTestId('qr-figure').getAttribute('data-module-px'))).toBeGreaterThanOrEqual(4);
  await viewShot(page, 'present-qr');

  await page.keyboard.press('Escape');
  await expect(presenter).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => document.fullscreenElement)).toBeNull();
});

test('a screen too small for the link\'s QR code says so instead of showing an unreadable code', async ({ page }) => {
  await talkWithGuest(page);
  await page.getByTestId('export-menu').locator('summary').click();
  await page.getByTestId('export-link').click();
  const link = await page.getByTestId('permalink').inputValue();
  await page.getByTestId('export-menu').locator('summary').click();
  await page.setViewportSize({ width: 1280, height: 720 });
  // The talk's workspace needs a code of ~170 modules (version 38-40, as large as the encoder
  // makes it for this link): at 720 px each would be 3 px.
  const code = qrcode(0, 'L');
  code.addData(link, 'Byte');
  code.make();
  const modules = code.getModuleCount();
  expect(modules).toBeGreaterThan(160);
  await page.getByTestId('present').click();
  await page.keyboard.press('q');
  const message = page.getByTestId('qr-too-dense');
  await expect(message).toBeVisible();
  await expect(message).toContainText(`${modules} × ${modules} modules`);
  await expect(message).toContainText('at least 4');
  await expect(page.getByTestId('qr')).toHaveCount(0);
  await page.keyboard.press('Escape');
});

test('invented hosts in presenter mode: the diagrams of every preset read at 20 px or more at 1080p', async ({ page }) => {
  test.setTimeout(120_000);
  await start(page);
  await page.getByTestId('invent-host').click();
  const presets: [string, number][] = [
    ['intel-2s', 80],
    ['epyc-2s-nps4', 256],
    ['talk-e7', 120],
    ['cxl-2s', 64],
  ];
  for (const [id, pus] of presets) {
    await page.getByTestId('synthetic-preset').selectOption(id);
    await page.waitForFunction((n) => (window as unknown as W).numascope.getState().host?.cpus.length === n, pus);
    await parsed(page);
    await page.getByTestId('present').click();
    const presenter = page.getByTestId('presenter');
    for (const kind of ['sockets', 'nodes', 'caches', 'distances']) {
      await expect(presenter).toHaveAttribute('data-scene', kind);
      if (kind !== 'distances') await expectReadable(page, `${id}, ${kind}`);
      await expectSceneReadable(page, `${id}, ${kind}`);
      await viewShot(page, `present-${id}-${kind}`);
      await page.keyboard.press('ArrowRight');
    }
    await page.keyboard.press('Escape');
    await expect(presenter).toHaveCount(0);
  }
});

test('a host with PCI devices in presenter mode: every scene, the PCI tree\'s included, reads at 20 px or more', async ({ page }) => {
  await start(page);
  await loadPastes(page, [{ name: '24em64t-2n6c2t-pci.xml', text: corpus('hwloc-xml', '24em64t-2n6c2t-pci.xml') }]);
  await page.getByTestId('present').click();
  const presenter = page.getByTestId('presenter');
  const walk = ['sockets', 'nodes', 'caches', 'distances', 'pci'];
  for (const [i, kind] of walk.entries()) {
    await expect(presenter).toHaveAttribute('data-scene', kind);
    await expect(page.getByTestId('scene-count')).toHaveText(`${i + 1} / ${walk.length}`);
    await expectSceneReadable(page, `24em64t with PCI, ${kind}`);
    await viewShot(page, `present-pci-host-${kind}`);
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('Escape');
});

test('a 24-node host\'s distances in presenter mode: all 576 numbers, at 20 px or more, on one screen', async ({ page }) => {
  await start(page);
  await loadPastes(page, [{ name: '192em64t-24n8c2t.xml', text: corpus('hwloc-xml', '192em64t-24n8c2t.xml') }]);
  await page.getByTestId('present').click();
  const presenter = page.getByTestId('presenter');
  for (let i = 0; i < 8 && (await presenter.getAttribute('data-scene')) !== 'distances'; i++) await page.keyboard.press('ArrowRight');
  await expect(presenter).toHaveAttribute('data-scene', 'distances');
  await expectSceneReadable(page, 'SGI 24 nodes, distances');
  await expect(presenter.locator('.heat-num')).toHaveCount(24 * 24);
  await expect(presenter.locator('.heat-label')).toHaveCount(2 * 24);
  await expect(presenter.getByTestId('heat-caption')).toContainText('3 remote distances: 50 ≈ 5.0× local');
  await viewShot(page, 'present-sgi-distances');
  await page.keyboard.press('Escape');
});

test('the speaker records scenes from the current view, reorders them and presents them', async ({ page }) => {
  await talkWithGuest(page);
  await page.getByTestId('heat-1-3').hover();
  await page.getByText('Scenes (').click();
  await page.getByTestId('record-scene').click();
  const items = page.getByTestId('scene-item');
  await expect(items).toHaveCount(7);
  await expect(items.last()).toContainText('Scene 7: node 1,3');
  await page.getByRole('button', { name: 'Move scene 7 earlier' }).click();
  await expect(items.nth(5)).toContainText('Scene 7: node 1,3');
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Delete scene 1', exact: true }).click();
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText('Scene 7');
  await page.getByTestId('present').click();
  const presenter = page.getByTestId('presenter');
  await expect(presenter).toHaveAttribute('data-scene', 'recorded');
  await expect(presenter.locator('#NUMANode_1')).toHaveClass(/\blit\b/);
  await expect(presenter.locator('#NUMANode_3')).toHaveClass(/\blit\b/);
  await expect(presenter.locator('#NUMANode_0')).not.toHaveClass(/\blit\b/);
  await viewShot(page, 'present-recorded');
  await page.keyboard.press('ArrowRight');
  await expect(presenter).toHaveAttribute('data-scene', 'pins');
  await page.keyboard.press('Escape');
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function saved(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const menu = page.getByTestId('export-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

test('exports: the topology as SVG with styles inlined and as PNG at 1× and 2×, the XML and the affinity map as files', async ({ page }) => {
  await talkWithGuest(page);
  const svg = await saved(page, 'export-topology-svg');
  expect(svg.name).toBe('numascope-topology.svg');
  const text = svg.bytes.toString('utf8');
  expect(XMLValidator.validate(text)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text);
  // Captioned: the host and the guest in its title and above the drawing, a legend of the cell colours.
  expect(doc.svg.title).toMatch(/E7-8895 v2.* · 4 sockets, 4 NUMA nodes, 120 CPUs · .*: 16 vCPUs, 32(\.0)? GiB in 4 cells$/);
  expect(text).toContain('>Intel(R) Xeon(R) CPU E7-8895 v2 @ 2.80GHz · 4 sockets, 4 NUMA nodes, 120 CPUs</text>');
  const legend = [...text.matchAll(/<rect [^>]*style="fill:(#[0-9A-Fa-f]{6});stroke[^"]*"[^>]*\/><text [^>]*>([^<]*cell (\d): vCPUs [^<]*)<\/text>/g)].map((m) => [m[1].toUpperCase(), m[2]]);
  expect(legend.map(([, t]) => t.replace(/^.* cell/, 'cell'))).toEqual([0, 1, 2, 3].map((c) => `cell ${c}: vCPUs ${c * 4}-${c * 4 + 3}, memory on node ${c}`));
  expect(legend.map(([fill]) => fill)).toEqual(CELL_PALETTE.slice(0, 4).map((c) => c.fill.toUpperCase()));
  await page.evaluate((t) => {
    // Shown as a person would see the file, for the screenshot.
    const img = document.createElement('img');
    img.id = 'exported';
    img.src = URL.createObjectURL(new Blob([t], { type: 'image/svg+xml' }));
    img.style.cssText = 'position:fixed;left:0;top:0;z-index:9999;background:#fff;max-width:100vw;max-height:100vh';
    document.body.appendChild(img);
  }, text);
  await expect(page.locator('#exported')).toBeVisible();
  await viewShot(page, 'export-topology-svg');
  await page.locator('#exported').evaluate((img) => img.remove());
  const width = Number(doc.svg.width);
  const height = Number(doc.svg.height);
  expect(width).toBeGreaterThan(500);
  for (const n of [0, 1, 2, 3]) expect(text).toContain(`id="NUMANode_${n}"`);
  expect(text.match(/id="PU_\d+"/g)).toHaveLength(120);
  expect(text).toContain('id="vCPU_0_5"');
  expect(text).not.toMatch(/\bclass="/);
  expect(text).toMatch(/style="fill:rgb\(/);
  expect(text).toContain('E7-8895 v2');

  const one = pngSize((await saved(page, 'export-topology-png-1')).bytes);
  expect(one).toEqual({ width: Math.round(width), height: Math.round(height) });
  const two = await saved(page, 'export-topology-png-2');
  expect(two.name).toBe('numascope-topology@2x.png');
  expect(pngSize(two.bytes)).toEqual({ width: Math.round(width * 2), height: Math.round(height * 2) });

  const heat = (await saved(page, 'export-distances-svg')).bytes.toString('utf8');
  expect(XMLValidator.validate(heat)).toBe(true);
  expect(heat).toContain('node 0 to node 2: 21');
  expect(heat).toContain('4 sockets, 4 NUMA nodes, 120 CPUs</text>');
  expect(heat).not.toContain('cell 0: vCPUs');
  expect(heat.match(/data-testid="heat-\d-\d"/g)).toHaveLength(16);

  const xml = (await saved(page, 'export-xml-0')).bytes.toString('utf8');
  expect(xml).toContain("<vcpupin vcpu='5' cpuset='76'/>");
  const affinity = (await saved(page, 'export-affinity-0')).bytes.toString('utf8');
  expect(affinity).toContain('virsh vcpuinfo');
  expect(affinity).toMatch(/node 0/);

  // Printing: the diagrams without the page's controls.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('present')).toBeHidden();
  await expect(page.getByTestId('export-menu')).toBeHidden();
  await expect(page.getByTestId('host-view')).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
});

test('permalink: the link restores the same workspace and view, and is refused with a message when damaged', async ({ page }) => {
  await talkWithGuest(page);
  await page.getByTestId('theme').click();
  await page.getByTestId('index-mode').first().click();
  const before = await page.evaluate(() => ({ ws: (window as unknown as W).numascopeWorkspace.getState().exportWorkspace(), theme: (window as unknown as W).numascope.getState().theme, mode: (window as unknown as W).numascope.getState().indexMode }));
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('export-menu').locator('summary').click();
  await page.getByTestId('export-link').click();
  const link = await page.getByTestId('permalink').inputValue();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#w=[A-Za-z0-9_-]+$/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // A browser with nothing saved: the first-start sample and an empty guest, light theme.
  await page.evaluate(() => localStorage.clear());
  await start(page, '/?fresh');
  await page.goto(link);
  await page.waitForFunction(() => (window as unknown as W).numascope.getState().guests.length === 1);
  await page.evaluate(() => (window as unknown as W).numascopeWorkspace.getState().settled());
  const after = await page.evaluate(() => ({ ws: (window as unknown as W).numascopeWorkspace.getState().exportWorkspace(), theme: (window as unknown as W).numascope.getState().theme, mode: (window as unknown as W).numascope.getState().indexMode }));
  expect(after).toEqual(before);
  expect(new URL(page.url()).hash).toBe('');
  await expect(page.locator('#vCPU_0_5').first()).toBeVisible();

  await page.waitForTimeout(600); // the restored pastes are saved (which clears old notices)
  await page.goto(`${link.slice(0, -40)}`);
  await expect(page.getByTestId('notice')).toContainText(/The link/);
});

test('invented hosts: a preset goes through the normal ingest as a paste, the distance grid edits the matrix', async ({ page }) => {
  await start(page);
  await page.getByTestId('invent-host').click();
  await page.getByTestId('synthetic-preset').selectOption('epyc-2s-nps4');
  await expect(page.getByTestId('synthetic-matrix').locator('tbody tr')).toHaveCount(8);
  // Eight nodes on the drawing: drawn, or counted inside the folds that stand for them.
  const nodesDrawn = () =>
    page.getByTestId('host-view').evaluate((view) => {
      const folded = [...view.querySelectorAll('.box.More')].reduce((sum, m) => sum + Number(m.getAttribute('data-nodes') ?? 0), 0);
      return view.querySelectorAll('.box.NUMANode').length + folded;
    });
  await expect.poll(nodesDrawn).toBe(8);
  await expect(page.getByTestId('synthetic-matrix').locator('tbody tr')).toHaveCount(8);
  await expect(page.getByTestId('heat-0-5')).toHaveAttribute('aria-label', /node 0 to node 5: 32/);
  await page.getByTestId('dist-0-5').fill('40');
  await expect(page.getByTestId('heat-0-5')).toHaveAttribute('aria-label', /node 0 to node 5: 40/);
  await expect(page.getByTestId('heat-5-0')).toHaveAttribute('aria-label', /node 5 to node 0: 40/);
  await page.getByTestId('synthetic-preset').selectOption('talk-e7');
  await expect(page.getByTestId('host-view').locator('.box.NUMANode')).toHaveCount(4);
  await expect(page.getByTestId('synthetic-matrix').locator('tbody tr')).toHaveCount(4);
  const node0 = await page.evaluate(() => (window as unknown as { numascope: { getState(): { host: { nodes: { cpus: number[] }[] } } } }).numascope.getState().host.nodes[0].cpus);
  expect(node0).toEqual([...Array.from({ length: 15 }, (_, i) => i), ...Array.from({ length: 15 }, (_, i) => 60 + i)]);
  // A broken string is reported in the problems list like any paste's.
  await page.getByTestId('synthetic-string').fill('pack:2 [numa] core:8 pu:2(size=oops)');
  await page.getByTestId('synthetic-string').fill('pack:2 [numa] core:8');
  await expect(page.locator('body')).toContainText('“synthetic host”: this paste is not recognised as any host dump');
  await viewShot(page, 'synthetic-editor');
});

test('floating vCPUs in presenter mode: at 1080p every chip of a guest given a whole node reads at 20 px or more inside its memory box', async ({ page }) => {
  // The 2-socket Intel preset and a guest in mode node floating over one of its nodes: 36 vCPUs,
  // more chips than the node's memory box holds at the presenter's type, so some fold into "+N".
  const preset = SYNTHETIC_PRESETS.find((p) => p.id === 'intel-2s');
  if (!preset) throw new Error('no intel-2s preset');
  const pastes = [{ name: 'synthetic host', text: syntheticPaste(preset) }];
  const guest = solve(ingest(pastes).host, { ...DEFAULT_REQUEST, vcpus: 36, memoryKiB: 64 << 20, mode: 'node', pinning: 'node-float' }).layout;
  await start(page);
  await loadPastes(page, pastes);
  await page.evaluate((g) => (window as unknown as { numascope: { getState(): { setGuests(x: unknown): void } } }).numascope.getState().setGuests(g), [guest]);
  await page.getByTestId('present').click();
  const presenter = page.getByTestId('presenter');
  const title = page.getByTestId('scene-title');
  for (let i = 0; i < 8 && (await presenter.getAttribute('data-scene')) !== 'guest'; i++) await page.keyboard.press('ArrowRight');
  await expect(title).toHaveText(/^guest 1: 36 vCPUs/);
  await expect(presenter.locator('.float-tint')).not.toHaveCount(0);
  await expectReadable(page, 'intel-2s with a floating guest, guest');
  // The overlay's chips were among the texts measured, each inside its node's memory box.
  const chips = await presenter.evaluate((p) =>
    [...p.querySelectorAll<SVGGElement>('svg.topo-lit .vcpu.floating, svg.topo-lit .vcpu.floating-more')].map((g) => {
      const node = g.id ? g.id.replace(/.*_on_/, '') : (g.getAttribute('data-testid') ?? '').replace('floating-more-', '');
      const chip = g.querySelector('rect')?.getBBox();
      const box = p.querySelector<SVGRectElement>(`svg.topo #Memory_${node} > rect`)?.getBBox();
      const svg = p.querySelector<SVGSVGElement>('svg.topo');
      const k = svg ? svg.getBoundingClientRect().width / svg.width.baseVal.value : 0;
      const text = g.querySelector('text');
      return {
        text: text?.textContent ?? '',
        px: text ? parseFloat(getComputedStyle(text).fontSize) * k : 0,
        inside: !!chip && !!box && chip.x >= box.x && chip.y >= box.y && chip.x + chip.width <= box.x + box.width && chip.y + chip.height <= box.y + box.height,
      };
    }),
  );
  expect(chips.filter((c) => /^v\d+$/.test(c.text)).length, 'floating chips drawn').toBeGreaterThan(0);
  expect(chips.filter((c) => /^\+\d+ floating vCPUs$/.test(c.text)).length, 'the rest folded into one note').toBe(1);
  expect(chips.filter((c) => c.px < 20 || !c.inside)).toEqual([]);
  await viewShot(page, 'present-floating-guest');
  await page.keyboard.press('Escape');
});

test('in the presenter a vCPU is dragged like on the page: onto a PU of the presenter\'s drawing, never the page\'s under it', async ({ page }) => {
  await talkWithGuest(page);
  const xmlOf = () => page.evaluate(() => (window as unknown as AppWindow).numascopeWorkspace.getState().guests[0].xml);
  expect(await xmlOf()).toContain("<vcpupin vcpu='5' cpuset='76'/>");
  await page.getByTestId('present').click();
  const presenter = page.getByTestId('presenter');
  for (let i = 0; i < 8 && (await presenter.getAttribute('data-scene')) !== 'guest'; i++) await page.keyboard.press('ArrowRight');
  await expect(presenter).toHaveAttribute('data-scene', 'guest');
  // The page's host view is still mounted beneath, with the same ids: the drag must act on the one shown.
  await dragOnto(page, presenter.locator('#vCPU_0_5'), presenter.locator('#PU_33'));
  const hint = page.getByTestId('drop-hint');
  await expect(hint).toHaveAttribute('data-state', 'ok');
  await expect(hint).toContainText('vCPU 5 → CPU 33 on node 2');
  await page.mouse.up();
  await expect.poll(xmlOf).toContain("<vcpupin vcpu='5' cpuset='33'/>");
  const chip = await presenter.locator('#vCPU_0_5').boundingBox();
  const pu = await presenter.locator('#PU_33').boundingBox();
  expect(chip && pu && chip.x >= pu.x - 0.5 && chip.x + chip.width <= pu.x + pu.width + 0.5).toBe(true);
});
