/**
 * Runs the domain XML engine off the main thread: a 5 MB domain takes ~0.3 s to parse, which
 * must not freeze typing or dragging. One job at a time, answered in order; the session keeps
 * the host and the texts parsed lately between jobs.
 */
import { runXmlJob, xmlSession } from './xml-jobs.ts';
import type { XmlMessage, XmlResponse } from './xml-protocol.ts';
import { replyTo } from './reply.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = xmlSession();

scope.onmessage = (event: MessageEvent<XmlMessage>) => {
  const job = event.data;
  const reply: XmlResponse = replyTo(job.id, () => runXmlJob(job, session));
  scope.postMessage(reply);
};
