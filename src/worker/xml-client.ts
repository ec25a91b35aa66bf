/**
 * Typed client for the domain XML worker. Unlike the partition client, nothing here is ever
 * superseded: reads for two guests and a write after a drag all matter, so jobs queue in the
 * worker and every one is answered. A worker that crashes fails what it held (the caller keeps
 * its last good state and may retry) and is replaced on the next job.
 */
import type { GuestLayout } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import type { WorkerFactory, WorkerOutcome, WorkerReply } from './latest-wins.ts';
import type { XmlAnswer, XmlJob } from './xml-protocol.ts';

export type ReadOutcome = WorkerOutcome<Extract<XmlAnswer, { op: 'read' }>>;
export type WriteOutcome = WorkerOutcome<Extract<XmlAnswer, { op: 'write' }>>;

const defaultFactory: WorkerFactory = () => new Worker(new URL('./xml.worker.ts', import.meta.url), { type: 'module', name: 'numascope-xml' });

export class XmlClient {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, (outcome: WorkerOutcome<XmlAnswer>) => void>();
  private nextId = 1;

  constructor(private readonly factory: WorkerFactory = defaultFactory) {}

  read(text: string, host: Host | null): Promise<ReadOutcome> {
    return this.send({ op: 'read', text, host }) as Promise<ReadOutcome>;
  }

  write(text: string, layout: GuestLayout, host: Host | null, name?: string): Promise<WriteOutcome> {
    return this.send(name === undefined ? { op: 'write', text, layout, host } : { op: 'write', text, layout, host, name }) as Promise<WriteOutcome>;
  }

  dispose(): void {
    this.failAll({ kind: 'superseded' });
  }

  private send(job: XmlJob): Promise<WorkerOutcome<XmlAnswer>> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ ...job, id });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.factory();
    worker.onmessage = (event: MessageEvent<WorkerReply<XmlAnswer>>) => this.settle(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.failAll({ kind: 'failed', error: `XML worker crashed: ${event.message || 'it stopped unexpectedly'}` });
    };
    worker.onmessageerror = () => this.failAll({ kind: 'failed', error: 'XML worker sent a message the page could not read' });
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply<XmlAnswer>): void {
    const resolve = this.pending.get(reply.id);
    if (!resolve) return;
    this.pending.delete(reply.id);
    if (reply.ok) {
      const { id: _id, ok: _ok, ...answer } = reply;
      resolve({ kind: 'done', ...(answer as XmlAnswer) });
    } else {
      resolve({ kind: 'failed', error: reply.error });
    }
  }

  private failAll(outcome: WorkerOutcome<XmlAnswer>): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.worker?.terminate();
    this.worker = null;
    for (const resolve of waiting) resolve(outcome);
  }
}
