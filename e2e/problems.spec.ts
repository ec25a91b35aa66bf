/**
 * Problems where the eye is: a cut-off hwloc XML draws a believable smaller machine, so the
 * drawing itself says the host may be incomplete, and a badge beside it counts the pastes' errors
 * and warnings and brings their list (far down the page) into view.
 */
import { addPaste, corpus, expect, parsed, startEmpty, TALK, test, viewShot } from './fixtures.ts';

/** The hwloc XML of a 2-socket Xeon with PCI devices, cut off in the middle of its first package. */
const CUT_OFF = corpus('hwloc-xml', '24em64t-2n6c2t-pci.xml').slice(0, 6000);

test('a cut-off hwloc XML: one error on the badge, the drawing marked possibly incomplete, a click shows the list', async ({ page }) => {
  await startEmpty(page);
  await addPaste(page, CUT_OFF, 'cut-off.xml');
  await parsed(page);
  const topology = page.getByTestId('topology');
  await expect(topology.getByTestId('host-view')).toBeVisible();
  const badge = topology.getByTestId('problems-badge');
  await expect(topology.getByTestId('problems-errors')).toHaveText('1 error');
  await expect(topology.getByTestId('problems-warnings')).toHaveCount(0);
  await expect(badge).toHaveAccessibleName('1 error in the pastes: show the list');
  await expect(topology.getByTestId('incomplete-banner')).toHaveText('Drawn from pastes with errors: this host may be incomplete.');

  // At the top of the page the eye is on the drawing: the badge and the banner are there, the list is not.
  await page.evaluate(() => window.scrollTo(0, 0));
  const error = page.locator('[data-testid=diagnostic][data-severity=error]');
  await expect(error).toHaveCount(1);
  await expect(error).toContainText('cut off?');
  await expect(badge).toBeInViewport();
  await expect(topology.getByTestId('incomplete-banner')).toBeInViewport();
  // the bar takes its room from the view: the view's bottom edge, and so what Fit shows, stays on screen
  const view = (await topology.getByTestId('host-view').boundingBox())!;
  expect(view.y + view.height).toBeLessThanOrEqual(page.viewportSize()!.height);
  await expect(error).not.toBeInViewport();
  await viewShot(page, 'problems-badge');

  await badge.click();
  await expect(error).toBeInViewport();
  await expect(page.locator('#problems')).toBeFocused();
  await viewShot(page, 'problems-list');
});

test('warnings alone are counted without calling the host incomplete; clean pastes show no badge', async ({ page }) => {
  await startEmpty(page);
  for (const p of TALK) await addPaste(page, p.text, p.name);
  await parsed(page);
  await expect(page.getByTestId('host-view')).toBeVisible();
  await expect(page.locator('[data-testid=diagnostic][data-severity=error], [data-testid=diagnostic][data-severity=warning]')).toHaveCount(0);
  await expect(page.getByTestId('problems-bar')).toHaveCount(0);

  // The same lscpu pasted twice into one box: read once, with a warning; the host itself whole.
  await page.getByTestId('paste-text').first().fill(`${TALK[0].text}\n${TALK[0].text}`);
  await parsed(page);
  const warning = page.locator('[data-testid=diagnostic][data-severity=warning]');
  await expect(warning).toHaveCount(1);
  await expect(warning).toContainText('repeats an earlier part word for word');
  await expect(page.locator('[data-testid=diagnostic][data-severity=error]')).toHaveCount(0);
  await expect(page.getByTestId('problems-warnings')).toHaveText('1 warning');
  await expect(page.getByTestId('problems-errors')).toHaveCount(0);
  await expect(page.getByTestId('incomplete-banner')).toHaveCount(0);
});
