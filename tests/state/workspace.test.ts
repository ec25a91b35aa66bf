/**
 * The workspace store on the talk's host with the real core: Auto writes DESIGN.md §3's golden
 * XML, a drop arrives as minimal edits of the previous text, undo and redo return exact texts,
 * typing re-reads the layout, a second guest respects the first, the workspace file round-trips
 * and a broken one changes nothing. The in-process engine runs the very functions the workers
 * run; the worker-backed engine is driven through workers that crash on purpose.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyEdits, writeLayout } from '../../src/core/domain-xml/index.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { solve } from '../../src/core/partition/index.ts';
import { DEFAULT_REQUEST } from '../../src/core/partition/request.ts';
import { workerEngine } from '../../src/state/engine.ts';
import { useApp } from '../../src/state/store.ts';
import { createWorkspace, type WorkspaceStore } from '../../src/state/workspace.ts';
import { readCorpus } from '../support/corpus.ts';
import { talkExample1, talkHost } from '../support/golden.ts';
import { inProcessWorkers } from '../worker/in-process-worker.ts';
import { inProcessEngine } from './in-process-engine.ts';

let host: Host;
const GOLDEN = writeLayout(null, talkExample1()).text;

beforeAll(() => {
  host = talkHost();
});

let ws: WorkspaceStore;
beforeEach(() => {
  useApp.setState({ host, pastes: [] });
  ws = createWorkspace(inProcessEngine());
});

/**
 * The talk's first example: the default request in mode host (the app's default is auto), set
 * without a history step of its own so the steps stay those under test.
 */
function inModeHost(store: WorkspaceStore, id: string): void {
  store.setState((s) => ({ guests: s.guests.map((g) => (g.id === id ? { ...g, request: { ...g.request, mode: 'host' } } : g)) }));
}

async function goldenGuest(): Promise<string> {
  const id = ws.getState().addGuest();
  inModeHost(ws, id);
  expect(await ws.getState().autoLayout(id)).toBe(true);
  return id;
}

const tabOf = (id: string) => ws.getState().guests.find((g) => g.id === id)!;

