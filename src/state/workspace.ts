/**
 * The guests being laid out on the host. Per guest the domain XML TEXT is the source of truth
 * (DESIGN.md §1); its GuestLayout and diagnostics are derived from it in the XML worker. A
 * change from outside the editor (Auto layout, a drop, undo) becomes new text plus the minimal
 * edits that made it (`pendingEdits`), so the editor applies them with its own undo. Jobs that
 * change a guest run one after another, each on the state the previous one left, so no edit is
 * dropped; a failed or crashed worker leaves the last good state and says why.
 */
import { create } from 'zustand';
import type { Diagnostic } from '../core/diagnostics.ts';
import { minimalEdits, type TextEdit } from '../core/domain-xml/index.ts';
import type { GuestLayout, LayoutScore } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import { nodeCapacity } from '../core/partition/capacity.ts';
import { coresOfNode } from '../core/partition/cores.ts';
import { cpuCellsOf, tierMemoryOf } from '../core/partition/edit-derive.ts';
import { occupancyOf, type EditOp } from '../core/partition/index.ts';
import { DEFAULT_REQUEST, type Occupancy, type PartitionRequest, type Suggestion } from '../core/partition/request.ts';
import { record, type History } from './history.ts';
import { changeLabel } from './layout-changes.ts';
import { workerEngine, type ReadValue, type WorkspaceEngine, type WriteValue } from './engine.ts';
import type { Problem } from '../worker/problems.ts';
import { useApp } from './store.ts';
import { parseWorkspace, serializeWorkspace, type WorkspaceFile } from './workspace-file.ts';

export interface GuestTab {
  id: string;
  name: string;
  request: PartitionRequest;
  xml: string;
  layout: GuestLayout | null;
  diagnostics: Diagnostic[];
  /** The diagnostics located on `xml` (at derivedVersion), with their quick fixes, for the editor. */
  problems: Problem[];
  /** The domain's <name> as of derivedVersion. */
  domainName: string | null;
  score?: LayoutScore;
  explanation: string[];
  /** the last change that came from outside the editor, as minimal edits on the previous text, so the editor can apply them with its own undo */
  pendingEdits?: { version: number; baseVersion: number; edits: { from: number; to: number; text: string }[] };
  version: number;
  /** The version of `xml` that `layout` and `diagnostics` were read from (behind while a read is due). */
  derivedVersion: number;
  /** Set for a guest found on a host (a sosreport's etc/libvirt/qemu/NAME.xml, the collector's dumpxml): where its XML came from. */
  found?: { source: string };
}

/** What the undo history keeps of the workspace. Pastes only for entries that replace them. */
export interface WorkspaceSnapshot {
  guests: GuestTab[];
  activeGuestId: string | null;
  pastes?: { name: string; text: string }[];
}

/** A problem with the last thing asked for (a refused drop, an infeasible request, a crash). */
export interface WorkspaceMessage {
  guestId: string | null;
  severity: 'error' | 'warning' | 'info';
  text: string;
  /** Requests that would work instead, when solve() refused one (each a click: applySuggestion). */
  suggestions?: Suggestion[];
}

/** What a drop would do, asked of edit() before it happens. */
export interface DropPreview {
  ok: boolean;
  /** Why the core refuses the drop, when it does. */
  refusal?: string;
  explanation: string[];
  /** What the guest's XML would report after the drop: its warnings and errors. */
  warnings: string[];
  score?: LayoutScore;
}

export interface NodeRoom {
  node: number;
  /** CPUs of the node no guest pins one-to-one. */
  freeCpus: number;
  onlineCpus: number;
  /** Memory not bound by any guest; null when the pastes did not say. */
  freeKiB: number | null;
}

export interface WorkspaceState {
  guests: GuestTab[];
  activeGuestId: string | null;
  history: History<WorkspaceSnapshot>;
  message: WorkspaceMessage | null;
  /** True while a job has been queued or running for longer than BUSY_AFTER_MS (a drop takes a few ms: no flash). */
  busy: boolean;

