/**
 * The one piece every worker client shares: a request/reply channel to a Web Worker, which it
 * creates on the first job, replaces after a crash (failing what the crashed one held) and
 * terminates on dispose. Two orders:
 * - latest-wins: a job sent while another is still running terminates that worker (its promise
 *   settles as superseded) and starts a fresh one, because the only way to stop a synchronous
 *   computation in a worker is to kill it;
 * - queue: every job is posted to the one worker, which answers them in order.
 * Replies that do not answer a job being waited for are ignored.
 *
 * A job may carry the host, which the worker keeps between jobs: the channel leaves it out while
 * the worker already holds that very host, and sends it again to a fresh worker.
 */

/** What the worker sends back: the request's id, then its answer or why it failed. */
export type WorkerReply<R> = { id: number; ok: true; answer: R } | { id: number; ok: false; error: string };

/**
 * `failed`: the worker answered that the job failed (the same job would fail again);
 * `crashed`: the worker died under the job (a fresh one may well do it).
 */
export type WorkerOutcome<R> = ({ kind: 'done' } & R) | { kind: 'superseded' } | { kind: 'failed'; error: string } | { kind: 'crashed'; error: string };

export type WorkerFactory = () => Worker;

export type ChannelOrder = 'latest-wins' | 'queue';

/** The host a job type can carry, null included when "no host" is something to send. */
type HostOf<Q> = Q extends { host?: infer H } ? Exclude<H, undefined> : never;

/** Nothing sent yet: distinct from a null host, which is a host too ("none pasted"). */
const NOT_SENT = Symbol('not sent');

export class LatestWinsChannel<Q extends object, R extends object> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, (outcome: WorkerOutcome<R>) => void>();
  private nextId = 1;
  /** The host the current worker holds. */
  private held: HostOf<Q> | typeof NOT_SENT = NOT_SENT;

  /** `what` names the computation in crash messages ("parser crashed: …"). */
  constructor(
    private readonly factory: WorkerFactory,
    private readonly what: string,
    private readonly order: ChannelOrder = 'latest-wins',
  ) {}

  /** `host`, when given, goes with the job unless the worker already holds it. */
  send(job: Q, host?: HostOf<Q>): Promise<WorkerOutcome<R>> {
    if (this.order === 'latest-wins' && this.pending.size > 0) this.stop({ kind: 'superseded' });
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const carries = host !== undefined && host !== this.held;
    if (host !== undefined) this.held = host;
    return new Promise<WorkerOutcome<R>>((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage(carries ? { ...job, host, id } : { ...job, id });
    });
  }

  dispose(): void {
    this.stop({ kind: 'superseded' });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.factory();
    worker.onmessage = (event: MessageEvent<WorkerReply<R>>) => this.settle(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.crashed(event.message || `the ${this.what} stopped unexpectedly`);
    };
    worker.onmessageerror = () => this.crashed(`the ${this.what} sent a message the page could not read`);
    this.worker = worker;
    this.held = NOT_SENT;
    return worker;
  }

  private settle(reply: WorkerReply<R>): void {
    const resolve = this.pending.get(reply.id);
    if (!resolve) return;
    this.pending.delete(reply.id);
    resolve(reply.ok ? { kind: 'done', ...reply.answer } : { kind: 'failed', error: reply.error });
  }

  private crashed(message: string): void {
    this.stop({ kind: 'crashed', error: `${this.what} crashed: ${message}` });
  }

  /** Settles every job still waiting with `outcome` and terminates their worker. */
  private stop(outcome: WorkerOutcome<R>): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.worker?.terminate();
    this.worker = null;
    for (const resolve of waiting) resolve(outcome);
  }
}
