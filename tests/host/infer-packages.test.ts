/**
 * Packages from lscpu's counts and numactl -H alone, judged by hwloc reading the same sysfs:
 * every corpus dump as lscpu + numactl -H print it, and generated hosts written out as sysfs
 * (cxl-host.ts's sysfsOf) whose CPU numbering leaves the core inference undecided — an EPYC
 * with 4 nodes per socket and its SLIT (and a SLIT that cannot tell), a 1-socket ARM with
 * offline CPUs, a 32-socket host in chassis of 4, and 16 sockets of 2 nodes each.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import type { Core, Cpu, Host, NumaNode, Package } from '../../src/core/host/model.ts';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { corpusFiles, corpusHost, dumpRoot, numactlOver, readCorpus, runPeer } from '../support/corpus.ts';
import { sysfsOf } from './cxl-host.ts';

const GiB = 1 << 20;

/** hwloc's packages over a sysfs root, each as its PU list (P#), in hwloc's order. */
function hwlocPackages(root: string): string[] {
  const env = { HWLOC_FSROOT: root, HWLOC_COMPONENTS: 'linux,stop' };
  const n = Number(runPeer('hwloc-calc', ['--number-of', 'package', 'all'], env).trim());
  return Array.from({ length: n }, (_, i) => formatIdList(runPeer('hwloc-calc', [`package:${i}`, '--intersect', 'pu', '--physical-output'], env).trim().split(',').map(Number)));
}

/** What a user pastes of a sysfs root: lscpu, and numactl -H where the dump has nodes. */
function pastesOf(root: string): Paste[] {
  const pastes: Paste[] = [{ name: 'lscpu', text: runPeer('lscpu', ['-s', root]) }];
  try {
    pastes.push({ name: 'numactl -H', text: numactlOver(join(root, 'sys/devices/system')) });
  } catch {
    // No sys/devices/system/node in the dump: numactl has nothing to say.
  }
  return pastes;
}

const said = (host: Host, pattern: RegExp) => host.diagnostics.filter((d) => pattern.test(d.message));
const PLACED = /packages inferred from lscpu's|every CPU is in package 0|one node per package|each CPU is a package of its own/;

const dumps = [
  ...corpusFiles('util-linux-lscpu', /\.tar\.gz$/).map((f) => ['util-linux-lscpu', f] as const),
  ...corpusFiles('hwloc-linux', /\.lscpu\.txt$/).map((f) => ['hwloc-linux', f.replace(/\.lscpu\.txt$/, '.tar.bz2')] as const),
];

describe('lscpu + numactl -H of every corpus dump: packages, where given, are hwloc\'s', () => {
  for (const [folder, tarball] of dumps) {
    it(tarball, () => {
      const root = dumpRoot(folder, tarball);
      const { host } = ingest(pastesOf(root));
      if (host.packages.length === 0) return;
      const online = new Set(host.cpus.filter((c) => c.online).map((c) => c.id));
      const ours = host.packages.map((p) => formatIdList(p.cpus.filter((id) => online.has(id)))).filter((l) => l !== '');
      expect(ours.sort()).toEqual(hwlocPackages(root).sort());
    });
  }
});