  addGuest(name?: string): string;
  /** A guest from a pasted or opened domain XML; its request is taken from what the XML says. */
  addGuestFromXml(xml: string, name?: string): string;
  /**
   * The guests a host defines (a sosreport, the collector's output), each a tab marked found with
   * its XML verbatim; with `pastes`, the host's outputs replace the pastes. One undoable step.
   * A guest whose XML a tab already holds is not opened twice. Answers the new tabs' ids.
   */
  openFoundGuests(found: { name: string; source: string; xml: string }[], pastes: { name: string; text: string }[] | null, label: string): string[];
  removeGuest(id: string): void;
  renameGuest(id: string, name: string): void;
  selectGuest(id: string): void;
  setRequest(id: string, patch: Partial<PartitionRequest>): void;
  autoLayout(id: string): Promise<boolean>;
  /** A refused request's suggestion taken: its change made to the request, and the guest laid out again. */
  applySuggestion(id: string, suggestion: Suggestion): Promise<boolean>;
  applyEditOp(id: string, op: EditOp, label?: string): Promise<boolean>;
  /** Several edits as one step (a multi-selection dropped at once). */
  applyEditOps(id: string, ops: EditOp[], label: string): Promise<boolean>;
  /** An audit finding's edits as one step, labelled `what: <what changed>` (what = "Fix pin-overlap"). */
  applyFix(id: string, ops: EditOp[], what: string): Promise<boolean>;
  previewEditOps(id: string, ops: EditOp[]): Promise<DropPreview | null>;
  setXmlFromEditor(id: string, text: string): void;
  undo(): void;
  redo(): void;
  /** Undo or redo until `index` entries are done. */
  goToHistory(index: number): void;
  newWorkspace(): void;
  /** Removes every paste as one undoable step (the guests stay). */
  clearPastes(): void;
  exportWorkspace(): string;
  importWorkspace(text: string, source?: string): { ok: boolean; diagnostics: Diagnostic[] };
  /** Loads a workspace file already read and checked (a permalink's), as one undoable step. */
  loadWorkspace(file: WorkspaceFile, source: string): void;
  setMessage(message: WorkspaceMessage | null): void;
  /** Reads every guest again (the host changed: validate() findings change with it). */
  revalidate(): void;
  /** Puts back the undo history saved by this browser (after hydrate: it must lead to the guests hydrated). */
  hydrateHistory(history: History<WorkspaceSnapshot>): void;
  /** Puts back a workspace saved by this browser, outside the undo history. */
  hydrate(guests: { id?: string; name: string; request: PartitionRequest; xml: string; found?: { source: string } }[], activeGuestId: string | null): void;
  /** Resolves once every queued job has run. */
  settled(): Promise<void>;
}

/** How long typing pauses before the XML is read again. */
export const READ_PAUSE_MS = 200;

/** Past this, the queue is worth saying "working…" about. */
export const BUSY_AFTER_MS = 250;

let idCounter = 0;
function newGuestId(): string {
  idCounter += 1;
  return `g${Date.now().toString(36)}-${idCounter}`;
}

function freshName(guests: readonly GuestTab[]): string {
  const taken = new Set(guests.map((g) => g.name));
  for (let n = guests.length + 1; ; n++) if (!taken.has(`guest ${n}`)) return `guest ${n}`;
}

/** A tab opened from a host's own files keeps the mark saying where it was found. */
function withFound(tab: GuestTab, found: { source: string } | undefined): GuestTab {
  return found ? { ...tab, found } : tab;
}

export function emptyTab(id: string, name: string, request: PartitionRequest = { ...DEFAULT_REQUEST, devices: [] }, xml = ''): GuestTab {
  return { id, name, request, xml, layout: null, diagnostics: [], problems: [], domainName: null, explanation: [], version: 0, derivedVersion: xml.trim() === '' ? 0 : -1 };
}

