/**
 * The affinity map of a guest on a host: for every vCPU, the host CPUs it may run on (grouped by
 * host node), the one it runs on when that is fixed, its cell's memory nodes and how far apart
 * they are — plus the same as text, as a grid and as `virsh vcpuinfo` prints it (formats.md §2.3).
 */
import { formatIdList, sortIds } from '../cpuset.ts';
import type { GuestLayout } from '../guest/model.ts';
import type { Host } from '../host/model.ts';
import { memoryGranule, splitMemory } from '../partition/memory.ts';

export type PinKind = '1:1' | 'floating' | 'unpinned';

/** Host CPUs of one node, in id order; node null gathers CPUs no paste placed in a node. */
export interface AffinityGroup {
  node: number | null;
  cpus: number[];
}

export interface AffinityRow {
  vcpu: number;
  /** Guest cell holding the vCPU; null when no cell lists it. */
  cell: number | null;
  pinning: PinKind;
  /** Host CPUs the vCPU may run on. Unpinned vCPUs may run on every online host CPU. */
  cpus: number[];
  /** The host CPU it runs on when pinning fixes it (1:1), else null. */
  current: number | null;
  /** Host nodes of `cpus`. */
  cpuNodes: number[];
  /** Host nodes backing its cell's memory. */
  memoryNodes: number[];
  /**
   * Worst host distance between where it may run and where its memory is: the number a person
   * must worry about. null when the host gave no distances or either side is unknown.
   */
  distance: number | null;
  /** False for vCPUs above <vcpu current>, which are not plugged at boot. */
  online: boolean;
}

/** One cell's memory on one host node. */
export interface MemoryShare {
  cell: number;
  node: number;
  kib: number;
}

export interface AffinityMap {
  groups: AffinityGroup[];
  rows: AffinityRow[];
  emulator: number[];
  memory: MemoryShare[];
}

export function affinityMap(host: Host, layout: GuestLayout): AffinityMap {
  const nodeOfCpu = new Map<number, number>();
  for (const node of host.nodes) for (const cpu of node.cpus) nodeOfCpu.set(cpu, node.id);
  const nodeIndex = new Map(host.nodes.map((n, i) => [n.id, i]));
  const cellOfVcpu = new Map<number, number>();
  for (const cell of layout.cells) for (const v of cell.vcpus) cellOfVcpu.set(v, cell.id);
  const pinOf = new Map(layout.pins.map((p) => [p.vcpu, sortIds(p.cpus)]));
  const online = host.cpus.filter((c) => c.online).map((c) => c.id);
  const current = layout.currentVcpus ?? layout.vcpus;

  const distanceBetween = (from: number[], to: number[]): number | null => {
    let worst: number | null = null;
    for (const a of from) {
      for (const b of to) {
        const d = host.distances[nodeIndex.get(a) ?? -1]?.[nodeIndex.get(b) ?? -1];
        if (d === undefined) return null;
        worst = worst === null ? d : Math.max(worst, d);
      }
    }
    return worst;
  };

  const rows: AffinityRow[] = [];
  for (let vcpu = 0; vcpu < layout.vcpus; vcpu++) {
    const pinned = pinOf.get(vcpu);
    const cpus = pinned ?? online;
    const pinning: PinKind = pinned === undefined ? 'unpinned' : pinned.length === 1 ? '1:1' : 'floating';
    const cell = cellOfVcpu.get(vcpu) ?? null;
    const cpuNodes = sortIds(new Set(cpus.flatMap((c) => (nodeOfCpu.has(c) ? [nodeOfCpu.get(c) as number] : []))));
    const memoryNodes = cell === null ? [] : (layout.cells.find((c) => c.id === cell)?.hostNodes ?? []);
    rows.push({
      vcpu,
      cell,
      pinning,
      cpus,
      current: pinning === '1:1' ? cpus[0] : null,
      cpuNodes,
      memoryNodes,
      distance: cpuNodes.length > 0 && memoryNodes.length > 0 ? distanceBetween(cpuNodes, memoryNodes) : null,
      online: vcpu < current,
    });
  }

  return { groups: cpuGroups(host), rows, emulator: sortIds(layout.emulatorpin), memory: memoryShares(layout) };
}

function cpuGroups(host: Host): AffinityGroup[] {
  const groups: AffinityGroup[] = host.nodes.filter((n) => n.cpus.length > 0).map((n) => ({ node: n.id, cpus: sortIds(n.cpus) }));
  const placed = new Set(groups.flatMap((g) => g.cpus));
  const loose = sortIds(host.cpus.map((c) => c.id).filter((id) => !placed.has(id)));
  if (loose.length > 0) groups.push({ node: null, cpus: loose });
  return groups;
}

