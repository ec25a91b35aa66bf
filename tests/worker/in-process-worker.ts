/**
 * A Web Worker stand-in that runs the real workers' dispatch in this process — runPartitionJob or
 * runXmlJob, answered through replyTo as partition.worker.ts and xml.worker.ts answer — a
 * microtask after each message, with messages structured-cloned both ways. It crashes under a
 * job when told to, and a terminated one answers nothing, as a real worker.
 */
import { partitionSession, runPartitionJob } from '../../src/worker/partition-jobs.ts';
import type { PartitionMessage } from '../../src/worker/partition-protocol.ts';
import { replyTo } from '../../src/worker/reply.ts';
import { runXmlJob, xmlSession } from '../../src/worker/xml-jobs.ts';
import type { XmlMessage } from '../../src/worker/xml-protocol.ts';

export class InProcessWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  /** Messages received, in order. */
  readonly received: (PartitionMessage | XmlMessage)[] = [];
  /** Jobs it crashed under. */
  crashes = 0;
  terminated = false;
  private readonly run: (message: PartitionMessage | XmlMessage) => object;

  constructor(
    kind: 'partition' | 'xml',
    /** Crash under every job from now on. */
    public crash = false,
  ) {
    if (kind === 'partition') {
      const session = partitionSession();
      this.run = (m) => replyTo(m.id, () => runPartitionJob(m as PartitionMessage, session));
    } else {
      const session = xmlSession();
      this.run = (m) => replyTo(m.id, () => runXmlJob(m as XmlMessage, session));
    }
  }

  /** The ids of the messages that carried a host. */
  get hostsReceived(): number[] {
    return this.received.filter((m) => m.host !== undefined).map((m) => m.id);
  }

  postMessage(message: PartitionMessage | XmlMessage): void {
    const job = structuredClone(message);
    this.received.push(job);
    queueMicrotask(() => {
      if (this.terminated) return;
      if (this.crash) {
        this.crashes++;
        this.onerror?.({ message: 'out of memory', preventDefault() {} } as unknown as ErrorEvent);
        return;
      }
      this.onmessage?.({ data: structuredClone(this.run(job)) } as MessageEvent);
    });
  }

  terminate(): void {
    this.terminated = true;
  }
}

/** A factory for a client, and the workers it made. */
export function inProcessWorkers(kind: 'partition' | 'xml', crash: (index: number) => boolean = () => false) {
  const made: InProcessWorker[] = [];
  const factory = () => {
    const worker = new InProcessWorker(kind, crash(made.length));
    made.push(worker);
    return worker as unknown as Worker;
  };
  return { made, factory };
}
