/**
 * What a person asks of the partitioning core (DESIGN.md §3), and what other guests already
 * hold on the host. Plain data: it crosses the Web Worker boundary and comes from the CLI.
 */
import { DEVICE_POLICIES, type DevicePolicy, type LayoutResult } from '../guest/model.ts';
import { MODE_RULES, PARTITION_MODES, PINNINGS, type PartitionMode, type Pinning } from './modes.ts';

// Each value list once, for the types and for everything that reads a request from text (CLI, workspace file).
export { PARTITION_MODES, PINNINGS, type PartitionMode, type Pinning };
export const DISTRIBUTIONS = ['contiguous', 'siblings', 'round-robin', 'interleave'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];
/** Nova's hw:cpu_thread_policy meanings. */
export const THREAD_POLICIES = ['prefer', 'isolate', 'require'] as const;
export type ThreadPolicy = (typeof THREAD_POLICIES)[number];
// A device's policy belongs to the guest's model; listed here with the request's other values.
export { DEVICE_POLICIES, type DevicePolicy };
/** The named reserves; a reserve may also be an explicit CPU list. */
export const RESERVE_KEYWORDS = ['first-core', 'none'] as const;
export type ReserveKeyword = (typeof RESERVE_KEYWORDS)[number];

export interface DeviceRequest {
  /** Canonical "dddd:bb:ss.f". */
  bdf: string;
  policy: DevicePolicy;
}

export interface PartitionRequest {
  vcpus: number;
  memoryKiB: number;
  mode: PartitionMode;
  distribution: Distribution;
  /** Host nodes allowed, in libvirt list syntax ("0-3,^2"); absent = let the core choose. */
  nodeset?: string;
  /** Guest cells; absent = one per chosen node in modes auto and host, 1 in mode node. */
  cells?: number;
  /**
   * vCPUs of each guest cell, as Nova's hw:numa_cpus.N give them (sizes, in cell order); absent =
   * the mode's own split. Its length is the cell count.
   */
  cellVcpus?: number[];
  /** KiB of each guest cell (Nova's hw:numa_mem.N); needs cellVcpus, sums to memoryKiB. */
  cellMemoryKiB?: number[];
  /** Absent = the mode's own (pinningOf): auto and host → '1:1', node → 'node-float'. */
  pinning?: Pinning;
  /**
   * Host CPUs kept for the host: 'first-core' (the talk's: the first core of every node the
   * guest uses), 'none', or an explicit CPU list. Absent = reserveOf(): first-core for 1:1
   * pinning, none for vCPUs floating over a whole node (the talk's mode node example).
   */
  reserve?: ReserveKeyword | number[];
  threadPolicy: ThreadPolicy;
  /** Back memory with hugepages of this size (per-node free pages are checked). */
  hugepageSizeKiB?: number;
  devices: DeviceRequest[];
  /** Number of iothreads to pin (with the emulator, on the reserved CPUs). */
  iothreads?: number;
  /**
   * Part of memoryKiB to place on memory-only host nodes (CXL, HBM) as CPU-less guest cells
   * (tiers.ts); absent = 0, though memory the CPU nodes cannot hold still overflows there.
   */
  tierMemoryKiB?: number;
}

/**
 * The pinning a request gets: its own, or the talk's two examples — a guest mirroring the host
 * (mode host) is pinned one-to-one, a guest given whole nodes (mode node) floats over them.
 */
export function pinningOf(request: Pick<PartitionRequest, 'mode' | 'pinning'>): Pinning {
  return request.pinning ?? MODE_RULES[request.mode].pinning;
}

/** The reserve a request gets: its own, or first-core under 1:1 pinning and none when vCPUs float. */
export function reserveOf(request: Pick<PartitionRequest, 'mode' | 'pinning' | 'reserve'>): ReserveKeyword | number[] {
  return request.reserve ?? (pinningOf(request) === '1:1' ? 'first-core' : 'none');
}

/** Defaults the UI, the CLI and workspace files start from: the talk's guest, in mode auto. */
export const DEFAULT_REQUEST: PartitionRequest = {
  vcpus: 16,
  memoryKiB: 32 * 1024 * 1024,
  mode: 'auto',
  distribution: 'contiguous',
  threadPolicy: 'prefer',
  devices: [],
};

/** What other guests already hold on the host (read from their layouts or domain XML). */
export interface Occupancy {
  guests: OccupyingGuest[];
}

export interface OccupyingGuest {
  name: string;
  /** Host CPUs this guest's vCPUs are pinned to one-to-one. */
  pinnedCpus: number[];
  /** Host CPUs its floating vCPUs may run on (shared, counted for overcommit). */
  floatingCpus: number[];
  /** Floating vCPU count, for overcommit accounting. */
  floatingVcpus: number;
  /**
   * Host CPUs its emulator and iothreads are pinned to: shared host work, so no other guest
   * pins a vCPU one-to-one there.
   */
  emulatorCpus?: number[];
  /**
   * Idle siblings of the cores it took under thread policy isolate: no vCPU of its own runs
   * there, and no other guest may (Nova's isolate).
   */
  isolatedCpus?: number[];
  /** Memory it binds per host node. */
  memory: { node: number; kib: number }[];
  /** Hugepages it holds per host node and size. */
  hugepages: { node: number; sizeKiB: number; pages: number }[];
}

export const NO_OCCUPANCY: Occupancy = { guests: [] };

/**
 * Another request that would lay the guest out when one was refused: a sentence, and the fields
 * of the refused request to change (the app offers it as one click, the CLI as flags). A field
 * present with the value undefined is to be removed from the request.
 */
export interface Suggestion {
  text: string;
  change: Partial<PartitionRequest>;
}

/** What solve() answers: the layout, and when it refused, requests that would work, best first. */
export interface SolveResult extends LayoutResult {
  suggestions?: Suggestion[];
}
