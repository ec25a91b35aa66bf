import { addPaste, clipboardPaste, corpus, elementShot, expect, parsed, screenshot, start, startEmpty, TALK, test, viewShot } from './fixtures.ts';
import type { Page } from '@playwright/test';

const [{ text: TALK_LSCPU }, { text: TALK_NUMACTL }] = TALK;

/** The talk host (DESIGN.md §3): 4 nodes × 15 cores × 2 threads, node0 = 0-14,60-74, 10/21. */
async function expectTalkHost(page: Page): Promise<void> {
  await parsed(page);
  await expect(page.getByTestId('count-nodes')).toHaveText('4');
  await expect(page.getByTestId('count-cpus')).toHaveText('120 / 120');
  await expect(page.getByTestId('count-packages')).toHaveText('4');
  await expect(page.getByTestId('count-cores')).toHaveText('60');
  await expect(page.getByTestId('machine-line')).toContainText('E7-8895 v2');
  const cpus = ['0-14,60-74', '15-29,75-89', '30-44,90-104', '45-59,105-119'];
  for (let n = 0; n < 4; n++) {
    const row = page.getByTestId(`node-row-${n}`);
    await expect(row.getByTestId('node-cpus')).toHaveText(cpus[n]);
    await expect(row).toContainText('cpu+memory');
    for (let m = 0; m < 4; m++) {
      await expect(page.getByTestId(`distance-${n}-${m}`)).toHaveText(n === m ? '10' : '21');
    }
  }
  // numactl -H gives MB: node 0 size 128602 MB.
  await expect(page.getByTestId('node-row-0').getByTestId('node-memory')).toHaveText('125.6 GiB');
}

test('a fresh start shows the talk host', async ({ page }) => {
  await start(page);
  await expectTalkHost(page);
  await expect(page.getByTestId('source-item')).toHaveCount(2);
  await expect(page.getByTestId('source-item').first()).toContainText('lscpu');
  await screenshot(page, 'talk-host');
});

test('a domain XML half pasted into the guest panel before any host is still there when the host arrives', async ({ page }) => {
  await startEmpty(page);
  const half = "<domain type='kvm'>\n  <name>web1</name>\n  <vcpu>8";
  await page.getByTestId('paste-xml-toggle').click();
  await page.getByTestId('guest-xml-paste').fill(half);
  for (const p of TALK) await addPaste(page, p.text, p.name);
  await parsed(page);
  // the dock has its tabs now, and the guest panel under them is the one written in
  await expect(page.getByTestId('dock-tab-audit')).toBeVisible();
  await expect(page.getByTestId('guest-xml-paste')).toHaveValue(half);
});

test('the talk lscpu and numactl -H pasted as one paste give the same host', async ({ page }) => {
  await startEmpty(page);
  await addPaste(page, `${TALK_LSCPU}\n${TALK_NUMACTL}`, 'talk, both outputs');
  await expectTalkHost(page);
  await expect(page.getByTestId('source-item')).toHaveCount(2);
  await expect(page.getByTestId('unrecognised')).toHaveCount(0);
});

test('the talk lscpu and numactl -H pasted as two pastes give the same host', async ({ page }) => {
  await startEmpty(page);
  await addPaste(page, TALK_LSCPU, 'lscpu');
  await addPaste(page, TALK_NUMACTL, 'numactl -H');
  // Each box kept its own output: the second one did not land in the first.
  await expect(page.getByTestId('paste-name')).toHaveCount(2);
  await expect(page.getByTestId('paste-name').nth(0)).toHaveValue('lscpu');
  await expect(page.getByTestId('paste-text').nth(0)).toHaveValue(TALK_LSCPU);
  await expectTalkHost(page);
  await expect(page.getByTestId('source-item')).toHaveCount(2);
});

test('garbage gets a clear message and nothing breaks', async ({ page }) => {
  await startEmpty(page);
  await addPaste(page, 'Dear diary,\nto day I <b>bought</b> a <script>alert(1)</script> server.\n\u0007\u0001 \uFFFD', 'diary');
  await parsed(page);
  const message = page.getByTestId('unrecognised');
  await expect(message).toHaveCount(1);
  await expect(message).toContainText('not recognised as any host dump');
  // Diagnostics are text: the markup in the paste must not have become elements.
  await expect(page.locator('.results b, .results script')).toHaveCount(0);
  await expect(page.getByTestId('node-row-0')).toHaveCount(0);
  await screenshot(page, 'garbage');

  // The page still works: a real paste after the garbage is read as usual, and a diagnostic
  // quoting a line with markup in it shows that markup as text.
  const markup = '<img src="x" onerror="document.title=1">';
  await page.getByTestId('paste-text').first().fill(TALK_NUMACTL.replace('node distances:', `${markup}\nnode distances:`));
  await parsed(page);
  await expect(page.getByTestId('unrecognised')).toHaveCount(0);
  await expect(page.getByTestId('count-nodes')).toHaveText('4');
  await expect(page.getByTestId('diagnostic').filter({ hasText: markup })).toHaveCount(1);
  await expect(page.locator('.results img')).toHaveCount(0);
});

