/**
 * What the guest sees, judged by the real tools: the guest's sysfs is written the way its kernel
 * would expose QEMU's machine (vCPU v on socket, die, cluster, core, thread by QEMU's
 * socket-major numbering; one node per cell, with the cell's memory and distances), then
 * Debian's numactl -H (over that sysfs, in a private mount namespace) and util-linux's
 * `lscpu -s` print it. Our guest views (src/core/emit/guest-view.ts) must print the same.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { guestLscpu, guestLscpuExtended, guestNumactl } from '../../src/core/emit/guest-view.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import type { Core, Cpu, Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/index.ts';
import { corpusHost, numactlOver, runPeer } from '../support/corpus.ts';
import { talkExample1, talkExample2, talkHost, TALK_REQUEST } from '../support/golden.ts';
import { writeSysfs } from '../libvirt/sysfs.ts';

const GiB = 1 << 20;
const work = mkdtempSync(join(tmpdir(), 'numascope-guest-view-'));

/** The machine QEMU builds from a layout, as the guest kernel describes it in sysfs. */
function guestMachine(layout: GuestLayout): Host {
  const t = layout.topology;
  const coresPerSocket = t.dies * t.clusters * t.cores;
  const online = layout.currentVcpus ?? layout.vcpus;
  const cells = layout.cells.length > 0 ? layout.cells : [{ id: 0, vcpus: Array.from({ length: layout.vcpus }, (_, v) => v), memoryKiB: layout.memoryKiB, distances: [10] }];
  const cellOf = new Map(cells.flatMap((c) => c.vcpus.map((v) => [v, c.id] as const)));
  const cores: Core[] = [];
  const cpus: Cpu[] = [];
  for (let v = 0; v < layout.vcpus; v++) {
    const core = Math.floor(v / t.threads);
    const socket = Math.floor(core / coresPerSocket);
    if (!cores[core]) cores[core] = { index: core, package: socket, osId: core % coresPerSocket, cpus: [] };
    cores[core].cpus.push(v);
    cpus.push({ id: v, online: v < online, package: socket, core, node: cellOf.get(v), siblings: cores[core].cpus, caches: [] });
  }
  const sockets = Array.from({ length: t.sockets }, (_, s) => ({ id: s, cpus: cpus.filter((c) => c.package === s).map((c) => c.id) }));
  return {
    machine: {},
    packages: sockets,
    dies: [],
    clusters: [],
    cores,
    nodes: cells.map((c) => ({ id: c.id, cpus: c.vcpus.filter((v) => v < online), memoryKiB: c.memoryKiB, freeKiB: c.memoryKiB, hugepages: [], kind: c.vcpus.length > 0 ? 'cpu+memory' : 'memory-only' })),
    cpus,
    caches: [],
    distances: cells.map((c) => c.distances),
    pci: [],
    sources: [],
    conflicts: [],
    diagnostics: [],
  };
}

function realLscpu(root: string, ...args: string[]): string {
  return runPeer('lscpu', ['-s', root, ...args]);
}

/** The lines of `lscpu` both sides print: counts and topology, not the host's CPU model. */
function topologyLines(text: string): string[] {
  return text.split('\n').filter((l) => /^(CPU\(s\)|On-line CPU|Off-line CPU|Thread|Core\(s\)|Socket|NUMA node)/.test(l)).map((l) => l.replace(/\s+/g, ' ').trimEnd());
}

const layouts: [string, GuestLayout][] = [
  ['talk example 1', talkExample1()],
  ['talk example 2', talkExample2()],
  ['talk host, 24 vCPUs over 3 cells', solve(talkHost(), { ...TALK_REQUEST, vcpus: 24, memoryKiB: 48 * GiB, cells: 3, mode: 'node' }).layout],
  ['256ppc, 4 threads per core', solve(corpusHost('hwloc-linux/256ppc-8n8s4t.lstopo.xml'), { ...TALK_REQUEST, vcpus: 32, memoryKiB: 4 * GiB }).layout],
  ['KNL with an MCDRAM tier (a node without CPUs)', solve(corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml'), { ...TALK_REQUEST, vcpus: 8, memoryKiB: 3 * GiB, mode: 'node', tierMemoryKiB: 2 * GiB }).layout],
  ['no cells, 6 of 8 vCPUs present', { ...talkExample1(), vcpus: 8, currentVcpus: 6, cells: [], pins: [], topology: { sockets: 1, dies: 1, clusters: 1, cores: 4, threads: 2 } }],
  ['2 sockets, 10 of 16 vCPUs present (one core in the second socket)', { ...talkExample1(), currentVcpus: 10, topology: { sockets: 2, dies: 1, clusters: 1, cores: 4, threads: 2 } }],
  ['cells of two vCPUs ("0,1" in lscpu)', solve(talkHost(), { ...TALK_REQUEST, vcpus: 8, memoryKiB: 8 * GiB, cells: 4, mode: 'node', threadPolicy: 'prefer' }).layout],
];

describe.each(layouts)('%s: the guest views match the real tools over the guest\'s sysfs', (name, layout) => {
  const machine = guestMachine(layout);
  const root = writeSysfs(machine, join(work, name.replace(/\W+/g, '-')));
  // vCPUs beyond `current` are possible (hot-pluggable) but not present in a QEMU guest.
  writeFileSync(join(root, 'sys/devices/system/cpu/present'), `${formatIdList(machine.cpus.filter((c) => c.online).map((c) => c.id))}\n`);
  // lscpu -s reads /proc/cpuinfo too: it reads sysfs topology only for CPUs of a known type.
  mkdirSync(join(root, 'proc'), { recursive: true });
  const cpuinfo = (c: Cpu) => `processor\t: ${c.id}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 62\nmodel name\t: QEMU Virtual CPU\nphysical id\t: ${c.package}\n`;
  writeFileSync(join(root, 'proc/cpuinfo'), machine.cpus.filter((c) => c.online).map(cpuinfo).join('\n'));

  it('numactl -H', () => {
    expect(guestNumactl(layout)).toBe(numactlOver(join(root, 'sys/devices/system')));
  });

  it('lscpu', () => {
    expect(topologyLines(guestLscpu(layout))).toEqual(topologyLines(realLscpu(root)));
  });

  it('lscpu -e=CPU,NODE,SOCKET,CORE,ONLINE', () => {
    expect(guestLscpuExtended(layout)).toBe(realLscpu(root, '-e=CPU,NODE,SOCKET,CORE,ONLINE'));
  });
});
