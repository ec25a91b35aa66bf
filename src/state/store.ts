/**
 * The app's state: the pastes the user is working on and what ingest made of them. The Host
 * shown is always the last one a parse produced; a failed or crashed parse keeps it and says why.
 */
import { create } from 'zustand';
import type { Host } from '../core/host/model.ts';
import type { HostFacts } from '../core/host/facts.ts';

export interface PasteEntry {
  id: string;
  name: string;
  text: string;
}

export type ParseStatus = 'empty' | 'parsing' | 'ready' | 'failed';

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

  addPaste(name?: string, text?: string): string;
  updatePaste(id: string, patch: Partial<Omit<PasteEntry, 'id'>>): void;
  removePaste(id: string): void;
  replacePastes(pastes: { name: string; text: string }[]): void;
  setNotice(notice: string | null): void;
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
}));
