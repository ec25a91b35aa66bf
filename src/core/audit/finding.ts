/**
 * What the audit of a host and its guests says (issue 17): one Finding per problem, with a stable
 * `kind` scripts match on, the guests, host CPUs and nodes it concerns (what the app lights up),
 * one sentence saying what is wrong and one saying what to change — and, where edit() can make
 * that change, the ops that make it (one click in the app).
 */
import type { Severity } from '../diagnostics.ts';
import type { GuestLayout, MemoryMode } from '../guest/model.ts';
import type { Host } from '../host/model.ts';
import type { EditOp } from '../partition/edit.ts';

/** Every kind, in the order; the names are a contract (scripts depend on them). */
export const FINDING_KINDS = [
  'pin-overlap',
  'smt-shared',
  'emulator-on-vcpus',
  'remote-memory',
  'unbound-memory',
  'spans-without-vnuma',
  'node-memory-overcommit',
  'hugepages-short',
  'device-remote',
  'absent-cpu',
  'offline-cpu',
  'memory-misplaced',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Ops for edit()/editAll() on one guest's layout, with the occupancy of the other guests. */
export interface FindingEdit {
  guest: string;
  ops: EditOp[];
}

export interface Finding {
  severity: Severity;
  kind: FindingKind;
  /** Guest names, in the order the guests were given. */
  guests: string[];
  /** Host CPU ids (OS numbers), sorted. */
  cpus: number[];
  /** Host node ids, sorted. */
  nodes: number[];
  /** One sentence: what is wrong. */
  message: string;
  /** One sentence: what to change. */
  fix: string;
  edit?: FindingEdit;
}

/** How much of a guest's memory the kernel has put on each host node, from numastat. */
export interface NodeKiB {
  node: number;
  kib: number;
}

/**
 * What a domain says about its placement outside the layout's elements: `<vcpu cpuset>` (where
 * vCPUs without a <vcpupin> run) and a `<numatune><memory>` of a guest without NUMA cells
 * (where all its memory goes), or automatic placement (numad chooses at start).
 */
export interface DomainPlacement {
  cpuset?: number[];
  memory?: { nodes: number[]; mode: MemoryMode };
  automatic?: boolean;
}

export interface AuditGuest {
  name: string;
  /** The file (or paste) the domain came from. */
  source: string;
  layout: GuestLayout;
  placement?: DomainPlacement;
  /** Where its memory is now, when runtime state (numastat -c qemu) was given. */
  resident?: NodeKiB[];
}

export type AuditRule = (host: Host, guests: readonly AuditGuest[]) => Finding[];
