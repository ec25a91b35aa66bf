/**
 * IngestClient's contract: the latest request wins, a superseded parse's worker is terminated,
 * and a crashed worker is replaced. The worker here is a scripted stand-in that answers only
 * when told to, so each ordering of events can be produced on purpose; the client is the real one.
 */
import { describe, expect, it } from 'vitest';
import { IngestClient } from './ingest-client.ts';
import type { IngestRequest, IngestResponse } from './protocol.ts';
import type { Host } from '../core/host/model.ts';

class ScriptedWorker {
  onmessage: ((event: MessageEvent<IngestResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  received: IngestRequest[] = [];
  terminated = false;

  postMessage(request: IngestRequest): void {
    this.received.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(nodes: number): void {
    const id = this.received[this.received.length - 1].id;
    const host = { nodes: Array.from({ length: nodes }, (_, i) => ({ id: i })) } as unknown as Host;
    this.onmessage?.({ data: { id, ok: true, answer: { host, facts: [], unrecognised: [], ms: 1 } } } as unknown as MessageEvent<IngestResponse>);
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault() {} } as unknown as ErrorEvent);
  }
}

function harness() {
  const workers: ScriptedWorker[] = [];
  const client = new IngestClient(() => {
    const w = new ScriptedWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
  return { client, workers };
}

const paste = (text: string) => [{ name: 'p', text }];

describe('IngestClient', () => {
  it('reuses one worker for requests that do not overlap', async () => {
    const { client, workers } = harness();
    const first = client.parse(paste('a'));
    workers[0].answer(1);
    expect(await first).toMatchObject({ kind: 'done' });
    const second = client.parse(paste('b'));
    workers[0].answer(2);
    const outcome = await second;
    expect(outcome.kind === 'done' && outcome.host.nodes.length).toBe(2);
    expect(workers).toHaveLength(1);
  });

  it('terminates a running parse when a newer request comes, and answers only the newer', async () => {
    const { client, workers } = harness();
    const old = client.parse(paste('10 MB of something'));
    const latest = client.parse(paste('numactl -H'));
    expect(await old).toEqual({ kind: 'superseded' });
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].received.map((r) => r.pastes[0].text)).toEqual(['numactl -H']);
    workers[1].answer(4);
    const outcome = await latest;
    expect(outcome.kind === 'done' && outcome.host.nodes.length).toBe(4);
  });

  it('ignores an answer that arrives for a request it no longer waits for', async () => {
    const { client, workers } = harness();
    const first = client.parse(paste('a'));
    workers[0].answer(1);
    await first;
    const second = client.parse(paste('b'));
    // A stale reply (id of the first request) must not settle the second.
    workers[0].onmessage?.({ data: { id: 1, ok: true, answer: { host: { nodes: [] }, facts: [], unrecognised: [], ms: 0 } } } as unknown as MessageEvent<IngestResponse>);
    workers[0].answer(3);
    const outcome = await second;
    expect(outcome.kind === 'done' && outcome.host.nodes.length).toBe(3);
  });

  it('reports a crashed worker and starts a fresh one for the next request', async () => {
    const { client, workers } = harness();
    const doomed = client.parse(paste('a'));
    workers[0].crash('out of memory');
    expect(await doomed).toEqual({ kind: 'crashed', error: 'parser crashed: out of memory' });
    expect(workers[0].terminated).toBe(true);
    const next = client.parse(paste('b'));
    expect(workers).toHaveLength(2);
    workers[1].answer(2);
    expect(await next).toMatchObject({ kind: 'done' });
  });

  it('passes on a failure the worker reports', async () => {
    const { client, workers } = harness();
    const outcome = client.parse(paste('a'));
    const id = workers[0].received[0].id;
    workers[0].onmessage?.({ data: { id, ok: false, error: 'boom' } } as unknown as MessageEvent<IngestResponse>);
    expect(await outcome).toEqual({ kind: 'failed', error: 'boom' });
  });
});
