/**
 * The audit of the host and every guest tab (issue 17), kept current: whenever the host or a
 * guest's domain XML (or its tab's name) changes, after a short pause, every tab's text is
 * audited in a worker and the findings land here, each tied to the tabs it concerns. A
 * finding's fix is that tab's edits run through the workspace like a drop: one undo step, named
 * after the finding's kind; the audit that follows the new text no longer finds it.
 * Findings name guests by their tab (made unique), which is what the person sees; an answer to
 * an older job than the latest is dropped.
 */
import { create } from 'zustand';
import type { Finding } from '../core/audit/index.ts';
import type { Host } from '../core/host/model.ts';
import { AuditClient } from '../worker/audit-client.ts';
import type { AuditAnswer, AuditText } from '../worker/audit-protocol.ts';
import type { Outcome } from './engine.ts';
import { useApp } from './store.ts';
import { useWorkspace, type GuestTab, type WorkspaceStore } from './workspace.ts';

/** How long edits pause before the guests are audited again (the editor reads a text after 200 ms). */
export const AUDIT_PAUSE_MS = 150;

/** Audits the host and the guests' texts: the worker's job, or the same job in this process for tests. */
export type AuditRunner = (host: Host, guests: AuditText[]) => Promise<Outcome<AuditAnswer>>;

export interface ListedFinding {
  /** Unique within one audit, and the same for the same finding in the next one. */
  key: string;
  finding: Finding;
  /** The tabs of `finding.guests`, in its order (undefined for a name no tab has). */
  guestIds: (string | undefined)[];
  /** The tab whose edits `finding.edit` holds, null when there is nothing to apply. */
  fixGuestId: string | null;
}

export type AuditStatus = 'idle' | 'checking' | 'ready' | 'failed';

export interface AuditState {
  /** idle: no host to audit; checking: inputs changed since the findings shown. */
  status: AuditStatus;
  findings: ListedFinding[];
  /** The tabs whose XML read as a layout and were audited, in tab order. */
  audited: string[];
  error: string | null;
  ms: number | null;
  /** Starts following the host and the guests; returns the unsubscribe. */
  start(): () => void;
  /** Applies a finding's edits to its guest as one undoable step; false when there are none or the edit failed. */
  applyFix(key: string): Promise<boolean>;
}

/** Each tab's name in the findings: its own, numbered when another tab already has it. */
export function auditNames(tabs: readonly Pick<GuestTab, 'id' | 'name'>[]): { id: string; name: string }[] {
  const taken = new Set<string>();
  return tabs.map((t) => {
    const base = t.name.trim() === '' ? 'guest' : t.name.trim();
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base} (${n})`;
    taken.add(name);
    return { id: t.id, name };
  });
}

function listed(findings: readonly Finding[], idOf: ReadonlyMap<string, string>): ListedFinding[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const base = [finding.kind, finding.guests.join('/'), finding.cpus.join(','), finding.nodes.join(',')].join('|');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const fixGuestId = finding.edit && finding.edit.ops.length > 0 ? (idOf.get(finding.edit.guest) ?? null) : null;
    return { key: n === 1 ? base : `${base}#${n}`, finding, guestIds: finding.guests.map((g) => idOf.get(g)), fixGuestId };
  });
}

/** The texts the audit reads, compared element by element (a string compare is a memcmp next to an audit). */
function sameInputs(a: readonly AuditText[], b: readonly AuditText[]): boolean {
  return a.length === b.length && a.every((x, i) => x.name === b[i].name && x.text === b[i].text);
}

export function createAudit(run: AuditRunner, workspace: WorkspaceStore = useWorkspace, app: typeof useApp = useApp, pauseMs = AUDIT_PAUSE_MS) {
  return create<AuditState>()((set, get) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** The latest job asked for: older answers are dropped. */
    let asked = 0;
    let last: { host: Host | null; texts: AuditText[] } = { host: null, texts: [] };

    const inputs = () => {
      const tabs = workspace.getState().guests;
      const names = auditNames(tabs);
      return { host: app.getState().host, names, texts: names.map((n, i) => ({ name: n.name, text: tabs[i].xml })) };
    };

    const check = async () => {
      const { host, names, texts } = inputs();
      const job = ++asked;
      if (!host) {
        set({ status: 'idle', findings: [], audited: [], error: null, ms: null });
        return;
      }
      const out = await run(host, texts);
      if (job !== asked) return;
      if (!out.ok) {
        set({ status: 'failed', error: out.error });
        return;
      }
      const idOf = new Map(names.map((n) => [n.name, n.id]));
      const audited = out.value.audited.flatMap((name) => idOf.get(name) ?? []);
      set({ status: 'ready', findings: listed(out.value.findings, idOf), audited, error: null, ms: out.value.ms });
    };

    /** Audits again after a pause when what it reads changed; the findings shown meanwhile are stale. */
    const changed = () => {
      const { host, texts } = inputs();
      if (host === last.host && sameInputs(texts, last.texts)) return;
      last = { host, texts };
      if (get().status !== 'checking') set({ status: 'checking' });
      clearTimeout(timer);
      timer = setTimeout(() => void check(), pauseMs);
    };

    return {
      status: 'idle',
      findings: [],
      audited: [],
      error: null,
      ms: null,
      start() {
        const offHost = app.subscribe((s, prev) => {
          if (s.host !== prev.host) changed();
        });
        const offGuests = workspace.subscribe((s, prev) => {
          if (s.guests !== prev.guests) changed();
        });
        changed();
        return () => {
          clearTimeout(timer);
          offHost();
          offGuests();
        };
      },
      async applyFix(key) {
        const item = get().findings.find((f) => f.key === key);
        if (!item?.fixGuestId || !item.finding.edit) return false;
        return workspace.getState().applyFix(item.fixGuestId, item.finding.edit.ops, `Fix ${item.finding.kind}`);
      },
    };
  });
}

export type AuditStore = ReturnType<typeof createAudit>;

/** Runs a job again once when its worker crashed under it (the channel has started a fresh one). */
export function workerAuditRunner(client: AuditClient = new AuditClient()): AuditRunner {
  return async (host, guests) => {
    let outcome = await client.audit(host, guests);
    if (outcome.kind === 'crashed') outcome = await client.audit(host, guests);
    if (outcome.kind === 'done') {
      const { kind: _kind, ...answer } = outcome;
      return { ok: true, value: answer };
    }
    return { ok: false, error: outcome.kind === 'superseded' ? 'the audit was cancelled' : outcome.error };
  };
}

/** The page's audit; its worker starts on the first job. */
export const useAudit = createAudit(workerAuditRunner());
