/**
 * One test per finding kind, named by its code (issue 17): guests that have it and guests that do
 * not, on real hosts (the talk's E7, corpus dumps), as domain XML written by the domain-xml writer
 * and read back. Where a finding carries an edit, applying it through editAll() makes it go.
 */
import { describe, expect, it } from 'vitest';
import { audit, type AuditGuest, type Finding } from '../../src/core/audit/index.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import type { Host } from '../../src/core/host/model.ts';
import { libvirtPids, numastatProcesses } from '../../src/core/ingest/runtime.ts';
import { editAll } from '../../src/core/partition/index.ts';
import { occupancyOf } from '../../src/core/partition/occupancy.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost } from '../support/golden.ts';
import { GiB, findingsOf, guest, solved } from './support.ts';

const talk = talkHost();
/** Node 0 of the talk's host: CPUs 0-14 and their SMT siblings 60-74. */
const NODE0 = [...Array(15).keys()].flatMap((i) => [i, 60 + i]).sort((x, y) => x - y);

/** The guest after the finding's edit, applied as the app will: editAll() beside the other guests. */
function fixed(host: Host, guests: readonly AuditGuest[], finding: Finding): AuditGuest[] {
  expect(finding.edit).toBeDefined();
  const { guest: name, ops } = finding.edit!;
  const target = guests.find((g) => g.name === name)!;
  const others = occupancyOf(guests.filter((g) => g !== target).map((g) => ({ name: g.name, layout: g.layout })), host);
  const edited = editAll(host, target.layout, ops, others);
  expect(edited.ok, JSON.stringify(edited)).toBe(true);
  if (!edited.ok) return [...guests];
  return guests.map((g) => (g === target ? guest(g.name, edited.result.layout) : g));
}

/** A cell-less guest with every vCPU pinned one-to-one to `cpus`, in order. */
function flat(cpus: readonly number[], memoryKiB = 4 * GiB): GuestLayout {
  return {
    vcpus: cpus.length,
    topology: { sockets: cpus.length, dies: 1, clusters: 1, cores: 1, threads: 1 },
    cells: [],
    pins: cpus.map((c, vcpu) => ({ vcpu, cpus: [c] })),
    emulatorpin: [],
    iothreadpins: [],
    memoryKiB,
    devices: [],
  };
}

describe('pin-overlap', () => {
  const a = guest('web', solved(talk, { vcpus: 4, nodeset: '0' }));
  it('two guests on the same 1:1 CPUs is an error, and its edit moves the second guest off them', () => {
    const b = guest('db', a.layout);
    const [f, ...rest] = findingsOf(talk, [a, b], 'pin-overlap');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', guests: ['web', 'db'], cpus: a.layout.pins.flatMap((p) => p.cpus).sort((x, y) => x - y) });
    expect(f.edit?.guest).toBe('db');
    expect(findingsOf(talk, fixed(talk, [a, b], f), 'pin-overlap')).toEqual([]);
  });
  it('a 1:1 guest on CPUs another guest floats over is an error too', () => {
    const floating = guest('batch', { ...a.layout, pins: a.layout.pins.map((p) => ({ vcpu: p.vcpu, cpus: NODE0 })) });
    const [f] = findingsOf(talk, [a, floating], 'pin-overlap');
    expect(f).toMatchObject({ severity: 'error', guests: ['web', 'batch'], nodes: [0] });
    expect(f.fix).toContain("floating cpuset of 'batch'");
  });
  it('a guest laid out beside the first, and two guests floating over one node, share nothing one-to-one', () => {
    expect(findingsOf(talk, [a, guest('db', solved(talk, { vcpus: 4 }, [a]))], 'pin-overlap')).toEqual([]);
    const float = (name: string) => guest(name, { ...a.layout, pins: a.layout.pins.map((p) => ({ vcpu: p.vcpu, cpus: NODE0 })) });
    expect(findingsOf(talk, [float('x'), float('y')], 'pin-overlap')).toEqual([]);
  });
});

