/**
 * The work the workspace hands to Web Workers, behind one interface so the store's logic can be
 * tested in Node with the same core run in-process. Everything about a guest's text (reading it,
 * writing a layout into it, the edits of a drop) runs in the document worker, in order; solve
 * runs in a partition worker, where a newer job may cancel an older.
 *
 * A drop's edit job also runs before the drop: while a drag hovers a target, the very job the
 * drop would send runs as a draft in a worker of its own (a newer target supersedes it), and its
 * answer is the cost hint. An edit() with the same inputs as the latest draft takes the draft's
 * answer instead of running again, so the drop shows in the next frame rather than after a round
 * trip to a worker (DESIGN.md §5: drag → XML within one frame).
 * The worker-backed engine retries a job once when its worker crashed (the channel has started a
 * fresh one by then): a crash must not drop the user's edit, and the store keeps its last good
 * state if the retry fails too. A job the core itself failed is not run again.
 */
import type { GuestLayout } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import type { EditOp } from '../core/partition/index.ts';
import type { Occupancy, PartitionRequest, SolveResult } from '../core/partition/request.ts';
import { PartitionClient } from '../worker/partition-client.ts';
import type { WorkerFactory, WorkerOutcome } from '../worker/latest-wins.ts';
import { XmlClient, type EditOutcome } from '../worker/xml-client.ts';
import type { Derived, EditAnswer, Written } from '../worker/xml-protocol.ts';

export type { Problem } from '../worker/problems.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** A text's layout, diagnostics and located problems. */
export type ReadValue = Derived;

/** A layout written into a text: the new text, the edits that made it, and what it reads as. */
export type WriteValue = Written;

/** A drop applied to a text: done (with the new text), refused by editAll(), or nothing to edit. */
export type EditValue = DistributiveOmit<EditAnswer, 'op'>;

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export interface WorkspaceEngine {
  /** The layout, or a refusal with the requests that would work instead (suggestions). */
  solve(host: Host, request: PartitionRequest, occupancy: Occupancy): Promise<Outcome<SolveResult>>;
  /** The hand edits of one drop applied to a guest's text, as one job: editAll(), written back, read again. */
  edit(text: string, ops: EditOp[], host: Host, occupancy: Occupancy, name?: string): Promise<Outcome<EditValue>>;
  /** The edit() a drop would run, run ahead as a draft while the drag hovers; a newer draft supersedes an older one (null). */
  draft(text: string, ops: EditOp[], host: Host, occupancy: Occupancy, name?: string): Promise<Outcome<EditValue> | null>;
  read(text: string, host: Host | null): Promise<Outcome<ReadValue>>;
  write(text: string, layout: GuestLayout, host: Host | null, name?: string): Promise<Outcome<WriteValue>>;
}

/**
 * Runs a job again once if its worker crashed under it (the channel has started a fresh one by
 * then); a job the worker answered as failed would fail the same way again, so it is not. A retry
 * that is superseded reports the crash.
 */
async function againIfCrashed<A>(job: () => Promise<WorkerOutcome<A>>): Promise<WorkerOutcome<A>> {
  const first = await job();
  if (first.kind !== 'crashed') return first;
  const second = await job();
  return second.kind === 'superseded' ? first : second;
}

/** What a worker's outcome means to the store: a value, an error, or null when a newer job superseded it. */
function outcomeOf<A, T>(outcome: WorkerOutcome<A>, value: (answer: { kind: 'done' } & A) => T): Outcome<T> | null {
  if (outcome.kind === 'superseded') return null;
  if (outcome.kind === 'done') return { ok: true, value: value(outcome) };
  return { ok: false, error: outcome.error };
}

/** A document worker's answer without what only the wire needs. */
function answerOf<A extends { op: string; ms: number }>({ kind: _kind, op: _op, ms: _ms, ...value }: { kind: 'done' } & A): DistributiveOmit<A, 'op' | 'ms'> {
  // TypeScript types the rest of a generic as one Omit; per member of A it is exactly this
  return value as unknown as DistributiveOmit<A, 'op' | 'ms'>;
}

const resultOf = <A extends { result: unknown }>(answer: A): A['result'] => answer.result;

function superseded(): Outcome<never> {
  return { ok: false, error: 'the job was cancelled' };
}

/** The inputs of one edit job: a draft serves a drop when they are the same. */
interface EditInputs {
  text: string;
  ops: EditOp[];
  host: Host;
  occupancy: Occupancy;
  name: string | undefined;
}

/** Ops and occupancy are built afresh for the drop, so they are compared by value; text and host are the very ones. */
function sameEdit(a: EditInputs, b: EditInputs): boolean {
  return a.text === b.text && a.host === b.host && a.name === b.name && JSON.stringify(a.ops) === JSON.stringify(b.ops) && JSON.stringify(a.occupancy) === JSON.stringify(b.occupancy);
}

/** Worker factories default to the real workers; tests pass stand-ins that crash on purpose. */
export function workerEngine(factories: { partition?: WorkerFactory; xml?: WorkerFactory } = {}): WorkspaceEngine {
  const partition = new PartitionClient(factories.partition);
  const xml = new XmlClient(factories.xml);
  // Drafts run beside the document worker: hovering a new target must never cancel a drop in flight.
  const drafts = new XmlClient(factories.xml, 'latest-wins');
  let latestDraft: { inputs: EditInputs; answer: Promise<EditOutcome> } | null = null;
  return {
    async solve(host, request, occupancy) {
      return outcomeOf(await againIfCrashed(() => partition.solve(host, request, occupancy)), resultOf) ?? superseded();
    },
    async edit(text, ops, host, occupancy, name) {
      const drafted = latestDraft && sameEdit(latestDraft.inputs, { text, ops, host, occupancy, name }) ? await latestDraft.answer : null;
      if (drafted?.kind === 'done') return { ok: true, value: answerOf(drafted) };
      return outcomeOf(await againIfCrashed(() => xml.edit(text, ops, host, occupancy, name)), answerOf) ?? superseded();
    },
    async draft(text, ops, host, occupancy, name) {
      const answer = drafts.edit(text, ops, host, occupancy, name);
      latestDraft = { inputs: { text, ops, host, occupancy, name }, answer };
      return outcomeOf(await answer, answerOf);
    },
    async read(text, host) {
      return outcomeOf(await againIfCrashed(() => xml.read(text, host)), answerOf) ?? superseded();
    },
    async write(text, layout, host, name) {
      return outcomeOf(await againIfCrashed(() => xml.write(text, layout, host, name)), answerOf) ?? superseded();
    },
  };
}
