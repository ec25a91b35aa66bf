/**
 * The domain XML editor in the app, in a real Chromium: the talk's host pasted, a guest laid out
 * by Auto, and the page's own Monaco editor fed by the store (typing re-read after the store's
 * debounce; diagram changes and the page's undo arriving as the XML writer's minimal edits).
 * Monaco and its worker come from the app's own origin (the fixture fails on anything else).
 */
import type { Page } from '@playwright/test';
import { writeLayout } from '../src/core/domain-xml/index.ts';
import { talkExample1 } from '../tests/support/golden.ts';
import { autoLayout, expect, pasteTalkHost, screenshot, test, type AppWindow } from './fixtures.ts';

const TOPOLOGY = "CPU topology doesn't match maximum vcpu count";
/** DESIGN.md §3's golden layout as writeLayout prints a new domain of it: what Auto writes. */
const GOLDEN_XML = writeLayout(null, talkExample1()).text;

interface EditorState {
  /** The guest's XML as the store holds it. */
  value: string;
  /** The text in the page's Monaco editor. */
  model: string;
  cursor: { lineNumber: number; column: number } | null;
}

/** The talk's host pasted and its golden guest laid out by Auto, the editor showing its XML. */
async function open(page: Page): Promise<void> {
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(async () => (await state(page)).value).toBe(GOLDEN_XML);
  await expect(xmlEditor(page).getByTestId('xml-editor-monaco')).toHaveAttribute('data-ready', 'true');
  await expect(xmlEditor(page).getByTestId('problems')).toBeVisible();
  await expect.poll(async () => (await state(page)).model).toBe(GOLDEN_XML);
}

function xmlEditor(page: Page) {
  return page.getByTestId('xml-editor');
}

function state(page: Page): Promise<EditorState> {
  return page.evaluate(() => {
    const w = window as unknown as AppWindow;
    const editor = w.numascopeEditors?.find((e) => e.getContainerDomNode().closest('[data-testid=xml-editor]'));
    return { value: w.numascopeWorkspace.getState().guests[0]?.xml ?? '', model: editor?.getValue() ?? '', cursor: editor?.getPosition() ?? null };
  });
}

/** Select the first match of `text` the way a person does: Ctrl+F, type, Escape. */
async function find(page: Page, text: string): Promise<void> {
  await xmlEditor(page).locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+F');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

test('a wrong sockets value gets libvirt\'s message, a marker and a fix that repairs it', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await open(page);
  const golden = (await state(page)).value;
  expect(golden).toContain("<topology sockets='4' dies='1' cores='2' threads='2'/>");
  await expect(xmlEditor(page).getByTestId('problems')).not.toContainText(TOPOLOGY);

  await find(page, "sockets='4'");
  await page.keyboard.insertText("sockets='3'");
  // The store re-reads after its debounce: a marker and a problem with libvirt's own text.
  const problem = xmlEditor(page).getByTestId('problem').filter({ hasText: TOPOLOGY });
  await expect(problem).toHaveCount(1);
  await expect(problem).toHaveAttribute('data-severity', 'error');
  await expect(xmlEditor(page).locator('.monaco-editor .squiggly-error')).not.toHaveCount(0);
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
  await expect(xmlEditor(page).getByTestId('problems')).not.toContainText(TOPOLOGY);

  // The same fix from the problems list's Fix button.
  await find(page, "sockets='4'");
  await page.keyboard.type("sockets='8'");
  await expect(xmlEditor(page).getByTestId('problems')).toHaveAttribute('data-stale', 'false');
  await expect(problem).toHaveCount(1);
  await expect(xmlEditor(page).getByTestId('problem')).toHaveCount(1);
  await screenshot(page, 'editor-problem');
  await problem.getByTestId('problem-fix').click();
  await expect.poll(async () => (await state(page)).value).toBe(golden);
  await expect(problem).toHaveCount(0);

  // Clicking a problem reveals and selects its place.
  await find(page, "cpus='4-7'");
  await page.keyboard.type("cpus='3-7'");
  // validate() names the later cell first and points at it (readLayout reports the pair at <numa>).
  const overlap = xmlEditor(page).getByTestId('problem').filter({ hasText: 'NUMA cells 1 and 0 have overlapping vCPU ids' });
  await expect(overlap).toHaveCount(1);
  await overlap.locator('.problem-where').click();
  const line = golden.slice(0, golden.indexOf("<cell id='1'")).split('\n').length;
  await expect.poll(async () => (await state(page)).cursor?.lineNumber).toBe(line);

  // Monaco's worker is the app's own asset.
  const origin = new URL(page.url()).origin;
  expect(workers.some((u) => u.startsWith(`${origin}/assets/editor.worker`)), workers.join(' ')).toBe(true);
  expect(workers.every((u) => u.startsWith(origin))).toBe(true);
});

