/**
 * The one piece every worker client shares: a request/reply channel to a Web Worker where the
 * latest request wins. A request made while another is still running terminates that worker
 * (its promise settles as superseded) and starts a fresh one, because the only way to stop a
 * synchronous computation in a worker is to kill it. A worker that crashes is replaced on the
 * next request. Replies that do not answer the request being waited for are ignored.
 */

/** What the worker sends back: the request's id, then its result or why it failed. */
export type WorkerReply<R> = ({ id: number; ok: true } & R) | { id: number; ok: false; error: string };

export type WorkerOutcome<R> = ({ kind: 'done' } & R) | { kind: 'superseded' } | { kind: 'failed'; error: string };

export type WorkerFactory = () => Worker;

interface Pending<R> {
  id: number;
  resolve: (outcome: WorkerOutcome<R>) => void;
}

export class LatestWinsChannel<Q extends object, R extends object> {
  private worker: Worker | null = null;
  private pending: Pending<R> | null = null;
  private nextId = 1;

  /** `what` names the computation in crash messages ("parser crashed: …"). */
  constructor(
    private readonly factory: WorkerFactory,
    private readonly what: string,
  ) {}

  /**
   * `body` may depend on whether the job goes to a fresh worker (one that has seen no job yet):
   * a client keeps what a worker already holds out of the messages to it, and sends it again
   * to a fresh one.
   */
  send(body: Q | ((fresh: boolean) => Q)): Promise<WorkerOutcome<R>> {
    if (this.pending) {
      this.pending.resolve({ kind: 'superseded' });
      this.pending = null;
      this.discardWorker();
    }
    const fresh = this.worker === null;
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const message = typeof body === 'function' ? body(fresh) : body;
    return new Promise<WorkerOutcome<R>>((resolve) => {
      this.pending = { id, resolve };
      worker.postMessage({ ...message, id });
    });
  }

  dispose(): void {
    this.pending?.resolve({ kind: 'superseded' });
    this.pending = null;
    this.discardWorker();
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
    return worker;
  }

  private settle(reply: WorkerReply<R>): void {
    const pending = this.pending;
    if (!pending || pending.id !== reply.id) return;
    this.pending = null;
    if (reply.ok) {
      const { id: _id, ok: _ok, ...result } = reply;
      pending.resolve({ kind: 'done', ...(result as unknown as R) });
    } else {
      pending.resolve({ kind: 'failed', error: reply.error });
    }
  }

  private crashed(message: string): void {
    const pending = this.pending;
    this.pending = null;
    this.discardWorker();
    pending?.resolve({ kind: 'failed', error: `${this.what} crashed: ${message}` });
  }

  private discardWorker(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
