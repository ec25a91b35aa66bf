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
import { corpus, expect, parsed, screenshot, test } from './fixtures.ts';

interface ModelCounts {
  packages: number;
  nodes: number;
  cores: number;
  pus: number;
}

/** Replaces the pastes through the page's own store (large dumps would take long to type). */
async function load(page: Page, pastes: { name: string; text: string }[]): Promise<void> {
  // The first start loads the talk sample; let it land first so it cannot overwrite ours.
  await page.waitForFunction(() => (window as unknown as { numascope?: { getState(): { host: unknown } } }).numascope?.getState().host != null);
  await parsed(page);
  await page.evaluate((p) => {
    const w = window as unknown as { numascope: { getState(): { host: unknown; replacePastes(x: unknown): void } }; previousHost?: unknown };
    w.previousHost = w.numascope.getState().host;
    w.numascope.getState().replacePastes(p);
  }, pastes);
  await page.waitForFunction(() => {
    const w = window as unknown as { numascope: { getState(): { host: unknown; status: string } }; previousHost?: unknown };
    const s = w.numascope.getState();
    return s.status === 'ready' && s.host !== w.previousHost;
  });
}

async function modelCounts(page: Page): Promise<ModelCounts> {
  return page.evaluate(() => {
    const host = (window as unknown as { numascope: { getState(): { host: { packages: unknown[]; nodes: unknown[]; cores: unknown[]; cpus: unknown[] } } } }).numascope.getState().host;
    return { packages: host.packages.length, nodes: host.nodes.length, cores: host.cores.length, pus: host.cpus.length };
  });
}

/** Drawn boxes plus what the "… N more" boxes say they hold. */
async function drawnCounts(page: Page): Promise<ModelCounts> {
  const view = page.getByTestId('host-view');
  const more = view.locator('.box.More');
  const hidden = await more.evaluateAll((els) =>
    els.reduce((s, e) => ({ cores: s.cores + Number(e.getAttribute('data-cores') ?? 0), pus: s.pus + Number(e.getAttribute('data-pus') ?? 0) }), { cores: 0, pus: 0 }),
  );
  return {
    packages: await view.locator('.box.Package').count(),
    nodes: await view.locator('.box.NUMANode').count(),
    cores: (await view.locator('.box.Core').count()) + hidden.cores,
    pus: (await view.locator('.box.PU').count()) + hidden.pus,
  };
}

const TALK = [
  { name: 'lscpu', text: corpus('pasted', 'talk-e7-8895v2.lscpu.txt') },
  { name: 'numactl -H', text: corpus('pasted', 'talk-e7-8895v2.numactl-H.txt') },
];

test('the talk host is drawn box for box, and the heatmap and the nodes light each other up', async ({ page }) => {
  await page.goto('/');
  await load(page, TALK);
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
  await page.goto('/');
  await load(page, TALK);
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
  await page.goto('/');
  for (const file of [
    ['hwloc-linux', '128ia64-17n4s2c.lstopo.xml'],
    ['hwloc-linux', '16em64t-4s2c2t-offlines.lstopo.xml'],
    ['hwloc-xml', '192em64t-24n8c2t.xml'],
    ['hwloc-linux', '256ppc-8n8s4t.lstopo.xml'],
  ]) {
    await load(page, [{ name: file[1], text: corpus(...file) }]);
    expect(await drawnCounts(page), file[1]).toEqual(await modelCounts(page));
  }
  await load(page, [{ name: 'ia64', text: corpus('hwloc-linux', '128ia64-17n4s2c.lstopo.xml') }]);
  await expect(page.locator('#NUMANode_16')).toHaveClass(/cpuless/);
  await expect(page.locator('#Memory_16')).toContainText('memory-only');

  await load(page, [{ name: 'offlines', text: corpus('hwloc-linux', '16em64t-4s2c2t-offlines.lstopo.xml') }]);
  const offline = await page.evaluate(() => (window as unknown as { numascope: { getState(): { host: { cpus: { id: number; online: boolean }[] } } } }).numascope.getState().host.cpus.filter((c) => !c.online).length);
  expect(offline).toBeGreaterThan(0);
  await expect(page.locator('.box.PU.offline')).toHaveCount(offline);

  await load(page, [{ name: 'nvme', text: corpus('hwloc-linux', '32em64t-2n8c+dax+nvme+mic+dimms.xml') }]);
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
  await page.goto('/');
  await load(page, [{ name: 'lspci -vvv', text: readFileSync(resolve(import.meta.dirname, '../tests/fixtures/lspci/sriov-82576.vvvnn.txt'), 'utf8') }]);
  await expect(page.getByTestId('pci-vfs')).toHaveText('+ 2 VFs');
  await expect(page.getByTestId('pci-device')).toHaveCount(1);
});

test('the 4096-PU host is factorised; a "… more" box expands on click', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/');
  await load(page, [{ name: 'synthetic.xml', text: hwlocXml(SYNTHETIC_4096) }]);
  expect(await drawnCounts(page)).toEqual({ packages: 4, nodes: 4, cores: 2048, pus: 4096 });
  const pus = await page.locator('.box.PU').count();
  expect(pus).toBeLessThan(400);
  const more = page.locator('.box.More').first();
  const hiddenPus = Number(await more.getAttribute('data-pus'));
  await more.click();
  await expect(page.locator('.box.PU')).toHaveCount(pus + hiddenPus);
  expect(await drawnCounts(page)).toEqual({ packages: 4, nodes: 4, cores: 2048, pus: 4096 });
  await screenshot(page, 'diagrams-4096');
});

test('guests from the partitioning core: pinned PUs carry their vCPU, hover tells the distance, the affinity map copies', async ({ page }) => {
  const host = ingest(TALK).host;
  const golden = solve(host, DEFAULT_REQUEST).layout;
  const floating = solve(host, { ...DEFAULT_REQUEST, vcpus: 8, memoryKiB: 16 << 20, mode: 'node', pinning: 'node-float' }, occupancyOf([{ name: 'golden', layout: golden }])).layout;
  await page.goto('/');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await load(page, TALK);
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
