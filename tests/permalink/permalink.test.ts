/**
 * The permalink codec on real workspaces (the talk host's pastes and the golden guest the
 * partitioning core lays out on it), and on hostile input: whatever a link holds, decoding
 * answers with a workspace or a sentence, never an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { decodePermalink, encodePermalink, fromBase64Url, HASH_PREFIX, MAX_HASH_CHARS, toBase64Url, validateWorkspace, type SharedWorkspace } from '../../src/state/permalink.ts';
import { parseWorkspace, serializeWorkspace } from '../../src/state/workspace-file.ts';
import { readCorpus } from '../support/corpus.ts';
import { TALK_REQUEST } from '../support/golden.ts';

const TALK = [
  { name: 'lscpu', text: readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt') },
  { name: 'numactl -H', text: readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt') },
];

/** The talk host and the golden guest, as the workspace file the state layer writes. */
function talkFile(pastes = TALK): string {
  const golden = solve(ingest(TALK).host, TALK_REQUEST).layout;
  return serializeWorkspace({ pastes, guests: [{ name: 'golden', request: TALK_REQUEST, xml: writeLayout(null, golden, { name: 'golden' }).text }] });
}

function talkWorkspace(): SharedWorkspace {
  return {
    workspace: talkFile(),
    scenes: [{ kind: 'recorded', title: 'node 0 and its pins', nodes: [0], cpus: [1, 61], indexMode: 'os' }],
    view: { indexMode: 'both', theme: 'dark' },
  };
}

async function deflated(json: string): Promise<string> {
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return HASH_PREFIX + toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

describe('permalink', () => {
  it('round-trips the talk workspace exactly, in a link a chat tool or QR code can carry', async () => {
    const ws = talkWorkspace();
    expect(ws.workspace).toContain("<vcpupin vcpu='5' cpuset='76'/>");
    const hash = await encodePermalink(ws);
    if (!hash.ok) throw new Error(hash.message);
    expect(hash.value.startsWith('#w=')).toBe(true);
    expect(hash.value).toMatch(/^#w=[A-Za-z0-9_-]+$/);
    expect(hash.value.length).toBeLessThan(2900 * 1.5);
    const back = await decodePermalink(hash.value);
    if (!back.ok) throw new Error(back.message);
    // The file comes back read, as opening the same text would read it: the link loads it as is.
    const file = parseWorkspace(ws.workspace);
    expect(back.value).toEqual({ ...ws, file: file.ok && file.file });
    // The pastes it brings back make the same host.
    expect(ingest(back.value.file.pastes).host).toEqual(ingest(TALK).host);
  });

  it('refuses a workspace too large for a link with a message saying what to do', async () => {
    const noise = Array.from({ length: 200_000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36)).join(' ');
    const r = await encodePermalink({ ...talkWorkspace(), workspace: talkFile([{ name: 'big', text: noise }]) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/link holds at most 96 kB\. Remove the largest pastes/);
  });

  it('refuses a deflate bomb before unpacking it whole', async () => {
    const bomb = await deflated(JSON.stringify({ v: 1, workspace: 'x'.repeat(20 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(MAX_HASH_CHARS);
    const r = await decodePermalink(bomb);
    expect(r).toEqual({ ok: false, message: 'The link unpacks to more than 8 MB; numascope does not open links that large.' });
  });

  it('names the first wrong field and drops keys it does not know', async () => {
    const ws = talkWorkspace();
    const bad = { v: 1, ...ws, scenes: [{ ...ws.scenes[0], cpus: [-1] }] };
    expect(validateWorkspace(bad)).toEqual({ ok: false, message: "The link's workspace is not valid: workspace.scenes[0].cpus[0] must be a whole number from 0 to 1048576." });
    const file = JSON.parse(ws.workspace);
    file.guests[0].request.vcpus = 0;
    expect(validateWorkspace({ v: 1, ...ws, workspace: JSON.stringify(file) })).toEqual({ ok: false, message: "The link's workspace is not valid: workspace.workspace/guests[0]/request/vcpus: vCPUs must be a whole number from 1 to 4096." });
    const extra = validateWorkspace({ v: 1, ...ws, __proto__x: 1, scenes: [{ ...ws.scenes[0], onerror: 'alert(1)' }] });
    expect(extra.ok && extra.value.scenes).toEqual(ws.scenes);
    expect(extra.ok && Object.keys(extra.value)).toEqual(['workspace', 'scenes', 'view', 'file']);
    expect(validateWorkspace({ v: 2 })).toEqual({ ok: false, message: 'This link was made by another version of numascope (format 2); it cannot be opened here.' });
    expect(await decodePermalink('#w=')).toEqual({ ok: false, message: 'The link holds no workspace (nothing after #w=).' });
    expect(await decodePermalink('#w=abc$')).toMatchObject({ ok: false, message: expect.stringMatching(/damaged/) });
  });

  it('base64url is the inverse of itself on any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }));
  });

  it('fuzz: decoding any text never throws and always explains a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.base64String({ maxLength: 200 }).map((s) => `#w=${s}`), fc.stringMatching(/^#w=[A-Za-z0-9_-]{0,120}$/)), async (hash) => {
        const r = await decodePermalink(hash);
        if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
      }),
      { numRuns: 400 },
    );
  });

  it('fuzz: any JSON a link may carry is accepted only as a valid workspace, never thrown on', async () => {
    const ws = talkWorkspace();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({ v: fc.constant(1), workspace: fc.oneof(fc.constant(ws.workspace), fc.string(), fc.jsonValue().map((j) => JSON.stringify(j))), scenes: fc.oneof(fc.constant(ws.scenes), fc.anything()), view: fc.oneof(fc.constant(ws.view), fc.anything()) })), async (value) => {
        const r = await decodePermalink(await deflated(JSON.stringify(value) ?? 'null'));
        if (r.ok) {
          const read = parseWorkspace(r.value.workspace, 'link');
          expect(read.ok && read.file).toEqual(r.value.file);
        } else expect(r.message).toMatch(/^(The link|This link)/);
      }),
      { numRuns: 300 },
    );
  });

  it('fuzz: a valid link with bytes flipped is refused or still a valid workspace', async () => {
    const hash = await encodePermalink(talkWorkspace());
    if (!hash.ok) throw new Error(hash.message);
    const bytes = fromBase64Url(hash.value.slice(3))!;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
        const copy = bytes.slice();
        copy[at] ^= flip;
        const r = await decodePermalink(HASH_PREFIX + toBase64Url(copy));
        if (r.ok) expect(validateWorkspace({ v: 1, ...r.value })).toEqual(r);
        else expect(r.message).toMatch(/^(The link|This link)/);
      }),
      { numRuns: 200 },
    );
  });
});
