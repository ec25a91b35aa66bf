/**
 * A real corpus host with CPU-less nodes added where real machines have them, written out as
 * sysfs so that numactl, libvirtd and hwloc all read the same machine: the 4-socket
 * Magny-Cours (2 nodes per socket, sparse ids, its own SLIT 10/16/22) plus 80, a CXL expander
 * as near to both nodes of socket 0 (a tie: hwloc gives it both); 81, HBM beside node 33 alone;
 * 82, as near to every node (hwloc places it nowhere); 83, nearest to 81 (it borrows the CPUs
 * 81 was given); 84, nearest to 82 (which has none to lend).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host, NumaNode } from '../../src/core/host/model.ts';
import { writeSysfs } from '../libvirt/sysfs.ts';
import { corpusHost, numactlOver, runPeer } from '../support/corpus.ts';

const GiB = 1 << 20;
const work = mkdtempSync(join(tmpdir(), 'numascope-locality-'));

export const CXL_NODES = [80, 81, 82, 83, 84];

function memoryNode(id: number): NumaNode {
  return { id, cpus: [], memoryKiB: 64 * GiB, freeKiB: 64 * GiB, hugepages: [], kind: 'memory-only' };
}

/** `base` with CPU-less nodes added; `near(added, other)` is an added node's distance to any other. */
export function withMemoryNodes(base: Host, added: readonly number[], near: (id: number, other: number) => number): Host {
  const nodes = [...base.nodes, ...added.map(memoryNode)];
  const old = new Map(base.nodes.map((n, i) => [n.id, i]));
  const distance = (a: number, b: number): number => {
    if (a === b) return 10;
    const i = old.get(a);
    const j = old.get(b);
    if (i !== undefined && j !== undefined) return base.distances[i][j];
    return added.includes(a) ? near(a, b) : near(b, a);
  };
  return { ...base, nodes, distances: nodes.map((a) => nodes.map((b) => distance(a.id, b.id))) };
}

export function cxlHost(): Host {
  const base = corpusHost('hwloc-linux/48amd64-4pa2n6c-sparse.lstopo.xml');
  const pairs: Record<string, number> = { '80-0': 20, '80-1': 20, '81-33': 13, '81-83': 15 };
  return withMemoryNodes(base, CXL_NODES, (id, other) => {
    if (id === 82 || other === 82) return 30;
    return pairs[`${id}-${other}`] ?? pairs[`${other}-${id}`] ?? (id === 84 || CXL_NODES.includes(other) ? 40 : 30);
  });
}

/**
 * The sysfs tree of `host` in a fresh folder, and its system folder (what numactl reads); with
 * a /proc/cpuinfo naming each CPU's package, without which lscpu -s reads no topology.
 */
export function sysfsOf(name: string, host: Host): { root: string; system: string } {
  const root = writeSysfs(host, join(work, name));
  const cpuinfo = (id: number, pkg: number | undefined) => `processor\t: ${id}\nvendor_id\t: AuthenticAMD\ncpu family\t: 16\nmodel\t\t: 9\nphysical id\t: ${pkg ?? 0}\n`;
  mkdirSync(join(root, 'proc'), { recursive: true });
  writeFileSync(join(root, 'proc/cpuinfo'), host.cpus.filter((c) => c.online).map((c) => cpuinfo(c.id, c.package)).join('\n'));
  return { root, system: join(root, 'sys/devices/system') };
}

/**
 * What a user of cxlHost() pastes, Debian's numactl -H and util-linux's lscpu, and what hwloc's
 * lstopo draws of it: each run over its sysfs.
 */
export function cxlPastes(): { numactl: string; lscpu: string; lstopo: string } {
  const tree = sysfsOf('cxl-pastes', cxlHost());
  return {
    numactl: numactlOver(tree.system),
    lscpu: runPeer('lscpu', ['-s', tree.root]),
    lstopo: runPeer('lstopo-no-graphics', ['-'], { HWLOC_FSROOT: tree.root, HWLOC_COMPONENTS: 'linux,stop' }),
  };
}