describe('workspace: the XML text is the truth, changes arrive as minimal edits', () => {
  it('Auto on 16 vCPUs / 32 GiB writes the golden XML (DESIGN.md §3) and reads its layout back', async () => {
    const id = await goldenGuest();
    const tab = tabOf(id);
    expect(tab.xml).toBe(GOLDEN);
    expect(tab.layout).toEqual(talkExample1());
    expect(tab.pendingEdits).toEqual({ version: 1, baseVersion: 0, edits: [{ from: 0, to: 0, text: GOLDEN }] });
    expect(tab.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a drop rewrites only the owned parts, as edits that turn the old text into the new one; undo and redo are exact', async () => {
    const id = await goldenGuest();
    expect(await ws.getState().applyEditOp(id, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } })).toBe(true);
    const moved = tabOf(id);
    expect(moved.version).toBe(2);
    expect(moved.pendingEdits?.baseVersion).toBe(1);
    expect(applyEdits(GOLDEN, moved.pendingEdits!.edits)).toBe(moved.xml);
    expect(moved.xml).toContain("<vcpupin vcpu='5' cpuset='33'/>");
    expect(moved.xml).toContain("<cell id='2' cpus='5,8-11'");
    expect(moved.explanation[0]).toBe('vCPU 5 moves from cell 1 to cell 2 (node 1 → node 2, distance 21)');
    // the entry says what changed in the layout, in the XML's words
    expect(ws.getState().history.entries.map((e) => e.label)).toEqual(['Add guest 1', 'Auto layout guest 1', 'vcpupin 5: 76 → 33; cell 1 vCPUs 4-7 → 4,6-7 (+1 more)']);

    ws.getState().undo();
    const back = tabOf(id);
    expect(back.xml).toBe(GOLDEN);
    expect(applyEdits(moved.xml, back.pendingEdits!.edits)).toBe(GOLDEN);
    // one edit per changed line, none over the untouched lines between them: the editor's cursor there stays
    expect(back.pendingEdits!.edits.length).toBeGreaterThan(1);
    for (const e of back.pendingEdits!.edits) expect(moved.xml.slice(e.from, e.to)).not.toContain('\n');
    expect(back.pendingEdits!.baseVersion).toBe(moved.version);
    expect(back.layout).toEqual(talkExample1());
    ws.getState().redo();
    expect(tabOf(id).xml).toBe(moved.xml);
    ws.getState().goToHistory(1);
    expect(tabOf(id).xml).toBe('');
  });

  it('typing in the editor re-reads the layout after a pause, one undo step per burst', async () => {
    const id = await goldenGuest();
    const typed = GOLDEN.replace("sockets='4'", "sockets='3'");
    ws.getState().setXmlFromEditor(id, GOLDEN.replace("sockets='4'", "sockets='"));
    ws.getState().setXmlFromEditor(id, typed);
    expect(tabOf(id).pendingEdits).toBeUndefined();
    await ws.getState().settled();
    const tab = tabOf(id);
    expect(tab.layout?.topology.sockets).toBe(3);
    expect(tab.derivedVersion).toBe(tab.version);
    expect(tab.diagnostics.some((d) => d.severity === 'error' && /topology/i.test(d.message))).toBe(true);
    expect(ws.getState().history.entries.at(-1)?.label).toBe("Edit guest 1's XML: topology sockets 4 → 3");
    expect(ws.getState().history.entries).toHaveLength(3);
    ws.getState().undo();
    expect(tabOf(id).xml).toBe(GOLDEN);
    expect(tabOf(id).layout?.topology.sockets).toBe(4);
  });

  it('a drag after typing edits the text as typed, never the text before it', async () => {
    const id = await goldenGuest();
    const commented = GOLDEN.replace('<clock', '<!-- mine -->\n  <clock');
    ws.getState().setXmlFromEditor(id, commented);
    await ws.getState().applyEditOp(id, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } });
    expect(tabOf(id).xml).toContain('<!-- mine -->');
    expect(tabOf(id).xml).toContain("<vcpupin vcpu='5' cpuset='33'/>");
  });

  it('a second guest is solved around the first, and cannot be dragged onto its pins', async () => {
    const first = await goldenGuest();
    const second = ws.getState().addGuest();
    expect(await ws.getState().autoLayout(second)).toBe(true);
    const held = new Set(tabOf(first).layout!.pins.flatMap((p) => p.cpus));
    expect(tabOf(second).layout!.pins.flatMap((p) => p.cpus).filter((c) => held.has(c))).toEqual([]);
    expect(tabOf(second).xml).toContain('<name>numascope-guest-2</name>');
    const before = tabOf(second).xml;
    const preview = await ws.getState().previewEditOps(second, [{ kind: 'pin-vcpu', vcpu: 0, target: { thread: 76 } }]);
    expect(preview).toMatchObject({ ok: false, refusal: 'host CPU 76 is pinned to guest guest 1' });
    expect(await ws.getState().applyEditOp(second, { kind: 'pin-vcpu', vcpu: 0, target: { thread: 76 } })).toBe(false);
    expect(tabOf(second).xml).toBe(before);
    expect(ws.getState().message?.text).toBe('Refused: host CPU 76 is pinned to guest guest 1');
  });

  it('a guest opened from an XML with a memory-only cell asks for its CPU cells and that much tier memory, and Auto keeps the tier', async () => {
    const heteromem = ingest([{ name: 'heteromem.xml', text: readCorpus('hwloc-xml-v3/64intel64-heteromem.xml') }]).host;
    useApp.setState({ host: heteromem });
    const tiered = solve(heteromem, { ...DEFAULT_REQUEST, vcpus: 8, memoryKiB: 3 << 20, mode: 'node', tierMemoryKiB: 2 << 20 }).layout;
    const id = ws.getState().addGuestFromXml(writeLayout(null, tiered).text, 'hbm');
    await ws.getState().settled();
    expect(tabOf(id).request).toMatchObject({ vcpus: 8, memoryKiB: 3 << 20, mode: 'node', cells: 1, tierMemoryKiB: 2 << 20 });
    expect(await ws.getState().autoLayout(id)).toBe(true);
    expect(tabOf(id).layout?.cells.map((c) => [c.vcpus.length, c.memoryKiB, c.hostNodes])).toEqual([
      [8, 1 << 20, [0]],
      [0, 2 << 20, [7]],
    ]);
  });

  it('a guest opened from a domain XML gets its request from it', async () => {
    const id = ws.getState().addGuestFromXml(GOLDEN, 'web');
    await ws.getState().settled();
    expect(tabOf(id).layout).toEqual(talkExample1());
    expect(tabOf(id).request).toMatchObject({ vcpus: 16, memoryKiB: 33554432, mode: 'host', cells: 4 });
  });
});