/** What other guests hold, for a solve or edit of `selfId`. */
export function occupancyExcept(guests: readonly GuestTab[], selfId: string, host: Host): Occupancy {
  // Each guest's thread policy and the host let an isolate guest keep its cores' other threads
  // idle for the next guest too.
  return occupancyOf(
    guests.filter((g) => g.id !== selfId && g.layout).map((g) => ({ name: g.name, layout: g.layout as GuestLayout, threadPolicy: g.request.threadPolicy })),
    host,
  );
}

/** What a host node still offers once every guest but `selfId` is counted. */
export function nodeRoom(host: Host, guests: readonly GuestTab[], node: number, selfId: string): NodeRoom {
  const cap = nodeCapacity(host, node, coresOfNode(host, node), 'none', occupancyExcept(guests, selfId, host));
  const free = cap.cores.reduce((s, c) => s + c.free.length, 0);
  return { node, freeCpus: free, onlineCpus: cap.onlineCpus, freeKiB: cap.freeKiB };
}

/**
 * A request matching what a domain XML already says, for re-solving a guest that was opened
 * (memory-only cells as tier memory): vCPUs floating over nodes are mode node, pinned ones mode
 * host with as many cells; the pinning is left to the mode (pinningOf).
 */
export function requestFromLayout(layout: GuestLayout, base: PartitionRequest): PartitionRequest {
  const floating = layout.pins.length > 0 && layout.pins.every((p) => p.cpus.length > 1);
  const out: PartitionRequest = { ...base, vcpus: layout.vcpus, memoryKiB: layout.memoryKiB, mode: floating ? 'node' : 'host' };
  delete out.pinning;
  const cpuCells = cpuCellsOf(layout).length;
  if (cpuCells > 0) out.cells = cpuCells;
  else delete out.cells;
  const tierKiB = tierMemoryOf(layout);
  if (tierKiB > 0) out.tierMemoryKiB = tierKiB;
  else delete out.tierMemoryKiB;
  return out;
}

/** A burst of typing's history label: what it changed in the layout, from the state before the burst. */
function typedLabel(before: WorkspaceSnapshot, typed: GuestTab): string {
  const was = before.guests.find((g) => g.id === typed.id);
  const what = `Edit ${typed.name}'s XML`;
  return changeLabel(what, was?.layout ?? null, typed.layout, what);
}

function domainName(guests: readonly GuestTab[], id: string): string {
  const i = guests.findIndex((g) => g.id === id);
  return i <= 0 ? 'numascope-guest' : `numascope-guest-${i + 1}`;
}

/** What a guest tab keeps of a read: the layout, the diagnostics and the problems located on the text. */
function derived(value: ReadValue): Pick<GuestTab, 'layout' | 'diagnostics' | 'problems' | 'domainName'> {
  return { layout: value.layout, diagnostics: value.diagnostics, problems: value.problems, domainName: value.domainName };
}

function stripPending(tab: GuestTab): GuestTab {
  if (!tab.pendingEdits) return tab;
  const { pendingEdits: _pending, ...rest } = tab;
  return rest;
}