test('a hwloc XML with PCI devices lists them with their nodes', async ({ page }) => {
  await startEmpty(page);
  await addPaste(page, corpus('hwloc-xml', '24em64t-2n6c2t-pci.xml'), '24em64t-2n6c2t-pci.xml');
  await parsed(page);
  await expect(page.getByTestId('count-nodes')).toHaveText('2');
  await expect(page.getByTestId('count-cpus')).toHaveText('24 / 24');
  const table = page.getByTestId('pci-table');
  await expect(table).toBeVisible();
  const rows = table.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThan(0);
  // Every device on this machine hangs below a package, so each has a node 0 or 1.
  const nodes = await table.getByTestId('pci-node').allTextContents();
  expect(nodes.length).toBeGreaterThan(0);
  for (const node of nodes) expect(['0', '1']).toContain(node);
  await screenshot(page, 'hwloc-pci');
});

test('a reload keeps the pastes', async ({ page }) => {
  await startEmpty(page);
  await addPaste(page, TALK_NUMACTL, 'kept numactl');
  await parsed(page);
  await expect(page.getByTestId('count-nodes')).toHaveText('4');
  await page.reload();
  await expect(page.getByTestId('paste')).toHaveCount(1);
  await expect(page.getByTestId('paste-name')).toHaveValue('kept numactl');
  await expect(page.getByTestId('paste-text')).toHaveValue(TALK_NUMACTL);
  await parsed(page);
  await expect(page.getByTestId('count-nodes')).toHaveText('4');
});

test('a 10 MB paste is parsed off the page, and a newer paste supersedes it', async ({ page }) => {
  await startEmpty(page);
  const big = `${TALK_LSCPU}\n${'a log line that is not part of any host dump, 0123456789\n'.repeat(180_000)}`;
  expect(big.length).toBeGreaterThan(10_000_000);
  await page.getByTestId('add-paste').click();
  await clipboardPaste(page.getByTestId('paste-text'), big);
  // Too big for a textarea: shown as a preview, parsed in full.
  await expect(page.getByTestId('paste-preview')).toContainText('CPU(s):           120');
  await expect(page.getByTestId('parse-status')).toHaveAttribute('data-status', 'parsing');
  await parsed(page);
  await expect(page.getByTestId('count-cpus')).toHaveText('120 / 120');
  await expect(page.getByTestId('source-item')).toHaveCount(1);
  await expect(page.getByTestId('source-item')).toContainText('lscpu');
  await expect(page.getByTestId('notice')).toContainText('Too large to keep across a reload: “paste 1”');

  // Change the big paste's name (a new parse of 10 MB starts), then at once replace it by another.
  await page.getByTestId('paste-name').fill('big, renamed');
  await addPaste(page, TALK_NUMACTL, 'numactl');
  await page.getByRole('button', { name: 'Remove big, renamed' }).click();
  await parsed(page);
  await expect(page.getByTestId('paste')).toHaveCount(1);
  await expect(page.getByTestId('source-item')).toHaveCount(1);
  await expect(page.getByTestId('source-item')).toContainText('numactl');
  await expect(page.getByTestId('count-nodes')).toHaveText('4');
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('paste-name')).toHaveValue('numactl');
});

