/**
 * The app's state: the pastes the user is working on and what ingest made of them. The Host
 * shown is always the last one a parse produced; a failed or crashed parse keeps it and says why.
 */
import { create } from 'zustand';
import type { Host } from '../core/host/model.ts';
import type { HostFacts } from '../core/host/facts.ts';
import type { GuestLayout } from '../core/guest/model.ts';

export interface PasteEntry {
  id: string;
  name: string;
  text: string;
}

export type ParseStatus = 'empty' | 'parsing' | 'ready' | 'failed';

/** Which index the diagrams print: lstopo's `i` cycles through these. */
export type IndexMode = 'both' | 'os' | 'logical';
export const INDEX_MODES: readonly IndexMode[] = ['both', 'os', 'logical'];

export type Theme = 'light' | 'dark';

/** What one view asks the others to light up (hover on a heatmap cell, a node, a vCPU …). */
export interface Highlight {
  nodes: number[];
  cpus: number[];
  /** Heatmap cell under the pointer, when the highlight comes from one. */
  cell?: { from: number; to: number };
}

export interface AppState {
  pastes: PasteEntry[];
  host: Host | null;
  facts: HostFacts[];
  /** Pastes in which no format was recognised, with ingest's explanation. */
  unrecognised: { name: string; message: string }[];
  status: ParseStatus;
  /** Why the last parse failed (the previous host stays shown). */
  error: string | null;
  /** A problem outside parsing the user should know about: a file that could not be read … */
  notice: string | null;
  parseMs: number | null;
  /** Guests drawn on the host, in order; where the layouts come from is not the views' business. */
  guests: GuestLayout[];
  indexMode: IndexMode;
  theme: Theme;
  highlight: Highlight | null;

  addPaste(name?: string, text?: string): string;
  updatePaste(id: string, patch: Partial<Omit<PasteEntry, 'id'>>): void;
  removePaste(id: string): void;
  replacePastes(pastes: { name: string; text: string }[]): void;
  setNotice(notice: string | null): void;
  setGuests(guests: GuestLayout[]): void;
  cycleIndexMode(): void;
  setTheme(theme: Theme): void;
  setHighlight(highlight: Highlight | null): void;
}

let counter = 0;
export function newPasteId(): string {
  counter += 1;
  return `p${Date.now().toString(36)}-${counter}`;
}

/** "paste 1", "paste 2" … the first number not taken yet. */
function freshName(pastes: PasteEntry[]): string {
  const taken = new Set(pastes.map((p) => p.name));
  for (let n = pastes.length + 1; ; n++) {
    if (!taken.has(`paste ${n}`)) return `paste ${n}`;
  }
}

export const useApp = create<AppState>()((set, get) => ({
  pastes: [],
  host: null,
  facts: [],
  unrecognised: [],
  status: 'empty',
  error: null,
  notice: null,
  parseMs: null,
  guests: [],
  indexMode: 'both',
  theme: 'light',
  highlight: null,

  addPaste(name, text = '') {
    const id = newPasteId();
    set((s) => ({ pastes: [...s.pastes, { id, name: name ?? freshName(s.pastes), text }] }));
    return id;
  },
  updatePaste(id, patch) {
    set((s) => ({ pastes: s.pastes.map((p) => (p.id === id ? { ...p, ...patch } : p)) }));
  },
  removePaste(id) {
    set((s) => ({ pastes: s.pastes.filter((p) => p.id !== id) }));
  },
  replacePastes(pastes) {
    set({ pastes: pastes.map((p) => ({ id: newPasteId(), name: p.name, text: p.text })) });
  },
  setNotice(notice) {
    if (get().notice !== notice) set({ notice });
  },
  setGuests(guests) {
    set({ guests });
  },
  cycleIndexMode() {
    const i = INDEX_MODES.indexOf(get().indexMode);
    set({ indexMode: INDEX_MODES[(i + 1) % INDEX_MODES.length] });
  },
  setTheme(theme) {
    set({ theme });
  },
  setHighlight(highlight) {
    set({ highlight });
  },
}));

// The page's own state, reachable from end-to-end tests and benchmarks (nothing secret lives here:
// everything in it came from this browser).
if (typeof window !== 'undefined') (window as unknown as { numascope?: unknown }).numascope = useApp;
