/**
 * Runs the domain XML engine off the main thread: a 5 MB domain takes ~0.3 s to parse, which
 * must not freeze typing or dragging. One job at a time, answered in order; the session keeps
 * the host and the texts parsed lately between jobs.
 */
import { runXmlJob, xmlSession } from './xml-jobs.ts';
import type { XmlMessage, XmlResponse } from './xml-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = xmlSession();

scope.onmessage = (event: MessageEvent<XmlMessage>) => {
  const { id } = event.data;
  let response: XmlResponse;
  try {
    response = { id, ok: true, ...runXmlJob(event.data, session) };
  } catch (err) {
    // The engine promises never to throw; if it does anyway, the page keeps its last good state.
    response = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(response);
};
