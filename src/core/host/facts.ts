/**
 * What one paste says about a host. Every ingest format produces HostFacts; merge() turns the
 * facts of all pastes into one Host. Facts only hold what the source actually printed:
 * anything absent is undefined, never guessed (merge does the inferring, and says so).
 */
import type { Diagnostic } from '../diagnostics.ts';

export type FormatId =
  | 'lscpu'
  | 'lscpu-e'
  | 'lscpu-p'
  | 'lscpu-json'
  | 'numactl'
  | 'lspci-tree'
  | 'lspci-verbose'
  | 'lstopo'
  | 'hwloc-xml'
  | 'hwloc-synthetic'
  | 'virsh-caps'
  | 'nodedev'
  | 'xl-info'
  /** The kernel's files under /sys/devices/system, from a tarball or sosreport (ingest/sysfs.ts). */
  | 'sysfs';

export type CacheType = 'unified' | 'data' | 'instruction';

export interface CacheRef {
  level: number;
  type: CacheType;
  /** The source's own id for this cache instance (lscpu -e's L2 column, sysfs cache id …). */
  id: number;
}

export interface CpuFact {
  /** OS index (P#, the kernel's CPU number). */
  id: number;
  online?: boolean;
  /** Physical package (socket) id as the OS numbers it. */
  package?: number;
  die?: number;
  cluster?: number;
  /** Core id as the source prints it; unique together with package (sysfs) or machine-wide (lscpu -e). */
  core?: number;
  node?: number;
  /** SMT siblings including the CPU itself. */
  siblings?: number[];
  caches?: CacheRef[];
  /** Core kind on hybrid CPUs (hwloc cpukind, e.g. "IntelCore" / "IntelAtom"). */
  kind?: string;
  /**
   * The ids of the hwloc Groups holding the CPU (s390 drawers and books, POWER7's, Cluster-on-Die
   * halves of a package …), outermost first, wherever they sit: above packages or inside them.
   * A group is its whole path here, so ids need only be unique among one group's siblings.
   */
  groups?: number[];
  maxMHz?: number;
}

/** What a source says about one group besides its CPUs. */
export interface GroupFact {
  /** The group's path: a prefix of its CPUs' CpuFact.groups, ending with its own id. */
  path: number[];
  /** What hwloc calls it: "Book", "Drawer" (s390), absent when the source does not say. */
  subtype?: string;
}

export interface HugepageFact {
  sizeKiB: number;
  total: number;
  free?: number;
}

export interface NodeFact {
  /** OS node id (may have holes: 0,1,4,5 …). */
  id: number;
  cpus?: number[];
  memoryKiB?: number;
  freeKiB?: number;
  hugepages?: HugepageFact[];
  /** What the source calls this kind of memory: "DRAM", "HBM", "NVM", "CXL-DRAM", "GPUMemory" … */
  subtype?: string;
  online?: boolean;
  /**
   * A CPU-less node's locality: the CPUs of the object hwloc attached it to (the cpuset hwloc
   * gives a memory-only NUMANode). Sources that only list a node's own CPUs leave it out.
   */
  localCpus?: number[];
}

export interface DistanceFact {
  /** Node ids labelling rows and columns, in the source's order. */
  nodes: number[];
  /** values[i][j] = distance from nodes[i] to nodes[j]; may be asymmetric. */
  values: number[][];
  line?: number;
}

export interface CacheFact {
  level: number;
  type: CacheType;
  sizeKiB?: number;
  /** CPUs sharing this cache instance. */
  cpus: number[];
  lineSize?: number;
  ways?: number;
  id?: number;
}

/** lscpu's summary lines: sizes without CPU sets. */
export interface CacheSummaryFact {
  level: number;
  type: CacheType;
  /** Size of one instance. */
  sizeKiB?: number;
  instances?: number;
  /**
   * Size summed over all instances, as lscpu >= 2.34 prints it (`1.5 MiB (48 instances)`, or
   * `60 MiB` alone in 2.34-2.36, where the instance count and so sizeKiB stay unknown).
   */
  totalKiB?: number;
}

export interface OsDeviceFact {
  name: string;
  /** hwloc osdev type or a plain word: "Network", "Block", "GPU", "OpenFabrics", "DMA", "CoProc". */
  kind?: string;
}

export interface PciFact {
  /** Canonical "dddd:bb:ss.f", lower case. */
  bdf: string;
  /** Host NUMA node; null = the kernel says no affinity (-1); undefined = this source does not say. */
  node?: number | null;
  /** BDF of the upstream bridge; null = on a root bus; undefined = unknown. */
  parent?: string | null;
  /** Root complex / host bridge the device hangs from, e.g. "0000:00" (domain:bus). */
  root?: string;
  classCode?: string;
  className?: string;
  vendorId?: string;
  vendor?: string;
  deviceId?: string;
  device?: string;
  isBridge?: boolean;
  /** Bus range behind a bridge, e.g. [1, 1]. */
  secondaryBus?: number;
  /** Negotiated link, e.g. "8GT/s x16" or hwloc's "7.88 GB/s". */
  link?: string;
  iommuGroup?: number;
  /** SR-IOV: parent PF of a VF, and the VFs of a PF. */
  physfn?: string;
  virtfns?: string[];
  driver?: string;
  osDevices?: OsDeviceFact[];
  line?: number;
}

export interface CountFacts {
  cpus?: number;
  online?: number[];
  offline?: number[];
  sockets?: number;
  diesPerSocket?: number;
  clustersPerSocket?: number;
  /** Machine-wide clusters, as lscpu prints `Cluster(s):` on ARM hosts that report no sockets. */
  clusters?: number;
  coresPerSocket?: number;
  coresPerCluster?: number;
  threadsPerCore?: number;
  nodes?: number;
  /** Machine-wide: books, drawers on s390. */
  books?: number;
  drawers?: number;
}

export interface MachineFact {
  arch?: string;
  vendor?: string;
  model?: string;
  hostname?: string;
}

export interface HostFacts {
  format: FormatId;
  source: string;
  machine: MachineFact;
  cpus: CpuFact[];
  nodes: NodeFact[];
  distances?: DistanceFact;
  caches: CacheFact[];
  cacheSummary: CacheSummaryFact[];
  pci: PciFact[];
  /** Groups the source names (a subtype); absent when it names none. */
  groups?: GroupFact[];
  counts: CountFacts;
  diagnostics: Diagnostic[];
  /** Lines in the paste, and how many of them the parser did not understand. */
  lines: number;
  unknownLines: number;
}

export function emptyFacts(format: FormatId, source: string): HostFacts {
  return {
    format,
    source,
    machine: {},
    cpus: [],
    nodes: [],
    caches: [],
    cacheSummary: [],
    pci: [],
    counts: {},
    diagnostics: [],
    lines: 0,
    unknownLines: 0,
  };
}
