/**
 * Reads a dropped or opened file off the main thread: xz is WebAssembly, which the page's
 * Content-Security-Policy (script-src 'self') does not allow there, and a sosreport is
 * decompressed and untarred as it streams in. Jobs come one at a time (the client queues them).
 */
import { readBundleFile } from './bundle-read.ts';
import type { BundleRequest, BundleResponse } from './bundle-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<BundleRequest>) => {
  const { id, file, name } = event.data;
  let reply: BundleResponse;
  try {
    reply = { id, ok: true, answer: await readBundleFile(file, name) };
  } catch (err) {
    // readFileBundle promises not to throw; if it does anyway the page says why and keeps its state
    reply = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(reply);
};
