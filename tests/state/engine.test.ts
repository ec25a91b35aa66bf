/**
 * The worker-backed engine's retry rule: a job whose worker crashed runs once more on a fresh
 * worker (sent the host again); a job the core itself failed on is answered as it is, never run
 * twice. The workers are in-process stand-ins running the real workers' dispatch on the talk's
 * host; a host the core cannot read makes the core throw, as a deterministic failure.
 */
import { describe, expect, it } from 'vitest';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import type { Host } from '../../src/core/host/model.ts';
import { DEFAULT_REQUEST, NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { workerEngine } from '../../src/state/engine.ts';
import { talkExample1, talkHost } from '../support/golden.ts';
import { inProcessWorkers } from '../worker/in-process-worker.ts';

const host = talkHost();
const unreadable = { nodes: null } as unknown as Host;
const GOLDEN = writeLayout(null, talkExample1()).text;
const jobsOf = (made: { received: unknown[] }[]) => made.reduce((n, w) => n + w.received.length, 0);

describe('workerEngine', () => {
  it('runs a solve the core fails on once, and says why', async () => {
    const partition = inProcessWorkers('partition');
    const out = await workerEngine({ partition: partition.factory }).solve(unreadable, DEFAULT_REQUEST, NO_OCCUPANCY);
    expect(out.ok).toBe(false);
    expect(jobsOf(partition.made)).toBe(1);
  });

  it('runs a document job the core fails on once, and says why', async () => {
    const xml = inProcessWorkers('xml');
    const out = await workerEngine({ xml: xml.factory }).read(GOLDEN, unreadable);
    expect(out.ok).toBe(false);
    expect(jobsOf(xml.made)).toBe(1);
  });

  it('runs a job whose worker crashed again on a fresh worker, which is sent the host', async () => {
    const partition = inProcessWorkers('partition', (i) => i === 0);
    const xml = inProcessWorkers('xml', (i) => i === 0);
    const engine = workerEngine({ partition: partition.factory, xml: xml.factory });
    const solved = await engine.solve(host, { ...DEFAULT_REQUEST, mode: 'host' }, NO_OCCUPANCY);
    expect(solved.ok && solved.value.layout).toEqual(talkExample1());
    const read = await engine.read(GOLDEN, host);
    expect(read.ok && read.value.layout).toEqual(talkExample1());
    for (const { made } of [partition, xml]) {
      expect(made.map((w) => [w.crashes, w.hostsReceived.length])).toEqual([
        [1, 1],
        [0, 1],
      ]);
    }
  });

  it('gives up after the retry crashes too, with the crash', async () => {
    const xml = inProcessWorkers('xml', () => true);
    const out = await workerEngine({ xml: xml.factory }).write('', talkExample1(), host);
    expect(out).toEqual({ ok: false, error: 'XML worker crashed: out of memory' });
    expect(xml.made.map((w) => w.crashes)).toEqual([1, 1]);
  });
});
