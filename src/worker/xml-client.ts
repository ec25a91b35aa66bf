/**
 * Typed client for a domain document worker. For the guests' texts nothing is ever superseded:
 * reads for two guests, a write after Auto and the edits of a drop all matter, so jobs queue in
 * the worker and every one is answered. Drafts (the edit a drag would make at the target it
 * hovers) are the exception: only the latest matters, so that client's order is latest-wins. A worker that crashes fails what it held
 * (the caller keeps its last good state and may retry) and is replaced on the next job. The host
 * crosses to a worker once (jobs are answered in order, so the next ones can leave it out).
 */
import type { GuestLayout } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import type { EditOp } from '../core/partition/index.ts';
import type { Occupancy } from '../core/partition/request.ts';
import { LatestWinsChannel, type ChannelOrder, type WorkerFactory, type WorkerOutcome } from './latest-wins.ts';
import type { XmlAnswer, XmlJob } from './xml-protocol.ts';

export type ReadOutcome = WorkerOutcome<Extract<XmlAnswer, { op: 'read' }>>;
export type WriteOutcome = WorkerOutcome<Extract<XmlAnswer, { op: 'write' }>>;
export type EditOutcome = WorkerOutcome<Extract<XmlAnswer, { op: 'edit' }>>;

const defaultFactory: WorkerFactory = () => new Worker(new URL('./xml.worker.ts', import.meta.url), { type: 'module', name: 'numascope-xml' });

export class XmlClient {
  private readonly channel: LatestWinsChannel<XmlJob, XmlAnswer>;

  constructor(factory: WorkerFactory = defaultFactory, order: ChannelOrder = 'queue') {
    this.channel = new LatestWinsChannel(factory, 'XML worker', order);
  }

  // The worker answers a job with the answer of its op, so each cast only names what comes back.
  read(text: string, host: Host | null): Promise<ReadOutcome> {
    return this.channel.send({ op: 'read', text }, host) as Promise<ReadOutcome>;
  }

  write(text: string, layout: GuestLayout, host: Host | null, name?: string): Promise<WriteOutcome> {
    return this.channel.send(name === undefined ? { op: 'write', text, layout } : { op: 'write', text, layout, name }, host) as Promise<WriteOutcome>;
  }

  /** The ops of one drop on a text, in one job; a refused op comes back done, with outcome 'refused'. */
  edit(text: string, ops: EditOp[], host: Host | null, occupancy: Occupancy, name?: string): Promise<EditOutcome> {
    return this.channel.send(name === undefined ? { op: 'edit', text, ops, occupancy } : { op: 'edit', text, ops, occupancy, name }, host) as Promise<EditOutcome>;
  }

  dispose(): void {
    this.channel.dispose();
  }
}
