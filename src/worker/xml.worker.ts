/**
 * Runs the domain XML engine off the main thread: a 5 MB domain takes ~0.3 s to parse, which
 * must not freeze typing or dragging. One job at a time, answered in order.
 */
import { documentCache, runXmlJob } from './xml-jobs.ts';
import type { XmlMessage, XmlResponse } from './xml-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const documentOf = documentCache();

scope.onmessage = (event: MessageEvent<XmlMessage>) => {
  const { id } = event.data;
  let response: XmlResponse;
  try {
    response = { id, ok: true, ...runXmlJob(event.data, documentOf) };
  } catch (err) {
    // The engine promises never to throw; if it does anyway, the page keeps its last good state.
    response = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(response);
};