test('diagram edits arrive as edits: the cursor stays, Ctrl+Z in the editor undoes them, the page\'s undo keeps the cursor too', async ({ page }) => {
  await open(page);
  const before = (await state(page)).value;
  // The cursor at the end of cell 1's line, which the diagram edit is about to change.
  await find(page, "<cell id='1'");
  await page.keyboard.press('End');
  const cellLine = before.slice(0, before.indexOf("<cell id='1'")).split('\n').length;
  expect((await state(page)).cursor).toEqual({ lineNumber: cellLine, column: before.split('\n')[cellLine - 1].length + 1 });

  // The diagram edit, by keyboard: vCPU 5 picked up, moved down to node 2, dropped.
  await page.getByTestId('vcpu-chip-5').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('drop-hint')).toContainText('vCPU 5 → node 2');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('dnd-live')).toContainText('Move vCPU 5 to node 2: done.');
  // The store handed the editor the writer's minimal edits, several of them, not a new text.
  const edits = await page.evaluate(() => (window as unknown as AppWindow).numascopeWorkspace.getState().guests[0].pendingEdits?.edits.length ?? 0);
  expect(edits).toBeGreaterThan(1);
  await expect.poll(async () => ((s) => s.model === s.value)(await state(page))).toBe(true);
  const after = await state(page);
  expect(after.value).not.toBe(before);
  const newLine = after.value.split('\n')[cellLine - 1];
  expect(newLine).toContain("<cell id='1'");
  expect(newLine).not.toBe(before.split('\n')[cellLine - 1]);
  // Still at the end of that same line, though the line got shorter or longer.
  expect(after.cursor).toEqual({ lineNumber: cellLine, column: newLine.length + 1 });

  // Back in the editor (focus alone, the cursor where it was): its own undo and redo.
  await page.evaluate(() => (window as unknown as AppWindow).numascopeEditors?.find((e) => e.getContainerDomNode().closest('[data-testid=xml-editor]'))?.focus());
  await expect(xmlEditor(page).locator('.monaco-editor.focused')).toHaveCount(1);
  await page.keyboard.press('Control+Z');
  await expect.poll(async () => (await state(page)).model).toBe(before);
  // The undo went out through onChange: the store has the old text again.
  await expect.poll(async () => (await state(page)).value).toBe(before);
  await page.keyboard.press('Control+Shift+Z');
  await expect.poll(async () => (await state(page)).model).toBe(after.value);
  await expect.poll(async () => (await state(page)).value).toBe(after.value);

  // A change from outside the editor (the page's history, back to before the drop) arrives as a minimal diff.
  await page.getByTestId('history').locator('summary').click();
  // The history list follows a frame after the drop (useAfterFrame): wait for the entry.
  const dropEntry = async () => (await page.getByTestId('history-entry').allTextContents()).findIndex((l) => l.includes('vcpupin 5: 76 → '));
  await expect.poll(dropEntry).toBeGreaterThan(0);
  const drop = await dropEntry();
  await page.getByTestId('history-entry').nth(drop - 1).getByRole('button').click();
  await expect.poll(async () => (await state(page)).value).toBe(before);
  await expect.poll(async () => (await state(page)).model).toBe(before);
  expect((await state(page)).cursor?.lineNumber).toBe(cellLine);
});

test('the view tabs show the layout as virsh, QEMU, xl, the guest and the affinity map, each copyable', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  const pane = page.getByTestId('xml-pane');
  const expected: Record<string, string> = {
    virsh: 'virsh vcpupin numascope-guest 0 1 --config',
    qemu: '-numa node,nodeid=0,cpus=0-3,memdev=ram-node0',
    xl: 'vnuma = [',
    numactl: 'available: 4 nodes (0-3)',
    lscpu: 'NUMA node(s):',
    affinity: 'node 0',
  };
  for (const [id, text] of Object.entries(expected)) {
    await pane.getByTestId(`view-tab-${id}`).click();
    await expect(pane.getByTestId('view-panel')).toHaveAttribute('data-view', id);
    await expect(pane.getByTestId('view-text')).toContainText(text);
  }
  await pane.getByTestId('view-tab-virsh').click();
  await pane.getByTestId('view-copy').click();
  await expect(pane.getByTestId('view-copy')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await pane.getByTestId('view-text').textContent());
  await screenshot(page, 'editor-views');
});
