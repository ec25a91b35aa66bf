/**
 * The Host: one faithful picture of a machine, merged from any mix of pastes (DESIGN.md §2).
 * Ids are the OS's own numbers (CPU = P#, node = kernel node id, package = physical id);
 * only cores get a machine-wide logical index, like `lscpu -e` prints, because core ids
 * from sysfs repeat in every package.
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { CacheType, FormatId, HugepageFact, OsDeviceFact } from './facts.ts';

export type NodeKind = 'cpu+memory' | 'memory-only' | 'cpu-only' | 'empty';

export interface NumaNode {
  id: number;
  cpus: number[];
  /** null when no paste said how much memory the node has. */
  memoryKiB: number | null;
  freeKiB: number | null;
  hugepages: HugepageFact[];
  kind: NodeKind;
  /** Memory technology where a source names it: "HBM", "CXL-DRAM", "NVM", "GPUMemory" … */
  subtype?: string;
  /**
   * CPUs a CPU-less node sits next to, where a source says (hwloc attaches MCDRAM or a CXL
   * expander to the package or cluster it hangs off); without distances this is the only sign
   * of which CPUs it is near.
   */
  localCpus?: number[];
  /**
   * Set when no paste stated localCpus and merge placed the node beside the nodes nearest to it
   * in the distance matrix, as hwloc's Linux backend does; absent when a source stated it.
   */
  localCpusFrom?: 'distances';
}

export interface Package {
  id: number;
  cpus: number[];
}

export interface Die {
  package: number;
  id: number;
  cpus: number[];
}

export interface Cluster {
  package: number;
  die?: number;
  id: number;
  cpus: number[];
}

/**
 * An hwloc Group: POWER7's Group0/Group1, an s390 drawer or book above packages, a
 * Cluster-on-Die or SNC half of a package inside one. Depth 0 is the outermost, as hwloc's
 * Group0; `id` tells it from its siblings (lscpu's BOOK number; hwloc groups are numbered in
 * walk order). Nesting with packages, dies, caches and nodes is by CPU set (core/host/tree.ts).
 */
export interface Group {
  depth: number;
  id: number;
  /** What hwloc calls it ("Book", "Drawer"), printed as lstopo does: Group1(Book). */
  subtype?: string;
  cpus: number[];
}

export interface Core {
  /** Machine-wide logical index, 0..n-1 in order of each core's first CPU. */
  index: number;
  package?: number;
  die?: number;
  cluster?: number;
  /** Core id as the OS numbers it within its package, where a source gave one. */
  osId?: number;
  cpus: number[];
  kind?: string;
}

export interface Cpu {
  id: number;
  online: boolean;
  package?: number;
  die?: number;
  cluster?: number;
  /** hwloc Groups holding the CPU (s390 drawers and books, POWER7's, a package's halves), ids outermost first. */
  groups?: number[];
  /** Index into Host.cores. */
  core?: number;
  node?: number;
  /** SMT siblings including this CPU, ascending. */
  siblings: number[];
  /** Indexes into Host.caches, innermost first. */
  caches: number[];
  kind?: string;
}

export interface Cache {
  /** Index in Host.caches. */
  index: number;
  level: number;
  type: CacheType;
  sizeKiB?: number;
  cpus: number[];
}

export interface PciDevice {
  bdf: string;
  /** Host NUMA node, or null when the device has no known locality. */
  node: number | null;
  parent: string | null;
  root?: string;
  classCode?: string;
  className?: string;
  vendorId?: string;
  vendor?: string;
  deviceId?: string;
  device?: string;
  isBridge: boolean;
  link?: string;
  iommuGroup?: number;
  physfn?: string;
  virtfns: string[];
  driver?: string;
  osDevices: OsDeviceFact[];
}

export interface SourceSummary {
  name: string;
  format: FormatId;
  /** What a person calls the format: "lscpu", "numactl -H" … */
  label: string;
  lines: number;
  unknownLines: number;
  errors: number;
  warnings: number;
}

/** Two or more pastes that disagree about one thing. merge never silently picks a side. */
export interface Conflict {
  subject: string;
  claims: { source: string; value: string }[];
  /** What the merged model uses, and why. */
  resolution: string;
}

/**
 * The kernel's REMOTE_DISTANCE: what Linux assumes between two nodes when firmware gives no SLIT
 * entry, and what QEMU and libvirt assume between guest cells given none.
 */
export const DEFAULT_REMOTE_DISTANCE = 20;
/** ACPI SLIT's distance of a node to itself. */
export const LOCAL_DISTANCE = 10;

export interface Host {
  machine: { arch?: string; vendor?: string; model?: string; hostname?: string };
  packages: Package[];
  dies: Die[];
  clusters: Cluster[];
  /** Absent when no paste names groups. */
  groups?: Group[];
  cores: Core[];
  nodes: NumaNode[];
  cpus: Cpu[];
  caches: Cache[];
  /** distances[i][j] between nodes[i] and nodes[j]; empty when no paste gave distances. */
  distances: number[][];
  pci: PciDevice[];
  sources: SourceSummary[];
  conflicts: Conflict[];
  diagnostics: Diagnostic[];
}
