/**
 * PartitionClient's contract: the latest job wins, a superseded job's worker is terminated and
 * a crashed worker is replaced. The worker is a stand-in that answers only when told to, so each
 * ordering of events can be produced on purpose; its answers come from the real worker's dispatch
 * (runPartitionJob) on the talk's host.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { type PartitionRequest } from '../../src/core/partition/request.ts';
import { PartitionClient } from '../../src/worker/partition-client.ts';
import { partitionSession, runPartitionJob } from '../../src/worker/partition-jobs.ts';
import type { PartitionMessage, PartitionResponse } from '../../src/worker/partition-protocol.ts';
import { replyTo } from '../../src/worker/reply.ts';
import { readCorpus } from '../support/corpus.ts';
import { TALK_REQUEST } from '../support/golden.ts';

class ScriptedWorker {
  onmessage: ((event: MessageEvent<PartitionResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  received: PartitionMessage[] = [];
  terminated = false;
  private readonly session = partitionSession();
  private answered = 0;

  postMessage(message: PartitionMessage): void {
    this.received.push(structuredClone(message));
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Answer the next message in order, through the real worker's dispatch. */
  answer(): void {
    const job = this.received[this.answered++];
    this.reply(replyTo(job.id, () => runPartitionJob(job, this.session)));
  }
  reply(data: PartitionResponse): void {
    this.onmessage?.({ data: structuredClone(data) } as MessageEvent<PartitionResponse>);
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault() {} } as unknown as ErrorEvent);
  }
}

function harness() {
  const workers: ScriptedWorker[] = [];
  const client = new PartitionClient(() => {
    const w = new ScriptedWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
  return { client, workers };
}

let host: Host;
beforeAll(() => {
  host = ingest([
    { name: 'lscpu', text: readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt') },
    { name: 'numactl', text: readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt') },
  ]).host;
});

const nodeMode: PartitionRequest = { ...TALK_REQUEST, mode: 'node', nodeset: '1', pinning: 'node-float' };

describe('PartitionClient', () => {
  it('reuses one worker for jobs that do not overlap', async () => {
    const { client, workers } = harness();
    const first = client.solve(host, TALK_REQUEST);
    workers[0].answer();
    const outcome = await first;
    expect(outcome.kind === 'done' && outcome.result.layout.cells.map((c) => c.hostNodes)).toEqual([[0], [1], [2], [3]]);
    const second = client.solve(host, nodeMode);
    workers[0].answer();
    const next = await second;
    expect(next.kind === 'done' && next.result.layout.cells.map((c) => c.hostNodes)).toEqual([[1]]);
    expect(workers).toHaveLength(1);
  });

  it('terminates a running solve when a newer job comes, and answers only the newer', async () => {
    const { client, workers } = harness();
    const old = client.solve(host, TALK_REQUEST);
    const latest = client.solve(host, nodeMode);
    expect(await old).toEqual({ kind: 'superseded' });
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].received.map((m) => m.op === 'solve' && m.request.mode)).toEqual(['node']);
    workers[1].answer();
    const outcome = await latest;
    expect(outcome.kind === 'done' && outcome.result.layout.cells.length).toBe(1);
  });

  it('sends the host to each worker once: a warm worker gets jobs without it, a fresh one (after a supersede or a crash) gets it again', async () => {
    const { client, workers } = harness();
    const first = client.solve(host, TALK_REQUEST);
    workers[0].answer();
    await first;
    const second = client.solve(host, nodeMode);
    workers[0].answer();
    const warm = await second;
    expect(warm.kind === 'done' && warm.result.layout.cells.map((c) => c.hostNodes)).toEqual([[1]]);
    expect(workers[0].received.map((m) => m.host !== undefined)).toEqual([true, false]);
    // superseded: the running job's worker is terminated, its successor is sent the host
    const slow = client.solve(host, TALK_REQUEST);
    const fast = client.solve(host, nodeMode);
    expect((await slow).kind).toBe('superseded');
    workers[1].answer();
    expect((await fast).kind).toBe('done');
    expect(workers[1].received.map((m) => m.host !== undefined)).toEqual([true]);
    // crashed: the same
    const lost = client.solve(host, nodeMode);
    workers[1].crash('out of memory');
    expect(await lost).toEqual({ kind: 'crashed', error: 'partitioner crashed: out of memory' });
    const again = client.solve(host, nodeMode);
    workers[2].answer();
    expect((await again).kind).toBe('done');
    expect(workers[2].received.map((m) => m.host !== undefined)).toEqual([true]);
    // another host is sent as it comes
    const other = ingest([{ name: 'lscpu', text: readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt') }]).host;
    const moved = client.solve(other, TALK_REQUEST);
    workers[2].answer();
    expect((await moved).kind).toBe('done');
    expect(workers[2].received.map((m) => m.host !== undefined)).toEqual([true, true]);
  });

  it('ignores an answer that arrives for a job it no longer waits for', async () => {
    const { client, workers } = harness();
    const first = client.solve(host, nodeMode);
    workers[0].answer();
    const firstOutcome = await first;
    if (firstOutcome.kind !== 'done') throw new Error('no layout');
    const second = client.solve(host, TALK_REQUEST);
    // A stale reply (id of the first job) must not settle the second.
    workers[0].reply({ id: workers[0].received[0].id, ok: true, answer: { op: 'solve', result: firstOutcome.result, ms: 0 } });
    workers[0].answer();
    const outcome = await second;
    expect(outcome.kind === 'done' && outcome.result.layout.cells.length).toBe(4);
  });

  it('reports a crashed worker, and starts a fresh one for the next job', async () => {
    const { client, workers } = harness();
    const first = client.solve(host, TALK_REQUEST);
    workers[0].answer();
    await first;
    const doomed = client.solve(host, nodeMode);
    workers[0].crash('out of memory');
    const outcome = await doomed;
    expect(outcome).toEqual({ kind: 'crashed', error: 'partitioner crashed: out of memory' });
    expect(workers[0].terminated).toBe(true);
    const next = client.solve(host, nodeMode);
    expect(workers).toHaveLength(2);
    workers[1].answer();
    expect(await next).toMatchObject({ kind: 'done' });
  });

  it('passes on a failure the worker reports, as failed (not crashed), and keeps the worker', async () => {
    const { client, workers } = harness();
    // a host the core cannot read: it throws, and the worker answers why
    const outcome = client.solve({ nodes: null } as unknown as Host, TALK_REQUEST);
    workers[0].answer();
    expect(await outcome).toMatchObject({ kind: 'failed' });
    const next = client.solve(host, TALK_REQUEST);
    workers[0].answer();
    expect(await next).toMatchObject({ kind: 'done' });
    expect(workers).toHaveLength(1);
  });
});