describe('workspace file', () => {
  it('exports pastes and guests and imports them back; import is one undo step', async () => {
    useApp.getState().replacePastes([{ name: 'lscpu', text: 'x' }]);
    await goldenGuest();
    const file = ws.getState().exportWorkspace();
    ws.getState().newWorkspace();
    expect(ws.getState().guests).toEqual([]);
    expect(useApp.getState().pastes).toEqual([]);
    expect(ws.getState().importWorkspace(file, 'ws.json').ok).toBe(true);
    await ws.getState().settled();
    expect(ws.getState().guests.map((g) => [g.name, g.xml])).toEqual([['guest 1', GOLDEN]]);
    expect(ws.getState().guests[0].layout).toEqual(talkExample1());
    expect(useApp.getState().pastes.map((p) => p.name)).toEqual(['lscpu']);
    ws.getState().undo();
    expect(ws.getState().guests).toEqual([]);
  });

  it('a broken file is refused with where and why, and nothing changes', async () => {
    const id = await goldenGuest();
    const bad = JSON.stringify({ format: 'numascope-workspace', version: 2, pastes: [], guests: [{ name: 'a', xml: '', request: { vcpus: -1, mode: 'sideways' } }] });
    const r = ws.getState().importWorkspace(bad, 'bad.json');
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.path)).toEqual(['/guests[0]/request/vcpus', '/guests[0]/request/mode']);
    expect(ws.getState().importWorkspace('{', 'x.json').diagnostics[0].message).toMatch(/^not a workspace file/);
    expect(tabOf(id).xml).toBe(GOLDEN);
    expect(ws.getState().message?.text).toMatch(/^x\.json was not imported \(nothing changed\)/);
  });
});

