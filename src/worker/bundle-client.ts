/**
 * Typed client for the bundle worker. Archives dropped together are read one after another in
 * the one worker (queue order): each is a whole host the user asked for, none supersedes another.
 */
import { LatestWinsChannel, type WorkerFactory, type WorkerOutcome } from './latest-wins.ts';
import type { BundleReading, BundleRequest } from './bundle-protocol.ts';

export type BundleOutcome = WorkerOutcome<BundleReading>;

const defaultFactory: WorkerFactory = () => new Worker(new URL('./bundle.worker.ts', import.meta.url), { type: 'module', name: 'numascope-bundle' });

export class BundleClient {
  private readonly channel: LatestWinsChannel<Omit<BundleRequest, 'id'>, BundleReading>;

  constructor(factory: WorkerFactory = defaultFactory) {
    this.channel = new LatestWinsChannel(factory, 'archive reader', 'queue');
  }

  read(file: Blob, name: string): Promise<BundleOutcome> {
    return this.channel.send({ file, name });
  }

  dispose(): void {
    this.channel.dispose();
  }
}
