/**
 * The hand-tuning loop in a real Chromium: the talk's host pasted, a guest laid out by Auto, a
 * vCPU dragged with the real mouse onto another node while the cost hint shows, the XML and the
 * affinity map following, undo back to the exact text, reload keeping the workspace, a second
 * guest kept off the first one's CPUs, the keyboard path, and the workspace file.
 */
import type { Page } from '@playwright/test';
import { parseDomainDocument, writeLayout } from '../src/core/domain-xml/index.ts';
import { ingest } from '../src/core/ingest/index.ts';
import { edit } from '../src/core/partition/index.ts';
import { NO_OCCUPANCY } from '../src/core/partition/request.ts';
import { talkExample1 } from '../tests/support/golden.ts';
import { autoLayout, dragOnto, expect, parsed, pasteTalkHost, screenshot, TALK, test, viewShot } from './fixtures.ts';

const host = ingest(TALK).host;
/** DESIGN.md §3's golden layout as writeLayout prints a new domain of it. */
const GOLDEN_XML = writeLayout(null, talkExample1()).text;
/** The same text after vCPU 5 moved onto CPU 33 (node 2), as the core and the writer make it. */
const MOVED_XML = writeLayout(parseDomainDocument(GOLDEN_XML), edit(host, talkExample1(), { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } }, NO_OCCUPANCY).layout).text;

interface TabView {
  name: string;
  xml: string;
  layout: { pins: { vcpu: number; cpus: number[] }[] } | null;
}

async function guests(page: Page): Promise<TabView[]> {
  return page.evaluate(() => {
    const w = window as unknown as { numascopeWorkspace: { getState(): { guests: TabView[] } } };
    return w.numascopeWorkspace.getState().guests.map((g) => ({ name: g.name, xml: g.xml, layout: g.layout }));
  });
}

async function xmlOf(page: Page, i: number): Promise<string> {
  return (await guests(page))[i]?.xml ?? '';
}

/** The host view in the viewport, so the mouse can reach its PUs. */
async function showHostView(page: Page): Promise<void> {
  await page.getByTestId('host-view').scrollIntoViewIfNeeded();
  await page.getByTestId('host-view').evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

test('Auto writes the golden XML; dragging vCPU 5 onto node 2 shows its cost, rewrites the XML and the affinity map; undo and reload', async ({ page }) => {
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  // the editor shows the same text
  await expect(page.getByTestId('xml-editor')).toContainText("<vcpupin vcpu='5' cpuset='76'/>");
  const row5 = page.getByTestId('affinity-0').getByTestId('aff-row').nth(5);
  await expect(row5.getByRole('cell').first()).toHaveText('1');

  // a real mouse drag from the vCPU 5 chip (on CPU 76) to CPU 33 on node 2
  await showHostView(page);
  await dragOnto(page, page.locator('#vCPU_0_5'), page.locator('#PU_33'));
  const hint = page.getByTestId('drop-hint');
  await expect(hint).toBeVisible();
  await expect(hint).toHaveAttribute('data-state', 'ok');
  await expect(hint).toContainText('vCPU 5 → CPU 33 on node 2');
  await expect(hint).toContainText('vCPU 5 moves from cell 1 to cell 2 (node 1 → node 2, distance 21)');
  await expect(hint).toContainText(/node 2: \d+ of 30 CPUs free/);
  await expect(page.locator('.topo-lit [data-box="PU_33"]')).toHaveClass(/dnd-target.*dnd-ok/);
  await viewShot(page, 'editing-drag-hint');
  await page.mouse.up();
  await expect(hint).toHaveCount(0);

  await expect.poll(() => xmlOf(page, 0)).toBe(MOVED_XML);
  expect(MOVED_XML).toContain("<vcpupin vcpu='5' cpuset='33'/>");
  expect(MOVED_XML).toContain("<cell id='1' cpus='4,6-7'");
  expect(MOVED_XML).toContain("<cell id='2' cpus='5,8-11'");
  await expect(page.getByTestId('xml-editor')).toContainText("<vcpupin vcpu='5' cpuset='33'/>");
  // the affinity map row follows: cell 2, pinned (*) in node 2's column
  await expect(row5.getByRole('cell').first()).toHaveText('2');
  await expect(row5.locator('.aff-marks').nth(2)).toContainText('*');
  await expect(row5.locator('.aff-marks').nth(1)).not.toContainText('*');
  // and the diagram: the chip now sits on CPU 33
  const chip = await page.locator('#vCPU_0_5').boundingBox();
  const pu = await page.locator('#PU_33').boundingBox();
  expect(chip && pu && chip.x >= pu.x && chip.x + chip.width <= pu.x + pu.width + 0.5).toBe(true);
  await page.getByTestId('history').locator('summary').click();
  // the entry says what changed, in the XML's words
  await expect(page.getByTestId('history-entry').last()).toHaveText('vcpupin 5: 76 → 33; cell 1 vCPUs 4-7 → 4,6-7 (+1 more)');
  await screenshot(page, 'editing-after-drop');

  // Ctrl+Z outside the editor: back to the exact text
  await page.locator('h1').click();
  await page.keyboard.press('Control+z');
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await expect(row5.getByRole('cell').first()).toHaveText('1');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => xmlOf(page, 0)).toBe(MOVED_XML);
  await page.keyboard.press('Control+z');
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);

  // reload: the workspace comes back, drawn
  await page.waitForTimeout(500);
  await page.reload();
  await parsed(page);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await expect(page.locator('#vCPU_0_5')).toHaveText('v5');
  await expect(page.getByTestId('affinity-0').getByTestId('aff-row')).toHaveCount(16);
});

