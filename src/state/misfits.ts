/**
 * Whether a guest's layout fits the host shown (core's misfits()), remembered per layout and
 * host: the guest tab, its flag and the views beside the editor ask on every render, and the
 * answer changes only when one of the two does — at once when the host changes, before the
 * guest's XML has been read again.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { GuestLayout } from '../core/guest/model.ts';
import { misfits } from '../core/guest/validate.ts';
import type { Host } from '../core/host/model.ts';

const NONE: readonly Diagnostic[] = [];
const known = new WeakMap<GuestLayout, { host: Host; misfits: readonly Diagnostic[] }>();

/** What keeps `layout` from fitting `host`; the same empty list when it fits or there is nothing to judge. */
export function misfitsOf(layout: GuestLayout | null, host: Host | null): readonly Diagnostic[] {
  if (!layout || !host) return NONE;
  const hit = known.get(layout);
  if (hit?.host === host) return hit.misfits;
  const found = misfits(layout, host);
  const answer = found.length === 0 ? NONE : found;
  known.set(layout, { host, misfits: answer });
  return answer;
}

/** A guest's errors that are its XML's own, not the host's (those are misfits, mended by laying it out again). */
export function ownErrorsOf(diagnostics: readonly Diagnostic[], misfits: readonly Diagnostic[]): Diagnostic[] {
  const ofHost = new Set(misfits.map((d) => `${d.path}\n${d.message}`));
  return diagnostics.filter((d) => d.severity === 'error' && !ofHost.has(`${d.path}\n${d.message}`));
}
