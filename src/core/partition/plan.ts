/**
 * The partition core's working values between choosing nodes and writing the layout: the shape
 * of the guest's CPU cells, a plan of host CPU groups per cell, and the search's answer — shared
 * by solve() and the node searches of every mode.
 */
import type { DevicePolicy } from '../guest/model.ts';
import type { CoreUse, NodeCapacity } from './capacity.ts';
import type { CellBacking } from './cells.ts';

/** Up to this many eligible nodes the node search runs to the end and is exact. */
export const EXACT_NODE_LIMIT = 16;
/** Search steps allowed above EXACT_NODE_LIMIT: a box counted in steps so results repeat. */
export const ANYTIME_STEP_BUDGET = 4000;

/** The step budget of a search over this many eligible nodes: none (exact) up to EXACT_NODE_LIMIT. */
export function stepBudget(eligible: number): number | undefined {
  return eligible <= EXACT_NODE_LIMIT ? undefined : ANYTIME_STEP_BUDGET;
}

/** The guest's CPU cells: how many vCPUs and how much memory each holds, and how they pack. */
export interface Shape {
  cells: number;
  /** vCPUs of each CPU cell. */
  sizes: number[];
  /** Guest vCPUs packed onto one host core (the last core of a cell may hold fewer). */
  threads: number;
  memories: number[];
  granule: number;
  hugepageSizeKiB?: number;
}

export interface Chosen {
  nodes: number[];
  plan: Plan;
  shape: Shape;
  use: CoreUse;
  optimal: boolean;
  gap: number;
  how: string;
}

export interface Plan {
  backing: CellBacking[];
  /** Host CPU groups per cell (one per guest core, or per vCPU for loose threads). */
  groups: number[][][];
  /** Host nodes each cell's memory is bound to: its backing nodes, a memoryless one's home instead. */
  memoryNodes: number[][];
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; reason: string };

export interface DeviceNodes {
  found: { bdf: string; node: number | null; policy: DevicePolicy }[];
  required: number[];
  preferred: number[];
}

/** Host groups cell `cell` takes: one per vCPU for loose threads, else one per (possibly partial) host core. */
export function unitsOf(shape: Shape, cell: number, use: CoreUse): number {
  return use.kind === 'threads' ? shape.sizes[cell] : Math.ceil(shape.sizes[cell] / shape.threads);
}

/** The sum of the k largest values. */
export function roomiest(values: number[], k: number): number {
  return values.sort((a, b) => b - a).slice(0, k).reduce((sum, v) => sum + v, 0);
}

/** Room null is unknown: no paste gave the node's memory, so nothing is refused for it. */
export function fitsRoom(room: number | null, kib: number): boolean {
  return room === null || kib <= room;
}

export function plural(word: string, count: number, many = `${word}s`): string {
  return count === 1 ? word : many;
}

/** Free memory as the tie-break sees it: the dump's snapshot where it gave one, else the room. */
export function rankingFree(cap: NodeCapacity): number {
  return cap.snapshotKiB ?? cap.freeKiB ?? 0;
}
