/**
 * A whole host handed over at once — a sosreport or sysfs tarball dropped or opened, the
 * collector's output opened or pasted — becomes the page's state in one undoable step: the
 * host's tool outputs replace the pastes (a text file's are added beside them), and every guest
 * defined there opens as a tab marked found on the host, its XML verbatim. What cannot be read
 * changes nothing and says why. The archive itself is read in the bundle worker; its sysfs
 * files come to the page as one paste listing them (worker/bundle-read.ts).
 */
import { create } from 'zustand';
import { readPaste } from '../core/ingest/bundle.ts';
import type { BundleOutcome } from '../worker/bundle-client.ts';
import type { BundleReading } from '../worker/bundle-protocol.ts';
import { useApp } from './store.ts';
import { useWorkspace, type WorkspaceStore } from './workspace.ts';

/** What the last bundle opened brought, for the line under the paste box. */
export interface OpenedBundle {
  name: string;
  /** 'sosreport', 'sysfs', 'paste'. */
  format: string;
  outputs: number;
  guests: number;
  /** The bundle's warnings (files skipped, outputs a tool failed to print), for the person to see. */
  warnings: string[];
}

export interface BundleState {
  /** Files being read in the worker, by name. */
  reading: string[];
  opened: OpenedBundle | null;
}

export const useBundle = create<BundleState>()(() => ({ reading: [], opened: null }));

/** The undo history's label for a bundle opened. */
function labelOf(reading: Pick<BundleReading, 'name' | 'format'>): string {
  return reading.format === 'paste' ? `Open ${reading.name}` : `Open ${reading.format} ${reading.name}`;
}

/**
 * Why a bundle is not opened, or undefined when it is: an archive that could not be read to its
 * end (damaged, cut short, past the size cap) would give half a host, so it gives none; nor does
 * one with no host output and no guest.
 */
function refusal(reading: BundleReading): string | undefined {
  const whole = reading.diagnostics.find((d) => d.severity === 'error' && d.source === reading.name);
  if (whole) return whole.message;
  if (reading.pastes.length > 0 || reading.guests.length > 0) return undefined;
  const error = reading.diagnostics.find((d) => d.severity === 'error');
  if (error) return error.message;
  return 'nothing in it describes a host or a guest';
}

/**
 * Applies one bundle read, as one undo step: an archive is a whole host, so its outputs replace
 * the pastes; a text file (the collector's output) adds its host part as a paste. Answers false,
 * with a notice, when there was nothing to open (the state is left as it was).
 */
export function applyBundle(reading: BundleReading, workspace: WorkspaceStore = useWorkspace): boolean {
  const { setNotice } = useApp.getState();
  const reason = refusal(reading);
  if (reason !== undefined) {
    setNotice(`${reading.name} was not opened: ${reason}`);
    return false;
  }
  const archive = reading.format !== 'paste';
  const outputs = archive ? withinArchive(reading.pastes) : reading.pastes.map(({ name, text }) => ({ name, text }));
  const current = useApp.getState().pastes.map(({ name, text }) => ({ name, text }));
  // a bundle with no tool outputs (guests only) leaves the host as it is
  const pastes = outputs.length === 0 ? null : archive ? outputs : [...current, ...outputs];
  workspace.getState().openFoundGuests(reading.guests, pastes, labelOf(reading));
  const warnings = reading.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message);
  useBundle.setState({ opened: { name: reading.name, format: reading.format, outputs: outputs.length, guests: reading.guests.length, warnings } });
  return true;
}

/**
 * The outputs named by their path inside the archive's own folder ("sos_commands/numa/numactl_--hardware"
 * rather than "sosreport-kvm01-2026-…/sos_commands/…"): the part that tells them apart fits the paste's name box.
 */
function withinArchive(pastes: readonly { name: string; text: string }[]): { name: string; text: string }[] {
  const folder = /^[^/]+\//.exec(pastes[0]?.name ?? '')?.[0];
  const shared = folder !== undefined && pastes.every((p) => p.name.startsWith(folder));
  return pastes.map(({ name, text }) => ({ name: shared ? name.slice(folder.length) : name, text }));
}

/** A worker's answer about a file, applied; a failure becomes a notice and changes nothing. */
export function applyOutcome(name: string, outcome: BundleOutcome): boolean {
  if (outcome.kind === 'done') {
    const { kind: _done, ...reading } = outcome;
    return applyBundle(reading);
  }
  if (outcome.kind !== 'superseded') useApp.getState().setNotice(`${name} was not opened: ${outcome.error}`);
  return false;
}

/**
 * A paste box's text, as it would be after a paste, that holds guests' domain XML (the
 * collector's output): the box keeps the host's part, the guests open as found tabs, all one
 * step. False when the text has no guest (the paste goes in as typed).
 */
export function pasteWithGuests(pasteId: string, text: string, workspace: WorkspaceStore = useWorkspace): boolean {
  const paste = useApp.getState().pastes.find((p) => p.id === pasteId);
  if (!paste || !/^<domain[\s>]/m.test(text)) return false;
  const bundle = readPaste(text, paste.name);
  if (bundle.guests.length === 0) return false;
  const host = bundle.pastes[0]?.text ?? '';
  const pastes = useApp.getState().pastes.map((p) => ({ name: p.name, text: p.id === pasteId ? host : p.text }));
  workspace.getState().openFoundGuests(bundle.guests, pastes, `Paste ${paste.name}`);
  const warnings = bundle.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message);
  useBundle.setState({ opened: { name: paste.name, format: 'paste', outputs: bundle.pastes.length, guests: bundle.guests.length, warnings } });
  return true;
}
