/**
 * The real partition worker module, run in Node: `self` is a stand-in scope that records what
 * the worker posts, and every message goes through structured cloning both ways, as it would
 * between the page and a Web Worker. The host is the talk's, from the corpus.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/core/ingest/index.ts';
import type { Host } from '../../src/core/host/model.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import type { PartitionMessage, PartitionResponse } from '../../src/worker/partition-protocol.ts';
import { readCorpus } from '../support/corpus.ts';
import { TALK_REQUEST } from '../support/golden.ts';

const posted: PartitionResponse[] = [];
const scope: { onmessage: ((event: { data: PartitionMessage }) => void) | null; postMessage: (m: PartitionResponse) => void } = {
  onmessage: null,
  postMessage: (m) => posted.push(structuredClone(m)),
};

function send(message: PartitionMessage): PartitionResponse {
  const before = posted.length;
  scope.onmessage!({ data: structuredClone(message) });
  expect(posted).toHaveLength(before + 1);
  return posted[before];
}

let host: Host;

beforeAll(async () => {
  (globalThis as unknown as { self: typeof scope }).self = scope;
  await import('../../src/worker/partition.worker.ts');
  host = ingest([
    { name: 'lscpu', text: readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt') },
    { name: 'numactl', text: readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt') },
  ]).host;
});

describe('partition.worker (the real module)', () => {
  it('listens on its scope', () => {
    expect(typeof scope.onmessage).toBe('function');
  });

  it("solves the talk's golden example and answers the request's id", () => {
    const reply = send({ id: 7, op: 'solve', host, request: TALK_REQUEST, occupancy: NO_OCCUPANCY });
    expect(reply).toMatchObject({ id: 7, ok: true, answer: { op: 'solve' } });
    if (!reply.ok || reply.answer.op !== 'solve') throw new Error('no layout');
    const { layout, score } = reply.answer.result;
    expect(layout.topology).toEqual({ sockets: 4, dies: 1, clusters: 1, cores: 2, threads: 2 });
    expect(layout.cells.map((c) => [c.vcpus, c.memoryKiB, c.hostNodes])).toEqual([0, 1, 2, 3].map((i) => [[4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3], 8388608, [i]]));
    expect(layout.pins.slice(0, 6)).toEqual([
      { vcpu: 0, cpus: [1] },
      { vcpu: 1, cpus: [61] },
      { vcpu: 2, cpus: [2] },
      { vcpu: 3, cpus: [62] },
      { vcpu: 4, cpus: [16] },
      { vcpu: 5, cpus: [76] },
    ]);
    expect(score.nodes).toBe(4);
    expect(reply.answer.ms).toBeGreaterThanOrEqual(0);
  });

  it('keeps the host it was given: a job without one is about the last host sent', () => {
    const withHost = send({ id: 21, op: 'solve', host, request: TALK_REQUEST, occupancy: NO_OCCUPANCY });
    const without = send({ id: 22, op: 'solve', request: TALK_REQUEST, occupancy: NO_OCCUPANCY });
    expect(without).toMatchObject({ id: 22, ok: true });
    const layoutOf = (r: PartitionResponse) => (r.ok && r.answer.op === 'solve' ? r.answer.result.layout : null);
    expect(layoutOf(without)).not.toBeNull();
    expect(layoutOf(without)).toEqual(layoutOf(withHost));
  });

  it('answers ok:false instead of dying when the core throws, and keeps serving', () => {
    const reply = send({ id: 11, op: 'solve', host: { nodes: null } as unknown as Host, request: TALK_REQUEST, occupancy: NO_OCCUPANCY });
    expect(reply).toMatchObject({ id: 11, ok: false });
    expect(send({ id: 12, op: 'solve', host, request: TALK_REQUEST, occupancy: NO_OCCUPANCY })).toMatchObject({ id: 12, ok: true });
  });
});
