/**
 * Runs ingest off the main thread, so a 10 MB paste never freezes the page. One request at a
 * time; the client terminates this worker when a newer request supersedes a running one.
 */
import { formats, ingest } from '../core/ingest/index.ts';
import type { IngestRequest, IngestResponse } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<IngestRequest>) => {
  const { id, pastes } = event.data;
  let response: IngestResponse;
  try {
    const started = performance.now();
    const { host, facts } = ingest(pastes);
    const unrecognised = pastes.filter((p) => !facts.some((f) => cameFrom(f.source, p.name))).map((p) => p.name);
    const formatLabels = formats.map((f) => f.label);
    response = { id, ok: true, host, facts, unrecognised, formatLabels, ms: performance.now() - started };
  } catch (err) {
    // ingest promises never to throw; if it does anyway, the page must keep working.
    response = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(response);
};

/** ingest names the facts of a paste holding several outputs "name#2 (command)". */
function cameFrom(source: string, paste: string): boolean {
  return source === paste || source.startsWith(`${paste}#`);
}
