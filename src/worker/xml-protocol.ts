/**
 * Messages between the page and the domain document worker (all structured-clone safe). The
 * worker keeps the host it was last given: a job without `host` uses that one, so a drop does
 * not copy a 4096-PU host across on every move (the client sends it again to a fresh worker).
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { TextEdit } from '../core/domain-xml/index.ts';
import type { GuestLayout, LayoutScore } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import type { EditOp } from '../core/partition/index.ts';
import type { Occupancy } from '../core/partition/request.ts';
import type { WorkerReply } from './latest-wins.ts';
import type { Problem } from './problems.ts';

/** The host a job is checked against: absent means the one the previous job gave. */
interface HostOf {
  host?: Host | null;
}

export type XmlJob = HostOf &
  (
    | /** The layout a domain XML text describes, and its diagnostics (validated when a host is known). */
    { op: 'read'; text: string }
    /** Write a layout into a text (a blank one gets a new domain named `name`), then read it back. */
    | { op: 'write'; text: string; layout: GuestLayout; name?: string }
    /** The hand edits of a drop, as one job: read the text's layout, editAll() it, write it back, read that. */
    | { op: 'edit'; text: string; ops: EditOp[]; occupancy: Occupancy; name?: string }
  );

export type XmlMessage = XmlJob & { id: number };

/** What a text reads as: its layout, its diagnostics, and those located on it with their fixes. */
export interface Derived {
  layout: GuestLayout | null;
  diagnostics: Diagnostic[];
  problems: Problem[];
  /** The domain's <name>, null when it has none. */
  domainName: string | null;
}

/** A text that replaced the job's text, as the minimal edits of it. */
export interface Written extends Derived {
  text: string;
  edits: TextEdit[];
  /** The writer left the text as it was and says why (a document that reads with errors, a layout past the limits). */
  refused?: string;
}

export type EditAnswer =
  | ({ op: 'edit'; outcome: 'done'; explanation: string[]; score: LayoutScore } & Written)
  /** editAll() refused one of the ops (a CPU another guest holds, no room): nothing changed; `explanation` is what the ops before it did. */
  | { op: 'edit'; outcome: 'refused'; reason: string; explanation: string[] }
  /** The text describes no layout to edit (blank, or not readable). */
  | { op: 'edit'; outcome: 'no-layout' };

export type XmlAnswer = (({ op: 'read' } & Derived) | ({ op: 'write' } & Written) | EditAnswer) & { ms: number };

export type XmlResponse = WorkerReply<XmlAnswer>;