describe('packages from the nodes, on real dumps', () => {
  const hostOf = (folder: string, tarball: string) => ingest(pastesOf(dumpRoot(folder, tarball))).host;

  it('1 socket (Dell E4310 laptop): every CPU is in package 0, said as an info', () => {
    const host = hostOf('util-linux-lscpu', 'x86_64-dell_e4310.tar.gz');
    expect(host.packages).toEqual([{ id: 0, cpus: [0, 1, 2, 3] }]);
    expect(said(host, /lscpu says 1 socket: every CPU is in package 0/).map((d) => d.severity)).toEqual(['info']);
  });

  it("hybrid phone (A510/A710/A715/X3): lscpu's Socket(s) per core type is not the machine's, so no package is guessed", () => {
    const root = dumpRoot('util-linux-lscpu', 'arm-A510-A710-A715-X3.tar.gz');
    expect(hwlocPackages(root)).toHaveLength(3);
    expect(pastesOf(root)[0].text.match(/^Socket\(s\):\s+1$/gm)).toHaveLength(4);
    const host = ingest(pastesOf(root)).host;
    expect(host.packages).toEqual([]);
    expect(host.cores).toHaveLength(8); // 1 thread per core in every block
  });

  it('2 sockets, 2 nodes (Xeon with VE cards): one node per package', () => {
    const host = hostOf('hwloc-linux', '32intel64-2p8co2t+8ve.tar.bz2');
    expect(host.packages.map((p) => formatIdList(p.cpus))).toEqual(host.nodes.filter((n) => n.cpus.length > 0).map((n) => formatIdList(n.cpus)));
    expect(said(host, /one node per package/)).toHaveLength(1);
  });

  it('2 sockets, 2 CPU nodes and 6 GPU-memory nodes (POWER9 + V100): the CPU-less nodes do not count', () => {
    const host = hostOf('hwloc-linux', 'nvidiagpunumanodes.tar.bz2');
    expect(host.packages).toHaveLength(2);
  });

  it('8 nodes, 2 sockets and no distance table (EPYC 7451 dump): the one CPU order that keeps nodes whole, as hwloc has it', () => {
    const root = dumpRoot('util-linux-lscpu', 'x86_64-epyc_7451.tar.gz');
    const host = ingest(pastesOf(root)).host;
    expect(host.distances).toEqual([]);
    expect(said(host, /cores and sockets inferred/)).toEqual([]); // cores stay undecided
    expect(host.packages.map((p) => formatIdList(p.cpus))).toEqual(hwlocPackages(root));
    expect(said(host, /filled in CPU order with thread siblings 48 apart: the one way that keeps every node in one socket/).map((d) => d.severity)).toEqual(['info']);
  });

  it('CPUs dealt to sockets in turn (memorysidecaches, SNC2): the counts guess would split nodes, so the distance tier 11 decides', () => {
    const root = dumpRoot('hwloc-linux', 'memorysidecaches.tar.bz2');
    const host = ingest(pastesOf(root)).host;
    expect(host.cpus[0].siblings).toEqual([0, 40]); // the counts' cores stand
    expect(host.packages.map((p) => formatIdList(p.cpus))).toEqual(hwlocPackages(root));
    expect(said(host, /filling sockets in CPU order would split node 0 across sockets/)).toHaveLength(1);
    expect(said(host, /nodes 0,2 \| 1,3 are within 11 of each other, 2 per socket/)).toHaveLength(1);
  });

  it('4 sockets over 3 nodes (x86_64-64cpu): the counts guess splits nodes and the nodes cannot tell either: unknown, and why', () => {
    const host = hostOf('util-linux-lscpu', 'x86_64-64cpu.tar.gz');
    expect(host.packages).toEqual([]);
    expect(host.cores).toHaveLength(32);
    expect(said(host, /lscpu says 4 sockets and 3 node\(s\) have CPUs, which do not split evenly/)).toHaveLength(1);
  });

  it('where lscpu counts settle cores and sockets (the talk host), that inference stands and nodes are not consulted', () => {
    const host = ingest(['talk-e7-8895v2.lscpu.txt', 'talk-e7-8895v2.numactl-H.txt'].map((f) => ({ name: f, text: readCorpus('pasted', f) }))).host;
    expect(host.packages).toHaveLength(4);
    expect(said(host, PLACED)).toEqual([]);
  });
});

/** The real EPYC 7451 (lscpu -e of its dump) given 16 GiB per node and an NPS4-like SLIT. */
function epycWithSlit(): Host {
  const base = corpusHost('util-linux-lscpu/x86_64-epyc_7451.lscpu-e.txt');
  const socketOf = new Map(base.nodes.map((n) => [n.id, base.cpus.find((c) => c.id === n.cpus[0])?.package]));
  const nodes = base.nodes.map((n) => ({ ...n, memoryKiB: 16 * GiB, freeKiB: 15 * GiB }));
  const distances = nodes.map((a) => nodes.map((b) => (a.id === b.id ? 10 : socketOf.get(a.id) === socketOf.get(b.id) ? 12 : 32)));
  return { ...base, nodes, distances };
}