test('a KNL pasted as hwloc XML: each MCDRAM node drawn where lstopo puts it, beside its quadrant’s DRAM, on the page and in presenter mode', async ({ page }) => {
  await startEmpty(page);
  await addPaste(page, corpus('hwloc-xml', '64intel64-fakeKNL-SNC4-hybrid.xml'), 'knl.xml');
  await parsed(page);
  await expect(page.getByTestId('count-nodes')).toHaveText('8');
  // lstopo's own text of the machine: each MemorySideCache L3 holds a DRAM node, an MCDRAM node and cores.
  const quadrants: { l3: number; dram: [number, number]; mcdram: [number, number]; firstPu: number }[] = [];
  for (const block of corpus('hwloc-xml', '64intel64-fakeKNL-SNC4-hybrid.lstopo.txt').split(/\n(?= {2}L3)/).slice(1)) {
    const dram = /NUMANode\(DRAM\) L#(\d+) \(P#(\d+)/.exec(block);
    const mcdram = /NUMANode\(MCDRAM\) L#(\d+) \(P#(\d+)/.exec(block);
    const pu = /PU L#\d+ \(P#(\d+)\)/.exec(block);
    const l3 = /^ {2}L3\S* L#(\d+)/.exec(block);
    if (!dram || !mcdram || !pu || !l3) throw new Error(`unexpected lstopo block:\n${block}`);
    quadrants.push({ l3: Number(l3[1]), dram: [Number(dram[1]), Number(dram[2])], mcdram: [Number(mcdram[1]), Number(mcdram[2])], firstPu: Number(pu[1]) });
  }
  expect(quadrants).toHaveLength(4);

  /** Where a box is drawn on screen (its own rectangle, not its children's). */
  const rect = async (root: ReturnType<Page['locator']>, id: string) => {
    const r = await root.locator(`#${id} > rect`).boundingBox();
    if (!r) throw new Error(`${id} is not drawn`);
    return r;
  };
  const within = (a: { x: number; y: number; width: number; height: number }, b: typeof a) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;

  /** Our box for a quadrant's L3 and its memory is the DRAM node's: the MCDRAM, the L3 and the cores are all in it. */
  const expectQuadrants = async (root: ReturnType<Page['locator']>, where: string, pus = true) => {
    for (const q of quadrants) {
      const [, dram] = q.dram;
      const [mcdramL, mcdram] = q.mcdram;
      const holder = await rect(root, `NUMANode_${dram}`);
      const node = await rect(root, `NUMANode_${mcdram}`);
      const dramMemory = await rect(root, `Memory_${dram}`);
      expect(within(node, holder), `${where}: MCDRAM P#${mcdram} inside the box of DRAM P#${dram}`).toBe(true);
      // A scene of nodes alone draws no PUs.
      if (pus) expect(within(await rect(root, `PU_${q.firstPu}`), holder), `${where}: PU P#${q.firstPu} of L3 L#${q.l3} inside the same box`).toBe(true);
      expect(Math.abs(node.y - dramMemory.y), `${where}: MCDRAM P#${mcdram} in the row of DRAM P#${dram}'s memory`).toBeLessThan(1);
      expect(node.x, `${where}: MCDRAM P#${mcdram} right of DRAM P#${dram}`).toBeGreaterThanOrEqual(dramMemory.x + dramMemory.width - 0.5);
      await expect(root.locator(`#NUMANode_${mcdram}`), `${where}: marked CPU-less`).toHaveClass(/\bcpuless\b/);
      await expect(root.locator(`#Memory_${mcdram}`)).toContainText(`NUMANode L#${mcdramL} P#${mcdram} (2 GiB)`);
      await expect(root.locator(`#Memory_${mcdram}`)).toContainText('memory-only MCDRAM');
    }
  };

  const view = page.getByTestId('host-view');
  // 256 PUs fold to read at Fit: every quadrant drawn once folding is off.
  if (await page.getByTestId('expand-all').isVisible()) await page.getByTestId('expand-all').click();
  await expect(page.locator('.box.More')).toHaveCount(0);
  await expectQuadrants(view, 'page');
  await expect(view.locator('#Memories_0')).toHaveCount(0);
  // Hovering an MCDRAM node names it as lstopo does and lights it up.
  await view.locator('#Memory_7').hover();
  await expect(page.locator('.hostview .tooltip')).toContainText('NUMANode L#1 P#7 (2 GiB)');
  await expect(view.locator('#NUMANode_7')).toHaveClass(/\blit\b/);
  await page.mouse.move(0, 0);
  await page.getByTestId('fit').click();
  await screenshot(page, 'host-knl-mcdram');
  await elementShot(view, 'host-knl-mcdram-view');

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByTestId('present').click();
  const presenter = page.getByTestId('presenter');
  await expect(presenter).toBeVisible();
  for (const kind of ['sockets', 'nodes']) {
    await expect(presenter).toHaveAttribute('data-scene', kind);
    await expectQuadrants(presenter, `presenter, ${kind}`, kind !== 'nodes');
    await viewShot(page, `host-knl-mcdram-present-${kind}`);
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('Escape');
  await expect(presenter).toHaveCount(0);
});