describe('worker crashes', () => {
  it('a crashed worker is replaced and the job retried: no edit is dropped', async () => {
    const partition = inProcessWorkers('partition', (i) => i === 0);
    const xml = inProcessWorkers('xml', (i) => i === 0);
    ws = createWorkspace(workerEngine({ partition: partition.factory, xml: xml.factory }));
    const id = await goldenGuest();
    expect(tabOf(id).xml).toBe(GOLDEN);
    expect(await ws.getState().applyEditOp(id, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } })).toBe(true);
    expect(tabOf(id).xml).toContain("<vcpupin vcpu='5' cpuset='33'/>");
    expect([...partition.made, ...xml.made].map((w) => w.crashes)).toEqual([1, 0, 1, 0]);
  });

  it('a drop whose own job crashes the document worker lands through a fresh one, which is sent the host again', async () => {
    const xml = inProcessWorkers('xml');
    ws = createWorkspace(workerEngine({ partition: inProcessWorkers('partition').factory, xml: xml.factory }));
    const id = await goldenGuest();
    expect(await ws.getState().applyEditOp(id, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } })).toBe(true);
    // one worker so far: the host crossed with the first job only
    expect(xml.made).toHaveLength(1);
    expect(xml.made[0].received).toHaveLength(2);
    expect(xml.made[0].hostsReceived).toHaveLength(1);
    xml.made[0].crash = true;
    expect(await ws.getState().applyEditOp(id, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 76 } })).toBe(true);
    expect(tabOf(id).xml).toBe(GOLDEN);
    expect(xml.made).toHaveLength(2);
    expect(xml.made[1].hostsReceived).toHaveLength(1);
    expect(await ws.getState().applyEditOp(id, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } })).toBe(true);
    expect(xml.made[1].received).toHaveLength(2);
    expect(xml.made[1].hostsReceived).toHaveLength(1);
    expect(ws.getState().history.entries.map((e) => e.label).slice(-3)).toEqual(['vcpupin 5: 76 → 33; cell 1 vCPUs 4-7 → 4,6-7 (+1 more)', 'vcpupin 5: 33 → 76; cell 1 vCPUs 4,6-7 → 4-7 (+1 more)', 'vcpupin 5: 76 → 33; cell 1 vCPUs 4-7 → 4,6-7 (+1 more)']);
  });

  it('a worker that keeps crashing leaves the last good state and says so', async () => {
    ws = createWorkspace(workerEngine({ partition: inProcessWorkers('partition', () => true).factory }));
    const id = ws.getState().addGuest();
    expect(await ws.getState().autoLayout(id)).toBe(false);
    expect(tabOf(id).xml).toBe('');
    expect(ws.getState().message?.text).toMatch(/^The partitioner failed \(nothing changed\): partitioner crashed: out of memory/);
  });

  it('a multi-vCPU drop is drafted in one job while the drag hovers, refused at the op edit() refuses', async () => {
    const xml = inProcessWorkers('xml');
    ws = createWorkspace(workerEngine({ partition: inProcessWorkers('partition').factory, xml: xml.factory }));
    const jobs = () => xml.made.reduce((n, w) => n + w.received.length, 0);
    const first = await goldenGuest();
    const before = jobs();
    const fine = await ws.getState().previewEditOps(first, [
      { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } },
      { kind: 'pin-vcpu', vcpu: 6, target: { thread: 34 } },
    ]);
    expect(jobs()).toBe(before + 1);
    expect(fine).toMatchObject({ ok: true });
    expect(fine?.explanation[0]).toBe('vCPU 5 moves from cell 1 to cell 2 (node 1 → node 2, distance 21)');
    expect(fine?.explanation.some((e) => e.startsWith('vCPU 6'))).toBe(true);
    const second = ws.getState().addGuest();
    inModeHost(ws, second);
    expect(await ws.getState().autoLayout(second)).toBe(true);
    const refused = await ws.getState().previewEditOps(second, [
      { kind: 'pin-vcpu', vcpu: 0, target: { node: 3 } },
      { kind: 'pin-vcpu', vcpu: 1, target: { thread: 76 } },
    ]);
    expect(jobs()).toBe(before + 3);
    expect(refused).toMatchObject({ ok: false, refusal: 'host CPU 76 is pinned to guest guest 1' });
    expect(refused?.explanation.join(' ')).toMatch(/^vCPU 0/);
  });

  it("a drop where the drag hovered lands with the draft's answer, no job of its own; once the text moved, the drop runs its own edit", async () => {
    const xml = inProcessWorkers('xml');
    ws = createWorkspace(workerEngine({ partition: inProcessWorkers('partition').factory, xml: xml.factory }));
    const id = await goldenGuest();
    const [documents] = xml.made;
    const edits = () => documents.received.filter((m) => m.op === 'edit').length;
    const to33 = [{ kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } }] as const;
    expect(await ws.getState().previewEditOps(id, [...to33])).toMatchObject({ ok: true });
    const drafts = xml.made[1];
    expect(drafts.received.map((m) => m.op)).toEqual(['edit']);
    expect(await ws.getState().applyEditOps(id, [...to33], 'Move vCPU 5 to CPU 33')).toBe(true);
    expect(edits()).toBe(0);
    const moved = tabOf(id);
    expect(moved.xml).toContain("<vcpupin vcpu='5' cpuset='33'/>");
    expect(applyEdits(GOLDEN, moved.pendingEdits!.edits)).toBe(moved.xml);
    expect(ws.getState().history.entries.at(-1)?.label).toBe('vcpupin 5: 76 → 33; cell 1 vCPUs 4-7 → 4,6-7 (+1 more)');
    // the draft of another target, then typing: the draft no longer fits the text
    const to76 = [{ kind: 'pin-vcpu', vcpu: 5, target: { thread: 76 } }] as const;
    await ws.getState().previewEditOps(id, [...to76]);
    ws.getState().setXmlFromEditor(id, moved.xml.replace('<vcpu ', '<!-- typed --><vcpu '));
    expect(await ws.getState().applyEditOps(id, [...to76], 'Move vCPU 5 to CPU 76')).toBe(true);
    expect(edits()).toBe(1);
    expect(tabOf(id).xml).toContain("<!-- typed --><vcpu ");
    expect(tabOf(id).xml).toContain("<vcpupin vcpu='5' cpuset='76'/>");
  });
});

describe('a guest whose XML reads with errors (issue 18)', () => {
  it('is not rewritten by Auto layout: the XML stays as typed and the panel says why', async () => {
    // Two cells with id 0: the reader skips the second, so a rewrite from the layout would drop it.
    const broken = GOLDEN.replace("<cell id='1'", "<cell id='0'");
    const id = ws.getState().addGuestFromXml(broken, 'broken');
    await ws.getState().settled();
    expect(await ws.getState().autoLayout(id)).toBe(false);
    expect(ws.getState().guests.find((g) => g.id === id)?.xml).toBe(broken);
    expect(ws.getState().message?.text).toBe(
      'Nothing was written: the domain XML reads with errors, and writing a layout into it would lose what the reader skipped; fix them in the editor first.',
    );
  });
});