/**
 * `sockets` packages of `cores` cores × 2 threads, one node each, numbered as Intel's firmware
 * does (CPU n and n + all cores share a core), distances 10 / `near` within a chassis of 4 / `far`.
 */
function socketHost(sockets: number, cores: number, near: number, far: number): Host {
  const total = sockets * cores;
  const cpus: Cpu[] = [];
  const coreList: Core[] = [];
  for (let c = 0; c < total; c++) {
    const pkg = Math.floor(c / cores);
    const siblings = [c, c + total];
    coreList.push({ index: c, package: pkg, osId: c % cores, cpus: siblings });
    for (const id of siblings) cpus.push({ id, online: true, package: pkg, core: c, node: pkg, siblings, caches: [] });
  }
  cpus.sort((a, b) => a.id - b.id);
  const packages: Package[] = Array.from({ length: sockets }, (_, p) => ({ id: p, cpus: cpus.filter((c) => c.package === p).map((c) => c.id) }));
  const nodes: NumaNode[] = packages.map((p) => ({ id: p.id, cpus: p.cpus, memoryKiB: 32 * GiB, freeKiB: 30 * GiB, hugepages: [], kind: 'cpu+memory' }));
  const distances = nodes.map((a) => nodes.map((b) => (a.id === b.id ? 10 : Math.floor(a.id / 4) === Math.floor(b.id / 4) ? near : far)));
  return { machine: {}, packages, dies: [], clusters: [], cores: coreList, nodes, cpus, caches: [], distances, pci: [], sources: [], conflicts: [], diagnostics: [] };
}

