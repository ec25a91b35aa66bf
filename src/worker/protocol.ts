/** Messages between the page and the ingest worker. Everything here is structured-clone safe. */
import type { Host } from '../core/host/model.ts';
import type { HostFacts } from '../core/host/facts.ts';
import type { Paste } from '../core/ingest/index.ts';

export interface IngestRequest {
  id: number;
  pastes: Paste[];
}

export interface IngestResult {
  host: Host;
  facts: HostFacts[];
  /** Names of pastes in which no format was recognised, so the page can say so plainly. */
  unrecognised: string[];
  /** What each known format is called, to tell someone what numascope can read. */
  formatLabels: string[];
  /** Time the worker spent parsing and merging, for the status line. */
  ms: number;
}

export type IngestResponse =
  | ({ id: number; ok: true } & IngestResult)
  | { id: number; ok: false; error: string };