/** Nothing scrolled: neither the page nor the docked guest panel. */
async function scrolled(page: Page): Promise<{ page: number; dock: number }> {
  return page.evaluate(() => ({ page: window.scrollY, dock: document.querySelector('[data-testid=guest-panel]')?.scrollTop ?? -1 }));
}

/** Whether the element lies wholly inside the window, as the person sees it. */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  const view = page.viewportSize();
  return !!box && !!view && box.x >= 0 && box.y >= 0 && box.x + box.width <= view.width && box.y + box.height <= view.height;
}

test('pressed again as soon as a drop lands, the chip just dropped is picked up again', async ({ page }) => {
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await showHostView(page);
  const hint = page.getByTestId('drop-hint');
  await dragOnto(page, page.locator('#vCPU_0_5'), page.locator('#PU_33'));
  await expect(hint).toHaveAttribute('data-state', 'ok');
  // Released and pressed again without moving, before the drag's sheet over the page is gone:
  // the press is for vCPU 5, now on CPU 33 under the pointer.
  await page.mouse.up();
  await page.mouse.down();
  const to = await page.locator('#PU_76').boundingBox();
  if (!to) throw new Error('CPU 76 is not drawn');
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await expect(hint).toHaveAttribute('data-state', 'ok');
  await expect(hint).toContainText('vCPU 5 → CPU 76 on node 1');
  await page.mouse.up();
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
});

test('at 1400×1000 the guest panel sits beside the host view: a vCPU handle is dragged onto a PU with no scrolling, and undo survives a reload', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await page.evaluate(() => window.scrollTo(0, 0));
  const handle = page.getByTestId('vcpu-chip-5');
  await expect(handle).toHaveText('v5→76');
  expect(await scrolled(page)).toEqual({ page: 0, dock: 0 });
  expect(await onScreen(page, '[data-testid=vcpu-chip-5]')).toBe(true);
  expect(await onScreen(page, '#PU_33')).toBe(true);
  await viewShot(page, 'editing-workbench-1400');

  // the real mouse, from the panel's handle to CPU 33 on node 2
  await dragOnto(page, handle, page.locator('#PU_33'));
  await expect(page.getByTestId('drop-hint')).toContainText('vCPU 5 → CPU 33 on node 2');
  await viewShot(page, 'editing-workbench-drag');
  await page.mouse.up();
  await expect.poll(() => xmlOf(page, 0)).toBe(MOVED_XML);
  await expect(handle).toHaveText('v5→33');
  expect(await scrolled(page)).toEqual({ page: 0, dock: 0 });

  // the workspace and its undo history are saved: after a reload, undo gives back the exact text before the drop
  await page.waitForTimeout(600);
  await page.reload();
  await parsed(page);
  await expect.poll(() => xmlOf(page, 0)).toBe(MOVED_XML);
  // Clear all pastes, the request's mode, Auto layout, the drop.
  await expect(page.getByTestId('history').locator('summary')).toHaveText('History (4/4)');
  await page.locator('h1').click();
  await page.keyboard.press('Control+z');
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await expect(page.getByTestId('xml-editor')).toContainText("<vcpupin vcpu='5' cpuset='76'/>");
  await expect(page.getByTestId('vcpu-chip-5')).toHaveText('v5→76');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => xmlOf(page, 0)).toBe(MOVED_XML);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect.poll(() => xmlOf(page, 0)).toBe('');
});

