/**
 * PCI locality as trees and as text lines: the same root-complex trees feed the detailed PCI
 * panel and the compact I/O boxes the host view draws inside each NUMA node (lstopo draws I/O
 * next to the objects it is local to). SR-IOV VFs fold into their PF with a count, and runs of
 * identical leaf functions fold into the first one (lstopo's collapse).
 */
import type { Host, PciDevice } from '../../core/host/model.ts';

export interface PciTreeItem {
  device: PciDevice;
  children: PciTreeItem[];
  vfs: number;
}

/** One drawn line of an I/O box. */
export interface IoLine {
  kind: 'root' | 'bridge' | 'device' | 'more';
  text: string;
  depth: number;
  bdf?: string;
}

/** Root complex → its top-level items, for the devices of one locality (VFs left out). */
export function pciRoots(host: Host, node: number | null): Map<string, PciTreeItem[]> {
  const vfCount = new Map<string, number>();
  for (const d of host.pci) if (d.physfn) vfCount.set(d.physfn, (vfCount.get(d.physfn) ?? 0) + 1);
  const devices = host.pci.filter((d) => !d.physfn && d.node === node);
  const items = new Map(devices.map((d) => [d.bdf, { device: d, children: [] as PciTreeItem[], vfs: vfCount.get(d.bdf) ?? 0 }]));
  const roots = new Map<string, PciTreeItem[]>();
  for (const item of items.values()) {
    const parent = item.device.parent ? items.get(item.device.parent) : undefined;
    if (parent) {
      parent.children.push(item);
      continue;
    }
    const root = item.device.root ?? item.device.bdf.slice(0, 7);
    const list = roots.get(root) ?? [];
    list.push(item);
    roots.set(root, list);
  }
  return new Map([...roots.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** The localities that hold PCI devices: node ids in order, then null (unknown) if any. */
export function pciLocalities(host: Host): (number | null)[] {
  const set = new Set(host.pci.filter((d) => !d.physfn).map((d) => d.node));
  return [...set].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
}

/** Runs of three or more identical leaf functions show as the first one and a count. */
export function collapseRuns(items: PciTreeItem[]): { item: PciTreeItem; same: number }[] {
  const sorted = [...items].sort((a, b) => a.device.bdf.localeCompare(b.device.bdf));
  const out: { item: PciTreeItem; same: number }[] = [];
  const key = (t: PciTreeItem) => (t.children.length > 0 || t.device.osDevices.length > 0 ? null : `${t.device.vendorId}:${t.device.deviceId}:${t.device.device}:${t.device.className}`);
  for (const t of sorted) {
    const last = out[out.length - 1];
    const k = key(t);
    if (last && k !== null && key(last.item) === k) last.same++;
    else out.push({ item: t, same: 0 });
  }
  // Two of a kind read better spelled out; only fold real runs.
  return out.flatMap((o) => (o.same === 1 ? [{ item: o.item, same: 0 }, { item: sorted[sorted.indexOf(o.item) + 1], same: 0 }] : [o]));
}

export function shortBdf(bdf: string): string {
  return bdf.startsWith('0000:') ? bdf.slice(5) : bdf;
}

/** "00:02.0 NVMe nvme0n1 +7 VFs": what one device says on one line. */
function deviceText(item: PciTreeItem, same: number): string {
  const d = item.device;
  const what = d.isBridge ? 'bridge' : (d.className ?? d.classCode ?? 'device');
  const parts = [shortBdf(d.bdf), what, ...d.osDevices.map((o) => o.name)];
  if (d.link) parts.push(`(${d.link})`);
  if (item.vfs > 0) parts.push(`+${item.vfs} VF${item.vfs > 1 ? 's' : ''}`);
  if (same > 0) parts.push(`×${same + 1}`);
  return parts.join(' ');
}

/** How many device lines a folded I/O box shows before "… N more". */
export const IO_COMPACT_LINES = 3;

/** Classes a person placing a guest looks for first (NICs, storage, GPUs, accelerators). */
const NOTABLE = /ethernet|network|infiniband|fibre|non-volatile|nvme|sata|sas|raid|scsi|vga|3d|display|co-processor|accelerator/i;

/** Folded boxes list devices with OS devices first, then notable classes, then the rest. */
function rank(d: PciDevice): number {
  if (d.osDevices.length > 0) return 0;
  return NOTABLE.test(d.className ?? '') ? 1 : 2;
}

/**
 * The lines of one locality's I/O box. Folded: the end devices (no bridges), at most
 * IO_COMPACT_LINES of them and a "… N more" line. Open: every root complex with its tree.
 */
export function ioLines(host: Host, node: number | null, open: boolean): IoLine[] {
  const roots = pciRoots(host, node);
  const lines: IoLine[] = [];
  if (open) {
    const walk = (items: PciTreeItem[], depth: number) => {
      for (const { item, same } of collapseRuns(items)) {
        lines.push({ kind: item.device.isBridge ? 'bridge' : 'device', text: deviceText(item, same), depth, bdf: item.device.bdf });
        walk(item.children, depth + 1);
      }
    };
    for (const [root, items] of roots) {
      lines.push({ kind: 'root', text: `root complex ${root}`, depth: 0 });
      walk(items, 1);
    }
    return lines;
  }
  const leaves: { line: IoLine; rank: number }[] = [];
  const walk = (items: PciTreeItem[]) => {
    for (const { item, same } of collapseRuns(items)) {
      if (!item.device.isBridge) leaves.push({ line: { kind: 'device', text: deviceText(item, same), depth: 0, bdf: item.device.bdf }, rank: rank(item.device) });
      walk(item.children);
    }
  };
  for (const items of roots.values()) walk(items);
  // A stable sort: within one rank the devices stay in tree (bus) order.
  lines.push(...leaves.sort((a, b) => a.rank - b.rank).slice(0, IO_COMPACT_LINES).map((l) => l.line));
  const rest = leaves.length - IO_COMPACT_LINES;
  const bridges = host.pci.some((d) => !d.physfn && d.node === node && d.isBridge);
  if (rest > 0 || bridges || roots.size > 1) lines.push({ kind: 'more', text: `${rest > 0 ? `… ${rest} more · ` : ''}click for the tree`, depth: 0 });
  return lines;
}

/** Devices counted for a locality's I/O box title (bridges and VFs are not devices here). */
export function ioDeviceCount(host: Host, node: number | null): number {
  return host.pci.filter((d) => !d.physfn && !d.isBridge && d.node === node).length;
}
