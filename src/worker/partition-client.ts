/**
 * Typed client for the partition worker. The latest job wins (a drag that arrives while a solve
 * still runs terminates that worker and starts a fresh one), the page never waits on the core,
 * and a worker that crashes is replaced on the next job. The host crosses to a worker once; the
 * jobs after it leave it out while it is the same.
 */
import type { Host } from '../core/host/model.ts';
import { NO_OCCUPANCY, type Occupancy, type PartitionRequest } from '../core/partition/request.ts';
import { LatestWinsChannel, type WorkerFactory, type WorkerOutcome } from './latest-wins.ts';
import type { PartitionAnswer, PartitionJob } from './partition-protocol.ts';

export type SolveOutcome = WorkerOutcome<PartitionAnswer>;

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('./partition.worker.ts', import.meta.url), { type: 'module', name: 'numascope-partition' });

export class PartitionClient {
  private readonly channel: LatestWinsChannel<PartitionJob, PartitionAnswer>;

  constructor(factory: WorkerFactory = defaultFactory) {
    this.channel = new LatestWinsChannel(factory, 'partitioner');
  }

  solve(host: Host, request: PartitionRequest, occupancy: Occupancy = NO_OCCUPANCY): Promise<SolveOutcome> {
    return this.channel.send({ op: 'solve', request, occupancy }, host);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
