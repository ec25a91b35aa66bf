/**
 * How a worker answers a message: what its job returned, or — the core promises never to throw,
 * but if it does anyway — why it threw, so the page keeps its last good state and the worker
 * keeps serving. A reply that says ok:false is the core's answer to that input, not a crash.
 */
import type { WorkerReply } from './latest-wins.ts';

export function replyTo<R extends object>(id: number, run: () => R): WorkerReply<R> {
  try {
    return { id, ok: true, answer: run() };
  } catch (err) {
    return { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
