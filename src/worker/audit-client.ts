/**
 * Typed client for the audit worker. Jobs queue and each is answered (the page keeps only the
 * answer to its latest job): an audit takes milliseconds, so restarting the worker for a newer
 * one would cost more than letting the older finish. The host crosses to a worker once; a
 * worker that crashes fails what it held and is replaced on the next job.
 */
import type { Host } from '../core/host/model.ts';
import { LatestWinsChannel, type WorkerFactory, type WorkerOutcome } from './latest-wins.ts';
import type { AuditAnswer, AuditJob, AuditText } from './audit-protocol.ts';

export type AuditOutcome = WorkerOutcome<AuditAnswer>;

const defaultFactory: WorkerFactory = () => new Worker(new URL('./audit.worker.ts', import.meta.url), { type: 'module', name: 'numascope-audit' });

export class AuditClient {
  private readonly channel: LatestWinsChannel<AuditJob, AuditAnswer>;

  constructor(factory: WorkerFactory = defaultFactory) {
    this.channel = new LatestWinsChannel(factory, 'audit worker', 'queue');
  }

  audit(host: Host | null, guests: AuditText[]): Promise<AuditOutcome> {
    return this.channel.send({ guests }, host);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
