/**
 * Runs the audit of the host and every guest tab off the main thread: the page never parses a
 * domain XML itself (DESIGN.md §1), and a host of thousands of CPUs with many guests must not
 * hold up typing. One job at a time, answered in order; the session keeps the host and the
 * guests read lately.
 */
import { auditSession, runAuditJob } from './audit-jobs.ts';
import type { AuditMessage, AuditResponse } from './audit-protocol.ts';
import { replyTo } from './reply.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = auditSession();

scope.onmessage = (event: MessageEvent<AuditMessage>) => {
  const job = event.data;
  const reply: AuditResponse = replyTo(job.id, () => runAuditJob(job, session));
  scope.postMessage(reply);
};