describe('generated hosts as sysfs: lscpu + numactl -H against hwloc over the same tree', () => {
  it('1-socket ARM (the Kunpeng 920 dump as one socket) with CPUs 120-127 offline: package 0 and a core per CPU', () => {
    const kunpeng = corpusHost('hwloc-linux/128arm-2pa2n8cluster4co.lstopo.xml');
    const cpus = kunpeng.cpus.map((c) => ({ ...c, package: 0, online: c.id < 120 }));
    const one = { ...kunpeng, cpus, packages: [{ id: 0, cpus: cpus.map((c) => c.id) }], nodes: kunpeng.nodes.map((n) => ({ ...n, memoryKiB: 64 * GiB })) };
    const tree = sysfsOf('arm-1-socket', one);
    const pastes = pastesOf(tree.root);
    expect(pastes[0].text).toMatch(/^Socket\(s\):\s+1$/m);
    const { host } = ingest(pastes);
    expect(said(host, /cores and sockets inferred/)).toEqual([]); // 128 CPUs, 120 cores counted: no numbering fits
    expect(host.packages.map((p) => formatIdList(p.cpus.filter((id) => id < 120)))).toEqual(hwlocPackages(tree.root));
    expect(host.cores).toHaveLength(128);
    expect(said(host, /lscpu says 1 socket: every CPU is in package 0/).map((d) => d.severity)).toEqual(['info']);
    expect(said(host, /1 thread per core: each CPU is a core of its own/)).toHaveLength(1);
  });

  it('EPYC 2 sockets × 4 nodes, SLIT 10/12/32: nodes 0-3 and 4-7 by the distance tier 12', () => {
    const tree = sysfsOf('epyc-slit', epycWithSlit());
    const pastes = pastesOf(tree.root);
    expect(pastes[0].text).toMatch(/^Socket\(s\):\s+2$/m);
    expect(pastes[1].text).toMatch(/^\s*0:\s+10\s+12\s+12\s+12\s+32/m);
    const { host } = ingest(pastes);
    expect(said(host, /cores and sockets inferred/)).toEqual([]); // the numbering alone does not tell
    expect(host.packages.map((p) => formatIdList(p.cpus))).toEqual(hwlocPackages(tree.root));
    const placed = said(host, /packages inferred from lscpu's 2 sockets/);
    expect(placed.map((d) => [d.severity, d.message])).toEqual([
      ['info', "packages inferred from lscpu's 2 sockets and the node distances: nodes 0-3 | 4-7 are within 12 of each other, 4 per socket; paste `lscpu -e` for the real mapping"],
    ]);
  });

  it('the same EPYC with a SLIT that does not split its nodes 4 and 4: the CPU order decides', () => {
    const epyc = epycWithSlit();
    // Near pairs by (i + j) mod 3: 0-3, 1-2, 1-5, 2-4 … no tier makes two groups of four.
    const odd = { ...epyc, distances: epyc.nodes.map((_, i) => epyc.nodes.map((__, j) => (i === j ? 10 : (i + j) % 3 === 0 ? 12 : 32))) };
    const tree = sysfsOf('epyc-odd-slit', odd);
    const { host } = ingest(pastesOf(tree.root));
    expect(host.packages.map((p) => formatIdList(p.cpus))).toEqual(hwlocPackages(tree.root));
    expect(said(host, /filled in CPU order/)).toHaveLength(1);
  });

  it('CPUs dealt to sockets in turn (memorysidecaches) with a SLIT that does not split the nodes either: unknown, and why', () => {
    const base = corpusHost('hwloc-linux/memorysidecaches.lstopo.xml');
    // A chain 0-1-2-3 at 11: no tier cuts it into two pairs.
    const odd = { ...base, distances: base.nodes.map((_, i) => base.nodes.map((__, j) => (i === j ? 10 : Math.abs(i - j) === 1 ? 11 : 21))) };
    const tree = sysfsOf('round-robin-odd-slit', odd);
    expect(hwlocPackages(tree.root)).toHaveLength(2);
    const { host } = ingest(pastesOf(tree.root));
    expect(host.packages).toEqual([]);
    expect(said(host, /no distance tier splits those nodes into 2 groups of 2, nor does filling sockets in CPU order keep each node in one/)).toHaveLength(1);
  });

  it('32 sockets in chassis of 4 (10/21/31), 4 cores × 2 threads each: one node per package', () => {
    const tree = sysfsOf('32-socket', socketHost(32, 4, 21, 31));
    const pastes = pastesOf(tree.root);
    expect(pastes[0].text).toMatch(/^Socket\(s\):\s+32$/m);
    const { host } = ingest(pastes);
    expect(host.packages).toHaveLength(32);
    expect(host.packages.map((p) => formatIdList(p.cpus))).toEqual(hwlocPackages(tree.root));
    expect(said(host, /lscpu says 32 sockets and 32 node\(s\) have CPUs: one node per package/)).toHaveLength(1);
  });

  it('16 sockets grouped 2 nodes each by the within-socket distance of a made-up SNC2 host', () => {
    // The 32-socket host's nodes paired into 16 sockets: lscpu reads 16 packages from the tree.
    const base = socketHost(32, 4, 21, 31);
    const pair = (id: number) => Math.floor(id / 2);
    const cpus = base.cpus.map((c) => ({ ...c, package: pair(c.package ?? 0) }));
    const packages = Array.from({ length: 16 }, (_, p) => ({ id: p, cpus: cpus.filter((c) => c.package === p).map((c) => c.id) }));
    const distances = base.nodes.map((a) => base.nodes.map((b) => (a.id === b.id ? 10 : pair(a.id) === pair(b.id) ? 11 : Math.floor(a.id / 4) === Math.floor(b.id / 4) ? 21 : 31)));
    const tree = sysfsOf('16-socket-snc2', { ...base, cpus, packages, distances });
    const { host } = ingest(pastesOf(tree.root));
    expect(host.packages.map((p) => formatIdList(p.cpus))).toEqual(hwlocPackages(tree.root));
    expect(said(host, /nodes 0-1 \| 2-3 \| 4-5 .* are within 11 of each other, 2 per socket/)).toHaveLength(1);
  });
});
