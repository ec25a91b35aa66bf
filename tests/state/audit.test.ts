/**
 * The audit store on the talk's host with the real core: two guest tabs opened from domain XML
 * pinned to the same CPUs are a pin-overlap naming both tabs; its Fix moves the second guest's
 * vCPUs as one undo step labelled with the kind, changing only <cputune>, and the audit that
 * follows finds nothing; the audit follows the host and the tabs' names; an older job's answer
 * never overwrites a newer one. The audit worker's jobs run in this process (audit-jobs.ts, the
 * functions audit.worker.ts runs), and through the worker client with a worker that crashes once.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/index.ts';
import { DEFAULT_REQUEST } from '../../src/core/partition/request.ts';
import { auditNames, createAudit, workerAuditRunner, type AuditRunner, type AuditStore } from '../../src/state/audit.ts';
import { useApp } from '../../src/state/store.ts';
import { createWorkspace, type WorkspaceStore } from '../../src/state/workspace.ts';
import { AuditClient } from '../../src/worker/audit-client.ts';
import { auditSession, runAuditJob } from '../../src/worker/audit-jobs.ts';
import type { AuditMessage } from '../../src/worker/audit-protocol.ts';
import { replyTo } from '../../src/worker/reply.ts';
import { talkHost } from '../support/golden.ts';
import { inProcessEngine } from './in-process-engine.ts';

const GiB = 1 << 20;
let host: Host;
/** A 4-vCPU guest pinned one-to-one on node 0 of the talk's host, as domain XML. */
let WEB: string;

beforeAll(() => {
  host = talkHost();
  const layout = solve(host, { ...DEFAULT_REQUEST, mode: 'host', vcpus: 4, memoryKiB: 8 * GiB, nodeset: '0' }).layout;
  WEB = writeLayout(null, layout, { name: 'web' }).text;
});

const inProcess = (): AuditRunner => {
  const session = auditSession();
  return async (h, guests) => ({ ok: true, value: runAuditJob({ host: h, guests }, session) });
};

let ws: WorkspaceStore;
let audit: AuditStore;
let stop: () => void;
beforeEach(() => {
  useApp.setState({ host, pastes: [] });
  ws = createWorkspace(inProcessEngine());
  audit = createAudit(inProcess(), ws, useApp, 0);
  stop = audit.getState().start();
  return () => stop();
});

/** Resolves once the workspace has read everything and the audit has answered for what it holds. */
async function audited(store: AuditStore = audit): Promise<void> {
  await ws.getState().settled();
  if (store.getState().status !== 'checking') return;
  await new Promise<void>((resolve) => {
    const off = store.subscribe((s) => {
      if (s.status === 'checking') return;
      off();
      resolve();
    });
  });
}

const kinds = () => audit.getState().findings.map((f) => f.finding.kind);
const withoutCputune = (xml: string) => xml.replace(/<cputune>[\s\S]*?<\/cputune>/, '');

