/**
 * The work the workspace hands to Web Workers, behind one interface so the store's logic can be
 * tested in Node with the same core run in-process. The worker-backed engine retries a job once
 * when its worker crashed (the channel has started a fresh one by then): a crash must not drop
 * the user's edit, and the store keeps its last good state if the retry fails too.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { TextEdit } from '../core/domain-xml/index.ts';
import type { GuestLayout, LayoutResult } from '../core/guest/model.ts';
import type { Host } from '../core/host/model.ts';
import type { EditOp } from '../core/partition/index.ts';
import type { Occupancy, PartitionRequest } from '../core/partition/request.ts';
import { PartitionClient, type LayoutOutcome } from '../worker/partition-client.ts';
import type { WorkerFactory } from '../worker/latest-wins.ts';
import { XmlClient } from '../worker/xml-client.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ReadValue {
  layout: GuestLayout | null;
  diagnostics: Diagnostic[];
}

export interface WriteValue extends ReadValue {
  text: string;
  edits: TextEdit[];
}

export interface WorkspaceEngine {
  solve(host: Host, request: PartitionRequest, occupancy: Occupancy): Promise<Outcome<LayoutResult>>;
  edit(host: Host, layout: GuestLayout, op: EditOp, occupancy: Occupancy): Promise<Outcome<LayoutResult>>;
  /** Like edit, for what a drop would do; a newer preview supersedes an older one (null). */
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
    async edit(host, layout, op, occupancy) {
      return (await twice(async () => layoutValue(await partition.edit(host, layout, op, occupancy)))) ?? superseded();
    },
    async preview(host, layout, op, occupancy) {
      return layoutValue(await previews.edit(host, layout, op, occupancy));
    },
    async read(text, host) {
      const out = await twice(async () => {
        const o = await xml.read(text, host);
        if (o.kind === 'superseded') return null;
        return o.kind === 'failed' ? { ok: false as const, error: o.error } : { ok: true as const, value: { layout: o.layout, diagnostics: o.diagnostics } };
      });
      return out ?? superseded();
    },
    async write(text, layout, host, name) {
      const out = await twice(async () => {
        const o = await xml.write(text, layout, host, name);
        if (o.kind === 'superseded') return null;
        return o.kind === 'failed'
          ? { ok: false as const, error: o.error }
          : { ok: true as const, value: { text: o.text, edits: o.edits, layout: o.layout, diagnostics: o.diagnostics } };
      });
      return out ?? superseded();
    },
  };
}
