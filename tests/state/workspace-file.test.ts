/**
 * The workspace file across its versions: version 2 writes every request's mode (the default is
 * auto); a version-1 file keeps what its requests meant then (mode host, reserve first-core when
 * absent); a version that is not a number says so rather than calling it newer. A guest found
 * on a host keeps its found mark through a file and through this browser's storage, checked on
 * read like every other field.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST, pinningOf, reserveOf } from '../../src/core/partition/request.ts';
import { decodePermalink, encodePermalink, type SharedWorkspace } from '../../src/state/permalink.ts';
import { parseWorkspace, serializeWorkspace, WORKSPACE_VERSION } from '../../src/state/workspace-file.ts';
import { loadWorkspace, saveWorkspace } from '../../src/state/workspace-persist.ts';
import { createWorkspace } from '../../src/state/workspace.ts';
import { guestXml } from '../ingest/host-dump-support.ts';
import { inProcessEngine } from './in-process-engine.ts';

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

describe('the found mark', () => {
  const request = { ...DEFAULT_REQUEST, devices: [] };
  const SOURCE = 'sosreport-kvm01/etc/libvirt/qemu/web.xml';

  it("goes through a workspace file; a guest of the user's own has none", () => {
    const text = serializeWorkspace({
      pastes: [],
      guests: [
        { name: 'web', request, xml: '<domain/>', found: { source: SOURCE } },
        { name: 'own', request, xml: '<domain/>' },
      ],
    });
    const parsed = parseWorkspace(text, 'ws.json');
    if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join('; '));
    expect(parsed.file.guests[0].found).toEqual({ source: SOURCE });
    expect('found' in parsed.file.guests[1]).toBe(false);
  });

  it('a mark without a source is an error where it is, and the file changes nothing', () => {
    for (const found of ['yes', { source: 3 }, null, []]) {
      const text = JSON.stringify({ format: 'numascope-workspace', version: 2, pastes: [], guests: [{ name: 'web', xml: '', found }] });
      const parsed = parseWorkspace(text, 'ws.json');
      expect(parsed.ok).toBe(false);
      expect(parsed.diagnostics).toEqual([expect.objectContaining({ severity: 'error', path: '/guests[0]/found', message: 'a found guest needs the "source" its XML came from' })]);
    }
  });

  it("survives a reload through this browser's storage; an unreadable mark is dropped, the guest kept", async () => {
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    } as Storage;
    const ws = createWorkspace(inProcessEngine());
    ws.getState().addGuestFromXml(guestXml('own', [0, 1], 0), 'own');
    ws.getState().openFoundGuests([{ name: 'web', source: SOURCE, xml: guestXml('web', [2, 3], 0) }], null, 'Open web');
    await ws.getState().settled();
    expect(saveWorkspace(ws.getState(), storage)).toBeNull();
    const saved = loadWorkspace(storage)!;
    expect(saved.guests.map((g) => [g.name, g.found])).toEqual([
      ['own', undefined],
      ['web', { source: SOURCE }],
    ]);
    // … and the tabs come back marked, after a reload and through an exported file alike.
    const reloaded = createWorkspace(inProcessEngine());
    reloaded.getState().hydrate(saved.guests, null);
    expect(reloaded.getState().guests.map((g) => g.found)).toEqual([undefined, { source: SOURCE }]);
    const imported = createWorkspace(inProcessEngine());
    expect(imported.getState().importWorkspace(ws.getState().exportWorkspace(), 'ws.json').ok).toBe(true);
    expect(imported.getState().guests.map((g) => g.found)).toEqual([undefined, { source: SOURCE }]);
    const [key, raw] = [...items].find(([, v]) => v.includes(SOURCE))!;
    items.set(key, raw.replace(`{"source":${JSON.stringify(SOURCE)}}`, '"yes"'));
    expect(loadWorkspace(storage)!.guests.map((g) => [g.name, g.found])).toEqual([
      ['own', undefined],
      ['web', undefined],
    ]);
  });
});

describe('numbers past what libvirt and QEMU take (issue 18)', () => {
  const file = (request: Record<string, unknown>) => JSON.stringify({ format: 'numascope-workspace', version: WORKSPACE_VERSION, pastes: [], guests: [{ name: 'g', xml: '', request }] });
  it.each([
    ['vcpus', { vcpus: 1e15 }, 'vCPUs must be a whole number from 1 to 4096'],
    ['memoryKiB', { memoryKiB: 1e300 }, 'memory must be a whole number of KiB from 1 to 9007199254740991'],
    ['reserve', { reserve: [1e300] }, 'reserve must be first-core, none or a list of CPU numbers'],
    ['reserve', { reserve: new Array(20000).fill(0) }, 'reserve must be first-core, none or a list of CPU numbers'],
    ['cells', { cells: 1e6 }, 'cells must be a whole number from 1 to 128'],
    ['cellVcpus', { cellVcpus: new Array(1000).fill(1) }, 'cell vCPUs must be a list of at most 128 whole numbers from 1 to 4096'],
  ])('%s %j is refused with a message at its path, before it can drive a loop', (field, request, message) => {
    const parsed = parseWorkspace(file(request));
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics).toEqual([expect.objectContaining({ severity: 'error', path: `/guests[0]/request/${field}`, message })]);
  });

  it('cell sizes within the limits are kept', () => {
    const parsed = parseWorkspace(file({ vcpus: 3, memoryKiB: 4 << 20, cellVcpus: [1, 2], cellMemoryKiB: [1 << 20, 3 << 20] }));
    expect(parsed.ok && parsed.file.guests[0].request).toMatchObject({ cellVcpus: [1, 2], cellMemoryKiB: [1 << 20, 3 << 20] });
  });
});
