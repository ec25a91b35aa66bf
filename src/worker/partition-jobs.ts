/**
 * What the partition worker does for one job, as a plain function (the worker wraps it, tests
 * call it directly): solve, on the host the session holds — the last one a job carried, since the
 * client leaves it out while it is the same.
 */
import type { Host } from '../core/host/model.ts';
import { solve } from '../core/partition/index.ts';
import type { PartitionAnswer, PartitionJob } from './partition-protocol.ts';

/** What a worker keeps between jobs. */
export interface PartitionSession {
  host: Host | null;
}

export function partitionSession(): PartitionSession {
  return { host: null };
}

export function runPartitionJob(job: PartitionJob, session: PartitionSession): PartitionAnswer {
  const started = performance.now();
  if (job.host) session.host = job.host;
  const host = session.host;
  if (!host) throw new Error('no host was given to the partitioner');
  return { op: 'solve', result: solve(host, job.request, job.occupancy), ms: performance.now() - started };
}
