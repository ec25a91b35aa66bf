/**
 * XmlClient's contract over the shared channel in queue order: every job is answered, in the
 * order sent, by one worker; the host crosses once per worker (null — no host pasted — is a host
 * too); a crash fails every job the worker held and the next job goes to a fresh worker with the
 * host. The workers are in-process stand-ins running the real document worker's dispatch.
 */
import { describe, expect, it } from 'vitest';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import { NO_OCCUPANCY } from '../../src/core/partition/request.ts';
import { XmlClient } from '../../src/worker/xml-client.ts';
import { talkExample1, talkHost } from '../support/golden.ts';
import { inProcessWorkers } from './in-process-worker.ts';

const host = talkHost();
const GOLDEN = writeLayout(null, talkExample1()).text;

describe('XmlClient', () => {
  it('answers every job, in order, from one worker that is sent the host once', async () => {
    const { made, factory } = inProcessWorkers('xml');
    const client = new XmlClient(factory);
    const [written, read, edited] = await Promise.all([
      client.write('', talkExample1(), host),
      client.read(GOLDEN, host),
      client.edit(GOLDEN, [{ kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } }], host, NO_OCCUPANCY),
    ]);
    expect(written.kind === 'done' && written.text).toBe(GOLDEN);
    expect(read.kind === 'done' && read.layout).toEqual(talkExample1());
    expect(edited.kind === 'done' && edited.outcome === 'done' && edited.text).toContain("<vcpupin vcpu='5' cpuset='33'/>");
    expect(made).toHaveLength(1);
    expect(made[0].received.map((m) => [m.op, m.host !== undefined])).toEqual([
      ['write', true],
      ['read', false],
      ['edit', false],
    ]);
  });

  it('sends a null host (none pasted) as a host, and a new host when it changes', async () => {
    const { made, factory } = inProcessWorkers('xml');
    const client = new XmlClient(factory);
    await client.read(GOLDEN, null);
    await client.read(GOLDEN, null);
    await client.read(GOLDEN, host);
    expect(made[0].received.map((m) => m.host)).toEqual([null, undefined, host]);
  });

  it('fails every job a crashed worker held, and sends the host again to the fresh one', async () => {
    const { made, factory } = inProcessWorkers('xml');
    const client = new XmlClient(factory);
    expect((await client.read(GOLDEN, host)).kind).toBe('done');
    made[0].crash = true;
    const lost = await Promise.all([client.read(GOLDEN, host), client.write(GOLDEN, talkExample1(), host)]);
    expect(lost).toEqual([
      { kind: 'crashed', error: 'XML worker crashed: out of memory' },
      { kind: 'crashed', error: 'XML worker crashed: out of memory' },
    ]);
    expect(made[0].terminated).toBe(true);
    expect((await client.read(GOLDEN, host)).kind).toBe('done');
    expect(made).toHaveLength(2);
    expect(made[1].hostsReceived).toHaveLength(1);
  });
});
