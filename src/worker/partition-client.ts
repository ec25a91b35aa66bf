/**
 * Typed client for the partition worker. The latest job wins (a drag that arrives while a solve
 * still runs terminates that worker and starts a fresh one), the page never waits on the core,
 * and a worker that crashes is replaced on the next job. The host crosses to a worker once; the
 * jobs after it leave it out while it is the same.
 */
import type { GuestLayout } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import type { EditOp } from '../core/partition/index.ts';
import { NO_OCCUPANCY, type Occupancy, type PartitionRequest } from '../core/partition/request.ts';
import { LatestWinsChannel, type WorkerFactory, type WorkerOutcome } from './latest-wins.ts';
import type { PartitionAnswer, PartitionJob } from './partition-protocol.ts';

export type SolveOutcome = WorkerOutcome<Extract<PartitionAnswer, { op: 'solve' }>>;
export type EditsOutcome = WorkerOutcome<Extract<PartitionAnswer, { op: 'edit' }>>;

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('./partition.worker.ts', import.meta.url), { type: 'module', name: 'numascope-partition' });

export class PartitionClient {
  private readonly channel: LatestWinsChannel<PartitionJob, PartitionAnswer>;

  constructor(factory: WorkerFactory = defaultFactory) {
    this.channel = new LatestWinsChannel(factory, 'partitioner');
  }

  // The worker answers a job with the answer of its op, so each cast only names what comes back.
  solve(host: Host, request: PartitionRequest, occupancy: Occupancy = NO_OCCUPANCY): Promise<SolveOutcome> {
    return this.channel.send({ op: 'solve', request, occupancy }, host) as Promise<SolveOutcome>;
  }

  /** The hand edits of a drag (or a resize) on a layout, in order; a refused one comes back done, with which op and why. */
  edit(host: Host, layout: GuestLayout, ops: EditOp[], occupancy: Occupancy = NO_OCCUPANCY): Promise<EditsOutcome> {
    return this.channel.send({ op: 'edit', layout, ops, occupancy }, host) as Promise<EditsOutcome>;
  }

  dispose(): void {
    this.channel.dispose();
  }
}
