/**
 * GuestLayout: how one guest sits on a host (DESIGN.md §2). The partitioning core produces it,
 * hand edits transform it, the domain XML engine reads it from and writes it to libvirt XML,
 * and the views (affinity map, QEMU argv, xl vnuma) are derived from it. Host CPU and node ids
 * are the OS's own numbers; guest vCPU and cell ids are the guest's (0..n-1).
 */
import type { Diagnostic } from '../diagnostics.ts';

/** libvirt's <numatune> modes. */
export type MemoryMode = 'strict' | 'preferred' | 'interleave' | 'restrictive';

/** <cpu><topology>: sockets × dies × clusters × cores × threads = vcpus, always. */
export interface GuestTopology {
  sockets: number;
  dies: number;
  clusters: number;
  cores: number;
  threads: number;
}

export interface GuestCell {
  /** Guest NUMA cell id, 0..cells-1. */
  id: number;
  /** Guest vCPU ids in this cell (sorted); empty for a memory-only cell. */
  vcpus: number[];
  memoryKiB: number;
  /** Host NUMA nodes backing this cell's memory (its <memnode> nodeset), sorted. */
  hostNodes: number[];
  memoryMode: MemoryMode;
  /** Distances from this cell to every cell, indexed by cell id; [i] === 10 on the diagonal. */
  distances: number[];
  /** Hugepage size backing this cell, when it is backed by hugepages. */
  hugepageSizeKiB?: number;
}

/** One <vcpupin>: a single host CPU for 1:1 pinning, a node's cpuset when floating. */
export interface VcpuPin {
  vcpu: number;
  cpus: number[];
}

export interface IothreadPin {
  iothread: number;
  cpus: number[];
}

/** required: the guest must sit on the device's node; preferred: should, if it can. */
export const DEVICE_POLICIES = ['required', 'preferred'] as const;
export type DevicePolicy = (typeof DEVICE_POLICIES)[number];

/** A host PCI device given to the guest, and the guest cell its expander bus sits on. */
export interface GuestDevice {
  bdf: string;
  /** Guest cell whose pxb-pcie the device hangs from; null when not NUMA-placed. */
  cell: number | null;
  policy: DevicePolicy;
}

export interface GuestLayout {
  /** Maximum vCPUs (<vcpu>). */
  vcpus: number;
  /** vCPUs online at boot (<vcpu current>), when fewer than vcpus. */
  currentVcpus?: number;
  topology: GuestTopology;
  cells: GuestCell[];
  /** vCPU pins, one per pinned vCPU, sorted by vcpu. */
  pins: VcpuPin[];
  /** Host CPUs for the emulator threads; empty = not pinned. */
  emulatorpin: number[];
  iothreadpins: IothreadPin[];
  /** Total guest memory (sum of the cells' memory when there are cells). */
  memoryKiB: number;
  devices: GuestDevice[];
}

/** How good a placement is; lower is better everywhere except `optimal`. */
export interface LayoutScore {
  /** Host NUMA nodes the guest spans. */
  nodes: number;
  /**
   * Σ over cell pairs i<j of (vcpus_i · vcpus_j / V) · (D[node_i][node_j] − 10): the
   * all-to-all traffic cost of the host distances between the cells (anchors-partitioning §6.2).
   */
  distanceCost: number;
  /** Guest cores whose host core also runs another guest's vCPU. */
  smtShared: number;
  /** vCPUs pinned (wholly or partly) to CPUs outside the host nodes their cell's memory is bound to. */
  remoteVcpus: number;
  /** The farthest such a vCPU runs from its memory (host distance); 10 when none runs remote. */
  remoteDistance: number;
  /** Host cores whose threads carry vCPUs of different guest cells. */
  splitCores: number;
  /** True when the search proved no better node choice exists. */
  optimal: boolean;
  /** Proven bound on how far from optimal the distance cost may be (0 when optimal). */
  gap: number;
}

export interface LayoutResult {
  layout: GuestLayout;
  score: LayoutScore;
  /** Sentences a person can read: why these nodes, what each choice cost. */
  explanation: string[];
  diagnostics: Diagnostic[];
}
