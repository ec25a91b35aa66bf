/**
 * The diagrams in a real Chromium: drawn counts against the page's own model, the heatmap and
 * host view lighting each other up, PCI devices under their node, lstopo's keys, guests laid
 * out by the partitioning core drawn on the host and in the affinity map.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hwlocXml, SYNTHETIC_4096 } from '../bench/generate.ts';
import { ingest } from '../src/core/ingest/index.ts';
import { occupancyOf } from '../src/core/partition/occupancy.ts';
import { DEFAULT_REQUEST } from '../src/core/partition/request.ts';
import { solve } from '../src/core/partition/solve.ts';
import { corpus, dragOnto, elementShot, expect, loadPastes, screenshot, start, TALK, test } from './fixtures.ts';
import { cxlPastes } from '../tests/host/cxl-host.ts';
import { addPaste, parsed, startEmpty } from './fixtures.ts';

interface ModelCounts {
  packages: number;
  nodes: number;
  cores: number;
  pus: number;
}

async function modelCounts(page: Page): Promise<ModelCounts> {
  return page.evaluate(() => {
    const host = (window as unknown as { numascope: { getState(): { host: { packages: unknown[]; nodes: unknown[]; cores: unknown[]; cpus: unknown[] } } } }).numascope.getState().host;
    return { packages: host.packages.length, nodes: host.nodes.length, cores: host.cores.length, pus: host.cpus.length };
  });
}

/** What the host view drew: ids of its SVG boxes, and of the leaves its canvas painted last. */
type Drawn = { svg: string[]; canvas: string[] };
type ViewApi = { numascopeHostView: { drawn(): Drawn | null; rectOf(id: string): { x: number; y: number; width: number; height: number } | null } };

async function drawn(page: Page): Promise<Drawn> {
  const d = await page.evaluate(() => (window as unknown as ViewApi).numascopeHostView.drawn());
  if (!d) throw new Error('no host view');
  return d;
}

