/**
 * What merge infers when the pastes leave it to, said in the words the user reads: node kinds on
 * a host with memoryless nodes, one core per CPU when lscpu says 1 thread per core, one node 0
 * when no paste names nodes, packages a CPU-order guess would get wrong, and the distances no
 * paste gives. Real corpus pastes; written for the mutants tests/host/merge.test.ts let through.
 */
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { readCorpus } from '../support/corpus.ts';

const hostOf = (...files: [string, string][]) => ingest(files.map(([folder, file]) => ({ name: file, text: readCorpus(folder, file) }))).host;
const infos = (host: ReturnType<typeof hostOf>) => host.diagnostics.filter((d) => d.severity === 'info').map((d) => d.message);

describe('node kinds (numactl -H of an EPYC 7401 with memoryless nodes)', () => {
  const host = hostOf(['pasted', 'numactl-H-epyc7401-memoryless-nodes.txt']);

  it('calls a node with CPUs and 0 MB cpu-only, and one with memory cpu+memory', () => {
    expect(host.nodes.map((n) => [n.id, n.kind])).toEqual([
      [0, 'cpu-only'],
      [1, 'cpu+memory'],
      [2, 'cpu-only'],
      [3, 'cpu-only'],
      [4, 'cpu-only'],
      [5, 'cpu+memory'],
      [6, 'cpu-only'],
      [7, 'cpu-only'],
    ]);
    expect(host.nodes[1].memoryKiB).toBe(32342016);
    expect(host.nodes[0].cpus).toEqual([0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88]);
  });
});

describe('one thread per core (lscpu of a sparc64, no NUMA lines)', () => {
  const host = hostOf(['util-linux-lscpu', 'sparc64.lscpu.txt']);

  it('makes each CPU a core of its own, and says so', () => {
    expect(host.cpus.map((c) => c.id)).toEqual([6, 7, 10, 11, 14, 15]);
    expect(host.cores.map((c) => c.cpus)).toEqual([[6], [7], [10], [11], [14], [15]]);
    expect(host.cpus.map((c) => c.siblings)).toEqual([[6], [7], [10], [11], [14], [15]]);
    expect(infos(host)).toContain("lscpu says 1 thread per core: each CPU is a core of its own; paste `lscpu -e` for the real mapping");
  });

  it('shows every CPU in one node 0, as Linux does without NUMA, with its own distance only', () => {
    expect(host.nodes.map((n) => [n.id, formatIdList(n.cpus), n.memoryKiB, n.kind])).toEqual([[0, '6-7,10-11,14-15', null, 'cpu+memory']]);
    expect(host.cpus.every((c) => c.node === 0)).toBe(true);
    expect(host.distances).toEqual([[10]]);
    expect(infos(host)).toContain('no paste named NUMA nodes: all CPUs are shown in one node 0, as Linux does without NUMA');
  });

  it('reads its packages from the socket count and its caches from the summary, each said as inferred', () => {
    expect(host.packages.map((p) => p.cpus)).toEqual([[6], [7], [10], [11], [14], [15]]);
    expect(infos(host)).toContain('lscpu says 6 sockets for 6 CPUs: each CPU is a package of its own');
    expect(infos(host)).toContain('cache sharing inferred from lscpu (L1/L2 per core, L3 per socket); paste `lscpu -e` or hwloc XML for the real layout');
    // util-linux printed this summary with `lscpu -s` on an x86_64 machine, and says so: the paste wins.
    expect(host.machine).toEqual({ arch: 'x86_64', model: 'TI UltraSparc II  (BlackBird)' });
  });
});

describe('a guess of packages that splits a node (lscpu of an s390 z/VM guest)', () => {
  const host = hostOf(['util-linux-lscpu', 's390-zvm.lscpu.txt']);

  it('is dropped, said, and packages come from the socket count instead', () => {
    expect(infos(host)).toEqual([
      "cores and sockets inferred from lscpu's counts (4 socket(s) × 1 core(s) × 1 thread(s)) and the node CPU lists: one thread per core; paste `lscpu -e` for the real mapping",
      'no paste named NUMA nodes: all CPUs are shown in one node 0, as Linux does without NUMA',
      'filling sockets in CPU order would split node 0 across sockets, so that part of the inference is not used: this host numbers its CPUs another way',
      'lscpu says 4 sockets for 4 CPUs: each CPU is a package of its own',
    ]);
    expect(host.packages.map((p) => [p.id, p.cpus])).toEqual([
      [0, [0]],
      [1, [1]],
      [2, [2]],
      [3, [3]],
    ]);
    expect(host.cores.map((c) => c.cpus)).toEqual([[0], [1], [2], [3]]);
    expect(host.machine).toEqual({ arch: 'x86_64', vendor: 'IBM/S390' });
  });
});

describe('distances no paste gives', () => {
  // The talk's lscpu names four nodes; a numactl -H of only its first two gives their distances.
  const half = [
    'available: 2 nodes (0-1)',
    `node 0 cpus: ${[...Array(15).keys(), ...Array.from({ length: 15 }, (_, i) => 60 + i)].join(' ')}`,
    'node 0 size: 129018 MB',
    'node 0 free: 118358 MB',
    `node 1 cpus: ${[...Array.from({ length: 15 }, (_, i) => 15 + i), ...Array.from({ length: 15 }, (_, i) => 75 + i)].join(' ')}`,
    'node 1 size: 129018 MB',
    'node 1 free: 118358 MB',
    'node distances:',
    'node   0   1',
    '  0:  10  21',
    '  1:  21  10',
    '',
  ].join('\n');
  const { host } = ingest([
    { name: 'talk.lscpu', text: readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt') },
    { name: 'half.numactl', text: half },
  ]);

  it('are Linux\'s default 20, the first six named and the rest counted', () => {
    expect(host.distances).toEqual([
      [10, 21, 20, 20],
      [21, 10, 20, 20],
      [20, 20, 10, 20],
      [20, 20, 20, 10],
    ]);
    expect(host.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message)).toEqual([
      "no paste gives the distance 0→2, 0→3, 1→2, 1→3, 2→0, 2→1 and 4 more; shown as 20, Linux's default remote distance",
    ]);
  });

  it('leave the memory of the nodes that numactl gives', () => {
    expect(host.nodes.map((n) => n.memoryKiB)).toEqual([129018 * 1024, 129018 * 1024, null, null]);
  });

  it('are none for a host of several nodes no paste gives distances for', () => {
    const alone = hostOf(['pasted', 'talk-e7-8895v2.lscpu.txt']);
    expect(alone.nodes).toHaveLength(4);
    expect(alone.distances).toEqual([]);
    expect(alone.diagnostics.filter((d) => d.severity === 'warning')).toEqual([]);
  });
});
