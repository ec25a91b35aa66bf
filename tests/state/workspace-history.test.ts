/**
 * The undo history across a reload, on the talk's host with the real core: a workspace shaped by
 * Auto, drops and typing is saved, loaded into a fresh store and undone step by step back to the
 * exact texts; a 5 MB domain's history is kept as edits, not as copies; bounds and a full storage
 * cut the oldest steps (saying so), never the guests; a history that does not lead to the saved
 * guests is not used.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeLayout } from '../../src/core/domain-xml/index.ts';
import type { Host } from '../../src/core/host/model.ts';
import { useApp } from '../../src/state/store.ts';
import { decodeHistory, encodeHistory, KEPT_STEPS } from '../../src/state/workspace-history.ts';
import { loadHistory, loadWorkspace, saveWorkspace } from '../../src/state/workspace-persist.ts';
import { createWorkspace, type WorkspaceStore } from '../../src/state/workspace.ts';
import { talkExample1, talkHost } from '../support/golden.ts';
import { inProcessEngine } from './in-process-engine.ts';

/** localStorage's contract, with a quota in characters as browsers count it (keys and values). */
class QuotaStorage implements Storage {
  private readonly items = new Map<string, string>();
  constructor(private readonly quota: number) {}
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    let used = key.length + value.length;
    for (const [k, v] of this.items) if (k !== key) used += k.length + v.length;
    if (used > this.quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.items.set(key, value);
  }
  size(key: string): number {
    return this.items.get(key)?.length ?? 0;
  }
}

let host: Host;
const GOLDEN = writeLayout(null, talkExample1()).text;

beforeAll(() => {
  host = talkHost();
});

let ws: WorkspaceStore;
beforeEach(() => {
  useApp.setState({ host, pastes: [], notice: null });
  ws = createWorkspace(inProcessEngine());
});

const tabOf = (store: WorkspaceStore, id: string) => store.getState().guests.find((g) => g.id === id)!;

/** A fresh store loaded from what `storage` holds, as the page does on start. */
async function reload(storage: Storage): Promise<WorkspaceStore> {
  const again = createWorkspace(inProcessEngine());
  const saved = loadWorkspace(storage);
  expect(saved).toBeDefined();
  again.getState().hydrate(saved!.guests, saved!.activeGuestId);
  const history = loadHistory(saved!, again.getState(), storage);
  if (history) again.getState().hydrateHistory(history);
  await again.getState().settled();
  return again;
}

/** The talk's golden is mode host's (the default is auto): set without a history step of its own. */
function inModeHost(store: WorkspaceStore, id: string): void {
  store.setState((s) => ({ guests: s.guests.map((g) => (g.id === id ? { ...g, request: { ...g.request, mode: 'host' } } : g)) }));
}

/** Auto, two drops and a burst of typing: the texts after each step. */
async function shape(store: WorkspaceStore): Promise<{ id: string; texts: string[] }> {
  const id = store.getState().addGuest();
  inModeHost(store, id);
  expect(await store.getState().autoLayout(id)).toBe(true);
  const texts = ['', tabOf(store, id).xml];
  expect(await store.getState().applyEditOp(id, { kind: 'pin-vcpu', vcpu: 5, target: { thread: 33 } })).toBe(true);
  texts.push(tabOf(store, id).xml);
  expect(await store.getState().applyEditOp(id, { kind: 'move-memory', cell: 3, node: 2 })).toBe(true);
  texts.push(tabOf(store, id).xml);
  store.getState().setXmlFromEditor(id, tabOf(store, id).xml.replace('<clock', '<!-- tuned by hand -->\n  <clock'));
  await store.getState().settled();
  texts.push(tabOf(store, id).xml);
  return { id, texts };
}

