/**
 * A whole host opened at once, in a real Chromium (issue 17). A REAL sosreport, made by Debian's
 * sos (scripts/make-sosreport.sh) over a corpus host's sysfs with two guests defined that
 * numascope laid out one on top of the other, is opened through the file input: the bundle
 * worker unpacks its xz (WebAssembly, under the page's CSP) and the host is drawn from its
 * outputs, both guests open as tabs marked found on the host, and the Audit view lists the
 * pin-overlap; its Fix removes it and changes only <cputune> of libvirt's own XML, and undo takes
 * back the fix, then the whole open. A cut-short archive changes nothing and says why; the
 * collector's output pasted in a box gives the host and opens its guests. A plain sysfs tarball
 * gives the host `numascope inspect` builds from it, and keeps it across a reload.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { writeLayout } from '../src/core/domain-xml/index.ts';
import { bundleHost } from '../src/core/ingest/bundle.ts';
import { COLLECTOR } from '../src/core/ingest/collector.ts';
import { ingest } from '../src/core/ingest/index.ts';
import { solve } from '../src/core/partition/index.ts';
import { DEFAULT_REQUEST } from '../src/core/partition/request.ts';
import { readFileBundle } from '../src/worker/unpack.ts';
import { dumpRoot } from '../tests/support/corpus.ts';
import { clipboardPaste, corpus, CORPUS, elementShot, expect, parsed, screenshot, start, test, TALK } from './fixtures.ts';

const SCRIPT = resolve(import.meta.dirname, '../scripts/make-sosreport.sh');
const canMakeSosreports = spawnSync('sh', ['-c', 'command -v sos']).status === 0 && process.getuid?.() === 0;
const DUMP = '32em64t-2n8c+dax+nvme+mic+dimms';

/** 2 vCPUs pinned one-to-one on node 0 of the dumped host, as the partition core lays them out: both guests get it. */
const host = ingest([{ name: 'lstopo', text: corpus('hwloc-linux', `${DUMP}.lstopo.xml`) }]).host;
const LAYOUT = solve(host, { ...DEFAULT_REQUEST, mode: 'host', vcpus: 2, memoryKiB: 1 << 20, nodeset: '0' }).layout;
const SHARED = LAYOUT.pins.flatMap((p) => p.cpus);

interface Tab {
  name: string;
  xml: string;
  found?: { source: string };
}

async function tabs(page: Page): Promise<Tab[]> {
  return page.evaluate(() => {
    const w = window as unknown as { numascopeWorkspace: { getState(): { guests: Tab[] } } };
    return w.numascopeWorkspace.getState().guests.map((g) => ({ name: g.name, xml: g.xml, found: g.found }));
  });
}

const withoutCputune = (xml: string) => xml.replace(/<cputune>[\s\S]*?<\/cputune>/, '');

