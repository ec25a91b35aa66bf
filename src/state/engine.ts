/**
 * The work the workspace hands to Web Workers, behind one interface so the store's logic can be
 * tested in Node with the same core run in-process. Everything about a guest's text (reading it,
 * writing a layout into it, the edits of a drop) runs in the document worker, in order; solve
 * and the previews of a drag run in partition workers, where a newer job may cancel an older.
 * The worker-backed engine retries a job once when its worker crashed (the channel has started a
 * fresh one by then): a crash must not drop the user's edit, and the store keeps its last good
 * state if the retry fails too.
 */
import type { GuestLayout, LayoutResult } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import type { EditOp } from '../core/partition/index.ts';
import type { Occupancy, PartitionRequest } from '../core/partition/request.ts';
import { PartitionClient, type LayoutOutcome } from '../worker/partition-client.ts';
import type { WorkerFactory } from '../worker/latest-wins.ts';
import { XmlClient } from '../worker/xml-client.ts';
import type { Derived, EditAnswer, Written } from '../worker/xml-protocol.ts';

export type { Problem } from '../worker/problems.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** A text's layout, diagnostics and located problems. */
export type ReadValue = Derived;

/** A layout written into a text: the new text, the edits that made it, and what it reads as. */
export type WriteValue = Written;

/** A drop applied to a text: done (with the new text), refused by edit(), or nothing to edit. */
export type EditValue = DistributiveOmit<EditAnswer, 'op'>;

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export interface WorkspaceEngine {
  solve(host: Host, request: PartitionRequest, occupancy: Occupancy): Promise<Outcome<LayoutResult>>;
  /** The hand edits of one drop applied to a guest's text, as one job: edit() op by op, written back, read again. */
  edit(text: string, ops: EditOp[], host: Host, occupancy: Occupancy, name?: string): Promise<Outcome<EditValue>>;
  /** Like edit() on a layout, for what a drop would do; a newer preview supersedes an older one (null). */
  preview(host: Host, layout: GuestLayout, op: EditOp, occupancy: Occupancy): Promise<Outcome<LayoutResult> | null>;
  read(text: string, host: Host | null): Promise<Outcome<ReadValue>>;
  write(text: string, layout: GuestLayout, host: Host | null, name?: string): Promise<Outcome<WriteValue>>;
}

async function twice<T>(job: () => Promise<Outcome<T> | null>): Promise<Outcome<T> | null> {
  const first = await job();
  if (first === null || first.ok) return first;
  const second = await job();
  return second ?? first;
}

function layoutValue(outcome: LayoutOutcome): Outcome<LayoutResult> | null {
  if (outcome.kind === 'superseded') return null;
  if (outcome.kind === 'failed') return { ok: false, error: outcome.error };
  return { ok: true, value: outcome.result };
}

function superseded(): Outcome<never> {
  return { ok: false, error: 'the job was cancelled' };
}

/** Worker factories default to the real workers; tests pass stand-ins that crash on purpose. */
export function workerEngine(factories: { partition?: WorkerFactory; xml?: WorkerFactory } = {}): WorkspaceEngine {
  const partition = new PartitionClient(factories.partition);
  // Previews run beside commits: hovering a new target must never cancel a drop in flight.
  const previews = new PartitionClient(factories.partition);
  const xml = new XmlClient(factories.xml);
  return {
    async solve(host, request, occupancy) {
      return (await twice(async () => layoutValue(await partition.solve(host, request, occupancy)))) ?? superseded();
    },
    async edit(text, ops, host, occupancy, name) {
      const out = await twice(async () => {
        const o = await xml.edit(text, ops, host, occupancy, name);
        if (o.kind === 'superseded') return null;
        if (o.kind === 'failed') return { ok: false as const, error: o.error };
        const { kind: _kind, op: _op, ms: _ms, ...value } = o;
        return { ok: true as const, value };
      });
      return out ?? superseded();
    },
    async preview(host, layout, op, occupancy) {
      return layoutValue(await previews.edit(host, layout, op, occupancy));
    },
    async read(text, host) {
      const out = await twice(async () => {
        const o = await xml.read(text, host);
        if (o.kind === 'superseded') return null;
        return o.kind === 'failed' ? { ok: false as const, error: o.error } : { ok: true as const, value: { layout: o.layout, diagnostics: o.diagnostics, problems: o.problems, domainName: o.domainName } };
      });
      return out ?? superseded();
    },
    async write(text, layout, host, name) {
      const out = await twice(async () => {
        const o = await xml.write(text, layout, host, name);
        if (o.kind === 'superseded') return null;
        return o.kind === 'failed'
          ? { ok: false as const, error: o.error }
          : { ok: true as const, value: { text: o.text, edits: o.edits, layout: o.layout, diagnostics: o.diagnostics, problems: o.problems, domainName: o.domainName } };
      });
      return out ?? superseded();
    },
  };
}