describe('smt-shared', () => {
  // One vCPU on CPU 1 of node 0; CPU 61 is its SMT sibling on the talk's host.
  const one = (name: string, cpu: number) => guest(name, { ...solved(talk, { vcpus: 1, memoryKiB: GiB, nodeset: '0' }), pins: [{ vcpu: 0, cpus: [cpu] }] });
  it('two guests on the two threads of one core is a warning naming both threads', () => {
    expect(talk.cpus.find((c) => c.id === 1)?.siblings).toEqual([1, 61]);
    const [f, ...rest] = findingsOf(talk, [one('a', 1), one('b', 61)], 'smt-shared');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', guests: ['a', 'b'], cpus: [1, 61], nodes: [0] });
    expect(findingsOf(talk, fixed(talk, [one('a', 1), one('b', 61)], f), 'smt-shared')).toEqual([]);
  });
  it('guests on different cores, one guest on both threads, or two on the very same CPUs (pin-overlap) share no core', () => {
    expect(findingsOf(talk, [one('a', 1), one('b', 2)], 'smt-shared')).toEqual([]);
    expect(audit(talk, [one('a', 1), one('b', 1)]).map((f) => f.kind)).toEqual(['pin-overlap']);
    expect(findingsOf(talk, [guest('a', solved(talk, { vcpus: 2, nodeset: '0' }))], 'smt-shared')).toEqual([]);
  });
});

describe('emulator-on-vcpus', () => {
  const layout = solved(talk, { vcpus: 4 });
  it("an emulator pinned onto the guest's own 1:1 vCPU is a warning, and so is one on another guest's", () => {
    const vcpuCpu = layout.pins[0].cpus[0];
    const own = guest('web', { ...layout, emulatorpin: [vcpuCpu] });
    expect(findingsOf(talk, [own], 'emulator-on-vcpus')).toMatchObject([{ severity: 'warning', guests: ['web'], cpus: [vcpuCpu] }]);
    const other = guest('db', { ...solved(talk, { vcpus: 2, nodeset: '2' }), emulatorpin: [vcpuCpu], iothreadpins: [] });
    const [f] = findingsOf(talk, [guest('web', layout), other], 'emulator-on-vcpus');
    expect(f).toMatchObject({ guests: ['db', 'web'], cpus: [vcpuCpu] });
    expect(f.fix).toMatch(/^Pin the emulator of 'db' to CPUs no vCPU holds, such as host CPUs /);
  });
  it("solve()'s emulator pin on the node's first core touches no vCPU", () => {
    expect(layout.emulatorpin.length).toBeGreaterThan(0);
    expect(findingsOf(talk, [guest('web', layout)], 'emulator-on-vcpus')).toEqual([]);
  });
});

describe('remote-memory', () => {
  const layout = solved(talk, { vcpus: 4, nodeset: '0', cells: 1 });
  it("vCPUs on node 0 with their cell's memory bound to node 2 is a warning, and its edit brings them to their memory", () => {
    const far = guest('web', { ...layout, cells: layout.cells.map((c) => ({ ...c, hostNodes: [2] })) });
    const [f] = findingsOf(talk, [far], 'remote-memory');
    expect(f).toMatchObject({ severity: 'warning', guests: ['web'], nodes: [0, 2] });
    expect(f.message).toContain('distance up to 21');
    expect(findingsOf(talk, fixed(talk, [far], f), 'remote-memory')).toEqual([]);
  });
  it('a cell-less guest bound by <numatune> to the node it runs on is local; to another node it is remote', () => {
    const numatune = (nodeset: string) => ({ beforeOs: `  <numatune>\n    <memory mode='strict' nodeset='${nodeset}'/>\n  </numatune>` });
    expect(findingsOf(talk, [guest('flat', flat([1, 2]), numatune('0'))], 'remote-memory')).toEqual([]);
    expect(findingsOf(talk, [guest('flat', flat([1, 2]), numatune('3'))], 'remote-memory')).toMatchObject([{ cpus: [1, 2], nodes: [0, 3] }]);
    expect(findingsOf(talk, [guest('web', layout)], 'remote-memory')).toEqual([]);
  });
});