test.describe('a sosreport made by sos', () => {
  test.skip(!canMakeSosreports, 'needs root and sos (scripts/setup.sh installs sosreport)');
  let report: string;

  test.beforeAll(() => {
    test.setTimeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'numascope-e2e-sos-'));
    const guests = ['web', 'db'].map((name) => {
      const file = join(dir, `${name}.xml`);
      writeFileSync(file, writeLayout(null, LAYOUT, { name }).text);
      return file;
    });
    report = execFileSync('bash', [SCRIPT, join(dir, 'out'), dumpRoot('hwloc-linux', `${DUMP}.tar.bz2`), ...guests], { encoding: 'utf8' }).trim();
  });

  test('opened: host drawn, both guests found on it, pin-overlap in the Audit view; its Fix changes only <cputune>', async ({ page }) => {
    expect(report).toMatch(/\.tar\.xz$/);
    await start(page);
    await page.getByTestId('file-input').setInputFiles(report);
    const status = page.getByTestId('bundle-status');
    await expect(status).toHaveAttribute('data-status', 'opened', { timeout: 20_000 });
    await expect(status).toContainText(/Opened the sosreport sosreport-.*: \d+ outputs of the host, 2 guests found on it\./);

    // the host is the report's: its outputs are the pastes, its 16 CPUs drawn
    await parsed(page);
    const names = await page.getByTestId('paste-name').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(names).toEqual(expect.arrayContaining(['sos_commands/processor/lscpu', 'sos_commands/numa/numactl_--hardware']));
    await expect(page.locator('#PU_15')).toHaveCount(1);
    await expect(page.locator('#PU_16')).toHaveCount(0);

    // opened with its guests, the dock shows what the audit found there
    await expect(page.getByTestId('dock')).toHaveAttribute('data-shown', 'audit');
    await expect(page.getByTestId('dock-audit-count')).toContainText('1 error');
    await page.getByTestId('dock-tab-guests').click();

    // both guests as found tabs, their XML libvirt's own copy of what was defined
    const found = page.getByTestId('guest-tab').filter({ has: page.getByTestId('guest-tab-found') });
    // in the report's order (sos lists etc/libvirt/qemu/ sorted)
    await expect(found).toHaveText([/^db/, /^web/]);
    const before = (await tabs(page)).filter((t) => t.found);
    expect(before.map((t) => t.found?.source.replace(/^[^/]+\//, ''))).toEqual(['etc/libvirt/qemu/db.xml', 'etc/libvirt/qemu/web.xml']);
    for (const t of before) expect(t.xml).toContain(`<vcpupin vcpu='0' cpuset='${SHARED[0]}'/>`);
    await found.nth(0).click();
    await expect(page.getByTestId('guest-found')).toContainText('Found on the host (');
    await expect(page.getByTestId('guest-found')).toContainText('etc/libvirt/qemu/db.xml');

    await page.getByTestId('dock-tab-audit').click();
    const audit = page.getByTestId('audit');
    const overlap = audit.locator('[data-testid=audit-finding][data-kind=pin-overlap]');
    await expect(overlap).toHaveCount(1);
    await expect(overlap.getByTestId('audit-message')).toContainText(`'db' and 'web' are both pinned to host CPUs`);
    await screenshot(page, 'bundle-sosreport-opened');
    await elementShot(page.getByTestId('pastes'), 'bundle-sosreport-pastes');
    await elementShot(audit, 'bundle-sosreport-audit');

    await overlap.getByTestId('audit-fix').click();
    await expect(overlap).toHaveCount(0);
    // the fix moves the second guest's vCPUs (web's); db's XML stays as the host had it
    const after = (await tabs(page)).filter((t) => t.found);
    expect(after[0].xml).toBe(before[0].xml);
    expect(after[1].xml).not.toBe(before[1].xml);
    expect(withoutCputune(after[1].xml)).toBe(withoutCputune(before[1].xml));
    await elementShot(audit, 'bundle-sosreport-fixed');

    // the fix, then the open, are undone step by step: the sample the page started with comes back
    await page.locator('body').press('Control+z');
    await expect(overlap).toHaveCount(1);
    await page.locator('body').press('Control+z');
    await expect(page.getByTestId('guest-tab-found')).toHaveCount(0);
    await expect(page.getByTestId('paste-name').first()).not.toHaveValue(/sos_commands/);
  });

  test('cut short: a notice says so, and nothing the user had changes', async ({ page }) => {
    await start(page);
    const pastes = await page.getByTestId('paste-name').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    const guests = await page.getByTestId('guest-tab').count();
    // 80 % of it: the files before the break unpack, but half a host is not opened
    const whole = readFileSync(report);
    const cut = whole.subarray(0, Math.floor(whole.length * 0.8));
    await page.getByTestId('file-input').setInputFiles({ name: 'cut.tar.xz', mimeType: 'application/x-xz', buffer: cut });
    await expect(page.getByTestId('notice')).toContainText('cut.tar.xz was not opened: the archive is damaged or cut short');
    expect(await page.getByTestId('paste-name').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(pastes);
    await expect(page.getByTestId('guest-tab')).toHaveCount(guests);
  });
});

test("the collector line near the paste box; its output pasted in a box gives the host and opens every guest as found", async ({ page }) => {
  await start(page);
  const collector = page.getByTestId('collector');
  await collector.locator('summary').click();
  await expect(page.getByTestId('collector-line')).toHaveText(COLLECTOR);
  await expect(page.getByTestId('collector-copy')).toBeVisible();

  await page.getByTestId('clear-pastes').click();
  await page.getByTestId('add-paste').click();
  const web = writeLayout(null, LAYOUT, { name: 'web' }).text;
  const output = [`$ lscpu`, TALK[0].text.trimEnd(), `$ numactl -H`, TALK[1].text.trimEnd(), `$ virsh dumpxml web`, web].join('\n');
  await clipboardPaste(page.getByTestId('paste-text'), output);
  await expect(page.getByTestId('guest-tab-found')).toHaveCount(1);
  await expect(page.getByTestId('paste-text')).not.toHaveValue(/<domain/);
  await parsed(page);
  await expect(page.locator('#PU_119')).toHaveCount(1);
  const found = (await tabs(page)).filter((t) => t.found);
  expect(found).toEqual([{ name: 'web', xml: web, found: { source: expect.stringMatching(/^paste 1:\d+$/) } }]);
  await elementShot(page.getByTestId('pastes'), 'bundle-collector');
});

test('a sysfs tarball opened: the host numascope inspect builds from it is drawn, and kept across a reload', async ({ page }) => {
  const tarball = join(CORPUS, 'hwloc-linux', `${DUMP}.tar.bz2`);
  const cli = bundleHost(await readFileBundle(await openAsBlob(tarball), `${DUMP}.tar.bz2`)).host;
  const cpus = `${cli.cpus.filter((c) => c.online).length} / ${cli.cpus.length}`;
  await start(page);
  await expect(page.getByTestId('count-cpus')).not.toHaveText(cpus);
  await page.getByTestId('file-input').setInputFiles(tarball);
  await expect(page.getByTestId('bundle-status')).toHaveAttribute('data-status', 'opened', { timeout: 20_000 });
  await parsed(page);
  const names = () => page.getByTestId('paste-name').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(await names()).toEqual([`${DUMP}.tar.bz2`]);
  await expect(page.getByTestId('count-cpus')).toHaveText(cpus);
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await page.reload();
  await parsed(page);
  expect(await names()).toEqual([`${DUMP}.tar.bz2`]);
  await expect(page.getByTestId('count-cpus')).toHaveText(cpus);
});
