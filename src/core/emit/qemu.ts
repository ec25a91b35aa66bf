/**
 * The QEMU command line libvirt builds for a layout: the placement items of
 * `virsh domxml-to-native qemu-argv` (-m, -smp, the per-cell memory backends, -numa node and
 * dist, pxb-pcie numa_node), in libvirt's own order and spelling, so a person can check what
 * QEMU will actually be told. Pins and <numatune memory> are not here: libvirt applies them
 * through cgroups and sched_setaffinity after QEMU starts, never on its command line.
 */
import { formatIdList } from '../cpuset.ts';
import type { GuestCell, GuestLayout, MemoryMode } from '../guest/model.ts';
import { DEFAULT_REMOTE_DISTANCE } from '../host/model.ts';

/**
 * What the target libvirt + QEMU print differently. Defaults describe current upstream; the
 * judge tests pick the dialect of the libvirt they run (qemuDialect).
 */
export interface QemuDialect {
  /** `-smp …,clusters=N` (libvirt ≥ 10.1 with QEMU ≥ 7.0). */
  smpClusters: boolean;
  /** `-m size=Nk` rather than `-m MiB` (libvirt ≥ 9.2). */
  memorySizeKiB: boolean;
}

export interface QemuOptions {
  /** Domain name, for hugepage paths (libvirt's "-1-NAME" before the guest has an id). */
  name: string;
  dialect: QemuDialect;
  /** hugetlbfs mount per page size (KiB); libvirt finds these in /proc/mounts or qemu.conf. */
  hugepageMounts: Record<number, string>;
}

export const DEFAULT_QEMU_OPTIONS: QemuOptions = {
  name: 'guest',
  dialect: { smpClusters: true, memorySizeKiB: true },
  hugepageMounts: { 2048: '/dev/hugepages', 1048576: '/dev/hugepages1G' },
};

/** The dialect of a libvirt version ("9.0.0", as `virsh version` or libvirtd --version print). */
export function qemuDialect(libvirtVersion: string): QemuDialect {
  const [major = 0, minor = 0] = libvirtVersion.split('.').map(Number);
  const atLeast = (m: number, n: number) => major > m || (major === m && minor >= n);
  return { smpClusters: atLeast(10, 1), memorySizeKiB: atLeast(9, 2) };
}

/** One argument and its value, as libvirt passes it (`-numa` + `node,nodeid=0,…`). */
export interface QemuArg {
  flag: string;
  value: string;
}

const POLICY: Record<Exclude<MemoryMode, 'restrictive'>, string> = {
  strict: 'bind',
  preferred: 'preferred',
  interleave: 'interleave',
};

/**
 * Expander buses a layout's devices need: one pxb-pcie per guest cell with devices, numbered
 * as libvirt numbers controllers appended after pcie-root (index 1, 2 …), with bus numbers
 * counting down from 254 so each bus keeps room for the root ports behind it.
 */
export function expanderBuses(layout: GuestLayout): { index: number; busNr: number; cell: number }[] {
  const cells = [...new Set(layout.devices.flatMap((d) => (d.cell === null ? [] : [d.cell])))].sort((a, b) => a - b);
  return cells.map((cell, k) => ({ index: k + 1, busNr: 254 - 2 * k, cell }));
}

export function qemuArgs(layout: GuestLayout, options: QemuOptions = DEFAULT_QEMU_OPTIONS): QemuArg[] {
  const args: QemuArg[] = [];
  const { dialect } = options;
  args.push({ flag: '-m', value: dialect.memorySizeKiB ? `size=${layout.memoryKiB}k` : `${Math.floor(layout.memoryKiB / 1024)}` });
  args.push({ flag: '-smp', value: smp(layout, dialect) });
  for (const cell of layout.cells) {
    for (const arg of memoryBackend(cell, options)) args.push(arg);
    args.push({ flag: '-numa', value: numaNode(cell) });
  }
  // libvirt passes the whole matrix, diagonal included, once any distance differs from what
  // QEMU assumes anyway (10 local, 20 remote: virDomainNumaNodesDistancesAreBeingSet).
  const distance = (i: number, j: number) => layout.cells[i].distances[j] ?? (i === j ? 10 : DEFAULT_REMOTE_DISTANCE);
  const cellIndexes = layout.cells.map((_, i) => i);
  if (cellIndexes.some((i) => cellIndexes.some((j) => distance(i, j) !== 10 && distance(i, j) !== DEFAULT_REMOTE_DISTANCE))) {
    for (const i of cellIndexes) {
      for (const j of cellIndexes) args.push({ flag: '-numa', value: `dist,src=${layout.cells[i].id},dst=${layout.cells[j].id},val=${distance(i, j)}` });
    }
  }
  for (const bus of expanderBuses(layout)) {
    args.push({ flag: '-device', value: json({ driver: 'pxb-pcie', bus_nr: bus.busNr, id: `pci.${bus.index}`, numa_node: bus.cell, bus: 'pcie.0' }) });
  }
  return args;
}

