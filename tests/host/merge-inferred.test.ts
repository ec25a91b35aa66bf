/**
 * What merge infers when the pastes leave it to, checked whole on the hosts where it must: the
 * talk's host from lscpu and numactl -H (cores paired by the counts, packages one per node, caches
 * L1/L2 per core and L3 per socket), a sparc64 lscpu without NUMA lines (one node 0, a core and a
 * package per CPU), an s390 z/VM guest whose CPU-order guess would split its node, an EPYC with
 * memoryless nodes, and distances one paste gives only half of. Each host is merged inside its
 * test, as a person pasting would see it.
 */
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { readCorpus } from '../support/corpus.ts';

const paste = (folder: string, file: string): Paste => ({ name: file, text: readCorpus(folder, file) });
const hostOf = (...pastes: Paste[]) => ingest(pastes).host;
const notes = (host: Host) => host.diagnostics.map((d) => `${d.severity} ${d.source}: ${d.message}`);
const cacheList = (host: Host) => host.caches.map((c) => `L${c.level} ${c.type} ${c.sizeKiB}: ${formatIdList(c.cpus)}`);

const talkLscpu = paste('pasted', 'talk-e7-8895v2.lscpu.txt');
const talkNumactl = paste('pasted', 'talk-e7-8895v2.numactl-H.txt');
const socketOf = (s: number) => `${15 * s}-${15 * s + 14},${60 + 15 * s}-${74 + 15 * s}`;

describe("the talk's E7-8895 v2 from lscpu and numactl -H", () => {
  it('pairs CPU n with n+60 in a core, one package per node, and says both were inferred', () => {
    const host = hostOf(talkLscpu, talkNumactl);
    expect(host.cpus[1]).toStrictEqual({ id: 1, online: true, siblings: [1, 61], caches: [65, 125, 5, 0], package: 0, node: 0, core: 1 });
    expect(host.cores[59]).toStrictEqual({ index: 59, cpus: [59, 119], package: 3, osId: 59 });
    expect(host.packages.map((p) => [p.id, formatIdList(p.cpus)])).toEqual([0, 1, 2, 3].map((s) => [s, socketOf(s)]));
    expect(notes(host)).toEqual([
      "info numascope: cores and sockets inferred from lscpu's counts (4 socket(s) × 15 core(s) × 2 thread(s)) and the node CPU lists: thread siblings 60 apart (CPU 0 and 60 share a core); paste `lscpu -e` for the real mapping",
      'info numascope: cache sharing inferred from lscpu (L1/L2 per core, L3 per socket); paste `lscpu -e` or hwloc XML for the real layout',
    ]);
  });

  it('infers an L3 per socket and an L2, L1d and L1i per core, sized from lscpu', () => {
    const list = cacheList(hostOf(talkLscpu, talkNumactl));
    expect(list).toHaveLength(4 + 3 * 60);
    expect(list.slice(0, 6)).toEqual([...[0, 1, 2, 3].map((s) => `L3 unified 38400: ${socketOf(s)}`), 'L2 unified 256: 0,60', 'L2 unified 256: 1,61']);
    expect(list.slice(64, 66)).toEqual(['L1 data 32: 0,60', 'L1 data 32: 1,61']);
    expect(list.slice(124, 126)).toEqual(['L1 instruction 32: 0,60', 'L1 instruction 32: 1,61']);
  });

  it('takes node memory and distances from numactl', () => {
    const host = hostOf(talkLscpu, talkNumactl);
    expect(host.nodes[1]).toStrictEqual({ id: 1, cpus: host.packages[1].cpus, memoryKiB: 129018 * 1024, freeKiB: 118358 * 1024, hugepages: [], kind: 'cpu+memory' });
    expect(host.distances).toEqual([0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 10 : 21))));
  });

  it("lscpu alone names four nodes but no distances: none are made up, and nothing is a gap", () => {
    const host = hostOf(talkLscpu);
    expect(host.nodes.map((n) => [n.id, formatIdList(n.cpus), n.memoryKiB])).toEqual([0, 1, 2, 3].map((s) => [s, socketOf(s), null]));
    expect(host.distances).toEqual([]);
    expect(host.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });
});