describe('unbound-memory', () => {
  it('a guest pinned to node 0 of a 4-node host without <numatune> is a warning', () => {
    expect(findingsOf(talk, [guest('flat', flat([1, 2, 3]))], 'unbound-memory')).toMatchObject([
      { severity: 'warning', guests: ['flat'], cpus: [1, 2, 3], nodes: [0] },
    ]);
  });
  it("a guest with cells but no <numatune> gets an edit binding each cell's memory where its vCPUs run", () => {
    const layout = solved(talk, { vcpus: 4, nodeset: '1', cells: 1 });
    const unbound = guest('web', { ...layout, cells: layout.cells.map((c) => ({ ...c, hostNodes: [] })) });
    const [f] = findingsOf(talk, [unbound], 'unbound-memory');
    expect(f.edit?.ops).toEqual([{ kind: 'move-memory', cell: 0, node: 1 }]);
    expect(findingsOf(talk, fixed(talk, [unbound], f), 'unbound-memory')).toEqual([]);
  });
  it('bound memory, automatic placement, unpinned vCPUs and a one-node host are not', () => {
    expect(findingsOf(talk, [guest('flat', flat([1, 2]), { beforeOs: "  <numatune>\n    <memory mode='strict' nodeset='0'/>\n  </numatune>" })], 'unbound-memory')).toEqual([]);
    expect(findingsOf(talk, [guest('flat', flat([1, 2]), { beforeOs: "  <numatune>\n    <memory mode='strict' placement='auto'/>\n  </numatune>" })], 'unbound-memory')).toEqual([]);
    expect(findingsOf(talk, [guest('free', { ...flat([1, 2]), pins: [] })], 'unbound-memory')).toEqual([]);
    const single = corpusHost('hwloc-linux/16em64t-4s2c2t-offlines.lstopo.xml');
    expect(findingsOf(single, [guest('flat', flat([0, 1]))], 'unbound-memory')).toEqual([]);
  });
});

describe('spans-without-vnuma', () => {
  it('a cell-less guest pinned over nodes 0 and 1 is a warning', () => {
    const [f, ...rest] = findingsOf(talk, [guest('wide', flat([1, 2, 16, 17]))], 'spans-without-vnuma');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', guests: ['wide'], cpus: [1, 2, 16, 17], nodes: [0, 1] });
    expect(f.fix).toBe("Give 'wide' 2 NUMA cells, one per host node it runs on (0-1), each with its vCPUs pinned and its memory bound there.");
  });
  it('through <vcpu cpuset> too; a guest on one node, or with cells, is not', () => {
    const unpinned = { ...flat([1, 2]), pins: [] };
    expect(findingsOf(talk, [guest('wide', unpinned, { vcpuAttributes: "placement='static' cpuset='0-29'" })], 'spans-without-vnuma')).toMatchObject([{ nodes: [0, 1] }]);
    expect(findingsOf(talk, [guest('narrow', flat([1, 2, 3]))], 'spans-without-vnuma')).toEqual([]);
    expect(findingsOf(talk, [guest('cells', solved(talk, { vcpus: 8, nodeset: '0-1', mode: 'host' }))], 'spans-without-vnuma')).toEqual([]);
  });
});