/** The arguments as libvirt prints them: one shell-quoted argument pair per line. */
export function qemuArgv(layout: GuestLayout, options: QemuOptions = DEFAULT_QEMU_OPTIONS): string {
  return qemuArgs(layout, options)
    .map((a) => `${a.flag} ${shellQuote(a.value)}`)
    .join(' \\\n');
}

function smp(layout: GuestLayout, dialect: QemuDialect): string {
  const t = layout.topology;
  const current = layout.currentVcpus ?? layout.vcpus;
  const parts = [`${current}`];
  if (current < layout.vcpus) parts.push(`maxcpus=${layout.vcpus}`);
  // libvirt's own default (one single-core socket per vCPU) is what a domain without
  // <topology> gets, and the writer leaves that element out: libvirt then prints no dies.
  if (t.sockets === layout.vcpus && t.dies * t.clusters * t.cores * t.threads === 1) {
    return [...parts, `sockets=${layout.vcpus}`, 'cores=1', 'threads=1'].join(',');
  }
  parts.push(`sockets=${t.sockets}`, `dies=${t.dies}`);
  if (dialect.smpClusters) parts.push(`clusters=${t.clusters}`);
  parts.push(`cores=${t.cores}`, `threads=${t.threads}`);
  return parts.join(',');
}

function memoryBackend(cell: GuestCell, options: QemuOptions): QemuArg[] {
  const id = `ram-node${cell.id}`;
  const bound = cell.memoryMode !== 'restrictive' && cell.hostNodes.length > 0;
  const binding = bound ? { 'host-nodes': cell.hostNodes, policy: POLICY[cell.memoryMode as Exclude<MemoryMode, 'restrictive'>] } : {};
  const size = cell.memoryKiB * 1024;
  if (cell.hugepageSizeKiB === undefined) {
    return [{ flag: '-object', value: json({ 'qom-type': 'memory-backend-ram', id, size, ...binding }) }];
  }
  // Preallocated hugepages are faulted in by threads QEMU places on the bound nodes first.
  const args: QemuArg[] = [];
  const context = `tc-${id}`;
  if (bound) args.push({ flag: '-object', value: json({ 'qom-type': 'thread-context', id: context, 'node-affinity': cell.hostNodes }) });
  const mount = options.hugepageMounts[cell.hugepageSizeKiB] ?? `/dev/hugepages${cell.hugepageSizeKiB}k`;
  const backend = { 'qom-type': 'memory-backend-file', id, 'mem-path': `${mount}/libvirt/qemu/-1-${options.name}`, prealloc: true, size, ...binding, ...(bound ? { 'prealloc-context': context } : {}) };
  args.push({ flag: '-object', value: json(backend) });
  return args;
}

function numaNode(cell: GuestCell): string {
  // Disjoint vCPU lists become repeated cpus= items: QEMU's option syntax has no commas inside.
  const cpus = cell.vcpus.length > 0 ? formatIdList(cell.vcpus).split(',').map((r) => `cpus=${r}`) : [];
  return ['node', `nodeid=${cell.id}`, ...cpus, `memdev=ram-node${cell.id}`].join(',');
}

function json(value: Record<string, unknown>): string {
  return JSON.stringify(value);
}

function shellQuote(value: string): string {
  return /^[\w,.=:/+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