test('a storage too full for the undo history keeps the guests and says so; the XML survives the reload exactly', async ({ page }) => {
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await page.waitForTimeout(600);
  // fill this origin's localStorage (the browser's own quota) up to a hundred characters
  await page.evaluate(() => {
    const fits = (n: number) => {
      try {
        localStorage.setItem('filler-probe', 'x'.repeat(n));
        localStorage.removeItem('filler-probe');
        return true;
      } catch {
        return false;
      }
    };
    let lo = 0;
    let hi = 32 * 1024 * 1024;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
    localStorage.setItem('filler', 'x'.repeat(Math.max(0, lo - 100)));
  });
  await page.evaluate(async () => {
    const ws = (window as unknown as { numascopeWorkspace: { getState(): { guests: { id: string }[]; applyEditOp(id: string, op: unknown): Promise<boolean> } } }).numascopeWorkspace.getState();
    await ws.applyEditOp(ws.guests[0].id, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } });
  });
  await expect.poll(() => xmlOf(page, 0)).toBe(MOVED_XML);
  await expect(page.getByTestId('notice')).toContainText('The undo history is too large to keep in this browser');
  await expect(page.getByTestId('notice')).toContainText('(the guests themselves are saved)');
  await page.reload();
  await parsed(page);
  await expect.poll(() => xmlOf(page, 0)).toBe(MOVED_XML);
  await expect(page.getByTestId('vcpu-chip-5')).toHaveText('v5→33');
});

test('at 1920×1080 the host view, the guest panel and the domain XML are on screen together', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const selector of ['[data-testid=vcpu-chip-15]', '[data-testid=cell-3] .mem-handle', '#PU_119', '#NUMANode_3', '[data-testid=xml-editor] .monaco-editor']) {
    expect(await onScreen(page, selector), selector).toBe(true);
  }
  await expect(page.getByTestId('xml-editor')).toContainText("<vcpupin vcpu='5' cpuset='76'/>");
  await viewShot(page, 'editing-workbench-1920');
});

test('a second guest cannot take the CPUs the first one pins', async ({ page }) => {
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await page.getByTestId('add-guest').click();
  await expect(page.getByTestId('guest-tab')).toHaveCount(2);
  await autoLayout(page, 16, 32);
  await expect.poll(async () => (await guests(page))[1]?.layout?.pins.length ?? 0).toBe(16);
  const [first, second] = await guests(page);
  const held = new Set(first.layout?.pins.flatMap((p) => p.cpus));
  const taken = second.layout?.pins.flatMap((p) => p.cpus) ?? [];
  expect(taken.filter((c) => held.has(c))).toEqual([]);
  await expect(page.locator('#vCPU_1_0')).toHaveCount(1);

  // dragging guest 2's vCPU 0 onto CPU 76 (guest 1's vCPU 5) is refused before and at the drop
  const before = second.xml;
  await showHostView(page);
  await dragOnto(page, page.locator('#vCPU_1_0'), page.locator('#PU_76'));
  const hint = page.getByTestId('drop-hint');
  await expect(hint).toHaveAttribute('data-state', 'refused');
  await expect(hint).toContainText('CPU 76 held by guest 1');
  await expect(hint).toContainText('Refused: host CPU 76 is pinned to guest guest 1');
  await viewShot(page, 'editing-refused');
  await page.mouse.up();
  await expect(page.getByTestId('guest-message')).toContainText('Refused: host CPU 76 is pinned to guest guest 1');
  expect(await xmlOf(page, 1)).toBe(before);
  await expect(page.getByTestId('dnd-live')).toContainText('Refused');
});