describe('node-memory-overcommit', () => {
  // Node 0 of the talk's host has 125.6 GiB.
  const big = (name: string) => guest(name, solved(talk, { vcpus: 4, memoryKiB: 64 * GiB, nodeset: '0', cells: 1 }));
  it('two guests binding 64 GiB each to node 0 is an error, and moving one cell away clears it', () => {
    const guests = [big('a'), big('b')];
    const [f, ...rest] = findingsOf(talk, guests, 'node-memory-overcommit');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', guests: ['a', 'b'], nodes: [0] });
    expect(f.message).toBe("'a' and 'b' bind 128 GiB of memory to host node 0, which has 125.6 GiB.");
    expect(f.edit).toMatchObject({ guest: 'b', ops: [{ kind: 'move-cell', cell: 0 }] });
    expect(findingsOf(talk, fixed(talk, guests, f), 'node-memory-overcommit')).toEqual([]);
  });
  it('the second guest laid out beside the first goes to another node', () => {
    const a = big('a');
    expect(findingsOf(talk, [a, guest('b', solved(talk, { vcpus: 4, memoryKiB: 64 * GiB, cells: 1 }, [a]))], 'node-memory-overcommit')).toEqual([]);
  });
});

describe('hugepages-short', () => {
  // libvirt's test capabilities: node 0 has 4096 × 2 MiB and 6144 × 1 GiB hugepages.
  const caps = corpusHost('libvirt-caps/vircaps-x86_64-basic.xml');
  const paged = (name: string, kib: number): AuditGuest =>
    guest(name, {
      ...flat([0]),
      topology: { sockets: 1, dies: 1, clusters: 1, cores: 1, threads: 1 },
      cells: [{ id: 0, vcpus: [0], memoryKiB: kib, hostNodes: [0], memoryMode: 'strict', distances: [10], hugepageSizeKiB: 2048 }],
      memoryKiB: kib,
    });
  it('two guests wanting 5120 × 2 MiB pages of node 0, which has 4096, is an error', () => {
    expect(findingsOf(caps, [paged('a', 6 * GiB), paged('b', 4 * GiB)], 'hugepages-short')).toMatchObject([
      { severity: 'error', guests: ['a', 'b'], nodes: [0], message: "'a' and 'b' need 5120 2 MiB hugepages on host node 0, which has 4096 free." },
    ]);
  });
  it('4096 pages fit, and a node without hugepage facts is not judged', () => {
    expect(findingsOf(caps, [paged('a', 4 * GiB), paged('b', 4 * GiB)], 'hugepages-short')).toEqual([]);
    expect(findingsOf(talk, [paged('a', 6 * GiB)], 'hugepages-short')).toEqual([]);
  });
});

describe('device-remote', () => {
  // 0000:04:00.0 sits on node 0 of this 2-node host.
  const host = corpusHost('hwloc-xml/24em64t-2n6c2t-pci.xml');
  const hostdev = `    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source><address domain='0x0000' bus='0x04' slot='0x00' function='0x0'/></source>
      <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>
    </hostdev>`;
  const expander = (cell: number) => `    <controller type='pci' index='1' model='pcie-expander-bus'>
      <model name='pxb-pcie'/>
      <target busNr='254'><node>${cell}</node></target>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>
    </controller>
    <controller type='pci' index='2' model='pcie-root-port'>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </controller>
${hostdev}`;
  it('a guest on node 1 given a device of node 0 is a warning whose edit moves the guest there', () => {
    expect(host.pci.find((d) => d.bdf === '0000:04:00.0')?.node).toBe(0);
    const far = guest('nic', solved(host, { vcpus: 2, nodeset: '1', cells: 1 }), { devices: hostdev });
    const [f] = findingsOf(host, [far], 'device-remote');
    expect(f).toMatchObject({ severity: 'warning', nodes: [0, 1], edit: { guest: 'nic', ops: [{ kind: 'move-cell', cell: 0, node: 0 }] } });
    expect(findingsOf(host, [guest('nic', solved(host, { vcpus: 2, nodeset: '0', cells: 1 }), { devices: hostdev })], 'device-remote')).toEqual([]);
  });
  it("a device hung from the expander bus of the cell on the other node is a warning; on its own node's cell it is not", () => {
    const two = solved(host, { vcpus: 4, nodeset: '0-1', mode: 'host' });
    expect(two.cells.map((c) => c.hostNodes)).toEqual([[0], [1]]);
    const [f] = findingsOf(host, [guest('nic', two, { devices: expander(1) })], 'device-remote');
    expect(f.message).toContain('expander bus of guest cell 1');
    expect(f.fix).toContain('guest cell 0');
    expect(findingsOf(host, [guest('nic', two, { devices: expander(0) })], 'device-remote')).toEqual([]);
  });
});

