/**
 * The domain XML editor in a real Chromium, on its harness page (?harness=editor: the editor and
 * the view tabs driven the way the store drives them, on the talk's host and golden guest).
 * Monaco and its worker come from the app's own origin (the fixture fails on anything else).
 */
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures.ts';

const TOPOLOGY = "CPU topology doesn't match maximum vcpu count";

interface HarnessState {
  value: string;
  model: string;
  cursor: { lineNumber: number; column: number } | null;
}

async function open(page: Page): Promise<string[]> {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/?harness=editor');
  await expect(harness(page).getByTestId('xml-editor-monaco')).toHaveAttribute('data-ready', 'true');
  await expect(harness(page).getByTestId('problems')).toBeVisible();
  return workers;
}

/** The harness stands in front of the app, which may hold an editor of its own. */
function harness(page: Page) {
  return page.getByTestId('editor-harness');
}

function state(page: Page): Promise<HarnessState> {
  return page.evaluate(() => window.editorHarness!.state());
}

/** Select the first match of `text` the way a person does: Ctrl+F, type, Escape. */
async function find(page: Page, text: string): Promise<void> {
  await harness(page).locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+F');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

test('a wrong sockets value gets libvirt\'s message, a marker and a fix that repairs it', async ({ page }) => {
  const workers = await open(page);
  const golden = (await state(page)).value;
  expect(golden).toContain("<topology sockets='4' dies='1' cores='2' threads='2'/>");
  await expect(harness(page).getByTestId('problems')).not.toContainText(TOPOLOGY);

  await find(page, "sockets='4'");
  await page.keyboard.insertText("sockets='3'");
  // The store re-reads after its debounce: a marker and a problem with libvirt's own text.
  const problem = harness(page).getByTestId('problem').filter({ hasText: TOPOLOGY });
  await expect(problem).toHaveCount(1);
  await expect(problem).toHaveAttribute('data-severity', 'error');
  await expect(harness(page).locator('.monaco-editor .squiggly-error')).not.toHaveCount(0);
  await expect.poll(async () => (await state(page)).value).toContain("<topology sockets='3' dies='1' cores='2' threads='2'/>");

  // The lightbulb's code action (Ctrl+. on the marker) offers the repair.
  await find(page, "sockets='3'");
  await page.keyboard.press('Control+.');
  const action = page.locator('.action-widget').getByText('Set sockets to 4 (4×4 = 16 vCPUs)');
  await expect(action).toBeVisible();
  await screenshot(page, 'editor-quickfix');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await state(page)).model).toBe(golden);
  await expect.poll(async () => (await state(page)).value).toBe(golden);
  await expect(harness(page).getByTestId('problems')).not.toContainText(TOPOLOGY);

  // The same fix from the problems list's Fix button.
  await find(page, "sockets='4'");
  await page.keyboard.type("sockets='8'");
  await expect(harness(page).getByTestId('problems')).toHaveAttribute('data-stale', 'false');
  await expect(problem).toHaveCount(1);
  await expect(harness(page).getByTestId('problem')).toHaveCount(1);
  await screenshot(page, 'editor-problem');
  await problem.getByTestId('problem-fix').click();
  await expect.poll(async () => (await state(page)).value).toBe(golden);
  await expect(problem).toHaveCount(0);

  // Clicking a problem reveals and selects its place.
  await find(page, "cpus='4-7'");
  await page.keyboard.type("cpus='3-7'");
  // validate() names the later cell first and points at it (readLayout reports the pair at <numa>).
  const overlap = harness(page).getByTestId('problem').filter({ hasText: 'NUMA cells 1 and 0 have overlapping vCPU ids' });
  await expect(overlap).toHaveCount(1);
  await overlap.locator('.problem-where').click();
  const line = golden.slice(0, golden.indexOf("<cell id='1'")).split('\n').length;
  await expect.poll(async () => (await state(page)).cursor?.lineNumber).toBe(line);

  // Monaco's worker is the app's own asset.
  const origin = new URL(page.url()).origin;
  expect(workers.some((u) => u.startsWith(`${origin}/assets/editor.worker`)), workers.join(" ")).toBe(true);
  expect(workers.every((u) => u.startsWith(origin))).toBe(true);
});

test('diagram edits arrive as edits: the cursor stays, Ctrl+Z in the editor undoes them', async ({ page }) => {
  await open(page);
  const before = (await state(page)).value;
  // The cursor at the end of cell 1's line, which the diagram edit is about to change.
  await find(page, "<cell id='1'");
  await page.keyboard.press('End');
  const cellLine = before.slice(0, before.indexOf("<cell id='1'")).split('\n').length;
  expect((await state(page)).cursor).toEqual({ lineNumber: cellLine, column: before.split('\n')[cellLine - 1].length + 1 });

  const edits = await page.evaluate(() => window.editorHarness!.diagram({ kind: 'pin-vcpu', vcpu: 5, target: { node: 2 } }));
  expect(edits.length).toBeGreaterThan(1);
  await expect.poll(async () => ((s) => s.model === s.value)(await state(page))).toBe(true);
  const after = await state(page);
  expect(after.value).not.toBe(before);
  const newLine = after.value.split('\n')[cellLine - 1];
  expect(newLine).toContain("<cell id='1'");
  expect(newLine).not.toBe(before.split('\n')[cellLine - 1]);
  // Still at the end of that same line, though the line got shorter or longer.
  expect(after.cursor).toEqual({ lineNumber: cellLine, column: newLine.length + 1 });

  await page.keyboard.press('Control+Z');
  await expect.poll(async () => (await state(page)).model).toBe(before);
  // The undo went out through onChange: the store has the old text again.
  await expect.poll(async () => (await state(page)).value).toBe(before);
  await page.keyboard.press('Control+Shift+Z');
  await expect.poll(async () => (await state(page)).model).toBe(after.value);
  await expect.poll(async () => (await state(page)).value).toBe(after.value);

  // A change from outside without edits (the page's undo, an import) arrives as a minimal diff.
  await page.evaluate((text) => window.editorHarness!.replace(text), before);
  await expect.poll(async () => (await state(page)).model).toBe(before);
  expect((await state(page)).cursor?.lineNumber).toBe(cellLine);
});

test('the view tabs show the layout as virsh, QEMU, xl, the guest and the affinity map, each copyable', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  const expected: Record<string, string> = {
    virsh: 'virsh vcpupin talk 0 1 --config',
    qemu: '-numa node,nodeid=0,cpus=0-3,memdev=ram-node0',
    xl: 'vnuma = [',
    numactl: 'available: 4 nodes (0-3)',
    lscpu: 'NUMA node(s):',
    affinity: 'node 0',
  };
  for (const [id, text] of Object.entries(expected)) {
    await harness(page).getByTestId(`view-tab-${id}`).click();
    await expect(harness(page).getByTestId('view-panel')).toHaveAttribute('data-view', id);
    await expect(harness(page).getByTestId('view-text')).toContainText(text);
  }
  await harness(page).getByTestId('view-tab-virsh').click();
  await harness(page).getByTestId('view-copy').click();
  await expect(harness(page).getByTestId('view-copy')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await harness(page).getByTestId('view-text').textContent());
  await screenshot(page, 'editor-views');
});