describe('undo history across a reload', () => {
  it('comes back whole: undo walks back through the exact texts, redo forward again, and the layouts are read', async () => {
    const { id, texts } = await shape(ws);
    const storage = new QuotaStorage(5_000_000);
    expect(saveWorkspace(ws.getState(), storage)).toBeNull();

    const again = await reload(storage);
    expect(again.getState().history.entries.map((e) => e.label)).toEqual(ws.getState().history.entries.map((e) => e.label));
    expect(again.getState().history.index).toBe(5);
    for (let i = texts.length - 2; i >= 0; i--) {
      again.getState().undo();
      expect(tabOf(again, id).xml).toBe(texts[i]);
    }
    again.getState().undo();
    expect(again.getState().guests).toEqual([]);
    again.getState().redo();
    again.getState().redo();
    await again.getState().settled();
    expect(tabOf(again, id).xml).toBe(GOLDEN);
    expect(tabOf(again, id).layout).toEqual(talkExample1());
    again.getState().goToHistory(5);
    expect(tabOf(again, id).xml).toBe(texts[4]);
  });

  it('keeps each step as the edit that makes it: a 5 MB domain costs its edits, not 5 MB a step', async () => {
    // a domain as large as metadata makes them: a 5 MB cloud-init seed kept in the domain, base64 in lines of 76
    const line = Buffer.from('#cloud-config\nruncmd: [ [ sh, -c, "echo tuned" ] ]\n'.repeat(2)).toString('base64').slice(0, 76);
    const seed = Array.from({ length: 66_000 }, () => `      ${line}`).join('\n');
    const big = GOLDEN.replace('</domain>', `  <metadata>\n    <seed:user-data xmlns:seed='https://example.org/seed'>\n${seed}\n    </seed:user-data>\n  </metadata>\n</domain>`);
    expect(big.length).toBeGreaterThan(5_000_000);
    const id = ws.getState().addGuestFromXml(big, 'big');
    await ws.getState().settled();
    const texts = [big];
    for (const thread of [33, 76, 34]) {
      expect(await ws.getState().applyEditOp(id, { kind: 'pin-vcpu', vcpu: 5, target: { thread } })).toBe(true);
      texts.push(tabOf(ws, id).xml);
    }
    const { saved, droppedForSize } = encodeHistory(ws.getState().history, ws.getState(), 'now');
    expect(droppedForSize).toBe(0);
    expect(JSON.stringify(saved).length).toBeLessThan(20_000);

    // a browser's 5 M characters: the guests and the whole history fit
    const storage = new QuotaStorage(5_600_000);
    expect(saveWorkspace(ws.getState(), storage)).toBeNull();
    const again = await reload(storage);
    for (let i = texts.length - 2; i >= 0; i--) {
      again.getState().undo();
      expect(tabOf(again, id).xml).toBe(texts[i]);
    }
  });

  it('cuts the oldest steps to its bounds, and a storage that is too full costs the history, never the guests', async () => {
    const { id, texts } = await shape(ws);
    // a bound that holds only the newest steps
    const newest = encodeHistory(ws.getState().history, ws.getState(), 'now', 1200);
    expect(newest.droppedForSize).toBeGreaterThan(0);
    const decoded = decodeHistory(JSON.parse(JSON.stringify(newest.saved)), ws.getState(), 'now');
    expect(decoded?.entries.map((e) => e.label)).toEqual(ws.getState().history.entries.slice(-decoded!.entries.length).map((e) => e.label));
    expect(decoded?.entries.at(-1)?.before.guests[0].xml).toBe(texts[3]);

    // room for the guests and a few steps only
    const roomy = new QuotaStorage(5_000_000);
    expect(saveWorkspace(ws.getState(), roomy)).toBeNull();
    const guestsOnly = 'numascope.workspace.v1'.length + roomy.size('numascope.workspace.v1') + 'numascope.history.v1'.length + 10;
    const tight = new QuotaStorage(guestsOnly + 1100);
    const notice = saveWorkspace(ws.getState(), tight);
    expect(notice).toMatch(/^The undo history is too large to keep in this browser: only the last [1-4] of 5 steps survive a reload/);
    const again = await reload(tight);
    expect(tabOf(again, id).xml).toBe(texts[4]);
    again.getState().undo();
    expect(tabOf(again, id).xml).toBe(texts[3]);

    // no room for any history: the guests are saved all the same, and undo starts afresh
    const full = new QuotaStorage(guestsOnly + 40);
    expect(saveWorkspace(ws.getState(), full)).toMatch(/after a reload, undo starts afresh \(the guests themselves are saved\)/);
    const fresh = await reload(full);
    expect(tabOf(fresh, id).xml).toBe(texts[4]);
    expect(fresh.getState().history.entries).toEqual([]);
  });

  it('keeps at most the last KEPT_STEPS steps', async () => {
    const id = ws.getState().addGuest();
    inModeHost(ws, id);
    expect(await ws.getState().autoLayout(id)).toBe(true);
    for (let i = 0; i < KEPT_STEPS + 5; i++) {
      expect(await ws.getState().applyEditOp(id, { kind: 'pin-vcpu', vcpu: 5, target: { thread: i % 2 === 0 ? 33 : 76 } })).toBe(true);
    }
    const { saved, droppedForSize } = encodeHistory(ws.getState().history, ws.getState(), 'now');
    expect(saved.entries).toHaveLength(KEPT_STEPS);
    expect(saved.index).toBe(KEPT_STEPS);
    expect(droppedForSize).toBe(0);
  });

  it('is not used when it was not saved with the guests loaded (another tab saved since), or is damaged', async () => {
    const { id } = await shape(ws);
    const storage = new QuotaStorage(5_000_000);
    expect(saveWorkspace(ws.getState(), storage)).toBeNull();
    const history = storage.getItem('numascope.history.v1')!;
    // another tab saves its own guests (and history) over them, then this one's late history write lands
    const other = createWorkspace(inProcessEngine());
    other.getState().hydrate([{ id, name: 'guest 1', request: tabOf(ws, id).request, xml: GOLDEN }], id);
    expect(saveWorkspace(other.getState(), storage)).toBeNull();
    storage.setItem('numascope.history.v1', history);
    const again = await reload(storage);
    expect(tabOf(again, id).xml).toBe(GOLDEN);
    expect(again.getState().history.entries).toEqual([]);

    const { saved } = encodeHistory(ws.getState().history, ws.getState(), 'now');
    expect(decodeHistory(JSON.parse(JSON.stringify(saved)), ws.getState(), 'now')?.index).toBe(5);
    expect(decodeHistory(JSON.parse(JSON.stringify(saved)), { guests: [] }, 'now')).toBeUndefined();
    expect(decodeHistory({ version: 1, stamp: 'now', index: 3, entries: [], states: [], texts: [] }, ws.getState(), 'now')).toBeUndefined();
    expect(decodeHistory({ version: 1, stamp: 'now', index: 0, entries: [], states: [], texts: [{ of: 0, from: 0, to: 1, text: 'x' }] }, ws.getState(), 'now')).toBeUndefined();
    expect(decodeHistory('not a history', ws.getState(), 'now')).toBeUndefined();
  });
});
