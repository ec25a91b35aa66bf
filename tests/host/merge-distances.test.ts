/**
 * The distance matrix merged from several pastes: where they disagree, virsh capabilities is
 * believed first, then hwloc XML, then numactl -H, then the rest (xl info -n), whatever the
 * paste order; a pair no paste gives is Linux's default 20, named in one warning (six pairs
 * at most, the rest counted); and a host whose nodes have no distances cannot have its
 * packages read from them. Real pastes: libvirt's and hwloc's own files, numactl -H run over
 * corpus sysfs dumps, an xl info -n quoted on xen-devel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { dumpRoot, numactlOver, readCorpus } from '../support/corpus.ts';

const numactlOf = (folder: string, tarball: string): Paste => ({ name: 'numactl-H.txt', text: numactlOver(join(dumpRoot(folder, tarball), 'sys/devices/system')) });
const warnings = (pastes: Paste[]) => ingest(pastes).host.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
const infos = (pastes: Paste[]) => ingest(pastes).host.diagnostics.filter((d) => d.severity === 'info').map((d) => d.message);

describe('pastes that disagree on a distance', () => {
  // Four sources of node 0 ↔ 1: virsh 20 (an aarch64 server), hwloc 40 (POWER8), numactl 12
  // (Kunpeng 920, which alone gives nodes 2 and 3), xl info 21 (a Xen host).
  const virsh: Paste = { name: 'capabilities.xml', text: readCorpus('libvirt-caps', 'virt-manager-kvm-aarch64.xml') };
  const hwloc: Paste = { name: 'power8.xml', text: readCorpus('hwloc-xml', 'power8gpudistances.xml') };
  const numactl: Paste = { name: 'numactl-H.txt', text: readCorpus('pasted', 'numactl-H-kunpeng920-2s4n.txt') };
  const xl: Paste = { name: 'xl-info-n.txt', text: readFileSync(join(import.meta.dirname, '../fixtures/xl-info/xen-2node-numainfo.xl-info-n.txt'), 'utf8') };
  const kunpengBeyond = (d01: number) => [
    [10, d01, 20, 22],
    [d01, 10, 22, 24],
    [20, 22, 10, 12],
    [22, 24, 12, 10],
  ];

  it('virsh capabilities first, pasted last; nodes only numactl names keep numactl\'s distances', () => {
    expect(ingest([xl, numactl, hwloc, virsh]).host.distances).toEqual(kunpengBeyond(20));
  });

  it('hwloc XML over numactl and xl info', () => {
    expect(ingest([xl, numactl, hwloc]).host.distances).toEqual(kunpengBeyond(40));
  });

  it('numactl -H over xl info, in either order', () => {
    expect(ingest([xl, numactl]).host.distances).toEqual(kunpengBeyond(12));
    expect(ingest([numactl, xl]).host.distances).toEqual(kunpengBeyond(12));
  });

  it('xl info alone gives its own', () => {
    expect(ingest([xl]).host.distances).toEqual([
      [10, 21],
      [21, 10],
    ]);
  });

  it('virsh capabilities over hwloc XML, in either order', () => {
    const d01 = (pastes: Paste[]) => ingest(pastes).host.distances[0][1];
    expect(d01([hwloc, virsh])).toBe(20);
    expect(d01([virsh, hwloc])).toBe(20);
    expect(d01([numactl, hwloc])).toBe(40);
  });

  it('none of this is a gap', () => {
    expect(warnings([xl, numactl, hwloc, virsh]).filter((m) => /distance/.test(m))).toEqual([]);
  });
});

describe('pairs no paste gives', () => {
  // numactl -H of a 4-socket Xeon X7550 with nodes 0, 2 and 3 and no distance section, with the
  // capabilities of a one-cell desktop: only 0 → 0 is known.
  const x7550 = numactlOf('util-linux-lscpu', 'x86_64-64cpu.tar.gz');
  const desktop: Paste = { name: 'capabilities.xml', text: readCorpus('libvirt-caps', 'virt-manager-kvm-x86_64.xml') };

  it('six are all named, the diagonal is 10, the rest 20', () => {
    const { host } = ingest([x7550, desktop]);
    expect(host.nodes.map((n) => n.id)).toEqual([0, 2, 3]);
    expect(host.distances).toEqual([
      [10, 20, 20],
      [20, 10, 20],
      [20, 20, 10],
    ]);
    expect(warnings([x7550, desktop])).toEqual(["no paste gives the distance 0→2, 0→3, 2→0, 2→3, 3→0, 3→2; shown as 20, Linux's default remote distance"]);
  });

  it('without any paste giving distances there is no matrix and no warning', () => {
    const { host } = ingest([x7550]);
    expect(host.distances).toEqual([]);
    expect(warnings([x7550])).toEqual([]);
  });

  it('a single node without distances is 10 from itself, silently', () => {
    const dell = numactlOf('util-linux-lscpu', 'x86_64-dell_e4310.tar.gz');
    expect(ingest([dell]).host.distances).toEqual([[10]]);
    expect(warnings([dell])).toEqual([]);
  });

  it('twelve: six named and six counted', () => {
    const talk: Paste = { name: 'talk.lscpu', text: readCorpus('pasted', 'talk-e7-8895v2.lscpu.txt') };
    const vm = ingest([talk, desktop]).host;
    expect(vm.distances.map((row) => row.join(' '))).toEqual(['10 20 20 20', '20 10 20 20', '20 20 10 20', '20 20 20 10']);
    expect(warnings([talk, desktop])).toEqual(["no paste gives the distance 0→1, 0→2, 0→3, 1→0, 1→2, 1→3 and 6 more; shown as 20, Linux's default remote distance"]);
  });
});

describe('packages read from the distances (dual Cascade Lake in SNC2, CPUs dealt to sockets in turn)', () => {
  const lscpu: Paste = { name: 'lscpu.txt', text: readCorpus('hwloc-linux', 'memorysidecaches.lscpu.txt') };
  const numactl = numactlOf('hwloc-linux', 'memorysidecaches.tar.bz2');

  it('lscpu alone names four nodes and no distances: packages stay unknown, and it says why', () => {
    const { host } = ingest([lscpu]);
    expect(host.distances).toEqual([]);
    expect(host.packages).toEqual([]);
    expect(infos([lscpu])).toEqual([
      "cores and sockets inferred from lscpu's counts (2 socket(s) × 20 core(s) × 2 thread(s)) and the node CPU lists: thread siblings 40 apart (CPU 0 and 40 share a core); paste `lscpu -e` for the real mapping",
      'filling sockets in CPU order would split node 0 across sockets, so that part of the inference is not used: this host numbers its CPUs another way',
      'lscpu says 2 sockets and 4 node(s) have CPUs, but without their distances which nodes share a socket is unknown, nor does filling sockets in CPU order keep each node in one, so packages are unknown; paste `lscpu -e` for the real mapping',
    ]);
  });

  it('with numactl -H the nodes 11 apart share a socket', () => {
    const { host } = ingest([lscpu, numactl]);
    expect(host.distances).toEqual([
      [10, 21, 11, 21],
      [21, 10, 21, 11],
      [11, 21, 10, 21],
      [21, 11, 21, 10],
    ]);
    expect(host.packages.map((p) => [p.id, formatIdList(p.cpus)])).toEqual([
      [0, formatIdList(Array.from({ length: 40 }, (_, i) => 2 * i))],
      [1, formatIdList(Array.from({ length: 40 }, (_, i) => 2 * i + 1))],
    ]);
    expect(infos([lscpu, numactl])).toContain('packages inferred from lscpu\'s 2 sockets and the node distances: nodes 0,2 | 1,3 are within 11 of each other, 2 per socket; paste `lscpu -e` for the real mapping');
  });
});
