/**
 * Messages between the page and the audit worker (all structured-clone safe). The page sends
 * every guest tab's domain XML text under a name unique among the tabs; the worker reads each
 * as `numascope check` does (readAuditGuest) and answers the audit's findings. Like the document
 * worker, it keeps the host it was last given: a job without `host` uses that one.
 */
import type { Finding } from '../core/audit/index.ts';
import type { Host } from '../core/host/model.ts';
import type { WorkerReply } from './latest-wins.ts';

/** One guest tab as the audit reads it: its name in the findings, and its domain XML. */
export interface AuditText {
  name: string;
  text: string;
}

export interface AuditJob {
  host?: Host | null;
  guests: AuditText[];
}

export type AuditMessage = AuditJob & { id: number };

export interface AuditAnswer {
  findings: Finding[];
  /** The names of the guests whose XML read as a layout, in the order given (the others were left out). */
  audited: string[];
  ms: number;
}

export type AuditResponse = WorkerReply<AuditAnswer>;
