/**
 * Runs ingest off the main thread, so a 10 MB paste never freezes the page. One request at a
 * time; the client terminates this worker when a newer request supersedes a running one.
 */
import { ingest } from '../core/ingest/index.ts';
import type { IngestRequest, IngestResponse } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<IngestRequest>) => {
  const { id, pastes } = event.data;
  let response: IngestResponse;
  try {
    const started = performance.now();
    const { host, facts, pastes: results } = ingest(pastes);
    const unrecognised = results
      .filter((r) => r.facts.length === 0)
      .map((r) => ({ name: r.name, message: r.diagnostics.map((d) => d.message).join(' ') }));
    response = { id, ok: true, host, facts, unrecognised, ms: performance.now() - started };
  } catch (err) {
    // ingest promises never to throw; if it does anyway, the page must keep working.
    response = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(response);
};
