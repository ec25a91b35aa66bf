/**
 * Packages, dies, clusters, cores and CPUs merged from the pastes, in the numbering the user's
 * tools print: libvirt's socket/die/cluster/core ids kept as given (an aarch64 host's sparse
 * 36 and 3180), lists in id order within their package whatever order the CPUs come in, core
 * kinds of hybrid CPUs, CPUs lscpu lists as offline, the host's model, and for each paste
 * what it was read as. Real pastes: libvirt's and virt-manager's capabilities, hwloc's XML and
 * lscpu of corpus dumps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { extractDump, readCorpus, runPeer } from '../support/corpus.ts';

const paste = (folder: string, file: string): Paste => ({ name: file, text: readCorpus(folder, file) });

describe('an aarch64 host with clusters and sparse socket ids (libvirt capabilities)', () => {
  const host = () => ingest([paste('libvirt-caps', 'vircaps-aarch64-basic-clusters.xml')]).host;

  it('keeps libvirt\'s ids for packages, dies, clusters and cores', () => {
    expect(host().packages).toStrictEqual([
      { id: 36, cpus: [0, 1, 2, 3] },
      { id: 3180, cpus: [4, 5, 6, 7] },
    ]);
    expect(host().dies).toStrictEqual([
      { package: 36, id: 0, cpus: [0, 1, 2, 3] },
      { package: 3180, id: 0, cpus: [4, 5, 6, 7] },
    ]);
    expect(host().clusters).toStrictEqual([
      { package: 36, id: 0, cpus: [0, 1] },
      { package: 36, id: 1, cpus: [2, 3] },
      { package: 3180, id: 256, cpus: [4, 5] },
      { package: 3180, id: 257, cpus: [6, 7] },
    ]);
    expect(host().cores).toStrictEqual([
      { index: 0, cpus: [0, 1], package: 36, die: 0, cluster: 0, osId: 0 },
      { index: 1, cpus: [2, 3], package: 36, die: 0, cluster: 1, osId: 1 },
      { index: 2, cpus: [4, 5], package: 3180, die: 0, cluster: 256, osId: 256 },
      { index: 3, cpus: [6, 7], package: 3180, die: 0, cluster: 257, osId: 257 },
    ]);
  });

  it('gives each CPU its place, siblings and node', () => {
    expect(host().cpus.slice(3, 5)).toStrictEqual([
      { id: 3, online: true, siblings: [2, 3], caches: [], package: 36, die: 0, cluster: 1, node: 0, core: 1 },
      { id: 4, online: true, siblings: [4, 5], caches: [], package: 3180, die: 0, cluster: 256, node: 1, core: 2 },
    ]);
  });

  it('names the paste and what it was read as, and the machine as far as it says', () => {
    expect(host().sources).toStrictEqual([{ name: 'vircaps-aarch64-basic-clusters.xml', format: 'virsh-caps', label: 'virsh capabilities', lines: 39, unknownLines: 0, errors: 0, warnings: 0 }]);
    expect(host().machine).toStrictEqual({ arch: 'aarch64' });
    expect(host().groups).toBeUndefined();
  });
});

describe('an aarch64 server whose CPUs alternate between clusters (virt-manager\'s capabilities)', () => {
  const host = () => ingest([paste('libvirt-caps', 'virt-manager-kvm-aarch64.xml')]).host;

  it('lists clusters by package, then id, not by first CPU', () => {
    const ids = Array.from({ length: 40 }, (_, i) => 96 + 20 * i);
    expect(host().clusters.map((c) => c.id)).toEqual([...ids, ...ids.map((id) => id + 1280)]);
    expect(host().clusters.slice(0, 3)).toStrictEqual([
      { package: 56, id: 96, cpus: [36, 37] },
      { package: 56, id: 116, cpus: [76, 77] },
      { package: 56, id: 136, cpus: [32, 33] },
    ]);
    expect(host().clusters[79]).toStrictEqual({ package: 76, id: 2156, cpus: [150, 151] });
  });

  it('numbers cores by first CPU and keeps the core ids libvirt gives', () => {
    expect(host().cores.slice(0, 3)).toStrictEqual([
      { index: 0, cpus: [0], package: 56, die: 0, cluster: 456, osId: 4608 },
      { index: 1, cpus: [1], package: 56, die: 0, cluster: 456, osId: 4609 },
      { index: 2, cpus: [2], package: 56, die: 0, cluster: 496, osId: 5120 },
    ]);
    expect(host().dies.map((d) => [d.package, d.id, formatIdList(d.cpus)])).toEqual([
      [56, 0, '0-79'],
      [76, 0, '80-159'],
    ]);
  });
});

describe('a 4-socket Xeon with offline CPUs whose sockets are not in CPU order (hwloc XML)', () => {
  const host = () => ingest([paste('hwloc-xml', '16em64t-4s2c2t-offlines.xml')]).host;

  it('lists packages by id', () => {
    expect(host().packages.map((p) => [p.id, formatIdList(p.cpus)])).toEqual([
      [0, '0,4,12'],
      [1, '1'],
      [2, '6'],
      [3, '3,15'],
    ]);
  });

  it('knows which CPUs are offline', () => {
    expect(formatIdList(host().cpus.filter((c) => !c.online).map((c) => c.id))).toBe('2,5,7-11,13-14');
  });
});

describe('a hybrid i7-1370P (hwloc XML)', () => {
  const host = () => ingest([paste('hwloc-linux', '20em64t-hybrid-1p6c2t+2ca4co1t.lstopo.xml')]).host;

  it('gives cores and CPUs their kind: P-cores kind#1 with two threads, E-cores kind#0 with one', () => {
    expect(host().cores.map((c) => `${formatIdList(c.cpus)} ${c.kind}`)).toEqual([
      ...Array.from({ length: 6 }, (_, i) => `${2 * i}-${2 * i + 1} kind#1`),
      ...Array.from({ length: 8 }, (_, i) => `${12 + i} kind#0`),
    ]);
    expect(host().cores[6]).toStrictEqual({ index: 6, cpus: [12], package: 0, osId: 24, kind: 'kind#0' });
    expect(host().cpus.map((c) => c.kind)).toEqual([...Array(12).fill('kind#1'), ...Array(8).fill('kind#0')]);
  });

  it('names the machine as hwloc does', () => {
    expect(host().machine).toStrictEqual({ arch: 'x86_64', vendor: 'GenuineIntel', model: '13th Gen Intel(R) Core(TM) i7-1370P', hostname: 'vesubie' });
  });
});

describe('a Haswell pair with CPUs 0-3 and 21-23 offline (lscpu, then lscpu -e)', () => {
  const lscpu = paste('hwloc-linux', 'offline-cpu0-node0.lscpu.txt');

  it('lscpu\'s off-line list marks CPUs offline; its notes name the paste', () => {
    const host = ingest([lscpu]).host;
    expect(formatIdList(host.cpus.map((c) => c.id))).toBe('0-23');
    expect(formatIdList(host.cpus.filter((c) => !c.online).map((c) => c.id))).toBe('0-3,21-23');
    expect(host.diagnostics.map((d) => d.source)).toEqual(['offline-cpu0-node0.lscpu.txt', 'offline-cpu0-node0.lscpu.txt']);
    expect(host.machine).toStrictEqual({ arch: 'x86_64', vendor: 'GenuineIntel', model: 'Intel(R) Xeon(R) CPU E5-2680 v3 @ 2.50GHz' });
  });

  it('with lscpu -e, packages come from its SOCKET column, and the notes are numascope\'s', () => {
    const host = ingest([lscpu, paste('hwloc-linux', 'offline-cpu0-node0.lscpu-e.txt')]).host;
    expect(host.packages.map((p) => [p.id, formatIdList(p.cpus)])).toEqual([
      [0, '4,6,8,10,12,14,16,18,20'],
      [1, '5,7,9,11,13,15,17,19'],
    ]);
    expect(formatIdList(host.cpus.filter((c) => !c.online).map((c) => c.id))).toBe('0-3,21-23');
    expect(host.sources.map((s) => [s.format, s.label])).toEqual([
      ['lscpu', 'lscpu'],
      ['lscpu-e', 'lscpu -e'],
    ]);
  });

  it('merge\'s own notes name numascope when several pastes were merged', () => {
    const talk = ingest([paste('pasted', 'talk-e7-8895v2.lscpu.txt'), paste('pasted', 'talk-e7-8895v2.numactl-H.txt')]).host;
    expect(talk.diagnostics.map((d) => [d.severity, d.source])).toEqual([
      ['info', 'numascope'],
      ['info', 'numascope'],
    ]);
  });
});

describe('plain xl info (no per-CPU table): CPUs from its count alone', () => {
  const host = () => ingest([{ name: 'xl-info.txt', text: readFileSync(join(import.meta.dirname, '../fixtures/xl-info/xen418-intel-56cpu.xl-info.txt'), 'utf8') }]).host;

  it('has CPUs 0-55, each a core of its own, all in node 0', () => {
    expect(formatIdList(host().cpus.map((c) => c.id))).toBe('0-55');
    expect(host().cores.map((c) => c.cpus)).toEqual(Array.from({ length: 56 }, (_, i) => [i]));
    expect(host().cpus[55]).toStrictEqual({ id: 55, online: true, siblings: [55], caches: [], node: 0, core: 55 });
    expect(host().machine).toStrictEqual({ arch: 'x86_64', hostname: 'abc.intel.com' });
  });
});

describe('what each paste was read as, with its own problems counted', () => {
  it('a numactl -H cut short (an error) beside plain xl info (a warning)', () => {
    const talk = readCorpus('pasted', 'talk-e7-8895v2.numactl-H.txt').trimEnd().split('\n');
    const xl = readFileSync(join(import.meta.dirname, '../fixtures/xl-info/xen418-intel-56cpu.xl-info.txt'), 'utf8');
    const host = ingest([
      { name: 'numactl-cut.txt', text: `${talk.slice(0, -1).join('\n')}\n` },
      { name: 'xl-info.txt', text: xl },
    ]).host;
    expect(host.sources).toStrictEqual([
      { name: 'numactl-cut.txt', format: 'numactl', label: 'numactl -H', lines: 18, unknownLines: 0, errors: 1, warnings: 0 },
      { name: 'xl-info.txt', format: 'xl-info', label: 'xl info -n', lines: 33, unknownLines: 0, errors: 0, warnings: 1 },
    ]);
    expect(host.diagnostics.map((d) => [d.severity, d.source])).toEqual([
      ['error', 'numactl-cut.txt'],
      ['warning', 'xl-info.txt'],
      ['info', 'numascope'],
    ]);
  });
});

describe('a CPU table without topology columns beside lstopo (four Magny-Cours sockets)', () => {
  const magny = '48amd64-4pa2n6c-sparse';
  const root = join(extractDump('hwloc-linux', `${magny}.tar.bz2`), '48amd64-4d2n6c-sparse');
  const nodesOnly: Paste = { name: 'lscpu-e-cpu-node.txt', text: runPeer('lscpu', ['-e=CPU,NODE', '-s', root]) };
  const lstopo = paste('hwloc-linux', `${magny}.lstopo.txt`);

  it('does not hide lstopo\'s cores and packages, though lscpu -e ranks first', () => {
    const host = ingest([nodesOnly, lstopo]).host;
    expect(host.cores).toHaveLength(48);
    expect(host.cores[12]).toStrictEqual({ index: 12, cpus: [12], package: 1, osId: 12 });
    expect(host.packages.map((p) => formatIdList(p.cpus))).toEqual(['0-11', '12-23', '24-35', '36-47']);
    expect(host.diagnostics).toEqual([]);
  });
});

describe('lscpu -e with only a CORE column beside lstopo (the i7-1370P)', () => {
  const hybrid = '20em64t-hybrid-1p6c2t+2ca4co1t';
  const coresOnly: Paste = { name: 'lscpu-e-cpu-core.txt', text: runPeer('lscpu', ['-e=CPU,CORE', '-s', join(extractDump('hwloc-linux', `${hybrid}.tar.bz2`), hybrid)]) };
  const host = () => ingest([coresOnly, paste('hwloc-linux', `${hybrid}.lstopo.txt`)]).host;

  it('groups cores by lscpu -e\'s ids and takes each CPU\'s package, node and caches from lstopo', () => {
    expect(host().packages.map((p) => [p.id, formatIdList(p.cpus)])).toEqual([[0, '0-19']]);
    expect(host().cores.map((c) => formatIdList(c.cpus))).toEqual([...Array.from({ length: 6 }, (_, i) => `${2 * i}-${2 * i + 1}`), ...Array.from({ length: 8 }, (_, i) => String(12 + i))]);
    expect(host().cores[7]).toStrictEqual({ index: 7, cpus: [13], package: 0, osId: 7 });
    expect(host().cpus[13]).toStrictEqual({ id: 13, online: true, siblings: [13], caches: [22, 23, 19, 0], package: 0, node: 0, core: 7 });
  });
});