test('keyboard path: pick a vCPU up, choose a node with the arrows, drop with Enter, each step announced', async ({ page }) => {
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  const live = page.getByTestId('dnd-live');
  const chip = page.getByTestId('vcpu-chip-5');
  await chip.focus();
  await page.keyboard.press('Enter');
  await expect(live).toContainText('Picked up vCPU 5');
  await expect(page.getByTestId('drop-hint')).toContainText('vCPU 5 → CPU 76 on node 1');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('drop-hint')).toContainText('vCPU 5 → node 2');
  await expect(live).toContainText('node 2: vCPU 5 moves from cell 1 to cell 2');
  await expect(page.locator('.topo-lit [data-box="NUMANode_2"]')).toHaveClass(/dnd-target/);
  await page.keyboard.press('Enter');
  await expect(live).toContainText('Move vCPU 5 to node 2: done.');
  const pins = (await guests(page))[0].layout?.pins.find((p) => p.vcpu === 5)?.cpus ?? [];
  expect(host.cpus.find((c) => c.id === pins[0])?.node).toBe(2);
  expect(await xmlOf(page, 0)).toContain(`<vcpupin vcpu='5' cpuset='${pins[0]}'/>`);

  // a cell's memory the same way: cell 3's memory from node 3 up to node 2
  const memory = page.getByTestId('cell-3').locator('.mem-handle');
  await memory.focus();
  await page.keyboard.press('Enter');
  await expect(live).toContainText("Picked up cell 3's memory");
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('drop-hint')).toContainText("cell 3's memory → node 2");
  await page.keyboard.press('Enter');
  await expect(live).toContainText("Move cell 3's memory to node 2: done.");
  expect(await xmlOf(page, 0)).toContain("<memnode cellid='3' mode='strict' nodeset='2'/>");
  await page.getByTestId('guest-panel').scrollIntoViewIfNeeded();
  await viewShot(page, 'editing-panel');
});

test('the workspace exports to one file and imports back; a broken file changes nothing', async ({ page }) => {
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  const download = page.waitForEvent('download');
  await page.getByTestId('export-workspace').click();
  const file = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of file) chunks.push(c as Buffer);
  const exported = Buffer.concat(chunks).toString('utf8');
  expect(JSON.parse(exported)).toMatchObject({ format: 'numascope-workspace', version: 2, guests: [{ name: 'guest 1', xml: GOLDEN_XML }] });

  await page.getByTestId('import-workspace-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"numascope-workspace","version":1,"pastes":[],"guests":[{"name":"x"}]}') });
  await expect(page.getByTestId('guest-message')).toContainText('broken.json was not imported (nothing changed): /guests[0]');
  expect(await xmlOf(page, 0)).toBe(GOLDEN_XML);

  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('new-workspace').click();
  await expect.poll(async () => (await guests(page)).length).toBe(0);
  await expect(page.getByTestId('paste')).toHaveCount(0);

  await page.getByTestId('import-workspace-file').setInputFiles({ name: 'ws.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await expect(page.getByTestId('paste')).toHaveCount(2);
  await expect(page.locator('#vCPU_0_5')).toHaveText('v5');
});

