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
  // numactl lists a node's online CPUs only: vCPUs beyond `current` are offline in the guest.
  const online = layout.currentVcpus ?? layout.vcpus;
  const lines = [`available: ${cells.length} nodes (${formatIdList(cells.map((c) => c.id))})`];
  for (const cell of cells) {
    const mb = Math.floor(cell.memoryKiB / 1024);
    lines.push(`node ${cell.id} cpus:${cell.vcpus.filter((v) => v < online).map((v) => ` ${v}`).join('')}`);
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

/**
 * `lscpu` in the guest. vCPUs beyond `current` are hot-pluggable: possible but not present in
 * the guest, so lscpu neither counts nor lists them, and derives its per-core and per-socket
 * counts from the present ones alone (QEMU numbers vCPUs socket-major, see guestLscpuExtended).
 */
export function guestLscpu(layout: GuestLayout, options: GuestLscpuOptions = { architecture: 'x86_64' }): string {
  const t = layout.topology;
  const present = range(layout.currentVcpus ?? layout.vcpus);
  // lscpu's "socket" holds every die and cluster QEMU put in it.
  const perSocket = t.dies * t.clusters * t.cores * t.threads;
  const sockets = new Set(present.map((v) => Math.floor(v / perSocket))).size;
  const cores = new Set(present.map((v) => Math.floor(v / t.threads))).size;
  const rows: [string, string][] = [
    ['Architecture:', options.architecture],
    ['CPU(s):', `${present.length}`],
    ['On-line CPU(s) list:', lscpuList(present)],
  ];
  if (options.modelName) rows.push(['Model name:', options.modelName]);
  rows.push(
    ['Thread(s) per core:', `${Math.floor(present.length / cores)}`],
    ['Core(s) per socket:', `${Math.floor(cores / sockets)}`],
    ['Socket(s):', `${sockets}`],
  );
  const cells = guestCells(layout);
  if (cells.length > 0) {
    rows.push(['NUMA node(s):', `${cells.length}`]);
    for (const cell of cells) rows.push([`NUMA node${cell.id} CPU(s):`, lscpuList(cell.vcpus.filter((v) => v < present.length))]);
  }
  const width = rows.reduce((m, [label]) => Math.max(m, label.length), 0) + 1;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}`.trimEnd()).join('\n') + '\n';
}

/**
 * `lscpu -e=CPU,NODE,SOCKET,CORE,ONLINE` in the guest: QEMU numbers vCPUs socket-major,
 * then die, cluster, core, thread (vcpu = ((socket·dies + die)·clusters + cluster)·cores·threads
 * + core·threads + thread), and lscpu numbers cores machine-wide. Only present vCPUs are listed
 * (those beyond `current` do not exist in the guest until hot-plugged).
 */
export function guestLscpuExtended(layout: GuestLayout): string {
  const t = layout.topology;
  const perSocket = t.dies * t.clusters * t.cores * t.threads;
  const present = layout.currentVcpus ?? layout.vcpus;
  const cellOf = new Map(guestCells(layout).flatMap((c) => c.vcpus.map((v) => [v, c.id] as const)));
  const rows = [['CPU', 'NODE', 'SOCKET', 'CORE', 'ONLINE']];
  for (let v = 0; v < present; v++) {
    rows.push([`${v}`, `${cellOf.get(v) ?? '-'}`, `${Math.floor(v / perSocket)}`, `${Math.floor(v / t.threads)}`, 'yes']);
  }
  // reduce, not Math.max(...): one row per vCPU must not become one argument each
  const widths = rows[0].map((_, k) => rows.reduce((m, r) => Math.max(m, r[k].length), 0));
  // lscpu right-aligns every column, ONLINE's yes/no included.
  return rows.map((r) => r.map((cell, k) => cell.padStart(widths[k])).join(' ')).join('\n') + '\n';
}

/** A guest without cells still has one NUMA node holding everything, as Linux reports it. */
function guestCells(layout: GuestLayout): { id: number; vcpus: number[]; memoryKiB: number; distances: number[] }[] {
  if (layout.cells.length > 0) return layout.cells;
  return [{ id: 0, vcpus: range(layout.vcpus), memoryKiB: layout.memoryKiB, distances: [10] }];
}

/** util-linux writes a run of two CPUs as "6,7", not "6-7". */
function lscpuList(ids: readonly number[]): string {
  return formatIdList(ids, 3);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
