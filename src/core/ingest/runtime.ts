/**
 * Where running guests' memory actually is, from what a host prints at run time — for the
 * audit's memory-misplaced check, which compares it with each guest's binding:
 *
 *   /proc/PID/numa_maps     7f3a… bind:1 anon=2048 dirty=2048 N1=2048 kernelpagesize_kB=2048
 *                           ← pages per node (Nn=), each of kernelpagesize_kB
 *   numastat -c qemu        PID                  Node 0 Node 1 Total
 *                           12345 (qemu-system-)   1021   3075  4096    ← MiB per node
 *   grep -Hs . /run/libvirt/qemu/*.pid
 *                           /run/libvirt/qemu/web.pid:12345         ← which guest a QEMU pid is
 */

/** One process's memory per host node. */
export interface ProcessMemory {
  pid: number;
  /** The guest this QEMU process runs, when a libvirt pid file names it. */
  guest?: string;
  /** The file, or the paste and line, it was read from. */
  source: string;
  nodes: { node: number; kib: number }[];
}

/** Pages per node in a numa_maps, in KiB. */
export function numaMapsNodes(text: string): ProcessMemory['nodes'] {
  const kib = new Map<number, number>();
  for (const line of text.split('\n')) {
    const pageKiB = Number(/\bkernelpagesize_kB=(\d+)/.exec(line)?.[1] ?? 4);
    for (const m of line.matchAll(/\bN(\d+)=(\d+)/g)) kib.set(Number(m[1]), (kib.get(Number(m[1])) ?? 0) + Number(m[2]) * pageKiB);
  }
  return [...kib].sort((a, b) => a[0] - b[0]).map(([node, k]) => ({ node, kib: k }));
}

/**
 * The rows of `numastat -c PATTERN` ("Per-node process memory usage (in MBs)"): per process,
 * MiB per node. `line` is the 1-based line of each row, for its source. When one process matches,
 * numastat prints its block instead ("… for PID 3389 (qemu-kvm)", Huge/Heap/Stack/Private rows,
 * then Total): its Total row is that process's row.
 */
export function numastatProcesses(text: string): { pid: number; command: string; line: number; nodes: ProcessMemory['nodes'] }[] {
  const lines = text.split('\n');
  const rows: ReturnType<typeof numastatProcesses> = [];
  let columns: number[] | undefined;
  let single: { pid: number; command: string } | undefined;
  lines.forEach((raw, i) => {
    const block = /^Per-node process memory usage \(in MBs\) for PID (\d+) \((.*)\)\s*$/.exec(raw);
    if (block) {
      single = { pid: Number(block[1]), command: block[2] };
      columns = undefined;
      return;
    }
    const header = /^(?:PID)?\s+((?:Node \d+\s*)+)Total\s*$/.exec(raw);
    if (header) {
      columns = [...header[1].matchAll(/Node (\d+)/g)].map((m) => Number(m[1]));
      return;
    }
    const total = single && columns && /^Total\s+([\d.\s]+)$/.exec(raw);
    if (single && columns && total) {
      const values = total[1].trim().split(/\s+/).map(Number);
      if (values.length === columns.length + 1) rows.push({ ...single, line: i + 1, nodes: columns.map((node, k) => ({ node, kib: Math.round(values[k] * 1024) })) });
      single = undefined;
      return;
    }
    const row = columns && /^(\d+) \((.*?)\)\s+([\d.\s]+)$/.exec(raw);
    if (!columns || !row) return;
    const values = row[3].trim().split(/\s+/).map(Number);
    if (values.length !== columns.length + 1) return;
    const nodes = columns.map((node, k) => ({ node, kib: Math.round(values[k] * 1024) }));
    rows.push({ pid: Number(row[1]), command: row[2], line: i + 1, nodes });
  });
  return rows;
}

/** `grep -H . /run/libvirt/qemu/*.pid` (or a sosreport's pid files): QEMU pid → guest name. */
export function libvirtPids(text: string): Map<number, string> {
  const pids = new Map<number, string>();
  for (const m of text.matchAll(/^\S*?\/run\/libvirt\/qemu\/([^/\s]+)\.pid:(\d+)\s*$/gm)) pids.set(Number(m[2]), m[1]);
  return pids;
}
