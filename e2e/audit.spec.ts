/**
 * The Audit view in a real Chromium (issue 17): the talk's host pasted, two guests opened from
 * domain XML whose 1:1 pins are the same CPUs, the pin-overlap listed under the first of them
 * with the count in the heading; hovering or focusing it lights its CPUs and node on the host
 * view (Show scrolls up to it); its Fix moves the second guest's vCPUs as one undo step, after
 * which the finding is gone and that guest's XML differs only inside <cputune>; undo brings the
 * overlap back.
 */
import type { Page } from '@playwright/test';
import { writeLayout } from '../src/core/domain-xml/index.ts';
import { ingest } from '../src/core/ingest/index.ts';
import { solve } from '../src/core/partition/index.ts';
import { DEFAULT_REQUEST } from '../src/core/partition/request.ts';
import { elementShot, expect, pasteTalkHost, screenshot, TALK, test, viewShot } from './fixtures.ts';

const host = ingest(TALK).host;
/** 4 vCPUs pinned one-to-one on node 0, as the partition core lays them out. */
const LAYOUT = solve(host, { ...DEFAULT_REQUEST, mode: 'host', vcpus: 4, memoryKiB: 8 << 20, nodeset: '0' }).layout;
const WEB = writeLayout(null, LAYOUT, { name: 'web' }).text;
const DB = writeLayout(null, LAYOUT, { name: 'db' }).text;
const SHARED = LAYOUT.pins.flatMap((p) => p.cpus).sort((a, b) => a - b);

interface Tab {
  name: string;
  xml: string;
}

async function tabs(page: Page): Promise<Tab[]> {
  return page.evaluate(() => {
    const w = window as unknown as { numascopeWorkspace: { getState(): { guests: Tab[] } } };
    return w.numascopeWorkspace.getState().guests.map((g) => ({ name: g.name, xml: g.xml }));
  });
}

async function lastHistoryLabel(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const w = window as unknown as { numascopeWorkspace: { getState(): { history: { entries: { label: string }[]; index: number } } } };
    const { entries, index } = w.numascopeWorkspace.getState().history;
    return entries[index - 1]?.label;
  });
}

/** Opens a guest from domain XML the way a person does: the guest panel's paste box. */
async function openGuest(page: Page, xml: string): Promise<void> {
  const panel = page.getByTestId('guest-panel');
  await panel.getByTestId('paste-xml-toggle').click();
  await panel.getByTestId('guest-xml-paste').fill(xml);
  await panel.getByTestId('guest-xml-add').click();
}

const withoutCputune = (xml: string) => xml.replace(/<cputune>[\s\S]*?<\/cputune>/, '');

test('two guests pinned to the same CPUs: pin-overlap in the Audit view, lit on hover, gone after Fix with only <cputune> changed', async ({ page }) => {
  await pasteTalkHost(page);
  const audit = page.getByTestId('audit');
  // the dock beside the host view shows the guest panel; the Audit tab carries the count
  await expect(page.getByTestId('dock-audit-count')).toHaveText('no problems');
  await expect(audit).toBeHidden();

  await openGuest(page, WEB);
  await openGuest(page, DB);
  await expect(page.getByTestId('guest-tab')).toHaveCount(3);
  await expect(page.getByTestId('dock-audit-count')).toHaveText('1 error, 0 warnings');
  await page.getByTestId('dock-tab-audit').click();
  await expect(page.getByTestId('guest-panel')).toBeHidden();
  const overlap = audit.locator('[data-testid=audit-finding][data-kind=pin-overlap]');
  await expect(overlap).toHaveCount(1);
  await expect(audit).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('dock-audit-count')).toHaveText('1 error, 0 warnings');
  // listed under the first guest it names (the blank first tab is not audited)
  const [, web, db] = await tabs(page);
  await expect(audit.getByTestId('audit-group')).toHaveCount(1);
  await expect(audit.getByTestId('audit-group')).toHaveAttribute('data-guest', web.name);
  await expect(overlap.getByTestId('audit-message')).toContainText(`'${web.name}' and '${db.name}' are both pinned to host CPUs`);
  await expect(overlap.getByTestId('audit-fix-text')).toContainText(`of '${db.name}' to CPUs no other guest is pinned to`);
  await expect(overlap.getByRole('img', { name: 'error' })).toBeVisible();

  // hovering the finding lights its CPUs and node on the host view, and leaving puts them out
  await overlap.hover();
  for (const cpu of SHARED) await expect(page.locator(`#PU_${cpu}`)).toHaveClass(/\blit\b/);
  await expect(page.locator('#NUMANode_0')).toHaveClass(/\blit\b/);
  await expect(page.locator('#NUMANode_1')).not.toHaveClass(/\blit\b/);
  await expect(page.locator('#PU_30')).not.toHaveClass(/\blit\b/);
  await elementShot(audit, 'audit-pin-overlap');
  await page.getByTestId('dock-audit-count').hover();
  await expect(page.locator(`#PU_${SHARED[0]}`)).not.toHaveClass(/\blit\b/);
  // focus lights them too (the keyboard's hover), on the host view beside the finding: both
  // on screen at once, side by side
  await overlap.focus();
  for (const cpu of SHARED) await expect(page.locator(`#PU_${cpu}`)).toHaveClass(/\blit\b/);
  await expect(page.getByTestId('host-view')).toBeInViewport();
  await expect(overlap).toBeInViewport();
  const [view, row] = [await page.getByTestId('host-view').boundingBox(), await overlap.boundingBox()];
  expect(row!.x).toBeGreaterThanOrEqual(view!.x + view!.width);
  await viewShot(page, 'audit-pin-overlap-lit');

  await overlap.getByTestId('audit-fix').click();
  await expect(overlap).toHaveCount(0);
  await expect(page.getByTestId('dock-audit-count')).toHaveText('no problems');
  await expect(audit.getByTestId('audit-empty')).toBeVisible();
  // the highlight went with the finding
  await expect(page.locator(`#PU_${SHARED[0]}`)).not.toHaveClass(/\blit\b/);
  const after = await tabs(page);
  expect(after[1].xml).toBe(WEB);
  expect(after[2].xml).not.toBe(DB);
  expect(withoutCputune(after[2].xml)).toBe(withoutCputune(DB));
  expect(await lastHistoryLabel(page)).toMatch(/^Fix pin-overlap: vcpupin 0: \d+ → \d+/);
  await elementShot(audit, 'audit-fixed');
  await screenshot(page, 'audit-page');

  // one undo step takes the fix back, and the audit finds the overlap again
  await page.locator('body').press('Control+z');
  await expect.poll(async () => (await tabs(page))[2].xml).toBe(DB);
  await expect(overlap).toHaveCount(1);
});
