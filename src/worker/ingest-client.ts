/**
 * Typed client for the ingest worker. The latest request wins: a request made while another is
 * still parsing terminates that worker (its promise settles as superseded) and starts a fresh
 * one, so a slow 10 MB parse never delays what the user typed since. A worker that crashes is
 * replaced on the next request.
 */
import type { Paste } from '../core/ingest/index.ts';
import { LatestWinsChannel, type WorkerFactory, type WorkerOutcome } from './latest-wins.ts';
import type { IngestRequest, IngestResult } from './protocol.ts';

export type IngestOutcome = WorkerOutcome<IngestResult>;
export type { WorkerFactory } from './latest-wins.ts';

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('./ingest.worker.ts', import.meta.url), { type: 'module', name: 'numascope-ingest' });

export class IngestClient {
  private readonly channel: LatestWinsChannel<Omit<IngestRequest, 'id'>, IngestResult>;

  constructor(factory: WorkerFactory = defaultFactory) {
    this.channel = new LatestWinsChannel(factory, 'parser');
  }

  parse(pastes: Paste[]): Promise<IngestOutcome> {
    return this.channel.send({ pastes });
  }

  dispose(): void {
    this.channel.dispose();
  }
}
