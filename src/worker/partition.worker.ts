/**
 * Runs the partitioning core (solve, edit) off the main thread, so a time-boxed
 * search on a 64-node host never freezes the page. One job at a time; the client terminates
 * this worker when a newer job supersedes a running one.
 */
import type { Host } from '../core/host/model.ts';
import { edit, solve } from '../core/partition/index.ts';
import type { PartitionAnswer, PartitionMessage, PartitionResponse } from './partition-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** The host of the last job that carried one (the client leaves it out while it is the same). */
let current: Host | null = null;

function run(job: PartitionMessage): PartitionAnswer {
  const started = performance.now();
  const ms = () => performance.now() - started;
  if (job.host) current = job.host;
  const host = current;
  if (!host) throw new Error('no host was given to the partitioner');
  switch (job.op) {
    case 'solve': {
      const result = solve(host, job.request, job.occupancy);
      return { op: 'solve', result, ms: ms() };
    }
    case 'edit': {
      const result = edit(host, job.layout, job.edit, job.occupancy);
      return { op: 'edit', result, ms: ms() };
    }
  }
}

scope.onmessage = (event: MessageEvent<PartitionMessage>) => {
  const { id } = event.data;
  let response: PartitionResponse;
  try {
    response = { id, ok: true, ...run(event.data) };
  } catch (err) {
    // The core promises never to throw; if it does anyway, the page keeps its last layout.
    response = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(response);
};