describe('distances numactl -H gives for half the talk\'s nodes', () => {
  const row = (from: number) => Array.from({ length: 15 }, (_, i) => from + i);
  const half: Paste = {
    name: 'half.numactl',
    text: [
      'available: 2 nodes (0-1)',
      `node 0 cpus: ${[...row(0), ...row(60)].join(' ')}`,
      'node 0 size: 129018 MB',
      'node 0 free: 118358 MB',
      `node 1 cpus: ${[...row(15), ...row(75)].join(' ')}`,
      'node 1 size: 129018 MB',
      'node 1 free: 118358 MB',
      'node distances:',
      'node   0   1',
      '  0:  10  21',
      '  1:  21  10',
      '',
    ].join('\n'),
  };

  it('fill the rest with 20, name six gaps and count four, and leave the other nodes without memory', () => {
    const host = hostOf(talkLscpu, half);
    expect(host.distances).toEqual([
      [10, 21, 20, 20],
      [21, 10, 20, 20],
      [20, 20, 10, 20],
      [20, 20, 20, 10],
    ]);
    expect(host.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message)).toEqual([
      "no paste gives the distance 0→2, 0→3, 1→2, 1→3, 2→0, 2→1 and 4 more; shown as 20, Linux's default remote distance",
    ]);
    expect(host.nodes.map((n) => n.memoryKiB)).toEqual([129018 * 1024, 129018 * 1024, null, null]);
  });
});

describe('a sparc64 lscpu: six sockets of one CPU, no NUMA lines', () => {
  const sparc = paste('util-linux-lscpu', 'sparc64.lscpu.txt');

  it('is one node 0, 10 from itself, with a core and a package per CPU', () => {
    const host = hostOf(sparc);
    expect(host.nodes).toStrictEqual([{ id: 0, cpus: [6, 7, 10, 11, 14, 15], memoryKiB: null, freeKiB: null, hugepages: [], kind: 'cpu+memory' }]);
    expect(host.distances).toEqual([[10]]);
    expect(host.cores).toStrictEqual([6, 7, 10, 11, 14, 15].map((id, i) => ({ index: i, cpus: [id], package: i })));
    expect(host.packages).toStrictEqual([6, 7, 10, 11, 14, 15].map((id, i) => ({ id: i, cpus: [id] })));
    expect(host.cpus[1]).toStrictEqual({ id: 7, online: true, siblings: [7], caches: [7, 13, 1], node: 0, package: 1, core: 1 });
  });

  it('has an L2, L1d and L1i per CPU, and says each inference once', () => {
    const host = hostOf(sparc);
    expect(cacheList(host)).toEqual([
      ...[6, 7, 10, 11, 14, 15].map((id) => `L2 unified 1024: ${id}`),
      ...[6, 7, 10, 11, 14, 15].map((id) => `L1 data 16: ${id}`),
      ...[6, 7, 10, 11, 14, 15].map((id) => `L1 instruction 16: ${id}`),
    ]);
    expect(notes(host)).toEqual([
      "info sparc64.lscpu.txt: lscpu says 1 thread per core: each CPU is a core of its own; paste `lscpu -e` for the real mapping",
      'info sparc64.lscpu.txt: no paste named NUMA nodes: all CPUs are shown in one node 0, as Linux does without NUMA',
      'info sparc64.lscpu.txt: lscpu says 6 sockets for 6 CPUs: each CPU is a package of its own',
      'info sparc64.lscpu.txt: cache sharing inferred from lscpu (L1/L2 per core, L3 per socket); paste `lscpu -e` or hwloc XML for the real layout',
    ]);
  });
});

describe('an s390 z/VM guest whose CPU-order guess would split node 0', () => {
  it('drops the guess, says so, and makes each CPU a package from the socket count', () => {
    const host = hostOf(paste('util-linux-lscpu', 's390-zvm.lscpu.txt'));
    expect(host.packages).toStrictEqual([0, 1, 2, 3].map((id) => ({ id, cpus: [id] })));
    expect(host.cores).toStrictEqual([0, 1, 2, 3].map((id) => ({ index: id, cpus: [id], package: id, osId: id })));
    expect(host.caches).toEqual([]);
    expect(notes(host).map((n) => n.replace(/^info s390-zvm\.lscpu\.txt: /, ''))).toEqual([
      "cores and sockets inferred from lscpu's counts (4 socket(s) × 1 core(s) × 1 thread(s)) and the node CPU lists: one thread per core; paste `lscpu -e` for the real mapping",
      'no paste named NUMA nodes: all CPUs are shown in one node 0, as Linux does without NUMA',
      'filling sockets in CPU order would split node 0 across sockets, so that part of the inference is not used: this host numbers its CPUs another way',
      'lscpu says 4 sockets for 4 CPUs: each CPU is a package of its own',
    ]);
  });
});

describe('numactl -H of an EPYC 7401 whose nodes 1 and 5 alone have memory', () => {
  it('calls the others cpu-only', () => {
    const host = hostOf(paste('pasted', 'numactl-H-epyc7401-memoryless-nodes.txt'));
    expect(host.nodes.map((n) => `${n.id} ${n.kind} ${n.memoryKiB}`)).toEqual(['0 cpu-only 0', '1 cpu+memory 32342016', '2 cpu-only 0', '3 cpu-only 0', '4 cpu-only 0', '5 cpu+memory 32987136', '6 cpu-only 0', '7 cpu-only 0']);
    expect(formatIdList(host.nodes[0].cpus)).toBe('0,8,16,24,32,40,48,56,64,72,80,88');
  });
});