describe('audit store: the host and every guest tab, kept current', () => {
  it('two tabs pinned to the same CPUs are a pin-overlap naming both tabs; Fix moves the second off them in one undo step', async () => {
    const first = ws.getState().addGuestFromXml(WEB);
    const second = ws.getState().addGuestFromXml(WEB);
    await audited();
    const state = audit.getState();
    expect(state.status).toBe('ready');
    expect(state.audited).toEqual([first, second]);
    const [item, ...rest] = state.findings.filter((f) => f.finding.kind === 'pin-overlap');
    expect(rest).toEqual([]);
    // named by their tabs (the domains are both 'web'), lit by the CPUs they share
    expect(item.finding).toMatchObject({ severity: 'error', guests: ['guest 1', 'guest 2'], nodes: [0] });
    expect(item.finding.cpus).toEqual(ws.getState().guests[0].layout!.pins.flatMap((p) => p.cpus).sort((a, b) => a - b));
    expect(item.guestIds).toEqual([first, second]);
    expect(item.fixGuestId).toBe(second);

    const steps = ws.getState().history.entries.length;
    expect(await audit.getState().applyFix(item.key)).toBe(true);
    await audited();
    const fixed = ws.getState().guests.find((g) => g.id === second)!;
    // only the pins moved: every byte outside <cputune> is the document's own
    expect(fixed.xml).not.toBe(WEB);
    expect(withoutCputune(fixed.xml)).toBe(withoutCputune(WEB));
    expect(ws.getState().history.entries).toHaveLength(steps + 1);
    expect(ws.getState().history.entries.at(-1)?.label).toMatch(/^Fix pin-overlap: vcpupin 0: \d+ → \d+/);
    expect(kinds()).not.toContain('pin-overlap');
    expect(audit.getState().findings.filter((f) => f.finding.severity !== 'info')).toEqual([]);

    // undo puts the overlap back, and the audit finds it again
    ws.getState().undo();
    await audited();
    expect(ws.getState().guests.find((g) => g.id === second)!.xml).toBe(WEB);
    expect(kinds()).toContain('pin-overlap');
  });

  it('a finding without edits has nothing to apply', async () => {
    // vCPUs floating over node 0 under another guest's 1:1 pins: the fix is to narrow a cpuset by hand
    const floating = WEB.replace(/<vcpupin vcpu='(\d)' cpuset='\d+'\/>/g, "<vcpupin vcpu='$1' cpuset='0-14,60-74'/>");
    ws.getState().addGuestFromXml(WEB);
    ws.getState().addGuestFromXml(floating);
    await audited();
    const item = audit.getState().findings.find((f) => f.finding.kind === 'pin-overlap')!;
    expect(item.finding.fix).toContain("floating cpuset of 'guest 2'");
    expect(item.fixGuestId).toBeNull();
    const steps = ws.getState().history.entries.length;
    expect(await audit.getState().applyFix(item.key)).toBe(false);
    expect(ws.getState().history.entries).toHaveLength(steps);
  });

  it('follows the host, the tabs and their names; blank tabs are not audited', async () => {
    ws.getState().addGuest();
    await audited();
    expect(audit.getState()).toMatchObject({ status: 'ready', findings: [], audited: [] });

    ws.getState().addGuestFromXml(WEB);
    const twin = ws.getState().addGuestFromXml(WEB);
    await audited();
    expect(kinds()).toContain('pin-overlap');

    ws.getState().renameGuest(twin, 'db');
    await audited();
    expect(audit.getState().findings.find((f) => f.finding.kind === 'pin-overlap')?.finding.guests).toEqual(['guest 2', 'db']);

    useApp.setState({ host: null });
    await audited();
    expect(audit.getState()).toMatchObject({ status: 'idle', findings: [] });
    useApp.setState({ host });
    await audited();
    expect(kinds()).toContain('pin-overlap');

    ws.getState().removeGuest(twin);
    await audited();
    expect(kinds()).not.toContain('pin-overlap');
  });

  it("an older job's answer never replaces a newer one's", async () => {
    stop();
    const waiting: (() => void)[] = [];
    const session = auditSession();
    // every job is held until the test lets it go; the first is let go last
    const held: AuditRunner = (h, guests) => new Promise((resolve) => waiting.push(() => resolve({ ok: true, value: runAuditJob({ host: h, guests }, session) })));
    const slow = createAudit(held, ws, useApp, 0);
    stop = slow.getState().start();
    ws.getState().addGuestFromXml(WEB);
    ws.getState().addGuestFromXml(WEB);
    await ws.getState().settled();
    await new Promise((r) => setTimeout(r, 10));
    const jobs = waiting.length;
    ws.getState().removeGuest(ws.getState().guests[1].id);
    await new Promise((r) => setTimeout(r, 10));
    expect(waiting.length).toBe(jobs + 1);
    waiting.at(-1)!();
    await new Promise((r) => setTimeout(r, 0));
    expect(slow.getState()).toMatchObject({ status: 'ready', findings: [], audited: [ws.getState().guests[0].id] });
    for (const go of waiting.slice(0, -1)) go();
    await new Promise((r) => setTimeout(r, 0));
    expect(slow.getState()).toMatchObject({ status: 'ready', findings: [], audited: [ws.getState().guests[0].id] });
  });

  it('tabs of the same name are told apart', () => {
    expect(auditNames([{ id: 'a', name: 'db' }, { id: 'b', name: 'db' }, { id: 'c', name: ' ' }, { id: 'd', name: 'db (2)' }]).map((n) => n.name)).toEqual(['db', 'db (2)', 'guest', 'db (2) (2)']);
  });
});

/** A Worker stand-in running audit.worker.ts's dispatch in this process, crashing under its first job. */
class AuditWorkerStandIn {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  private readonly session = auditSession();
  constructor(private readonly crash: boolean) {}
  postMessage(message: AuditMessage): void {
    const job = structuredClone(message);
    queueMicrotask(() => {
      if (this.crash) this.onerror?.({ message: 'out of memory', preventDefault() {} } as unknown as ErrorEvent);
      else this.onmessage?.({ data: structuredClone(replyTo(job.id, () => runAuditJob(job, this.session))) } as MessageEvent);
    });
  }
  terminate(): void {}
}

describe('audit through the worker client', () => {
  it('answers the findings; a worker that crashes under a job is replaced and the job run again', async () => {
    let made = 0;
    const client = new AuditClient(() => new AuditWorkerStandIn(made++ === 0) as unknown as Worker);
    const run = workerAuditRunner(client);
    const out = await run(host, [
      { name: 'a', text: WEB },
      { name: 'b', text: WEB },
      { name: 'blank', text: '' },
    ]);
    expect(made).toBe(2);
    expect(out.ok && out.value.audited).toEqual(['a', 'b']);
    expect(out.ok && out.value.findings.map((f) => f.kind)).toContain('pin-overlap');
    client.dispose();
  });
});
