/**
 * Typed client for the partition worker. The latest job wins (a drag that arrives while a solve
 * still runs terminates that worker and starts a fresh one), the page never waits on the core,
 * and a worker that crashes is replaced on the next job. The host crosses to a worker once; the
 * jobs after it leave it out while it is the same.
 */
import type { GuestLayout, LayoutResult } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import type { EditOp } from '../core/partition/index.ts';
import { NO_OCCUPANCY, type Occupancy, type PartitionRequest } from '../core/partition/request.ts';
import { LatestWinsChannel, type WorkerFactory, type WorkerOutcome } from './latest-wins.ts';
import type { PartitionAnswer, PartitionJob } from './partition-protocol.ts';

export type LayoutOutcome =
  | { kind: 'done'; result: LayoutResult; ms: number }
  | { kind: 'superseded' }
  /** The core failed or crashed; the caller keeps the layout it already shows. */
  | { kind: 'failed'; error: string };

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('./partition.worker.ts', import.meta.url), { type: 'module', name: 'numascope-partition' });

export class PartitionClient {
  private readonly channel: LatestWinsChannel<PartitionJob, PartitionAnswer>;
  /** The host the channel's worker was last sent (a fresh worker is sent it again). */
  private hostSent: Host | null = null;

  constructor(factory: WorkerFactory = defaultFactory) {
    this.channel = new LatestWinsChannel(factory, 'partitioner');
  }

  async solve(host: Host, request: PartitionRequest, occupancy: Occupancy = NO_OCCUPANCY): Promise<LayoutOutcome> {
    return this.layout(await this.channel.send(this.withHost(host, { op: 'solve', request, occupancy })));
  }

  /** A hand edit (drag, resize) of a layout; a refused edit comes back done, with an error diagnostic. */
  async edit(host: Host, layout: GuestLayout, op: EditOp, occupancy: Occupancy = NO_OCCUPANCY): Promise<LayoutOutcome> {
    return this.layout(await this.channel.send(this.withHost(host, { op: 'edit', layout, edit: op, occupancy })));
  }

  dispose(): void {
    this.channel.dispose();
  }

  /** The job with its host, unless the worker it goes to already holds that host. */
  private withHost(host: Host, job: PartitionJob): (fresh: boolean) => PartitionJob {
    return (fresh) => {
      if (!fresh && host === this.hostSent) return job;
      this.hostSent = host;
      return { ...job, host };
    };
  }

  private layout(outcome: WorkerOutcome<PartitionAnswer>): LayoutOutcome {
    if (outcome.kind !== 'done') return outcome;
    return { kind: 'done', result: outcome.result, ms: outcome.ms };
  }
}