export function createWorkspace(engine: WorkspaceEngine, now: () => number = Date.now) {
  let chain: Promise<unknown> = Promise.resolve();
  const readTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Jobs queued or running; the store hears of it only when they take long (a store change re-renders the page). */
  let pending = 0;
  let busyTimer: ReturnType<typeof setTimeout> | undefined;

  return create<WorkspaceState>()((set, get) => {
    const host = (): Host | null => useApp.getState().host;
    const tab = (id: string) => get().guests.find((g) => g.id === id);
    const patchTab = (id: string, patch: Partial<GuestTab> | ((t: GuestTab) => GuestTab)) =>
      set((s) => ({ guests: s.guests.map((g) => (g.id === id ? (typeof patch === 'function' ? patch(g) : { ...g, ...patch }) : g)) }));
    const snapshot = (withPastes = false): WorkspaceSnapshot => {
      const s = get();
      const snap: WorkspaceSnapshot = { guests: s.guests.map(stripPending), activeGuestId: s.activeGuestId };
      if (withPastes) snap.pastes = useApp.getState().pastes.map(({ name, text }) => ({ name, text }));
      return snap;
    };
    const remember = (label: string, before: WorkspaceSnapshot, burst?: string, withPastes = false) =>
      set((s) => ({ history: record(s.history, label, before, snapshot(withPastes), now(), burst) }));
    const fail = (guestId: string | null, text: string) => set({ message: { guestId, severity: 'error', text } });

    /** Runs jobs one after another; a job that throws is reported and the queue goes on. */
    const enqueue = <T>(job: () => Promise<T>, fallback: T): Promise<T> => {
      pending += 1;
      if (busyTimer === undefined) busyTimer = setTimeout(() => set({ busy: true }), BUSY_AFTER_MS);
      const run = chain.then(job).catch((err: unknown) => {
        fail(null, `Internal error, the last good state is kept: ${err instanceof Error ? err.message : String(err)}`);
        return fallback;
      });
      chain = run.finally(() => {
        pending -= 1;
        if (pending > 0) return;
        clearTimeout(busyTimer);
        busyTimer = undefined;
        if (get().busy) set({ busy: false });
      });
      return run;
    };

    /** Reads a guest's current text into its layout and diagnostics (in the queue). */
    const readNow = async (id: string): Promise<void> => {
      const t = tab(id);
      if (!t || t.derivedVersion === t.version) return;
      const { xml, version } = t;
      const out = await engine.read(xml, host());
      const now2 = tab(id);
      if (!now2 || now2.version !== version) return;
      if (!out.ok) {
        fail(id, `Could not read the XML (the last good layout stays shown): ${out.error}`);
        return;
      }
      const fresh: GuestTab = { ...now2, ...derived(out.value), derivedVersion: version };
      patchTab(id, () => fresh);
      // the history's latest state of this guest is this text: let undo/redo land on its layout,
      // and let a burst of typing say what it changed in the layout
      set((s) => {
        const last = s.history.entries[s.history.index - 1];
        const at = last?.after.guests.findIndex((g) => g.id === id && g.version === version) ?? -1;
        if (!last || at < 0) return {};
        const after = { ...last.after, guests: last.after.guests.map((g, i) => (i === at ? stripPending(fresh) : g)) };
        const entries = s.history.entries.slice();
        entries[s.history.index - 1] = { ...last, after, ...(last.burst === `xml:${id}` ? { label: typedLabel(last.before, fresh) } : {}) };
        return { history: { ...s.history, entries } };
      });
    };

    const scheduleRead = (id: string, delay: number) => {
      clearTimeout(readTimers.get(id));
      readTimers.set(
        id,
        setTimeout(() => {
          readTimers.delete(id);
          void enqueue(() => readNow(id), undefined);
        }, delay),
      );
    };

    /**
     * A guest's new text, made from `base` by `edits`, with what it reads as: one store update
     * (the editor applies the edits as it is notified, the diagrams and the history follow in
     * the same render). False when the text moved meanwhile (typed while the job ran).
     */
    const commitText = (id: string, base: string, value: WriteValue, what: string | ((before: GuestLayout | null, after: GuestLayout | null) => string), extra: Partial<GuestTab>): boolean => {
      const now2 = tab(id);
      if (!now2 || now2.xml !== base) return false;
      const label = typeof what === 'string' ? what : what(now2.layout, value.layout);
      const before = snapshot();
      const version = now2.version + 1;
      const next: GuestTab = {
        ...now2,
        ...extra,
        ...derived(value),
        xml: value.text,
        version,
        derivedVersion: version,
        pendingEdits: { version, baseVersion: now2.version, edits: value.edits },
      };
      set((s) => {
        const guests = s.guests.map((g) => (g.id === id ? next : g));
        const after: WorkspaceSnapshot = { guests: guests.map(stripPending), activeGuestId: s.activeGuestId };
        return { guests, message: null, history: record(s.history, label, before, after, now()) };
      });
      return true;
    };

    /** Writes a layout into a guest's text as the smallest edit, retrying if the text moved meanwhile. */
    const commitLayout = async (id: string, layout: GuestLayout, label: string, extra: Partial<GuestTab>): Promise<boolean> => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const t = tab(id);
        if (!t) return false;
        const base = t.xml;
        const out = await engine.write(base, layout, host(), domainName(get().guests, id));
        if (!out.ok) {
          fail(id, `Could not write the XML (nothing changed): ${out.error}`);
          return false;
        }
        if (out.value.refused) {
          fail(id, `Nothing was written: ${out.value.refused}.`);
          return false;
        }
        if (!tab(id)) return false;
        if (commitText(id, base, out.value, label, extra)) return true;
        // typed meanwhile: write again into what is there now
      }
      fail(id, 'The XML kept changing while the layout was written; try again.');
      return false;
    };

    /** A drop: the ops go to the document worker with the guest's text, and come back as its new text. */
    const runOps = async (id: string, ops: EditOp[], label: string, prefix?: string): Promise<boolean> => {
      const h = host();
      if (!h) return false;
      for (let attempt = 0; attempt < 3; attempt++) {
        const t = tab(id);
        if (!t) return false;
        const base = t.xml;
        const out = await engine.edit(base, ops, h, occupancyExcept(get().guests, id, h), domainName(get().guests, id));
        if (!out.ok) {
          fail(id, `The edit failed (nothing changed): ${out.error}`);
          return false;
        }
        const v = out.value;
        if (v.outcome === 'no-layout') {
          fail(id, `${t.name} has no layout to change yet: run Auto layout or fix its XML.`);
          return false;
        }
        if (v.outcome === 'refused') {
          fail(id, `Refused: ${v.reason}`);
          return false;
        }
        if (v.refused) {
          fail(id, `Nothing was written: ${v.refused}.`);
          return false;
        }
        if (!tab(id)) return false;
        if (commitText(id, base, v, (before, after) => changeLabel(label, before, after, prefix), { explanation: v.explanation, score: v.score })) return true;
        // typed meanwhile: the drop applies to the text as it is now
      }
      fail(id, 'The XML kept changing while the edit was written; try again.');
      return false;
    };

    /** Puts a snapshot back: every guest whose text differs gets it as one minimal edit. */
    const restore = (target: WorkspaceSnapshot) => {
      const current = get().guests;
      const stale: string[] = [];
      const guests = target.guests.map((s): GuestTab => {
        const cur = current.find((c) => c.id === s.id);
        const fresh = s.derivedVersion === s.version;
        if (!cur) {
          if (!fresh) stale.push(s.id);
          return s;
        }
        if (cur.xml === s.xml) {
          // the same text reads the same: a snapshot kept across a reload has nothing read yet, the tab has
          const kept: GuestTab = fresh ? { ...s, version: cur.version, derivedVersion: cur.version } : { ...s, ...derived(cur), version: cur.version, derivedVersion: cur.derivedVersion };
          if (cur.pendingEdits) kept.pendingEdits = cur.pendingEdits;
          return kept;
        }
        const version = cur.version + 1;
        const pendingEdits = { version, baseVersion: cur.version, edits: minimalEdits(cur.xml, s.xml) };
        if (fresh) return { ...s, version, derivedVersion: version, pendingEdits };
        // not read yet: the tab's last reading stays drawn until the new text is read
        stale.push(s.id);
        return { ...s, ...derived(cur), version, derivedVersion: -1, pendingEdits };
      });
      set({ guests, activeGuestId: target.activeGuestId, message: null });
      if (target.pastes) useApp.getState().replacePastes(target.pastes);
      for (const id of stale) scheduleRead(id, 0);
    };

    const loadFile = (
      pastes: { name: string; text: string }[],
      files: { name: string; request: PartitionRequest; xml: string; found?: { source: string } }[],
      active: number | undefined,
      label: string,
    ) => {
      const before = snapshot(true);
      for (const t of readTimers.values()) clearTimeout(t);
      readTimers.clear();
      const guests = files.map((g) => withFound(emptyTab(newGuestId(), g.name, g.request, g.xml), g.found));
      set({ guests, activeGuestId: guests[active ?? 0]?.id ?? null, message: null });
      useApp.getState().replacePastes(pastes);
      remember(label, before, undefined, true);
      for (const g of guests) if (g.derivedVersion !== g.version) scheduleRead(g.id, 0);
    };

    return {
      guests: [],
      activeGuestId: null,
      history: { entries: [], index: 0 },
      message: null,
      busy: false,

      addGuest(name) {
        const before = snapshot();
        const t = emptyTab(newGuestId(), name ?? freshName(get().guests));
        set((s) => ({ guests: [...s.guests, t], activeGuestId: t.id }));
        remember(`Add ${t.name}`, before);
        return t.id;
      },
      addGuestFromXml(xml, name) {
        const before = snapshot();
        const t = emptyTab(newGuestId(), name ?? freshName(get().guests), { ...DEFAULT_REQUEST, devices: [] }, xml);
        set((s) => ({ guests: [...s.guests, t], activeGuestId: t.id }));
        remember(`Open ${t.name} from XML`, before);
        void enqueue(async () => {
          await readNow(t.id);
          const read = tab(t.id);
          if (read?.layout) patchTab(t.id, { request: requestFromLayout(read.layout, read.request) });
        }, undefined);
        return t.id;
      },
      openFoundGuests(found, pastes, label) {
        const before = snapshot(pastes !== null);
        const held = new Set(get().guests.map((g) => g.xml));
        const tabs: GuestTab[] = found
          .filter((f) => !held.has(f.xml))
          .map((f) => ({ ...emptyTab(newGuestId(), f.name, { ...DEFAULT_REQUEST, devices: [] }, f.xml), found: { source: f.source } }));
        set((s) => ({ guests: [...s.guests, ...tabs], activeGuestId: tabs[0]?.id ?? s.activeGuestId }));
        if (pastes) useApp.getState().replacePastes(pastes);
        remember(label, before, undefined, pastes !== null);
        for (const t of tabs) {
          void enqueue(async () => {
            await readNow(t.id);
            const read = tab(t.id);
            if (read?.layout) patchTab(t.id, { request: requestFromLayout(read.layout, read.request) });
          }, undefined);
        }
        return tabs.map((t) => t.id);
      },
      removeGuest(id) {
        const t = tab(id);
        if (!t) return;
        const before = snapshot();
        clearTimeout(readTimers.get(id));
        readTimers.delete(id);
        set((s) => {
          const i = s.guests.findIndex((g) => g.id === id);
          const guests = s.guests.filter((g) => g.id !== id);
          const active = s.activeGuestId === id ? (guests[Math.min(i, guests.length - 1)]?.id ?? null) : s.activeGuestId;
          return { guests, activeGuestId: active };
        });
        remember(`Remove ${t.name}`, before);
      },
      renameGuest(id, name) {
        const t = tab(id);
        if (!t || t.name === name) return;
        const before = snapshot();
        patchTab(id, { name });
        remember(`Rename ${t.name}`, before, `rename:${id}`);
      },
      selectGuest(id) {
        if (tab(id)) set({ activeGuestId: id });
      },
      setRequest(id, patch) {
        const t = tab(id);
        if (!t) return;
        const before = snapshot();
        const request = { ...t.request, ...patch };
        for (const k of Object.keys(patch) as (keyof PartitionRequest)[]) if (patch[k] === undefined) delete request[k];
        patchTab(id, { request });
        remember(`Change ${t.name}'s request`, before, `request:${id}`);
      },
      autoLayout(id) {
        return enqueue(async () => {
          await readNow(id);
          const h = host();
          const t = tab(id);
          if (!t) return false;
          if (!h) {
            fail(id, 'Paste a host first: Auto layout places the guest on it.');
            return false;
          }
          const out = await engine.solve(h, t.request, occupancyExcept(get().guests, id, h));
          if (!out.ok) {
            fail(id, `The partitioner failed (nothing changed): ${out.error}`);
            return false;
          }
          const errors = out.value.diagnostics.filter((d) => d.severity === 'error');
          if (errors.length > 0) {
            patchTab(id, { explanation: out.value.explanation });
            const suggestions = out.value.suggestions ?? [];
            set({ message: { guestId: id, severity: 'error', text: `No layout: ${errors.map((d) => d.message).join('; ')}`, ...(suggestions.length > 0 ? { suggestions } : {}) } });
            return false;
          }
          set({ message: null });
          return commitLayout(id, out.value.layout, `Auto layout ${t.name}`, { explanation: out.value.explanation, score: out.value.score });
        }, false);
      },
      applySuggestion(id, suggestion) {
        get().setRequest(id, suggestion.change);
        return get().autoLayout(id);
      },
      applyEditOp(id, op, label) {
        return get().applyEditOps(id, [op], label ?? describeOp(op));
      },
      applyEditOps(id, ops, label) {
        return enqueue(() => runOps(id, ops, label), false);
      },
      applyFix(id, ops, what) {
        return enqueue(() => runOps(id, ops, what, what), false);
      },
      async previewEditOps(id, ops) {
        const h = host();
        const t = tab(id);
        if (!h || !t?.layout || ops.length === 0) return null;
        const out = await engine.draft(t.xml, ops, h, occupancyExcept(get().guests, id, h), domainName(get().guests, id));
        if (out === null) return null;
        if (!out.ok) return { ok: false, refusal: out.error, explanation: [], warnings: [] };
        const v = out.value;
        if (v.outcome === 'no-layout') return { ok: false, refusal: `${t.name} has no layout to change`, explanation: [], warnings: [] };
        if (v.outcome === 'refused') return { ok: false, refusal: v.reason, explanation: v.explanation, warnings: [] };
        const warnings = v.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message);
        return { ok: true, explanation: v.explanation, warnings, score: v.score };
      },
      setXmlFromEditor(id, text) {
        const t = tab(id);
        if (!t || t.xml === text) return;
        const before = snapshot();
        const { pendingEdits: _pending, ...rest } = t;
        patchTab(id, () => ({ ...rest, xml: text, version: t.version + 1 }));
        remember(`Edit ${t.name}'s XML`, before, `xml:${id}`);
        scheduleRead(id, READ_PAUSE_MS);
      },
      undo() {
        const { entries, index } = get().history;
        if (index === 0) return;
        restore(entries[index - 1].before);
        set((s) => ({ history: { ...s.history, index: index - 1 } }));
      },
      redo() {
        const { entries, index } = get().history;
        if (index >= entries.length) return;
        restore(entries[index].after);
        set((s) => ({ history: { ...s.history, index: index + 1 } }));
      },
      goToHistory(target) {
        const { entries, index } = get().history;
        const to = Math.max(0, Math.min(entries.length, target));
        if (to === index) return;
        restore(to === 0 ? entries[0].before : entries[to - 1].after);
        set((s) => ({ history: { ...s.history, index: to } }));
      },
      newWorkspace() {
        loadFile([], [], undefined, 'New workspace');
      },
      clearPastes() {
        if (useApp.getState().pastes.length === 0) return;
        const before = snapshot(true);
        useApp.getState().replacePastes([]);
        remember('Clear all pastes', before, undefined, true);
      },
      exportWorkspace() {
        const s = get();
        const active = s.guests.findIndex((g) => g.id === s.activeGuestId);
        return serializeWorkspace({
          pastes: useApp.getState().pastes.map(({ name, text }) => ({ name, text })),
          guests: s.guests.map((g) => ({ name: g.name, request: g.request, xml: g.xml, ...(g.found ? { found: g.found } : {}) })),
          ...(active >= 0 ? { active } : {}),
        });
      },
      importWorkspace(text, source = 'workspace') {
        const parsed = parseWorkspace(text, source);
        if (!parsed.ok) {
          const first = parsed.diagnostics[0];
          fail(null, `${source} was not imported (nothing changed): ${first.path && first.path !== '/' ? `${first.path}: ` : ''}${first.message}${parsed.diagnostics.length > 1 ? ` (and ${parsed.diagnostics.length - 1} more)` : ''}`);
          return { ok: false, diagnostics: parsed.diagnostics };
        }
        get().loadWorkspace(parsed.file, source);
        return { ok: true, diagnostics: parsed.diagnostics };
      },
      loadWorkspace(file, source) {
        loadFile(file.pastes, file.guests, file.active, `Import ${source}`);
      },
      setMessage(message) {
        set({ message });
      },
      revalidate() {
        set((s) => ({ guests: s.guests.map((g) => (g.xml.trim() === '' ? g : { ...g, derivedVersion: -1 })) }));
        for (const g of get().guests) if (g.derivedVersion !== g.version) scheduleRead(g.id, 0);
      },
      hydrate(saved, activeGuestId) {
        const guests = saved.map((g) => withFound(emptyTab(g.id ?? newGuestId(), g.name, g.request, g.xml), g.found));
        const active = guests.some((g) => g.id === activeGuestId) ? activeGuestId : (guests[0]?.id ?? null);
        set({ guests, activeGuestId: active });
        for (const g of guests) if (g.derivedVersion !== g.version) scheduleRead(g.id, 0);
      },
      hydrateHistory(history) {
        set({ history });
      },
      async settled() {
        // a job may queue another (a read after a restore): wait until nothing is due
        while (readTimers.size > 0 || pending > 0) {
          await chain;
          await new Promise((r) => setTimeout(r, 20));
        }
      },
    };
  });
}

