/**
 * The Audit view (issue 17): what the audit finds over the host and every guest tab, grouped by
 * the guest each finding names first (as `numascope check` prints them), each with its severity,
 * kind, what is wrong and what to change. Hovering or focusing a finding lights its CPUs and
 * nodes on the host view through the app's shared highlight; a finding the core can fix has a
 * Fix button that applies its edits to that guest as one undoable step.
 */
import { useEffect, useRef } from 'react';
import type { Finding } from '../../core/audit/index.ts';
import type { Severity } from '../../core/diagnostics.ts';
import { useAudit, type AuditStatus, type ListedFinding } from '../../state/audit.ts';
import { useApp, type Highlight } from '../../state/store.ts';
import { useWorkspace } from '../../state/workspace.ts';
import { drawable } from '../Diagrams.tsx';
import './audit.css';

const ICON: Record<Severity, string> = { error: '✕', warning: '▲', info: 'i' };

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "1 error, 2 warnings" (notes only when there are some); "no problems" when nothing is wrong. */
export function auditSummary(findings: readonly Pick<Finding, 'severity'>[]): string {
  const of = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const notes = of('info');
  if (of('error') + of('warning') === 0) return notes > 0 ? `no problems, ${count(notes, 'note')}` : 'no problems';
  return [count(of('error'), 'error'), count(of('warning'), 'warning'), ...(notes > 0 ? [count(notes, 'note')] : [])].join(', ');
}

export function AuditView() {
  const hasHost = useApp((s) => drawable(s.host));
  useEffect(() => useAudit.getState().start(), []);
  if (!hasHost) return null;
  return <AuditPanel />;
}

function AuditPanel() {
  const status = useAudit((s) => s.status);
  const findings = useAudit((s) => s.findings);
  const audited = useAudit((s) => s.audited);
  const error = useAudit((s) => s.error);
  const tabs = useWorkspace((s) => s.guests);
  // Grouped under the tab a finding names first, in tab order; findings naming no tab last.
  const groups = [
    ...tabs.map((t) => ({ id: t.id, title: t.name, items: findings.filter((f) => f.guestIds[0] === t.id) })),
    { id: 'host', title: 'Host', items: findings.filter((f) => f.guestIds[0] === undefined) },
  ].filter((g) => g.items.length > 0);
  const problems = findings.some((f) => f.finding.severity !== 'info');
  return (
    <section className={`panel audit-view${status === 'checking' ? ' stale' : ''}`} aria-labelledby="audit-title" data-testid="audit" data-status={status}>
      <div className="panel-head">
        <h2 id="audit-title">
          Audit{' '}
          <span className={`audit-count${problems ? ' problems' : ''}`} data-testid="audit-count">
            {auditSummary(findings.map((f) => f.finding))}
          </span>
        </h2>
        <span className="muted small" role="status" aria-live="polite">
          {status === 'checking' ? 'Checking…' : status === 'failed' ? `The audit failed: ${error ?? 'unknown error'}` : `${count(audited.length, 'guest')} on this host`}
        </span>
      </div>
      {groups.length === 0 ? (
        <p className="muted small" data-testid="audit-empty">
          {audited.length === 0 ? 'Guests you lay out or open from domain XML are audited here: pins two guests share, SMT siblings, memory away from its vCPUs …' : 'Nothing to report: no guest gets in another’s way, and each runs near its memory.'}
        </p>
      ) : (
        groups.map((g) => (
          <div key={g.id} className="audit-group" data-testid="audit-group" data-guest={g.title}>
            <h3>{g.title}</h3>
            <ul>
              {g.items.map((item) => (
                <FindingRow key={item.key} item={item} status={status} />
              ))}
            </ul>
          </div>
        ))
      )}
    </section>
  );
}

/**
 * Lights a finding's CPUs and nodes on the host view beside it while it is hovered or focused
 * (the keyboard's hover). Clears only what it lit.
 */
function useLight(finding: Finding) {
  const mine = useRef<Highlight | null>(null);
  const over = useRef({ hovered: false, focused: false });
  const update = () => {
    const on = over.current.hovered || over.current.focused;
    if (on && !mine.current) {
      mine.current = { nodes: finding.nodes, cpus: finding.cpus };
      useApp.getState().setHighlight(mine.current);
    } else if (!on && mine.current) {
      if (useApp.getState().highlight === mine.current) useApp.getState().setHighlight(null);
      mine.current = null;
    }
  };
  const set = (what: 'hovered' | 'focused', value: boolean) => () => {
    over.current[what] = value;
    update();
  };
  // A fixed finding goes away under the pointer: what it lit goes with it.
  useEffect(
    () => () => {
      over.current = { hovered: false, focused: false };
      update();
    },
    [],
  );
  return { onPointerEnter: set('hovered', true), onPointerLeave: set('hovered', false), onFocus: set('focused', true), onBlur: set('focused', false) };
}

function FindingRow({ item, status }: { item: ListedFinding; status: AuditStatus }) {
  const { finding } = item;
  const light = useLight(finding);
  return (
    <li
      className={`audit-finding ${finding.severity}`}
      tabIndex={0}
      data-testid="audit-finding"
      data-kind={finding.kind}
      data-severity={finding.severity}
      title="Hover or focus to light its CPUs and nodes on the host view"
      {...light}
    >
      <span className="audit-severity" role="img" aria-label={finding.severity} title={finding.severity}>
        {ICON[finding.severity]}
      </span>
      <div className="audit-body">
        <p>
          <code className="audit-kind">{finding.kind}</code> <span data-testid="audit-message">{finding.message}</span>
        </p>
        <p className="audit-fix-text" data-testid="audit-fix-text">
          {finding.fix}
        </p>
      </div>
      {item.fixGuestId && (
        <button
          type="button"
          className="audit-fix"
          data-testid="audit-fix"
          // The edits answer the texts audited: not while newer texts are being checked.
          disabled={status !== 'ready'}
          title={`Apply this fix to ${finding.edit?.guest ?? 'the guest'} (undo takes it back)`}
          onClick={() => void useAudit.getState().applyFix(item.key)}
        >
          Fix
        </button>
      )}
    </li>
  );
}
