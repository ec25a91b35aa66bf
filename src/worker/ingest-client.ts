/**
 * Typed client for the ingest worker. The latest request wins: a request made while another is
 * still parsing terminates that worker (its promise settles as superseded) and starts a fresh
 * one, so a slow 10 MB parse never delays what the user typed since. A worker that crashes is
 * replaced on the next request.
 */
import type { Paste } from '../core/ingest/index.ts';
import type { IngestRequest, IngestResponse, IngestResult } from './protocol.ts';

export type IngestOutcome =
  | ({ kind: 'done' } & IngestResult)
  | { kind: 'superseded' }
  | { kind: 'failed'; error: string };

interface Pending {
  id: number;
  resolve: (outcome: IngestOutcome) => void;
}

export type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('./ingest.worker.ts', import.meta.url), { type: 'module', name: 'numascope-ingest' });

export class IngestClient {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;

  constructor(private readonly factory: WorkerFactory = defaultFactory) {}

  parse(pastes: Paste[]): Promise<IngestOutcome> {
    if (this.pending) {
      // Still parsing something older: the only way to stop a synchronous parse is to kill it.
      this.pending.resolve({ kind: 'superseded' });
      this.pending = null;
      this.discardWorker();
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<IngestOutcome>((resolve) => {
      this.pending = { id, resolve };
      const request: IngestRequest = { id, pastes };
      worker.postMessage(request);
    });
  }

  dispose(): void {
    this.pending?.resolve({ kind: 'superseded' });
    this.pending = null;
    this.discardWorker();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.factory();
    worker.onmessage = (event: MessageEvent<IngestResponse>) => this.settle(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.crashed(event.message || 'the parser stopped unexpectedly');
    };
    worker.onmessageerror = () => this.crashed('the parser sent a message the page could not read');
    this.worker = worker;
    return worker;
  }

  private settle(response: IngestResponse): void {
    const pending = this.pending;
    if (!pending || pending.id !== response.id) return;
    this.pending = null;
    if (response.ok) {
      const { id: _id, ok: _ok, ...result } = response;
      pending.resolve({ kind: 'done', ...result });
    } else {
      pending.resolve({ kind: 'failed', error: response.error });
    }
  }

  private crashed(message: string): void {
    const pending = this.pending;
    this.pending = null;
    this.discardWorker();
    pending?.resolve({ kind: 'failed', error: `parser crashed: ${message}` });
  }

  private discardWorker(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
