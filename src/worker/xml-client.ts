/**
 * Typed client for the domain document worker. Unlike the partition client, nothing here is ever
 * superseded: reads for two guests, a write after Auto and the edits of a drop all matter, so
 * jobs queue in the worker and every one is answered. A worker that crashes fails what it held
 * (the caller keeps its last good state and may retry) and is replaced on the next job. The host
 * crosses to a worker once (jobs are answered in order, so the next ones can leave it out).
 */
import type { GuestLayout } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import type { EditOp } from '../core/partition/index.ts';
import type { Occupancy } from '../core/partition/request.ts';
import type { WorkerFactory, WorkerOutcome, WorkerReply } from './latest-wins.ts';
import type { XmlAnswer, XmlJob } from './xml-protocol.ts';

export type ReadOutcome = WorkerOutcome<Extract<XmlAnswer, { op: 'read' }>>;
export type WriteOutcome = WorkerOutcome<Extract<XmlAnswer, { op: 'write' }>>;
export type EditOutcome = WorkerOutcome<Extract<XmlAnswer, { op: 'edit' }>>;

const defaultFactory: WorkerFactory = () => new Worker(new URL('./xml.worker.ts', import.meta.url), { type: 'module', name: 'numascope-xml' });

/** Nothing sent yet: distinct from a null host, which is a host too ("none pasted"). */
const NOT_SENT = Symbol('not sent');

export class XmlClient {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, (outcome: WorkerOutcome<XmlAnswer>) => void>();
  private nextId = 1;
  /** The host the current worker holds. */
  private sentHost: Host | null | typeof NOT_SENT = NOT_SENT;

  constructor(private readonly factory: WorkerFactory = defaultFactory) {}

  read(text: string, host: Host | null): Promise<ReadOutcome> {
    return this.send({ op: 'read', text }, host) as Promise<ReadOutcome>;
  }

  write(text: string, layout: GuestLayout, host: Host | null, name?: string): Promise<WriteOutcome> {
    return this.send(name === undefined ? { op: 'write', text, layout } : { op: 'write', text, layout, name }, host) as Promise<WriteOutcome>;
  }

  /** The ops of one drop on a text, in one job; a refused op comes back done, with outcome 'refused'. */
  edit(text: string, ops: EditOp[], host: Host | null, occupancy: Occupancy, name?: string): Promise<EditOutcome> {
    return this.send(name === undefined ? { op: 'edit', text, ops, occupancy } : { op: 'edit', text, ops, occupancy, name }, host) as Promise<EditOutcome>;
  }

  dispose(): void {
    this.failAll({ kind: 'superseded' });
  }

  private send(job: XmlJob, host: Host | null): Promise<WorkerOutcome<XmlAnswer>> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const message = host === this.sentHost ? { ...job, id } : { ...job, host, id };
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage(message);
      this.sentHost = host;
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
    this.sentHost = NOT_SENT;
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
    this.sentHost = NOT_SENT;
    for (const resolve of waiting) resolve(outcome);
  }
}
