/**
 * Which paste to believe first when several describe the same thing. The kernel's own sysfs
 * files come first; formats that print a per-CPU table from sysfs outrank those that print
 * summaries; for memory the exact counters (sysfs meminfo and libvirt in KiB, hwloc's bytes,
 * numactl's MiB) outrank lstopo's rounded display sizes.
 */
import type { FormatId } from './facts.ts';

const TOPOLOGY_ORDER: FormatId[] = [
  'sysfs',
  'hwloc-xml',
  'virsh-caps',
  'lscpu-e',
  'lscpu-json',
  'lscpu-p',
  'lstopo',
  'xl-info',
  'numactl',
  'lscpu',
  'hwloc-synthetic',
  'nodedev',
  'lspci-verbose',
  'lspci-tree',
];

const MEMORY_ORDER: FormatId[] = ['sysfs', 'virsh-caps', 'hwloc-xml', 'numactl', 'xl-info', 'lstopo', 'hwloc-synthetic'];

const PCI_ORDER: FormatId[] = ['nodedev', 'lspci-verbose', 'hwloc-xml', 'lstopo', 'lspci-tree'];

function rank(order: FormatId[], format: FormatId): number {
  const i = order.indexOf(format);
  return i < 0 ? order.length : i;
}

export const topologyRank = (format: FormatId) => rank(TOPOLOGY_ORDER, format);
export const memoryRank = (format: FormatId) => rank(MEMORY_ORDER, format);
export const pciRank = (format: FormatId) => rank(PCI_ORDER, format);

/** Stable sort of items by a rank of their format; ties keep paste order. */
export function byRank<T extends { format: FormatId }>(items: readonly T[], rankOf: (f: FormatId) => number): T[] {
  return items
    .map((item, order) => ({ item, order }))
    .sort((a, b) => rankOf(a.item.format) - rankOf(b.item.format) || a.order - b.order)
    .map((x) => x.item);
}
