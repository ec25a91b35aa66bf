/**
 * The dock beside the host view: the guest panel, or the Audit view. Both speak of what the
 * drawing beside them shows — a vCPU dragged onto a PU, a finding lit on the CPUs it names — so
 * both stand there, one at a time, behind two tabs; the Audit tab carries the audit's count, so
 * problems are seen whichever is shown. A host opened with its guests (a sosreport, the
 * collector's output) shows the Audit: what runs there is what the person came to check.
 */
import { useEffect, useState } from 'react';
import { useAudit } from '../state/audit.ts';
import { useBundle } from '../state/bundle.ts';
import { useApp } from '../state/store.ts';
import { AuditView, auditSummary } from './audit/AuditView.tsx';
import { drawable } from './Diagrams.tsx';
import { GuestPanel } from './guest/GuestPanel.tsx';
import './dock.css';

type Shown = 'guests' | 'audit';

export function Dock() {
  const hasHost = useApp((s) => drawable(s.host));
  const [shown, show] = useState<Shown>('guests');
  const opened = useBundle((s) => s.opened);
  useEffect(() => {
    if (opened && opened.guests > 0) show('audit');
  }, [opened]);
  // The audit needs a host to audit against: without one the guest panel stands alone. It stays
  // the same element in the same place either way, so what the person was writing in it (a domain
  // XML half pasted) survives the first host arriving.
  return (
    <div className={hasHost ? 'dock' : 'dock bare'} data-testid="dock" data-shown={hasHost ? shown : 'guests'}>
      {hasHost && (
        <div className="dock-tabs" role="tablist" aria-label="Beside the host view">
          <DockTab id="guests" shown={shown} show={show}>
            Guests
          </DockTab>
          <DockTab id="audit" shown={shown} show={show}>
            Audit <AuditCount />
          </DockTab>
        </div>
      )}
      <div className="dock-page" role={hasHost ? 'tabpanel' : undefined} id="dock-guests" aria-labelledby={hasHost ? 'dock-tab-guests' : undefined} hidden={hasHost && shown !== 'guests'}>
        <GuestPanel />
      </div>
      {/* mounted while hidden: the audit runs, and its count shows on the tab */}
      {hasHost && (
        <div className="dock-page" role="tabpanel" id="dock-audit" aria-labelledby="dock-tab-audit" hidden={shown !== 'audit'}>
          <AuditView />
        </div>
      )}
    </div>
  );
}

function DockTab({ id, shown, show, children }: { id: Shown; shown: Shown; show: (s: Shown) => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      role="tab"
      id={`dock-tab-${id}`}
      aria-controls={`dock-${id}`}
      aria-selected={shown === id}
      className={shown === id ? 'dock-tab active' : 'dock-tab'}
      data-testid={`dock-tab-${id}`}
      onClick={() => show(id)}
    >
      {children}
    </button>
  );
}

function AuditCount() {
  const findings = useAudit((s) => s.findings);
  const problems = findings.some((f) => f.finding.severity !== 'info');
  return (
    <span className={problems ? 'dock-count problems' : 'dock-count'} data-testid="dock-audit-count">
      {auditSummary(findings.map((f) => f.finding))}
    </span>
  );
}