test('typing in the app editor: a wrong sockets value gets libvirt\'s marker, the fix repairs it, and a typed pin moves the diagram', async ({ page }) => {
  const TOPOLOGY = "CPU topology doesn't match maximum vcpu count";
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  const editor = page.getByTestId('xml-editor');
  await expect(editor.getByTestId('xml-editor-monaco')).toHaveAttribute('data-ready', 'true');

  const replace = async (from: string, to: string) => {
    await editor.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+F');
    await page.keyboard.type(from);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.keyboard.insertText(to);
  };

  await replace("sockets='4'", "sockets='3'");
  const problem = editor.getByTestId('problem').filter({ hasText: TOPOLOGY });
  await expect(problem).toHaveCount(1);
  await expect(editor.locator('.monaco-editor .squiggly-error')).not.toHaveCount(0);
  await expect.poll(() => xmlOf(page, 0)).toContain("sockets='3'");
  await problem.getByTestId('problem-fix').click();
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await expect(problem).toHaveCount(0);

  // The diagram follows the text: pin vCPU 0 to CPU 3 by typing, and its chip moves there.
  await replace("vcpu='0' cpuset='1'", "vcpu='0' cpuset='3'");
  await expect.poll(async () => (await guests(page))[0].layout?.pins.find((p) => p.vcpu === 0)?.cpus).toEqual([3]);
  await showHostView(page);
  await expect.poll(async () => {
    const chip = await page.locator('#vCPU_0_0').boundingBox();
    const pu = await page.locator('#PU_3').boundingBox();
    return !!chip && !!pu && chip.x >= pu.x - 0.5 && chip.x + chip.width <= pu.x + pu.width + 0.5;
  }).toBe(true);
});

test('the editor cursor, between the lines a drop changes, stays put through the drop, Ctrl+Z outside the editor, redo and the Undo button', async ({ page }) => {
  await pasteTalkHost(page);
  await autoLayout(page, 16, 32);
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  const editor = page.getByTestId('xml-editor');
  await expect(editor.getByTestId('xml-editor-monaco')).toHaveAttribute('data-ready', 'true');

  // The cursor at the end of a line inside cell 1's <distances>: below cell 1's line, which the drop makes longer,
  // above cell 2's, which it changes too. One replacement over both would leave the cursor at its old offset,
  // which after the undo is no longer the end of that line; edits per changed line keep it there.
  const lines = GOLDEN_XML.split('\n');
  const moved = MOVED_XML.split('\n');
  const cell1 = lines.findIndex((l) => l.includes("<cell id='1' cpus='4-7'"));
  const line = cell1 + 4;
  const column = lines[line].length;
  expect(lines[line]).toBe(moved[line]);
  expect(moved[cell1].length).not.toBe(lines[cell1].length);
  expect(lines.some((l, i) => i > line && l !== moved[i])).toBe(true);
  await editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+F');
  await page.keyboard.type("cpus='4-7'");
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');

  // a real drop: vCPU 5 from CPU 76 onto CPU 33
  await showHostView(page);
  await dragOnto(page, page.locator('#vCPU_0_5'), page.locator('#PU_33'));
  await expect(page.getByTestId('drop-hint')).toContainText('vCPU 5 → CPU 33 on node 2');
  await page.mouse.up();
  await expect.poll(() => xmlOf(page, 0)).toBe(MOVED_XML);

  // the page's undo and redo, from the keyboard outside the editor and from the Undo button
  await page.locator('h1').click();
  await page.keyboard.press('Control+z');
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => xmlOf(page, 0)).toBe(MOVED_XML);
  await page.getByTestId('history').locator('summary').click();
  await page.getByTestId('undo').click();
  await expect.poll(() => xmlOf(page, 0)).toBe(GOLDEN_XML);

  // Back in the editor without a click (which would place the cursor itself): what is typed lands where the cursor
  // was left, and the text around it is the editor's own model, back at the golden text.
  await editor.locator('.monaco-editor textarea, .monaco-editor .native-edit-context').first().focus();
  await page.keyboard.insertText('§');
  await expect.poll(() => xmlOf(page, 0)).toContain('§');
  const typed = (await xmlOf(page, 0)).split('\n');
  const at = typed.findIndex((l) => l.includes('§'));
  expect({ line: at + 1, column: typed[at].indexOf('§') + 1 }).toEqual({ line: line + 1, column: column + 1 });
  expect(typed.join('\n').replace('§', '')).toBe(GOLDEN_XML);
});
