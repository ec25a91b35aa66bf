/**
 * Runs ingest off the main thread, so a 10 MB paste never freezes the page. One request at a
 * time; the client terminates this worker when a newer request supersedes a running one. A
 * paste listing sysfs files (a sysfs tarball opened) is read as those files.
 */
import { ingestWithSysfs } from './ingest-sysfs.ts';
import type { IngestRequest, IngestResponse, IngestResult } from './protocol.ts';
import { replyTo } from './reply.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function parse(pastes: IngestRequest['pastes']): IngestResult {
  const started = performance.now();
  const { host, facts, pastes: results } = ingestWithSysfs(pastes);
  const unrecognised = results
    .filter((r) => r.facts.length === 0)
    .map((r) => ({ name: r.name, message: r.diagnostics.map((d) => d.message).join(' ') }));
  return { host, facts, unrecognised, ms: performance.now() - started };
}

scope.onmessage = (event: MessageEvent<IngestRequest>) => {
  const { id, pastes } = event.data;
  const reply: IngestResponse = replyTo(id, () => parse(pastes));
  scope.postMessage(reply);
};
