/**
 * Runs the partitioning core (solve, edit) off the main thread, so a time-boxed
 * search on a 64-node host never freezes the page. One job at a time; the client terminates
 * this worker when a newer job supersedes a running one.
 */
import { partitionSession, runPartitionJob } from './partition-jobs.ts';
import type { PartitionMessage, PartitionResponse } from './partition-protocol.ts';
import { replyTo } from './reply.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = partitionSession();

scope.onmessage = (event: MessageEvent<PartitionMessage>) => {
  const job = event.data;
  const reply: PartitionResponse = replyTo(job.id, () => runPartitionJob(job, session));
  scope.postMessage(reply);
};
