/** Messages between the page and the domain XML worker (all structured-clone safe). */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { TextEdit } from '../core/domain-xml/index.ts';
import type { GuestLayout } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import type { WorkerReply } from './latest-wins.ts';

export type XmlJob =
  /** The layout a domain XML text describes, and its diagnostics (validated when a host is known). */
  | { op: 'read'; text: string; host: Host | null }
  /** Write a layout into a text (a blank one gets a new domain named `name`), then read it back. */
  | { op: 'write'; text: string; layout: GuestLayout; host: Host | null; name?: string };

export type XmlMessage = XmlJob & { id: number };

export type XmlAnswer =
  | { op: 'read'; layout: GuestLayout | null; diagnostics: Diagnostic[]; ms: number }
  | { op: 'write'; text: string; edits: TextEdit[]; layout: GuestLayout | null; diagnostics: Diagnostic[]; ms: number };

export type XmlResponse = WorkerReply<XmlAnswer>;
