/**
 * Runs the partitioning core (solve, edit, validate) off the main thread, so a time-boxed
 * search on a 64-node host never freezes the page. One job at a time; the client terminates
 * this worker when a newer job supersedes a running one.
 */
import { validate } from '../core/guest/validate.ts';
import { edit, solve } from '../core/partition/index.ts';
import type { PartitionAnswer, PartitionMessage, PartitionResponse } from './partition-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function run(job: PartitionMessage): PartitionAnswer {
  const started = performance.now();
  const ms = () => performance.now() - started;
  switch (job.op) {
    case 'solve': {
      const result = solve(job.host, job.request, job.occupancy);
      return { op: 'solve', result, ms: ms() };
    }
    case 'edit': {
      const result = edit(job.host, job.layout, job.edit, job.occupancy);
      return { op: 'edit', result, ms: ms() };
    }
    case 'validate': {
      const diagnostics = validate(job.layout, job.host);
      return { op: 'validate', diagnostics, ms: ms() };
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
