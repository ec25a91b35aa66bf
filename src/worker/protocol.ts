/** Messages between the page and the ingest worker. Everything here is structured-clone safe. */
import type { Host } from '../core/host/model.ts';
import type { HostFacts } from '../core/host/facts.ts';
import type { Paste } from '../core/ingest/index.ts';
import type { WorkerReply } from './latest-wins.ts';

export interface IngestRequest {
  id: number;
  pastes: Paste[];
}

export interface IngestResult {
  host: Host;
  facts: HostFacts[];
  /** Pastes in which no output was recognised, with ingest's explanation, so the page can say so plainly. */
  unrecognised: { name: string; message: string }[];
  /** Time the worker spent parsing and merging, for the status line. */
  ms: number;
}

export type IngestResponse = WorkerReply<IngestResult>;
