/** Words and numbers printed on the host view's boxes and in their tooltips. */
import { formatIdList } from '../../core/cpuset.ts';
import type { Host } from '../../core/host/model.ts';
import { formatKiB } from '../../core/units.ts';
import type { IndexMode } from '../../state/store.ts';
import type { Box } from './layout.ts';

/** What a label is made of: enough of a box for layout.ts to measure words before it places them. */
export type Labelled = Pick<Box, 'kind' | 'logical' | 'os' | 'sizeKiB' | 'hidden' | 'io' | 'node' | 'groupDepth' | 'subtype'>;

/**
 * Advance widths of printable ASCII (space to ~) in thousandths of an em, in DejaVu Sans and
 * DejaVu Sans Bold as Chromium measures them. The drawing asks for system-ui first; DejaVu is
 * what that is on Debian and is wider than the system fonts of other desktops, so words sized
 * with it fit wherever they are drawn.
 */
const ADVANCE = {
  regular: [318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838],
  bold: [348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838],
};

/** Width of a line of text at a font size, without a DOM; characters outside ASCII count 1 em ('·' less). */
export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? ADVANCE.bold : ADVANCE.regular;
  let units = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    units += code >= 32 && code < 127 ? table[code - 32] : ch === '·' ? table[14] : 1000;
  }
  return (units / 1000) * size;
}

/** "L#3 P#60", "P#60" or "L#3", as lstopo prints them; L# alone where the OS gave no number. */
export function indexText(box: Labelled, mode: IndexMode): string {
  const l = box.logical !== undefined ? `L#${box.logical}` : '';
  const p = box.os !== undefined ? `P#${box.os}` : '';
  if (mode === 'logical' || !p) return l;
  if (mode === 'os') return p;
  return `${l} ${p}`;
}

const KIND_NAME: Partial<Record<Box['kind'], string>> = { NUMANode: 'NUMA node', PU: 'PU', More: '' };

/** A group's name as lstopo prints it: "Group0", "Group1(Book)". */
function groupName(box: Labelled): string {
  return `Group${box.groupDepth ?? 0}${box.subtype ? `(${box.subtype})` : ''}`;
}

/** "L2 256K", "L1d 32K": short enough for a core's second line. */
export function cacheText(level: number, type: string, sizeKiB: number | undefined): string {
  const name = `L${level}${type === 'data' ? 'd' : type === 'instruction' ? 'i' : ''}`;
  return sizeKiB === undefined ? name : `${name} ${formatKiB(sizeKiB).replace(/ ([KMGT])iB$/, '$1')}`;
}

/** First line drawn in a box (PUs draw their index only). */
export function boxLabel(box: Labelled, mode: IndexMode, host: Host): string {
  switch (box.kind) {
    case 'Machine': {
      const total = host.nodes.reduce((s, n) => s + (n.memoryKiB ?? 0), 0);
      const model = host.machine.model ?? host.machine.vendor ?? '';
      return ['Machine', total > 0 ? `(${formatKiB(total)} total)` : '', model && `· ${model}`].filter(Boolean).join(' ');
    }
    case 'Memories':
      return 'Memory without CPUs';
    case 'L3':
    case 'L2':
    case 'L1':
      return box.sizeKiB === undefined ? box.kind : `${box.kind} (${formatKiB(box.sizeKiB)})`;
    case 'More': {
      const h = box.hidden;
      if (!h) return '…';
      return h.boxes === 1 ? '… 1 more …' : `… ${h.boxes}× …`;
    }
    case 'Group':
      return `${groupName(box)} ${indexText(box, mode)}`;
    case 'IO': {
      const n = box.io?.devices ?? 0;
      return `I/O${box.node === undefined ? ' of unknown locality' : ''} · ${n} PCI device${n === 1 ? '' : 's'}`;
    }
    default:
      return `${box.kind} ${indexText(box, mode)}`;
  }
}

/** What a fold hides: "cores (click)", "NUMA nodes: 48 cores". */
export function moreDetail(box: Labelled): string {
  const h = box.hidden;
  if (!h) return '';
  const plural = h.boxes === 1 ? '' : 's';
  const what = h.kind === 'Core' ? `core${plural}` : h.kind === 'PU' ? `PU${plural}` : h.kind === 'NUMANode' ? `NUMA node${plural}` : h.kind === 'Package' ? `package${plural}` : h.kind === 'Group' ? `group${plural}` : `${h.kind}${plural}`;
  return h.kind === 'Core' || h.kind === 'PU' ? `${what} (click)` : `${what}: ${h.cores} cores`;
}