/**
 * A cell backed by several host nodes is taken to spread evenly over them (what interleave does
 * and the best a reader can assume for strict), split as the occupancy charge splits it (whole
 * granules, the remainder on the first) so this view and what other guests are told agree.
 */
function memoryShares(layout: GuestLayout): MemoryShare[] {
  const shares: MemoryShare[] = [];
  for (const cell of layout.cells) {
    if (cell.hostNodes.length === 0) continue;
    const split = splitMemory(cell.memoryKiB, cell.hostNodes.length, memoryGranule(cell.hugepageSizeKiB));
    cell.hostNodes.forEach((node, i) => shares.push({ cell: cell.id, node, kib: split[i] }));
  }
  return shares;
}

/** Marks in the grid: the CPU a vCPU runs on, a CPU it may run on, one it may not. */
export const MARK_CURRENT = '*';
const MARK_ALLOWED = 'X';
const MARK_DENIED = '-';

/**
 * One string of marks per group for one vCPU, runs separated by a space: what the grid prints
 * and what a view draws.
 */
export function rowMarks(map: Pick<AffinityMap, 'groups'>, row: AffinityRow): string[] {
  const allowed = new Set(row.cpus);
  return map.groups.map((g) =>
    groupRuns(g)
      .map((part) => part.map((cpu) => (cpu === row.current ? MARK_CURRENT : allowed.has(cpu) ? MARK_ALLOWED : MARK_DENIED)).join(''))
      .join(' '),
  );
}

/** Characters a group's marks take in a row: one per CPU, and a space between its runs. */
export function groupWidth(group: AffinityGroup): number {
  return group.cpus.length + groupRuns(group).length - 1;
}

/** Runs of consecutive ids, so that SMT halves (0-14 and 60-74) line up under each other. */
function groupRuns(group: AffinityGroup): number[][] {
  const cpus = group.cpus;
  const out: number[][] = [];
  for (const cpu of cpus) {
    const last = out[out.length - 1];
    if (last && cpu === last[last.length - 1] + 1) last.push(cpu);
    else out.push([cpu]);
  }
  // Sparse numbering would break every column apart; keep it as one run then.
  return out.length <= 8 ? out : [cpus];
}

/**
 * The X/- grid: one line per vCPU, one character per host CPU grouped by node, the fixed CPU
 * marked `*`. Header lines name each group's node and CPU list; a legend ends it.
 */
export function affinityGrid(map: AffinityMap): string {
  const columns = map.groups.map((g) => {
    const parts = groupRuns(g);
    const label = g.node === null ? 'no node' : `node ${g.node}`;
    const list = formatIdList(g.cpus);
    const chars = g.cpus.length + parts.length - 1;
    return { parts, label, list, width: Math.max(chars, label.length, list.length) };
  });
  const vcpuWidth = Math.max(4, String(Math.max(0, map.rows.length - 1)).length);
  const lead = (a: string, b: string) => `${a.padStart(vcpuWidth)}  ${b.padStart(4)}  `;
  const lines = [
    lead('vCPU', 'cell') + columns.map((c) => c.label.padEnd(c.width)).join('  '),
    lead('', '') + columns.map((c) => c.list.padEnd(c.width)).join('  '),
  ];
  for (const row of map.rows) {
    const marks = rowMarks(map, row);
    const cells = columns.map((c, i) => marks[i].padEnd(c.width));
    lines.push(lead(String(row.vcpu), row.cell === null ? '-' : String(row.cell)) + cells.join('  '));
  }
  lines.push('', `${MARK_CURRENT} pinned (runs here)  ${MARK_ALLOWED} may run here  ${MARK_DENIED} may not`);
  return lines.map((l) => l.trimEnd()).join('\n') + '\n';
}

/**
 * `virsh vcpuinfo` as virsh prints it for a defined domain: `CPU:` only where the layout fixes
 * it (the live CPU of a floating vCPU is the scheduler's business), `y`/`-` per host CPU id.
 */
export function vcpuinfoText(map: AffinityMap, host: Host): string {
  const width = host.cpus.reduce((m, c) => Math.max(m, c.id + 1), 0);
  const blocks = map.rows.map((row) => {
    const allowed = new Set(row.cpus);
    let mask = '';
    for (let cpu = 0; cpu < width; cpu++) mask += allowed.has(cpu) ? 'y' : '-';
    const lines = [`VCPU:           ${row.vcpu}`];
    if (row.current !== null) lines.push(`CPU:            ${row.current}`);
    lines.push(`CPU Affinity:   ${mask}`);
    return lines.join('\n');
  });
  return blocks.join('\n\n') + '\n';
}
