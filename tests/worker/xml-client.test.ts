/**
 * XmlClient's contract over the shared channel in queue order: every job is answered, in the
 * order sent, by one worker; the host crosses once per worker (null — no host pasted — is a host
 * too); a crash fails every job the worker held and the next job goes to a fresh worker with the
 * host. In latest-wins order (a drag's drafts) a newer job supersedes a running one. The workers
 * are in-process stand-ins running the real document worker's dispatch.
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

  it("drafts (latest-wins): a newer target's draft supersedes the running one, in a fresh worker sent the host", async () => {
    const { made, factory } = inProcessWorkers('xml');
    const drafts = new XmlClient(factory, 'latest-wins');
    const old = drafts.edit(GOLDEN, [{ kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } }], host, NO_OCCUPANCY);
    const latest = drafts.edit(GOLDEN, [{ kind: 'pin-vcpu', vcpu: 5, target: { thread: 34 } }], host, NO_OCCUPANCY);
    expect(await old).toEqual({ kind: 'superseded' });
    const answer = await latest;
    expect(answer.kind === 'done' && answer.outcome === 'done' && answer.text).toContain("<vcpupin vcpu='5' cpuset='34'/>");
    expect(made.map((w) => [w.terminated, w.hostsReceived.length])).toEqual([
      [true, 1],
      [false, 1],
    ]);
  });

  it("applies a drop's ops in order and says what they cost; a refused op comes back with why and what the ops before it did", async () => {
    const client = new XmlClient(inProcessWorkers('xml').factory);
    const both = await client.edit(
      GOLDEN,
      [
        { kind: 'pin-vcpu', vcpu: 5, target: { node: 0 } },
        { kind: 'pin-vcpu', vcpu: 6, target: { node: 0 } },
      ],
      host,
      NO_OCCUPANCY,
    );
    if (both.kind !== 'done' || both.outcome !== 'done') throw new Error(`not edited: ${JSON.stringify(both)}`);
    for (const vcpu of [5, 6]) {
      const pin = both.layout!.pins.find((p) => p.vcpu === vcpu)!;
      expect(pin.cpus).toHaveLength(1);
      expect(host.nodes[0].cpus).toContain(pin.cpus[0]);
      expect(both.layout!.cells[0].vcpus).toContain(vcpu);
    }
    expect(both.explanation.join(' ')).toMatch(/vCPU 5.*vCPU 6/);
    const refused = await client.edit(
      GOLDEN,
      [
        { kind: 'pin-vcpu', vcpu: 5, target: { node: 0 } },
        { kind: 'move-cell', cell: 9, node: 0 },
      ],
      host,
      NO_OCCUPANCY,
    );
    expect(refused).toMatchObject({ kind: 'done', outcome: 'refused', reason: 'cell 9 does not exist' });
    expect(refused.kind === 'done' && refused.outcome === 'refused' && refused.explanation.join(' ')).toMatch(/^vCPU 5/);
  });
});