/** The whole drawing in view (F), once the frame that paints it has run. */
async function fitted(page: Page): Promise<void> {
  await page.getByTestId('fit').click();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Where a box is on screen now, whether it is an element or painted on the canvas. */
async function rectOf(page: Page, id: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const r = await page.evaluate((box) => (window as unknown as ViewApi).numascopeHostView.rectOf(box), id);
  if (!r) throw new Error(`${id} is not in the host view`);
  return r;
}

/** Drawn boxes (SVG elements and canvas-painted leaves, the whole drawing in view) plus what the "… N× …" boxes say they hold. */
async function drawnCounts(page: Page): Promise<ModelCounts> {
  await fitted(page);
  const view = page.getByTestId('host-view');
  const more = view.locator('.box.More');
  const hidden = await more.evaluateAll((els) =>
    els.reduce(
      (s, e) => ({
        packages: s.packages + Number(e.getAttribute('data-packages') ?? 0),
        nodes: s.nodes + Number(e.getAttribute('data-nodes') ?? 0),
        cores: s.cores + Number(e.getAttribute('data-cores') ?? 0),
        pus: s.pus + Number(e.getAttribute('data-pus') ?? 0),
      }),
      { packages: 0, nodes: 0, cores: 0, pus: 0 },
    ),
  );
  const { svg, canvas } = await drawn(page);
  // A box is drawn once: as an element or on the canvas, never both, never twice.
  expect(new Set([...svg, ...canvas]).size).toBe(svg.length + canvas.length);
  const painted = (kind: string) => canvas.filter((id) => id.startsWith(`${kind}_`)).length;
  const elements = (kind: string) => view.locator(`.boxes .box.${kind}`).count();
  return {
    packages: (await elements('Package')) + painted('Package') + hidden.packages,
    nodes: (await elements('NUMANode')) + painted('NUMANode') + hidden.nodes,
    cores: (await elements('Core')) + painted('Core') + hidden.cores,
    pus: (await elements('PU')) + painted('PU') + hidden.pus,
  };
}

test('the talk host is drawn box for box, and the heatmap and the nodes light each other up', async ({ page }) => {
  await start(page);
  await loadPastes(page, TALK);
  expect(await drawnCounts(page)).toEqual(await modelCounts(page));
  expect(await modelCounts(page)).toEqual({ packages: 4, nodes: 4, cores: 60, pus: 120 });
  await expect(page.locator('#PU_60')).toHaveAttribute('aria-label', 'PU L#1 P#60');

  await page.getByTestId('heat-0-2').hover();
  await expect(page.locator('#NUMANode_0')).toHaveClass(/\blit\b/);
  await expect(page.locator('#NUMANode_2')).toHaveClass(/\blit\b/);
  await expect(page.locator('#NUMANode_1')).not.toHaveClass(/\blit\b/);
  await expect(page.getByTestId('heat-readout')).toHaveText('node 0 → node 2: 21');

  await page.locator('#Memory_3').hover();
  await expect(page.getByTestId('heat-row-3')).toHaveClass(/\blit\b/);
  await expect(page.getByTestId('heat-row-0')).not.toHaveClass(/\blit\b/);
  await expect(page.locator('.hostview .tooltip')).toContainText('NUMANode L#3 P#3 (126.0 GiB)');
  await screenshot(page, 'diagrams-talk');
});

test('i cycles the indexes like lstopo; F fits, + and - zoom', async ({ page }) => {
  await start(page);
  await loadPastes(page, TALK);
  const pu = page.locator('#PU_60');
  await expect(pu).toContainText('L#1');
  await expect(pu).toContainText('P#60');
  await page.locator('body').press('i');
  await expect(page.getByTestId('index-mode')).toHaveAttribute('data-mode', 'os');
  await expect(pu).toHaveText('P#60');
  await page.locator('body').press('i');
  await expect(pu).toHaveText('L#1');
  await expect(page.locator('#Package_2')).toHaveAttribute('aria-label', /Package L#2/);
  // Pan and zoom transform the stage (one composited layer), never the drawing inside it.
  const stage = page.getByTestId('host-stage');
  const transform = () => stage.evaluate((el) => (el as HTMLElement).style.transform);
  const before = await transform();
  expect(before).toMatch(/scale/);
  await page.locator('body').press('+');
  await expect.poll(transform).not.toBe(before);
  await page.locator('body').press('F');
  await expect.poll(transform).toBe(before);
  await expect(stage).toHaveCSS('will-change', 'transform');
  // Typing in a paste box is not a shortcut.
  await page.getByTestId('paste-text').first().press('i');
  await expect(page.getByTestId('index-mode')).toHaveAttribute('data-mode', 'logical');
});

test('corpus hosts: drawn counts match the model; CPU-less nodes, offline PUs and PCI devices under their node', async ({ page }) => {
  await start(page);
  for (const file of [
    ['hwloc-linux', '128ia64-17n4s2c.lstopo.xml'],
    ['hwloc-linux', '16em64t-4s2c2t-offlines.lstopo.xml'],
    ['hwloc-xml', '192em64t-24n8c2t.xml'],
    ['hwloc-linux', '256ppc-8n8s4t.lstopo.xml'],
  ]) {
    await loadPastes(page, [{ name: file[1], text: corpus(...file) }]);
    expect(await drawnCounts(page), file[1]).toEqual(await modelCounts(page));
  }
  await loadPastes(page, [{ name: 'ia64', text: corpus('hwloc-linux', '128ia64-17n4s2c.lstopo.xml') }]);
  await expect(page.locator('#NUMANode_16')).toHaveClass(/cpuless/);
  await expect(page.locator('#Memory_16')).toContainText('memory-only');

  await loadPastes(page, [{ name: 'offlines', text: corpus('hwloc-linux', '16em64t-4s2c2t-offlines.lstopo.xml') }]);
  const offline = await page.evaluate(() => (window as unknown as { numascope: { getState(): { host: { cpus: { id: number; online: boolean }[] } } } }).numascope.getState().host.cpus.filter((c) => !c.online).length);
  expect(offline).toBeGreaterThan(0);
  await expect(page.locator('.boxes .box.PU.offline')).toHaveCount(offline);

  await loadPastes(page, [{ name: 'nvme', text: corpus('hwloc-linux', '32em64t-2n8c+dax+nvme+mic+dimms.xml') }]);
  // In the host view itself: the NVMe drive is listed in the I/O box drawn inside node 0.
  const io0 = page.locator('#IO_0');
  await expect(io0.locator('[data-bdf="0000:00:02.0"]')).toContainText('nvme0n1');
  const [nodeBox, ioBox] = [await page.locator('#NUMANode_0 > rect').boundingBox(), await io0.locator('rect').boundingBox()];
  expect(nodeBox && ioBox && ioBox.x >= nodeBox.x && ioBox.y >= nodeBox.y && ioBox.x + ioBox.width <= nodeBox.x + nodeBox.width + 0.5 && ioBox.y + ioBox.height <= nodeBox.y + nodeBox.height + 0.5).toBe(true);
  // Folded it names a few devices; a click opens the full tree with the bridges.
  const folded = await io0.locator('[data-bdf]').count();
  await io0.click();
  await expect(page.locator('#IO_0')).toHaveAttribute('aria-expanded', 'true');
  expect(await page.locator('#IO_0 [data-bdf]').count()).toBeGreaterThan(folded);
  await expect(page.locator('#IO_0 .io-line.root').first()).toContainText('root complex');
  // Devices the kernel gives no node to have a box of their own, outside every node.
  await page.locator('#IO_unknown').click();
  await expect(page.locator('#IO_unknown [data-bdf="0000:7f:08.0"]')).toHaveCount(1);
  await expect(page.locator('#IO_unknown')).toHaveAttribute('data-node', '');
  // The PCI panel keeps the detailed tree.
  const nvme = page.getByTestId('pci-node-0').locator('#PCI_0000_00_02_0');
  await expect(nvme).toContainText('nvme0n1');
  await expect(page.getByTestId('pci-node-unknown').locator('[data-bdf="0000:7f:08.0"]')).toHaveCount(1);
  await page.getByTestId('pci-node-1').hover();
  await expect(page.locator('#NUMANode_1')).toHaveClass(/\blit\b/);
  await page.locator('#IO_unknown').click();
  await page.getByTestId('fit').click();
  await screenshot(page, 'diagrams-pci');
});

test('SR-IOV virtual functions fold into their physical function with a count', async ({ page }) => {
  await start(page);
  await loadPastes(page, [{ name: 'lspci -vvv', text: readFileSync(resolve(import.meta.dirname, '../tests/fixtures/lspci/sriov-82576.vvvnn.txt'), 'utf8') }]);
  await expect(page.getByTestId('pci-vfs')).toHaveText('+ 2 VFs');
  await expect(page.getByTestId('pci-device')).toHaveCount(1);
});

test('the 4096-PU host is folded at every level; a "… N× …" box opens on click or Enter, f unfolds and folds', async ({ page }) => {
  test.setTimeout(60_000);
  await start(page);
  await loadPastes(page, [{ name: 'synthetic.xml', text: hwlocXml(SYNTHETIC_4096) }]);
  const whole = { packages: 4, nodes: 4, cores: 2048, pus: 4096 };
  expect(await drawnCounts(page)).toEqual(whole);
  const pus = async () => (await page.locator('.boxes .box.PU').count()) + (await drawn(page)).canvas.filter((id) => id.startsWith('PU_')).length;
  const before = await pus();
  expect(before).toBeLessThan(100);
  // An L3 folded with its siblings: open it, and its 64 cores are drawn (folded among themselves).
  const l3 = page.locator('.box.More[data-more^="More_L3_"]').first();
  const id = await l3.getAttribute('data-more');
  await l3.click();
  await expect(page.locator(`[data-more="${id}"]`)).toHaveCount(0);
  expect(await drawnCounts(page)).toEqual(whole);
  expect(await pus()).toBeGreaterThan(before);
  // Enter on a focused fold opens it too.
  const next = page.locator('.box.More').first();
  const nextId = await next.getAttribute('data-more');
  await next.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-more="${nextId}"]`)).toHaveCount(0);
  // f: every PU drawn (on the canvas), then folded again.
  await page.getByTestId('host-view').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('f');
  await expect(page.locator('.box.More')).toHaveCount(0);
  await expect(page.getByTestId('host-view')).toHaveAttribute('data-canvas', 'leaves');
  expect(await drawnCounts(page)).toEqual(whole);
  await page.keyboard.press('f');
  await expect(page.locator('.box.More').first()).toBeVisible();
  await screenshot(page, 'diagrams-4096');
});

/** Per PU (and core) of the model, whether the canvas pixel at its centre has the theme's colour for it. */
async function paintedWhereLaidOut(page: Page): Promise<{ pus: number; cores: number; wrong: string[] }> {
  return page.evaluate(() => {
    const api = (window as unknown as ViewApi).numascopeHostView;
    const host = (window as unknown as { numascope: { getState(): { host: { cpus: { id: number }[]; cores: { cpus: number[] }[] } } } }).numascope.getState().host;
    const viewport = document.querySelector('[data-testid="host-view"]') as HTMLElement;
    // The canvas tiles, where they are on screen, and their pixels.
    const tiles = Array.from(viewport.querySelectorAll<HTMLCanvasElement>('[data-testid="host-leaves"] canvas'), (canvas) => ({
      canvas,
      at: canvas.getBoundingClientRect(),
      pixels: (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data,
    }));
    // The colour the theme gives a custom property, as the browser resolves it.
    const rgb = (name: string) => {
      const probe = document.createElement('span');
      probe.style.color = `var(${name})`;
      viewport.appendChild(probe);
      const colour = getComputedStyle(probe).color.match(/\d+/g)?.slice(0, 3).map(Number) ?? [];
      probe.remove();
      return colour;
    };
    const wrong: string[] = [];
    const check = (id: string, colour: number[], dy: (h: number) => number) => {
      const r = api.rectOf(id);
      if (!r) return wrong.push(`${id}: not laid out`);
      const [px, py] = [r.x + r.width / 2, r.y + dy(r.height)];
      const tile = tiles.find((t) => px >= t.at.left && px < t.at.right && py >= t.at.top && py < t.at.bottom);
      if (!tile) return wrong.push(`${id}: on no tile`);
      const { canvas, at, pixels } = tile;
      const x = Math.floor(((px - at.left) * canvas.width) / at.width);
      const y = Math.floor(((py - at.top) * canvas.height) / at.height);
      const i = (y * canvas.width + x) * 4;
      const got = [pixels[i], pixels[i + 1], pixels[i + 2]];
      if (got.some((v, c) => Math.abs(v - colour[c]) > 3)) wrong.push(`${id}: rgb(${got.join(',')}) not rgb(${colour.join(',')})`);
    };
    const pu = rgb('--d-pu');
    const core = rgb('--d-core');
    for (const cpu of host.cpus) check(`PU_${cpu.id}`, pu, (h) => h / 2);
    // A core's own colour shows in its title band, above its PUs: sampled halfway down to them,
    // clear of the anti-aliased border whatever the scale.
    for (let c = 0; c < host.cores.length; c++) {
      const [core0, pu0] = [api.rectOf(`Core_${c}`), api.rectOf(`PU_${host.cores[c].cpus[0]}`)];
      check(`Core_${c}`, core, () => (core0 && pu0 ? (pu0.y - core0.y) / 2 : 0));
    }
    return { pus: host.cpus.length, cores: host.cores.length, wrong: wrong.slice(0, 10) };
  });
}

test('every PU of the 4096-PU host on the canvas: painted where laid out in the theme, a tooltip each, lit by a guest, a vCPU dropped on one', async ({ page }) => {
  test.setTimeout(120_000);
  await start(page);
  await loadPastes(page, [{ name: 'synthetic.xml', text: hwlocXml(SYNTHETIC_4096) }]);
  const panel = page.getByTestId('guest-panel');
  await panel.getByTestId('req-vcpus').fill('8');
  await panel.getByTestId('req-memory').fill('8');
  await panel.getByTestId('auto-layout').click();
  await expect(page.locator('#vCPU_0_0')).toHaveCount(1);
  await page.getByTestId('expand-all').click();
  await expect(page.locator('.box.More')).toHaveCount(0);
  expect(await drawnCounts(page)).toEqual({ packages: 4, nodes: 4, cores: 2048, pus: 4096 });
  const view = page.getByTestId('host-view');
  // What a screen reader hears in place of 6144 boxes.
  await expect(view).toHaveAccessibleName('Topology of the host: 4 packages, 4 NUMA nodes, 2048 cores, 4096 PUs');
  await expect(view).toHaveAccessibleDescription(/4096 PUs and their cores are drawn as one picture: point at one for its details/);
  await view.scrollIntoViewIfNeeded();
  await fitted(page);
  expect(await paintedWhereLaidOut(page)).toEqual({ pus: 4096, cores: 2048, wrong: [] });
  await elementShot(view, 'diagrams-4096-all-fit');

  // Hover: a canvas PU has its tooltip and lights its node, found by position.
  const pu = await rectOf(page, 'PU_2500');
  await page.mouse.move(pu.x + pu.width / 2, pu.y + pu.height / 2);
  const tip = page.locator('.hostview .tooltip');
  await expect(tip).toContainText('PU L#2500 P#2500');
  await expect(tip).toContainText('NUMA node 2');
  await expect(page.locator('#NUMANode_2')).toHaveClass(/\blit\b/);
  expect(await page.evaluate(({ x, y }) => (window as unknown as { numascopeHostView: { boxAt(x: number, y: number): string | null } }).numascopeHostView.boxAt(x, y), { x: pu.x + pu.width / 2, y: pu.y + pu.height / 2 })).toBe('PU_2500');

  // A guest's chip over a canvas PU: its tooltip, and its PU lit in the highlight layer.
  const pinned = await page.evaluate(() => (window as unknown as { numascope: { getState(): { guests: { pins: { vcpu: number; cpus: number[] }[] }[] } } }).numascope.getState().guests[0].pins.find((p) => p.vcpu === 0)?.cpus[0]);
  const chip = page.locator('#vCPU_0_0');
  await chip.hover();
  await expect(tip).toContainText('vCPU 0');
  await expect(tip).toContainText(`pinned to CPU ${pinned}`);
  await expect(page.locator(`.topo-lit [data-box="PU_${pinned}"]`)).toHaveClass(/lit-mark fill/);

  // Drag that vCPU onto PU 1500 (node 1), painted on the canvas: the target shows in the
  // highlight layer, the hint gives the cost, the drop pins it there.
  await dragOnto(page, chip, await rectOf(page, 'PU_1500'));
  const hint = page.getByTestId('drop-hint');
  await expect(hint).toContainText('vCPU 0 → CPU 1500 on node 1');
  await expect(hint).toHaveAttribute('data-state', 'ok');
  await expect(page.locator('.topo-lit [data-box="PU_1500"]')).toHaveClass(/dnd-target.*dnd-ok/);
  await page.mouse.up();
  await expect(hint).toHaveCount(0);
  await expect(page.locator('.topo-lit [data-box="PU_1500"]')).toHaveCount(0);
  const xml = () => page.evaluate(() => (window as unknown as { numascopeWorkspace: { getState(): { guests: { xml: string }[] } } }).numascopeWorkspace.getState().guests[0].xml);
  await expect.poll(xml).toContain("<vcpupin vcpu='0' cpuset='1500'/>");
  await expect.poll(async () => {
    const [c, p] = [await chip.boundingBox(), await rectOf(page, 'PU_1500')];
    return !!c && c.x >= p.x - 0.5 && c.y >= p.y - 0.5 && c.x + c.width <= p.x + p.width + 0.5 && c.y + c.height <= p.y + p.height + 0.5;
  }).toBe(true);

  // The keyboard path targets canvas PUs the same way.
  await page.getByTestId('vcpu-chip-1').focus();
  await page.keyboard.press('Enter');
  await expect(hint).toContainText(/vCPU 1 → CPU (\d+) on node/);
  const target = /CPU (\d+) on node/.exec((await hint.textContent()) ?? '')?.[1];
  await expect(page.locator(`.topo-lit [data-box="PU_${target}"]`)).toHaveClass(/dnd-target/);
  await page.keyboard.press('Escape');
  await expect(hint).toHaveCount(0);

  // Zoomed in, the canvas is painted again at the new scale, labels and all; dark theme too.
  await view.hover({ position: { x: 40, y: 40 } });
  for (let i = 0; i < 9; i++) await page.locator('body').press('+');
  await page.waitForTimeout(600);
  await elementShot(view, 'diagrams-4096-all-zoom');
  await page.getByTestId('theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.waitForTimeout(300);
  await elementShot(view, 'diagrams-4096-all-zoom-dark');
  await fitted(page);
  expect(await paintedWhereLaidOut(page)).toEqual({ pus: 4096, cores: 2048, wrong: [] });
  await elementShot(view, 'diagrams-4096-all-fit-dark');
});

test('guests from the partitioning core: pinned PUs carry their vCPU, hover tells the distance, the affinity map copies', async ({ page }) => {
  const host = ingest(TALK).host;
  // DESIGN.md §3's golden layout: the whole host mirrored, 1:1 pins.
  const golden = solve(host, { ...DEFAULT_REQUEST, mode: 'host' }).layout;
  const floating = solve(host, { ...DEFAULT_REQUEST, vcpus: 8, memoryKiB: 16 << 20, mode: 'node', pinning: 'node-float' }, occupancyOf([{ name: 'golden', layout: golden }])).layout;
  await start(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await loadPastes(page, TALK);
  await page.evaluate((g) => (window as unknown as { numascope: { getState(): { setGuests(x: unknown): void } } }).numascope.getState().setGuests(g), [golden, floating]);

  // vCPU 5 of the golden guest sits on CPU 76 (DESIGN.md §3).
  const v5 = page.locator('#vCPU_0_5');
  await expect(v5).toHaveText('v5');
  const [a, b] = [await v5.boundingBox(), await page.locator('#PU_76').boundingBox()];
  expect(a && b && a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width + 0.5).toBe(true);
  await v5.hover();
  const tip = page.locator('.hostview .tooltip');
  await expect(tip).toContainText('vCPU 5 · cell 1');
  await expect(tip).toContainText('pinned to CPU 76 (node 1)');
  await expect(tip).toContainText('memory on node 1');
  await expect(tip).toContainText('distance 10 (local)');
  await expect(page.locator('#NUMANode_1')).toHaveClass(/\blit\b/);

  // The floating guest tints its node and puts one chip per vCPU there.
  const node = floating.cells[0].hostNodes[0];
  await expect(page.locator(`[id^="vCPU_1_"][id$="_on_${node}"]`)).toHaveCount(8);
  await expect(page.locator('.float-tint')).toHaveCount(1);
  await expect(page.getByTestId(`mem-bar-1-0-${node}`)).toHaveCount(1);

  await expect(page.getByTestId('affinity-0').getByTestId('aff-row')).toHaveCount(16);
  await expect(page.getByTestId('affinity-1').getByTestId('aff-row')).toHaveCount(8);
  await page.getByTestId('affinity-0').getByTestId('copy-grid').click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.split('\n')[0]).toMatch(/^vCPU\s+cell\s+node 0/);
  expect(copied).toContain('-*-------------');
  await screenshot(page, 'diagrams-guests');

  await page.getByTestId('theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'diagrams-guests-dark');
});

test('the 4096-PU host drawn on the canvas exports every core and PU to SVG, styled, and leaves the page as it was', async ({ page }) => {
  test.setTimeout(120_000);
  await start(page);
  await loadPastes(page, [{ name: 'synthetic.xml', text: hwlocXml(SYNTHETIC_4096) }]);
  await page.getByTestId('expand-all').click();
  await expect(page.getByTestId('host-view')).toHaveAttribute('data-canvas', 'leaves');
  const before = await page.locator('svg.topo *').count();
  const menu = page.getByTestId('export-menu');
  await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-topology-svg').click()]);
  const text = readFileSync(await download.path(), 'utf8');
  expect(text.match(/id="PU_\d+"/g)).toHaveLength(4096);
  expect(text.match(/id="Core_\d+"/g)).toHaveLength(2048);
  expect(text).toContain('id="NUMANode_3"');
  expect(text).not.toMatch(/\bclass="/);
  // Styles are inlined from the page's CSS, as for every drawing.
  expect(text).toMatch(/<g id="PU_4095"[^>]*><rect[^>]*style="fill:rgb\(/);
  expect(await page.locator('svg.topo *').count()).toBe(before);
});

test('CPU-less nodes pasted from numactl -H are drawn beside their nearest node by distance, not in the memories row', async ({ page }) => {
  // Debian's numactl -H and lscpu over the sysfs of a corpus host with CXL/HBM nodes added (tests/host/cxl-host.ts).
  const pastes = cxlPastes();
  await startEmpty(page);
  await addPaste(page, pastes.numactl, 'numactl -H');
  await parsed(page);
  await expect(page.locator('#NUMANode_84')).toHaveCount(1);
  await fitted(page);
  const within = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
  const node33 = await rectOf(page, 'NUMANode_33');
  const memory33 = await rectOf(page, 'Memory_33');
  // HBM 81 and 83 (nearest to 81) are nearest to node 33: inside its box, in the row of its memory.
  for (const id of [81, 83]) {
    const box = await rectOf(page, `NUMANode_${id}`);
    expect(within(box, node33), `node ${id} inside node 33`).toBe(true);
    expect(Math.abs(box.y - memory33.y), `node ${id} in the row of node 33's memory`).toBeLessThan(1);
    await expect(page.locator(`#NUMANode_${id}`)).toHaveClass(/\bcpuless\b/);
  }
  // Only the nodes hwloc places nowhere (as near to all, or nearest to one that is) stay in the memories row.
  const memories = await rectOf(page, 'Memories_0');
  for (const id of [82, 84]) expect(within(await rectOf(page, `NUMANode_${id}`), memories), `node ${id} in the memories row`).toBe(true);
  for (const id of [80, 81, 83]) expect(within(await rectOf(page, `NUMANode_${id}`), memories), `node ${id} not in the memories row`).toBe(false);
  // The Host panel says where each sits and that it was inferred.
  await expect(page.getByTestId('node-row-81').getByTestId('node-cpus')).toHaveText('— (beside node 33, by distance)');
  await expect(page.getByTestId('node-row-80').getByTestId('node-cpus')).toHaveText('— (beside node 0-1, by distance)');
  await expect(page.getByTestId('node-row-82').getByTestId('node-cpus')).toHaveText('—');
  await elementShot(page.getByTestId('host-view'), 'diagrams-cpuless-by-distance-numactl');

  // With lscpu the packages are known: CXL node 80, as near to both nodes of socket 0, sits in
  // that package, in the row of memory above its two nodes, as lstopo draws it.
  await addPaste(page, pastes.lscpu, 'lscpu');
  await parsed(page);
  await expect(page.locator('#Package_0')).toHaveCount(1);
  await fitted(page);
  const package0 = await rectOf(page, 'Package_0');
  const node80 = await rectOf(page, 'NUMANode_80');
  expect(within(node80, package0), 'node 80 inside package 0').toBe(true);
  for (const id of [0, 1]) {
    const node = await rectOf(page, `NUMANode_${id}`);
    expect(within(node80, node), `node 80 not inside node ${id}`).toBe(false);
    expect(node80.y + node80.height, `node 80 above node ${id}`).toBeLessThanOrEqual(node.y + 0.5);
  }
  expect(within(await rectOf(page, 'NUMANode_81'), await rectOf(page, 'NUMANode_33')), 'node 81 still inside node 33').toBe(true);
  await expect(page.locator('#Memories_0 #NUMANode_82, #Memories_0 #NUMANode_84')).toHaveCount(2);
  // Numbered as lstopo numbers them on the same machine: by where they sit.
  const numbered = [...pastes.lstopo.matchAll(/NUMANode L#(\d+) \(P#(8\d)/g)];
  expect(numbered.map((m) => Number(m[2]))).toEqual([80, 81, 83, 82, 84]);
  for (const [, l, p] of numbered) await expect(page.locator(`#Memory_${p}`)).toContainText(`NUMANode L#${l} P#${p} (64 GiB)`);
  await screenshot(page, 'diagrams-cpuless-by-distance');
  await elementShot(page.getByTestId('host-view'), 'diagrams-cpuless-by-distance-view');
});

test('floating vCPUs on a KNL tint only what they may run on: the MCDRAM node inside a quadrant stays clear and shows its memory bar', async ({ page }) => {
  const knl = [{ name: 'knl.xml', text: corpus('hwloc-xml', '64intel64-fakeKNL-SNC4-hybrid.xml') }];
  const host = ingest(knl).host;
  // Mode node floats the vCPUs over DRAM quadrants; the tier puts a memory-only cell on an MCDRAM node.
  const guest = solve(host, { ...DEFAULT_REQUEST, vcpus: 8, memoryKiB: 4 << 20, mode: 'node', pinning: 'node-float', tierMemoryKiB: 1 << 20 }).layout;
  const tier = guest.cells.find((c) => c.vcpus.length === 0);
  const cpuNodes = [...new Set(guest.cells.filter((c) => c.vcpus.length > 0).flatMap((c) => c.hostNodes))];
  expect(tier?.hostNodes.length, 'a cell on one MCDRAM node').toBe(1);
  await start(page);
  await loadPastes(page, knl);
  await page.evaluate((g) => (window as unknown as { numascope: { getState(): { setGuests(x: unknown): void } } }).numascope.getState().setGuests(g), [guest]);
  await expect(page.locator('.float-tint')).toHaveCount(cpuNodes.length);
  await fitted(page);

  // Per tinted node: the painted area holds its PUs but not the memory-only nodes drawn inside it.
  const probes = await page.evaluate((nodes) => {
    const centre = (el: Element) => {
      const r = el.querySelector<SVGRectElement>(':scope > rect');
      if (!r) throw new Error(`${el.id} has no rect`);
      return new DOMPoint(r.x.baseVal.value + r.width.baseVal.value / 2, r.y.baseVal.value + r.height.baseVal.value / 2);
    };
    return nodes.map((n) => {
      const area = document.querySelector<SVGPathElement>(`[data-testid="float-tint-0-${n}"] path.tint-area`);
      const box = document.querySelector(`svg.topo #NUMANode_${n}`);
      if (!area || !box) throw new Error(`node ${n} is not tinted`);
      const holes = [...box.querySelectorAll('.box.NUMANode.cpuless')];
      return {
        node: n,
        pus: [...box.querySelectorAll('.box.PU')].map((pu) => area.isPointInFill(centre(pu))),
        holes: holes.map((h) => ({ id: h.id, tinted: area.isPointInFill(centre(h)) })),
      };
    });
  }, cpuNodes);
  for (const p of probes) {
    expect(p.pus.length, `node ${p.node} has PUs`).toBeGreaterThan(0);
    expect(p.pus.every(Boolean), `every PU of node ${p.node} is tinted`).toBe(true);
    expect(p.holes.length, `node ${p.node} holds its quadrant's MCDRAM`).toBe(1);
    expect(p.holes.filter((h) => h.tinted), `memory-only nodes tinted inside node ${p.node}`).toEqual([]);
  }

  // The MCDRAM cell's memory bar sits in that node's memory box, on top where a person points.
  const mcdram = tier?.hostNodes[0] ?? -1;
  const bar = page.getByTestId(`mem-bar-0-${tier?.id}-${mcdram}`);
  await expect(bar).toHaveCount(1);
  const [b, m] = [await bar.boundingBox(), await page.locator(`svg.topo #Memory_${mcdram} > rect`).boundingBox()];
  expect(b && m && b.x >= m.x - 0.5 && b.y >= m.y - 0.5 && b.x + b.width <= m.x + m.width + 0.5 && b.y + b.height <= m.y + m.height + 0.5, 'bar inside the MCDRAM memory box').toBe(true);
  const top = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.getAttribute('data-testid') ?? null, [(b?.x ?? 0) + (b?.width ?? 0) / 2, (b?.y ?? 0) + (b?.height ?? 0) / 2]);
  expect(top).toBe(`mem-bar-0-${tier?.id}-${mcdram}`);

  // Chips stay inside their node's memory box and clear of its lines of text.
  const chips = await page.evaluate(() =>
    [...document.querySelectorAll<SVGGElement>('.guests .vcpu.floating, .guests .vcpu.floating-more')].map((g) => {
      const node = g.id ? g.id.replace(/.*_on_/, '') : (g.getAttribute('data-testid') ?? '').replace('floating-more-', '');
      const chip = g.querySelector('rect')?.getBBox();
      const mem = document.querySelector<SVGGElement>(`svg.topo #Memory_${node}`);
      const box = mem?.querySelector('rect')?.getBBox();
      const lines = [...(mem?.querySelectorAll<SVGTextElement>('text') ?? [])].map((t) => t.getBBox());
      const overlaps = (a: DOMRect, c: DOMRect) => a.x < c.x + c.width && c.x < a.x + a.width && a.y < c.y + c.height && c.y < a.y + a.height;
      return {
        id: g.id || g.getAttribute('data-testid'),
        inside: !!chip && !!box && chip.x >= box.x && chip.y >= box.y && chip.x + chip.width <= box.x + box.width && chip.y + chip.height <= box.y + box.height,
        onText: !!chip && lines.some((l) => overlaps(chip, l)),
      };
    }),
  );
  expect(chips.length).toBeGreaterThan(0);
  expect(chips.filter((c) => !c.inside || c.onText)).toEqual([]);
  await screenshot(page, 'diagrams-knl-floating');
  await elementShot(page.locator(`svg.topo #NUMANode_${cpuNodes[0]}`), 'diagrams-knl-floating-node');
});
