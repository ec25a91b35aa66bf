/**
 * What the guest will see of its layout: `numactl -H` and `lscpu` as they print inside it
 * (numactl 2.0.16 and util-linux 2.38, Debian 12's, writing to a pipe). The guest's nodes are
 * the layout's cells and its CPUs the vCPUs; which host CPU runs them is invisible in there.
 * Sizes are what each cell is given; a booted guest reports a few MB less per node, the part
 * its kernel and firmware keep.
 */
import { formatIdList } from '../cpuset.ts';
import type { GuestLayout } from '../guest/model.ts';

export function guestNumactl(layout: GuestLayout): string {
  const cells = guestCells(layout);
  const lines = [`available: ${cells.length} nodes (${formatIdList(cells.map((c) => c.id))})`];
  for (const cell of cells) {
    const mb = Math.floor(cell.memoryKiB / 1024);
    lines.push(`node ${cell.id} cpus:${cell.vcpus.map((v) => ` ${v}`).join('')}`);
    lines.push(`node ${cell.id} size: ${mb} MB`, `node ${cell.id} free: ${mb} MB`);
  }
  // numactl prints every number as "% 3d " (space flag, width 3), trailing space included.
  const num = (n: number) => `${n < 0 ? '-' : ' '}${String(Math.abs(n)).padStart(2)} `;
  lines.push('node distances:', `node ${cells.map((c) => num(c.id)).join('')}`);
  for (const cell of cells) {
    lines.push(`${num(cell.id).trimEnd()}: ${cells.map((_, j) => num(cell.distances[j] ?? (cell.id === j ? 10 : 20))).join('')}`);
  }
  return lines.join('\n') + '\n';
}

export interface GuestLscpuOptions {
  architecture: string;
  /** The host's model name under host-passthrough; QEMU's model name otherwise. */
  modelName?: string;
}

export function guestLscpu(layout: GuestLayout, options: GuestLscpuOptions = { architecture: 'x86_64' }): string {
  const t = layout.topology;
  const online = layout.currentVcpus ?? layout.vcpus;
  const rows: [string, string][] = [
    ['Architecture:', options.architecture],
    ['CPU(s):', `${layout.vcpus}`],
    ['On-line CPU(s) list:', formatIdList(range(online))],
  ];
  if (online < layout.vcpus) rows.push(['Off-line CPU(s) list:', formatIdList(range(layout.vcpus).slice(online))]);
  if (options.modelName) rows.push(['Model name:', options.modelName]);
  rows.push(
    ['Thread(s) per core:', `${t.threads}`],
    // lscpu's "socket" holds every die and cluster QEMU put in it.
    ['Core(s) per socket:', `${t.dies * t.clusters * t.cores}`],
    ['Socket(s):', `${t.sockets}`],
  );
  const cells = guestCells(layout);
  if (cells.length > 0) {
    rows.push(['NUMA node(s):', `${cells.length}`]);
    for (const cell of cells) rows.push([`NUMA node${cell.id} CPU(s):`, formatIdList(cell.vcpus)]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}`.trimEnd()).join('\n') + '\n';
}

/**
 * `lscpu -e=CPU,NODE,SOCKET,CORE,ONLINE` in the guest: QEMU numbers vCPUs socket-major,
 * then die, cluster, core, thread (vcpu = ((socket·dies + die)·clusters + cluster)·cores·threads
 * + core·threads + thread), and lscpu numbers cores machine-wide.
 */
export function guestLscpuExtended(layout: GuestLayout): string {
  const t = layout.topology;
  const perSocket = t.dies * t.clusters * t.cores * t.threads;
  const online = layout.currentVcpus ?? layout.vcpus;
  const cellOf = new Map(guestCells(layout).flatMap((c) => c.vcpus.map((v) => [v, c.id] as const)));
  const rows = [['CPU', 'NODE', 'SOCKET', 'CORE', 'ONLINE']];
  for (let v = 0; v < layout.vcpus; v++) {
    const up = v < online;
    const field = (n: number | undefined) => (up && n !== undefined ? `${n}` : '-');
    rows.push([`${v}`, field(cellOf.get(v)), field(Math.floor(v / perSocket)), field(Math.floor(v / t.threads)), up ? 'yes' : 'no']);
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  // lscpu right-aligns numbers and left-aligns ONLINE's yes/no under its header.
  return rows.map((r) => r.map((cell, k) => (k === r.length - 1 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join(' ').trimEnd()).join('\n') + '\n';
}

/** A guest without cells still has one NUMA node holding everything, as Linux reports it. */
function guestCells(layout: GuestLayout): { id: number; vcpus: number[]; memoryKiB: number; distances: number[] }[] {
  if (layout.cells.length > 0) return layout.cells;
  return [{ id: 0, vcpus: range(layout.vcpus), memoryKiB: layout.memoryKiB, distances: [10] }];
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
