/**
 * What the audit worker does for one job, as plain functions (the worker wraps them, tests call
 * them directly): read each guest's domain XML for the audit, then audit(host, guests). Texts
 * that did not change since the last job are not read again: typing in one guest's editor
 * re-reads that guest only.
 */
import { audit, readAuditGuest, type AuditGuest } from '../core/audit/index.ts';
import type { Host } from '../core/host/model.ts';
import type { AuditAnswer, AuditJob } from './audit-protocol.ts';

export interface AuditSession {
  host: Host | null;
  /** The guests read by the last job, by name and text. */
  read: Map<string, { text: string; guest: AuditGuest | null }>;
}

export function auditSession(): AuditSession {
  return { host: null, read: new Map() };
}

function readGuest(session: AuditSession, name: string, text: string): AuditGuest | null {
  const kept = session.read.get(name);
  if (kept && kept.text === text) return kept.guest;
  // A blank editor is a guest not written yet, not a domain to complain about.
  const guest = text.trim() === '' ? null : readAuditGuest(text, name).guest;
  // The audit names a guest by its tab, which is what the person sees (the <name> may repeat).
  return guest && { ...guest, name };
}

export function runAuditJob(job: AuditJob, session: AuditSession): AuditAnswer {
  const started = performance.now();
  if (job.host !== undefined) session.host = job.host;
  const read = new Map<string, { text: string; guest: AuditGuest | null }>();
  for (const { name, text } of job.guests) read.set(name, { text, guest: readGuest(session, name, text) });
  session.read = read;
  const guests = [...read.values()].flatMap((r) => (r.guest ? [r.guest] : []));
  const findings = session.host ? audit(session.host, guests) : [];
  return { findings, audited: guests.map((g) => g.name), ms: performance.now() - started };
}
