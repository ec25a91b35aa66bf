/**
 * What a person asks of the partitioning core (DESIGN.md §3), and what other guests already
 * hold on the host. Plain data: it crosses the Web Worker boundary and comes from the CLI.
 */
import { DEVICE_POLICIES, type DevicePolicy } from '../guest/model.ts';

// Each value list once, for the types and for everything that reads a request from text (CLI, workspace file).
export const PARTITION_MODES = ['host', 'node'] as const;
export type PartitionMode = (typeof PARTITION_MODES)[number];
export const DISTRIBUTIONS = ['contiguous', 'siblings', 'round-robin', 'interleave'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];
export const PINNINGS = ['1:1', 'node-float'] as const;
export type Pinning = (typeof PINNINGS)[number];
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
  /** Guest cells; absent = |chosen nodes| in mode host, 1 in mode node. */
  cells?: number;
  /** Absent = the mode's own (pinningOf): host → '1:1', node → 'node-float'. */
  pinning?: Pinning;
  /**
   * Host CPUs kept for the host: 'first-core' (the talk's default: the first core of every
   * node the guest uses), 'none', or an explicit CPU list.
   */
  reserve: ReserveKeyword | number[];
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
  return request.pinning ?? (request.mode === 'host' ? '1:1' : 'node-float');
}

/** Defaults the UI and CLI start from: the talk's first example. */
export const DEFAULT_REQUEST: PartitionRequest = {
  vcpus: 16,
  memoryKiB: 32 * 1024 * 1024,
  mode: 'host',
  distribution: 'contiguous',
  reserve: 'first-core',
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
