/**
 * Problems where the eye is: over the host drawing, the number of errors and warnings the pastes
 * raised, as a button that brings their list (Sources.tsx, far down the page) into view; and,
 * when any paste had errors, a line saying the host drawn may be incomplete — a cut-off hwloc
 * XML draws a believable smaller machine, and nothing on the drawing would say so.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { useApp } from '../state/store.ts';
import { PROBLEMS_ID } from './Sources.tsx';
import './ProblemsBadge.css';

export interface ProblemCounts {
  errors: number;
  warnings: number;
}

/** Errors and warnings among the pastes' diagnostics (notes are not problems). */
export function problemCounts(diagnostics: readonly Diagnostic[]): ProblemCounts {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Scrolls to the list of problems and gives it the focus, so the keyboard lands there too. */
function showProblems(): void {
  const list = document.getElementById(PROBLEMS_ID);
  if (!list) return;
  list.scrollIntoView({ block: 'start', behavior: 'smooth' });
  list.focus({ preventScroll: true });
}

export function ProblemsBadge() {
  const diagnostics = useApp((s) => s.host?.diagnostics);
  const { errors, warnings } = problemCounts(diagnostics ?? []);
  if (errors + warnings === 0) return null;
  const summary = [errors > 0 && plural(errors, 'error'), warnings > 0 && plural(warnings, 'warning')].filter(Boolean).join(', ');
  return (
    <div className="problems-bar" data-testid="problems-bar">
      <button type="button" className="problems-badge" onClick={showProblems} data-testid="problems-badge" aria-label={`${summary} in the pastes: show the list`}>
        {errors > 0 && (
          <span className="problems-count error" data-testid="problems-errors">
            {plural(errors, 'error')}
          </span>
        )}
        {warnings > 0 && (
          <span className="problems-count warning" data-testid="problems-warnings">
            {plural(warnings, 'warning')}
          </span>
        )}
      </button>
      {errors > 0 && (
        <p className="problems-incomplete" role="status" data-testid="incomplete-banner">
          Drawn from pastes with errors: this host may be incomplete.
        </p>
      )}
    </div>
  );
}