/**
 * The NUMA node's two memory lines: index and size, then what kind of memory it is (memory-only,
 * its technology: DRAM, MCDRAM, HBM …), free memory and hugepages. The kind leads the second
 * line so that a CPU-less node drawn beside a DRAM node's memory is no wider than it.
 */
export function memoryLines(host: Host, nodeId: number, mode: IndexMode, box: Labelled | undefined): [string, string] {
  const node = host.nodes.find((n) => n.id === nodeId);
  const idx = box ? indexText(box, mode) : `P#${nodeId}`;
  const size = node?.kind === 'cpu-only' ? ' (no memory)' : node?.memoryKiB != null ? ` (${formatKiB(node.memoryKiB)})` : '';
  const kind = [node?.kind === 'memory-only' ? 'memory-only' : '', node?.subtype ?? ''].filter(Boolean).join(' ');
  const parts: string[] = [];
  if (node?.freeKiB != null) parts.push(`free ${formatKiB(node.freeKiB)}`);
  for (const hp of node?.hugepages ?? []) {
    parts.push(`${formatKiB(hp.sizeKiB)} pages ${hp.free !== undefined ? `${hp.free}/` : ''}${hp.total}`);
  }
  const pci = host.pci.filter((d) => d.node === nodeId && !d.isBridge).length;
  if (pci > 0) parts.push(`${pci} PCI`);
  if (parts.length === 0 && node?.memoryKiB == null) parts.push('memory size not given');
  return [`NUMANode ${idx}${size}`, [kind, ...parts].filter(Boolean).join(' · ')];
}

/** Tooltip lines for a box. */
export function tooltipLines(box: Box, host: Host, mode: IndexMode): string[] {
  const name = box.kind === 'Group' ? groupName(box) : (KIND_NAME[box.kind] ?? box.kind);
  switch (box.kind) {
    case 'PU': {
      const byIndex = box.os !== undefined ? host.cpus[box.os] : undefined;
      const cpu = byIndex?.id === box.os ? byIndex : host.cpus.find((c) => c.id === box.os);
      const lines = [`PU L#${box.logical} P#${box.os}${box.online === false ? ' (offline)' : ''}`];
      if (cpu) {
        if (cpu.node !== undefined) lines.push(`NUMA node ${cpu.node}`);
        if (cpu.package !== undefined) lines.push(`package ${cpu.package}`);
        if (cpu.siblings.length > 1) lines.push(`SMT siblings ${formatIdList(cpu.siblings)}`);
        if (cpu.kind) lines.push(`kind ${cpu.kind}`);
      }
      return lines;
    }
    case 'Memory':
    case 'NUMANode': {
      const id = box.node ?? -1;
      const [a, b] = memoryLines(host, id, mode, box);
      const node = host.nodes.find((n) => n.id === id);
      return [a, b, node && node.cpus.length > 0 ? `CPUs ${formatIdList(node.cpus)}` : 'no CPUs'].filter(Boolean);
    }
    case 'More': {
      const h = box.hidden;
      const held = h ? [h.packages > 0 ? `${h.packages} packages` : '', h.nodes > 0 ? `${h.nodes} NUMA nodes` : '', `${h.cores} cores`, `${h.pus} PUs`].filter(Boolean).join(', ') : '';
      return [boxLabel(box, mode, host), h ? `${held}: CPUs ${formatIdList(box.cpus)}` : '', 'click to draw them'].filter(Boolean);
    }
    case 'IO': {
      const where = box.node === undefined ? 'PCI devices whose NUMA node the kernel does not report' : `PCI devices local to NUMA node ${box.node}`;
      return [where, boxLabel(box, mode, host), box.io?.open ? 'click to fold (the PCI panel has the details)' : 'click for the full tree'];
    }
    case 'Core': {
      const lines = [`Core ${indexText(box, mode)}`, `PUs ${formatIdList(box.cpus)}`];
      for (const c of box.caches ?? []) lines.push(cacheText(c.level, c.type, c.sizeKiB));
      return lines;
    }
    default:
      return [box.kind === 'Machine' ? boxLabel(box, mode, host) : `${name} ${box.kind.startsWith('L') ? '' : indexText(box, mode)}`.trim(), box.cpus.length > 0 ? `CPUs ${formatIdList(box.cpus)}` : ''].filter(Boolean);
  }
}

/** What a screen reader says for a box. */
export function accessibleName(box: Box, host: Host, mode: IndexMode): string {
  if (box.kind === 'PU') return `PU ${indexText(box, mode)}${box.online === false ? ' offline' : ''}`;
  return tooltipLines(box, host, mode).join(', ');
}
