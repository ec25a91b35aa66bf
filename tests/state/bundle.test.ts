/**
 * A whole host opened at once (issue 17), through the very job the bundle worker runs and the
 * workspace store with the real core: a real sosreport (made by Debian's sos over a corpus
 * host's sysfs, two guests defined) replaces the pastes with its tool outputs and opens both
 * guests as tabs marked found, their XML as libvirt stored it; one undo puts back what the user
 * had. The collector's output pasted in a box does the same from text; a sysfs tarball becomes
 * one paste listing its files. An archive cut short (even past files that were read) changes
 * nothing and says why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyBundle, pasteWithGuests, useBundle } from '../../src/state/bundle.ts';
import { useApp } from '../../src/state/store.ts';
import { createWorkspace, type WorkspaceStore } from '../../src/state/workspace.ts';
import { bundleHost } from '../../src/core/ingest/bundle.ts';
import { readBundleFile } from '../../src/worker/bundle-read.ts';
import { ingestWithSysfs } from '../../src/worker/ingest-sysfs.ts';
import { readFileBundle } from '../../src/worker/unpack.ts';
import type { BundleReading } from '../../src/worker/bundle-protocol.ts';
import { guestXml, writeGuests } from '../ingest/host-dump-support.ts';
import { corpusPath, dumpRoot, readCorpus } from '../support/corpus.ts';
import { inProcessEngine } from './in-process-engine.ts';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/make-sosreport.sh');
const canMakeSosreports = spawnSync('sh', ['-c', 'command -v sos']).status === 0 && process.getuid?.() === 0;
const TARBALL = '32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2';

/** What the user had before opening anything: one paste of their own and one guest of their own. */
const MINE = { name: 'mine', text: readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt') };
const OWN_GUEST = guestXml('own', [0, 1], 0);

let ws: WorkspaceStore;
beforeEach(async () => {
  useApp.setState({ host: null, pastes: [], notice: null });
  useApp.getState().replacePastes([MINE]);
  useBundle.setState({ reading: [], opened: null });
  ws = createWorkspace(inProcessEngine());
  ws.getState().addGuestFromXml(OWN_GUEST, 'own');
  await ws.getState().settled();
});

const pastes = () => useApp.getState().pastes.map(({ name, text }) => ({ name, text }));
const tabs = () => ws.getState().guests.map((g) => ({ name: g.name, xml: g.xml, found: g.found }));
const historyLength = () => ws.getState().history.index;

describe.skipIf(!canMakeSosreports)('a sosreport made by sos (skipped: needs root and sos)', () => {
  let reading: BundleReading;
  let reportPath: string;
  const GUESTS = [
    { name: 'web', cpus: [1, 2, 3, 4], node: 0 },
    { name: 'db', cpus: [3, 4, 5, 6], node: 0 },
  ];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'numascope-bundle-'));
    const files = writeGuests(dir, GUESTS);
    const report = execFileSync('bash', [SCRIPT, join(dir, 'out'), dumpRoot('hwloc-linux', TARBALL), ...files], { encoding: 'utf8' }).trim();
    reportPath = report;
    reading = await readBundleFile(await openAsBlob(report), report.replace(/^.*\//, ''));
  }, 120_000);

  it('replaces the pastes with its tool outputs and opens both guests as found tabs, their XML verbatim', async () => {
    expect(reading.format).toBe('sosreport');
    expect(applyBundle(reading, ws)).toBe(true);
    await ws.getState().settled();
    // named by their path in the report's folder, texts as sos wrote them
    expect(pastes()).toEqual(reading.pastes.map(({ name, text }) => ({ name: name.replace(/^sosreport-[^/]+\//, ''), text })));
    expect(pastes().map((p) => p.name)).toEqual(expect.arrayContaining(['sos_commands/processor/lscpu', 'sos_commands/numa/numactl_--hardware']));
    const found = tabs().filter((t) => t.found);
    expect(found.map((t) => t.name).sort()).toEqual(['db', 'web']);
    for (const t of found) {
      const guest = reading.guests.find((g) => g.name === t.name)!;
      expect(t.xml).toBe(guest.xml);
      expect(t.found?.source).toMatch(new RegExp(`etc/libvirt/qemu/${t.name}\\.xml$`));
    }
    // libvirt's own copy of what was defined: the pins are the ones written
    expect(found.find((t) => t.name === 'db')!.xml).toContain("<vcpupin vcpu='0' cpuset='3'/>");
    // the user's own guest stays, unmarked
    expect(tabs()[0]).toEqual({ name: 'own', xml: OWN_GUEST, found: undefined });
    // each found guest was read into a layout and its request taken from it
    const db = ws.getState().guests.find((g) => g.name === 'db')!;
    expect(db.layout?.pins.map((p) => p.cpus)).toEqual([[3], [4], [5], [6]]);
    expect(db.request.vcpus).toBe(4);
    expect(useBundle.getState().opened).toMatchObject({ format: 'sosreport', guests: 2, outputs: reading.pastes.length });
  });

  it("draws the host numascope check reads from the report: its sys/ copy listed beside the tool outputs", async () => {
    const listing = reading.pastes.find((p) => /sys\/devices\/system$/.test(p.name));
    expect(listing?.name).toMatch(/^sosreport-[^/]+\/sys\/devices\/system$/);
    const cli = bundleHost(await readFileBundle(await openAsBlob(reportPath), reportPath.replace(/^.*\//, '')));
    const page = ingestWithSysfs(reading.pastes);
    expect(page.host.cpus.length).toBe(16);
    // the caches and package of each CPU come from sysfs, which sos's lscpu and numactl do not print
    expect(page.host.cpus).toEqual(cli.host.cpus);
    expect(page.host.nodes).toEqual(cli.host.nodes);
    expect(page.host.caches).toEqual(cli.host.caches);
  });

  it('is one undo step: undo brings back the pastes and guests the user had, redo the host again', async () => {
    const before = historyLength();
    applyBundle(reading, ws);
    await ws.getState().settled();
    expect(historyLength()).toBe(before + 1);
    expect(ws.getState().history.entries[before].label).toMatch(/^Open sosreport sosreport-/);
    ws.getState().undo();
    await ws.getState().settled();
    expect(pastes()).toEqual([MINE]);
    expect(tabs()).toEqual([{ name: 'own', xml: OWN_GUEST, found: undefined }]);
    ws.getState().redo();
    await ws.getState().settled();
    expect(tabs().filter((t) => t.found).map((t) => t.name).sort()).toEqual(['db', 'web']);
    expect(pastes().length).toBe(reading.pastes.length);
  });

  it('cut short at 80 %: what was read before the break is not opened as half a host', async () => {
    const whole = readFileSync(reportPath);
    const cut = await readBundleFile(new Blob([whole.subarray(0, Math.floor(whole.length * 0.8))]), 'cut.tar.xz');
    expect(cut.pastes.length + cut.guests.length).toBeGreaterThan(0);
    expect(applyBundle(cut, ws)).toBe(false);
    expect(useApp.getState().notice).toMatch(/^cut\.tar\.xz was not opened: .*damaged or cut short/);
    expect(pastes()).toEqual([MINE]);
    expect(historyLength()).toBe(1);
  });

  it('opened twice, does not open its guests twice', async () => {
    applyBundle(reading, ws);
    applyBundle(reading, ws);
    await ws.getState().settled();
    expect(tabs().filter((t) => t.found)).toHaveLength(2);
  });
});

describe('a sysfs tarball', () => {
  it('becomes one paste listing its files, in place of the pastes, as one undo step', async () => {
    const reading = await readBundleFile(await openAsBlob(corpusPath('hwloc-linux', TARBALL)), TARBALL);
    expect(reading.format).toBe('sysfs');
    expect(reading.pastes.map((p) => p.name)).toEqual([TARBALL]);
    const before = historyLength();
    expect(applyBundle(reading, ws)).toBe(true);
    await ws.getState().settled();
    expect(pastes().map((p) => p.name)).toEqual([TARBALL]);
    expect(pastes()[0].text).toMatch(/^\S*sys\/devices\/system\/node\/node0\/cpulist:0-7$/m);
    expect(tabs()).toEqual([{ name: 'own', xml: OWN_GUEST, found: undefined }]);
    expect(historyLength()).toBe(before + 1);
    expect(ws.getState().history.entries[before].label).toBe(`Open sysfs ${TARBALL}`);
    ws.getState().undo();
    await ws.getState().settled();
    expect(pastes()).toEqual([MINE]);
    ws.getState().redo();
    await ws.getState().settled();
    expect(pastes().map((p) => p.name)).toEqual([TARBALL]);
  });
});

describe('what opens nothing', () => {
  it('an archive cut short: the reader says it is damaged, and nothing changes', async () => {
    const head = readFileSync(corpusPath('hwloc-linux', TARBALL)).subarray(0, 400);
    const reading = await readBundleFile(new Blob([head]), 'cut.tar.bz2');
    expect(applyBundle(reading, ws)).toBe(false);
    expect(useApp.getState().notice).toMatch(/^cut\.tar\.bz2 was not opened: .*damaged or cut short/);
    expect(pastes()).toEqual([MINE]);
    expect(historyLength()).toBe(1);
  });
});

describe("the collector's output pasted in a box", () => {
  const LSCPU = readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt');
  const NUMACTL = readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt');
  const WEB = guestXml('web', [1, 2], 0);
  const DB = guestXml('db', [2, 3], 0);
  const COLLECTED = [`$ lscpu`, LSCPU.trimEnd(), `$ numactl -H`, NUMACTL.trimEnd(), `$ virsh dumpxml web`, WEB.trimEnd(), `$ virsh dumpxml db`, DB].join('\n');

  it('keeps the host part in the box and opens every guest as a found tab, as one undo step', async () => {
    const id = useApp.getState().pastes[0].id;
    const before = historyLength();
    expect(pasteWithGuests(id, COLLECTED, ws)).toBe(true);
    await ws.getState().settled();
    const [box] = useApp.getState().pastes;
    expect(box.name).toBe('mine');
    expect(box.text).toContain(NUMACTL.trim().split('\n')[0]);
    expect(box.text).not.toContain('<domain');
    const found = tabs().filter((t) => t.found);
    expect(found).toEqual([
      { name: 'web', xml: WEB, found: { source: `mine:${COLLECTED.split('\n').indexOf("<domain type='kvm'>") + 1}` } },
      { name: 'db', xml: DB, found: { source: expect.stringMatching(/^mine:\d+$/) } },
    ]);
    expect(historyLength()).toBe(before + 1);
    ws.getState().undo();
    expect(pastes()).toEqual([MINE]);
    expect(tabs().filter((t) => t.found)).toEqual([]);
  });

  it('saved to a file and opened: its host part is added beside the pastes, its guests open as found tabs', async () => {
    const reading = await readBundleFile(new Blob([COLLECTED]), 'kvm01.txt');
    expect(reading.format).toBe('paste');
    expect(applyBundle(reading, ws)).toBe(true);
    await ws.getState().settled();
    expect(pastes().map((p) => p.name)).toEqual(['mine', 'kvm01.txt']);
    expect(pastes()[1].text).not.toContain('<domain');
    expect(tabs().filter((t) => t.found).map((t) => [t.name, t.xml, t.found?.source.replace(/\d+$/, 'N')])).toEqual([
      ['web', WEB, 'kvm01.txt:N'],
      ['db', DB, 'kvm01.txt:N'],
    ]);
    expect(ws.getState().history.entries[historyLength() - 1].label).toBe('Open kvm01.txt');
  });

  it('text without a guest goes in as typed', () => {
    const id = useApp.getState().pastes[0].id;
    expect(pasteWithGuests(id, NUMACTL, ws)).toBe(false);
    expect(pastes()).toEqual([MINE]);
  });
});
