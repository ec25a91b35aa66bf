/** What ingest recognised in the pastes, every diagnostic it raised, and where pastes disagree. */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Host, SourceSummary } from '../core/host/model.ts';
import { useApp } from '../state/store.ts';

/** Enough to read; a 10 MB paste of nonsense must not render a million list items. */
const MAX_DIAGNOSTICS_PER_SOURCE = 100;

/** The element the problems badge over the drawing (ProblemsBadge.tsx) brings into view. */
export const PROBLEMS_ID = 'problems';

export function Sources() {
  const host = useApp((s) => s.host);
  const unrecognised = useApp((s) => s.unrecognised);
  const status = useApp((s) => s.status);
  if (status === 'empty') return null;
  return (
    <section className="panel sources-panel" aria-labelledby="sources-title" id={PROBLEMS_ID} tabIndex={-1}>
      <h2 id="sources-title">Recognised sources</h2>
      {unrecognised.map(({ name, message }) => (
        <p key={name} className="message error" role="alert" data-testid="unrecognised">
          “{name}”: {message}
        </p>
      ))}
      {host && host.sources.length > 0 && (
        <ul className="sources">
          {host.sources.map((s) => (
            <SourceItem key={s.name} source={s} diagnostics={host.diagnostics.filter((d) => d.source === s.name)} />
          ))}
        </ul>
      )}
      {host && <OtherDiagnostics host={host} shownAbove={new Set(unrecognised.map((u) => u.name))} />}
      {host && host.conflicts.length > 0 && <Conflicts host={host} />}
    </section>
  );
}

function SourceItem({ source, diagnostics }: { source: SourceSummary; diagnostics: Diagnostic[] }) {
  return (
    <li className="source" data-testid="source-item" data-format={source.format}>
      <div className="source-head">
        <span className="badge">{source.label}</span>
        <span className="source-name">{source.name}</span>
      </div>
      <div className="source-counts">
        {source.lines} lines · {source.unknownLines} not understood ·{' '}
        <span className={source.errors > 0 ? 'count-error' : ''}>{plural(source.errors, 'error')}</span> ·{' '}
        <span className={source.warnings > 0 ? 'count-warning' : ''}>{plural(source.warnings, 'warning')}</span>
      </div>
      <DiagnosticList diagnostics={diagnostics} />
    </li>
  );
}

/** Diagnostics of no recognised source: merge notes and problems of whole pastes (unless alerted above). */
function OtherDiagnostics({ host, shownAbove }: { host: Host; shownAbove: ReadonlySet<string> }) {
  const named = new Set(host.sources.map((s) => s.name));
  const others = host.diagnostics.filter((d) => !named.has(d.source) && !shownAbove.has(d.source));
  if (others.length === 0) return null;
  return (
    <div className="other-diagnostics">
      <h3>Notes</h3>
      <DiagnosticList diagnostics={others} />
    </div>
  );
}

function DiagnosticList({ diagnostics }: { diagnostics: Diagnostic[] }) {
  if (diagnostics.length === 0) return null;
  const shown = diagnostics.slice(0, MAX_DIAGNOSTICS_PER_SOURCE);
  return (
    <ul className="diagnostics">
      {shown.map((d, i) => (
        <li key={i} className={`diagnostic ${d.severity}`} data-testid="diagnostic" data-severity={d.severity}>
          <span className="where">{where(d)}</span> <span className="severity">{d.severity}</span>{' '}
          <span className="text">{d.message}</span>
        </li>
      ))}
      {diagnostics.length > shown.length && (
        <li className="diagnostic more">… and {diagnostics.length - shown.length} more</li>
      )}
    </ul>
  );
}

function Conflicts({ host }: { host: Host }) {
  return (
    <div className="conflicts">
      <h3>Conflicts between pastes</h3>
      <ul>
        {host.conflicts.map((c, i) => (
          <li key={i} className="conflict" data-testid="conflict">
            <strong>{c.subject}</strong>
            <ul>
              {c.claims.map((claim, j) => (
                <li key={j}>
                  {claim.source}: <code>{claim.value}</code>
                </li>
              ))}
            </ul>
            <div className="resolution">{c.resolution}</div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function where(d: Diagnostic): string {
  if (d.line === undefined) return d.source;
  return d.column === undefined ? `${d.source}:${d.line}` : `${d.source}:${d.line}:${d.column}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
