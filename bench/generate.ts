/**
 * Large synthetic hosts for benchmarks and scale tests, made by the real tools where one exists:
 * hwloc's own synthetic backend writes the 4096-PU XML, and the lscpu -e table is written in
 * exactly the column layout util-linux prints.
 */
import { execFileSync } from 'node:child_process';

export const SYNTHETIC_4096 = 'pack:4 [numa] l3:8 core:64 pu:2';

export function hwlocXml(synthetic: string): string {
  return execFileSync('lstopo-no-graphics', ['--input', synthetic, '--of', 'xml', '-'], { encoding: 'utf8', maxBuffer: 256 << 20 });
}

/** `lscpu -e` of a host with the given shape; SMT siblings numbered like Linux does (n, n + cores). */
export function lscpuExtended(packages: number, nodesPerPackage: number, coresPerNode: number, threads: number): string {
  const cores = packages * nodesPerPackage * coresPerNode;
  const rows = ['CPU NODE SOCKET CORE L1d:L1i:L2:L3 ONLINE    MAXMHZ   MINMHZ'];
  for (let cpu = 0; cpu < cores * threads; cpu++) {
    const core = cpu % cores;
    const node = Math.floor(core / coresPerNode);
    const socket = Math.floor(node / nodesPerPackage);
    const caches = `${core}:${core}:${core}:${node}`;
    rows.push(`${String(cpu).padStart(4)} ${String(node).padStart(4)} ${String(socket).padStart(6)} ${String(core).padStart(4)} ${caches.padEnd(13)} yes 3600.0000 1200.0000`);
  }
  return rows.join('\n') + '\n';
}
