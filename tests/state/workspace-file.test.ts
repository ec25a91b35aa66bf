/**
 * The workspace file across its versions: version 2 writes every request's mode (the default is
 * auto); a version-1 file keeps what its requests meant then (mode host, reserve first-core when
 * absent); a version that is not a number says so rather than calling it newer.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST, pinningOf, reserveOf } from '../../src/core/partition/request.ts';
import { decodePermalink, encodePermalink, type SharedWorkspace } from '../../src/state/permalink.ts';
import { parseWorkspace, serializeWorkspace, WORKSPACE_VERSION } from '../../src/state/workspace-file.ts';

const file = (version: unknown, request?: unknown) =>
  JSON.stringify({ format: 'numascope-workspace', version, pastes: [], guests: [{ name: 'web', xml: '', ...(request === undefined ? {} : { request }) }] });

function requestOf(text: string) {
  const parsed = parseWorkspace(text, 'ws.json');
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join('; '));
  return parsed.file.guests[0].request;
}

describe('workspace file versions', () => {
  it('new files are version 2 and write the mode, which reads back as written', () => {
    expect(WORKSPACE_VERSION).toBe(2);
    const text = serializeWorkspace({ pastes: [], guests: [{ name: 'web', request: { ...DEFAULT_REQUEST, devices: [] }, xml: '' }] });
    const data = JSON.parse(text);
    expect(data.version).toBe(2);
    expect(data.guests[0].request.mode).toBe('auto');
    expect(data.guests[0].request).not.toHaveProperty('reserve');
    expect(requestOf(text)).toEqual({ ...DEFAULT_REQUEST, devices: [] });
  });

  it('in a version-2 file a request without a mode is mode auto, its reserve the mode’s own', () => {
    const r = requestOf(file(2, { vcpus: 8 }));
    expect(r.mode).toBe('auto');
    expect(r.reserve).toBeUndefined();
    expect(reserveOf(r)).toBe('first-core');
    const node = requestOf(file(2, { vcpus: 8, mode: 'node' }));
    expect([pinningOf(node), reserveOf(node)]).toEqual(['node-float', 'none']);
  });

  it('a version-1 file keeps what it meant: no mode is mode host, no reserve is first-core, even in mode node', () => {
    const r = requestOf(file(1, { vcpus: 8 }));
    expect(r).toMatchObject({ vcpus: 8, mode: 'host', reserve: 'first-core' });
    expect(requestOf(file(1))).toMatchObject({ mode: 'host', reserve: 'first-core' });
    expect(requestOf(file(1, { mode: 'node' }))).toMatchObject({ mode: 'node', reserve: 'first-core' });
    expect(requestOf(file(1, { mode: 'node', reserve: 'none' }))).toMatchObject({ mode: 'node', reserve: 'none' });
    // read once, written again: the meaning is now spelled out in a version-2 file
    const again = JSON.parse(serializeWorkspace({ pastes: [], guests: [{ name: 'web', request: r, xml: '' }] }));
    expect(again.guests[0].request).toMatchObject({ mode: 'host', reserve: 'first-core' });
  });

  it('a version that is not a number is called that, not newer', () => {
    const message = (version: unknown) => {
      const parsed = parseWorkspace(file(version), 'ws.json');
      expect(parsed.ok).toBe(false);
      return parsed.diagnostics[0].message;
    };
    expect(message('1')).toBe('workspace version "1" is not a number');
    expect(message(1.5)).toBe('workspace version 1.5 is not a whole number from 1 up');
    expect(message(0)).toBe('workspace version 0 is not a whole number from 1 up');
    expect(message(3)).toBe('workspace version 3 is newer than this numascope reads (2)');
    expect(parseWorkspace(JSON.stringify({ format: 'numascope-workspace', pastes: [], guests: [] })).diagnostics[0].message).toBe('the workspace file has no "version"');
  });
});

describe('permalinks carry the file and its version', () => {
  it('an old link (a version-1 file) opens with mode host and first-core; a new one with what it wrote', async () => {
    const view = { indexMode: 'os', theme: 'light' };
    const old = await encodePermalink({ workspace: file(1, { vcpus: 8 }), scenes: [], view } as SharedWorkspace);
    if (!old.ok) throw new Error(old.message);
    const opened = await decodePermalink(old.value);
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.value.file.guests[0].request).toMatchObject({ vcpus: 8, mode: 'host', reserve: 'first-core' });
    const fresh = await encodePermalink({ workspace: file(2, { vcpus: 8 }), scenes: [], view } as SharedWorkspace);
    if (!fresh.ok) throw new Error(fresh.message);
    const read = await decodePermalink(fresh.value);
    if (!read.ok) throw new Error(read.message);
    expect(read.value.file.guests[0].request.mode).toBe('auto');
    expect(read.value.file.guests[0].request.reserve).toBeUndefined();
  });
});