describe('absent-cpu', () => {
  it('a pin on CPU 200 of a 120-CPU host is an error; pins on its CPUs are not', () => {
    const layout = solved(talk, { vcpus: 2, nodeset: '0', cells: 1 });
    const absent = guest('web', { ...layout, pins: [{ vcpu: 0, cpus: [200] }, layout.pins[1]] });
    const [f] = findingsOf(talk, [absent], 'absent-cpu');
    expect(f).toMatchObject({ severity: 'error', cpus: [200], nodes: [], edit: { ops: [{ kind: 'pin-vcpu', vcpu: 0, target: { node: 0 } }] } });
    expect(findingsOf(talk, fixed(talk, [absent], f), 'absent-cpu')).toEqual([]);
    expect(findingsOf(talk, [guest('web', layout)], 'absent-cpu')).toEqual([]);
  });
});

describe('offline-cpu', () => {
  // CPUs 2, 5, 13 and 14 of this host are offline.
  const host = corpusHost('hwloc-linux/16em64t-4s2c2t-offlines.lstopo.xml');
  it('an emulator and a vCPU on offline CPUs is an error; online ones are not', () => {
    expect(host.cpus.filter((c) => !c.online).map((c) => c.id)).toEqual([2, 5, 13, 14]);
    const [f] = findingsOf(host, [guest('g', { ...flat([0, 13]), emulatorpin: [2] })], 'offline-cpu');
    expect(f).toMatchObject({ severity: 'error', cpus: [2, 13] });
    expect(f.message).toBe("'g' pins vCPU 1, the emulator to host CPUs 2,13, which are offline on this host.");
    expect(findingsOf(host, [guest('g', flat([0, 1]))], 'offline-cpu')).toEqual([]);
    expect(findingsOf(host, [guest('g', flat([0, 1]))], 'absent-cpu')).toEqual([]);
  });
});

describe('memory-misplaced', () => {
  const numastat = `
Per-node process memory usage (in MBs)
PID              Node 0 Node 1 Node 2 Node 3 Total
---------------  ------ ------ ------ ------ -----
3389 (qemu-kvm)     512   7680      0      0  8192
4410 (qemu-kvm)    8000    192      0      0  8192
---------------  ------ ------ ------ ------ -----
Total              8512   7872      0      0 16384
`;
  // libvirt's pid files tie each QEMU process to its guest, as the collector prints them.
  const pids = '/run/libvirt/qemu/web.pid:3389\n/run/libvirt/qemu/db.pid:4410\n';
  it('a guest bound to node 0 whose memory sits on node 1 is a warning; one mostly on node 0 is not', () => {
    const names = libvirtPids(pids);
    const resident = new Map(numastatProcesses(numastat).map((p) => [names.get(p.pid), p.nodes]));
    const bound = solved(talk, { vcpus: 4, memoryKiB: 8 * GiB, nodeset: '0', cells: 1 });
    const web = { ...guest('web', bound), resident: resident.get('web') };
    const db = { ...guest('db', solved(talk, { vcpus: 4, memoryKiB: 8 * GiB, nodeset: '0', cells: 1 }, [web])), resident: resident.get('db') };
    const found = audit(talk, [web, db]).filter((f) => f.kind === 'memory-misplaced');
    expect(found).toMatchObject([{ severity: 'warning', guests: ['web'], nodes: [0, 1] }]);
    expect(found[0].message).toBe("7.5 GiB of the 8 GiB resident memory of 'web' is on host node 1, outside host node 0 it is bound to.");
  });
});