export type WorkspaceStore = ReturnType<typeof createWorkspace>;

/** A short label for the history list. */
export function describeOp(op: EditOp): string {
  switch (op.kind) {
    case 'pin-vcpu': {
      const where = 'thread' in op.target ? `CPU ${op.target.thread}` : 'core' in op.target ? `core ${op.target.core}` : `node ${op.target.node}`;
      return `Move vCPU ${op.vcpu}${op.pair ? ' and its sibling' : ''} to ${where}`;
    }
    case 'move-cell':
      return `Move cell ${op.cell} to node ${op.node}`;
    case 'move-memory':
      return `Move ${op.kib === undefined ? '' : 'part of '}cell ${op.cell}'s memory to node ${op.node}`;
    case 'swap-vcpus':
      return `Swap vCPUs ${op.a} and ${op.b}`;
    case 'set-vcpus':
      return `Set ${op.vcpus} vCPUs`;
    case 'set-memory':
      return `Set memory to ${op.memoryKiB} KiB`;
    case 'set-cells':
      return `Set ${op.cells} cells`;
  }
}

export type { TextEdit };

/**
 * Calls `apply` with a guest's text (and the edits that made it, when it came from outside the
 * editor) as soon as the store changes it — before any component renders — so an editor can
 * show a drop in the very next frame. Returns the unsubscribe.
 */
export function followGuestText(id: string, apply: (xml: string, pendingEdits: GuestTab['pendingEdits']) => void, store: WorkspaceStore = useWorkspace): () => void {
  return store.subscribe((s, prev) => {
    if (s.guests === prev.guests) return;
    const now = s.guests.find((g) => g.id === id);
    const before = prev.guests.find((g) => g.id === id);
    if (now && (now.xml !== before?.xml || now.pendingEdits !== before?.pendingEdits)) apply(now.xml, now.pendingEdits);
  });
}

/** The page's workspace; its workers start on the first job, so importing this costs nothing. */
export const useWorkspace = createWorkspace(workerEngine());
