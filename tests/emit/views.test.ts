/**
 * The views of a layout on the talk's golden example and on solve() results for corpus hosts.
 * The QEMU preview's agreement with libvirt itself is proven in tests/libvirt/judge.test.ts;
 * here: the texts people copy, and the guest view read back through our own ingest.
 */
import { describe, expect, it } from 'vitest';
import { guestLscpu, guestLscpuExtended, guestNumactl } from '../../src/core/emit/guest-view.ts';
import { DEFAULT_QEMU_OPTIONS, qemuArgv, qemuDialect } from '../../src/core/emit/qemu.ts';
import { virshCommands } from '../../src/core/emit/virsh.ts';
import { xlConfig } from '../../src/core/emit/xl.ts';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkExample1, talkExample2, talkHost, TALK_REQUEST } from '../support/golden.ts';

describe('QEMU preview', () => {
  it("prints the talk's first example as libvirt 9.0 does", () => {
    const argv = qemuArgv(talkExample1(), { ...DEFAULT_QEMU_OPTIONS, dialect: qemuDialect('9.0.0') });
    const lines = argv.split(' \\\n');
    expect(lines.slice(0, 4)).toEqual([
      '-m 32768',
      '-smp 16,sockets=4,dies=1,cores=2,threads=2',
      `-object '{"qom-type":"memory-backend-ram","id":"ram-node0","size":8589934592,"host-nodes":[0],"policy":"bind"}'`,
      '-numa node,nodeid=0,cpus=0-3,memdev=ram-node0',
    ]);
    expect(lines.filter((l) => l.startsWith('-numa dist'))).toHaveLength(16);
    expect(lines).toContain('-numa dist,src=2,dst=1,val=21');
  });

  it('speaks the modern dialect by default: size in KiB and clusters', () => {
    const argv = qemuArgv(talkExample2());
    expect(argv).toContain('-m size=33554432k');
    expect(argv).toContain('-smp 16,sockets=1,dies=1,clusters=1,cores=8,threads=2');
    // 10 local and nothing else: QEMU's default, so libvirt passes no distances.
    expect(argv).not.toContain('-numa dist');
  });

  it('backs hugepage cells with a preallocated file backend and binds nothing for restrictive cells', () => {
    const layout = talkExample1();
    layout.cells[1] = { ...layout.cells[1], hugepageSizeKiB: 1048576 };
    layout.cells[2] = { ...layout.cells[2], memoryMode: 'restrictive' };
    const argv = qemuArgv(layout, { ...DEFAULT_QEMU_OPTIONS, name: 'vm' });
    expect(argv).toContain(`'{"qom-type":"thread-context","id":"tc-ram-node1","node-affinity":[1]}'`);
    expect(argv).toContain(`"mem-path":"/dev/hugepages1G/libvirt/qemu/-1-vm","prealloc":true,"size":8589934592,"host-nodes":[1],"policy":"bind","prealloc-context":"tc-ram-node1"`);
    expect(argv).toContain(`'{"qom-type":"memory-backend-ram","id":"ram-node2","size":8589934592}'`);
  });

  it('repeats cpus= for disjoint vCPU lists and places expander buses on their cell', () => {
    const layout = talkExample1();
    layout.cells[0] = { ...layout.cells[0], vcpus: [0, 2, 3] };
    layout.devices = [{ bdf: '0000:03:00.0', cell: 0, policy: 'required' }];
    const argv = qemuArgv(layout);
    expect(argv).toContain('-numa node,nodeid=0,cpus=0,cpus=2-3,memdev=ram-node0');
    expect(argv).toContain(`-device '{"driver":"pxb-pcie","bus_nr":254,"id":"pci.1","numa_node":0,"bus":"pcie.0"}'`);
  });
});

describe('xl.cfg', () => {
  it("writes the talk's first example as Xen vnuma", () => {
    const cfg = xlConfig(talkExample1());
    expect(cfg).toContain('vcpus = 16\nmemory = 32768\nmaxmem = 32768\n');
    expect(cfg).toContain('cpus = [ "1", "61", "2", "62", "16", "76",');
    expect(cfg).toContain('vnuma = [ [ "pnode=0", "size=8192", "vcpus=0-3", "vdistances=10,21,21,21" ],\n          [ "pnode=1", "size=8192", "vcpus=4-7", "vdistances=21,10,21,21" ],');
    expect(cfg).toContain('# xl has no emulator or iothread pinning');
  });

  it('says what xl cannot hold instead of dropping it', () => {
    const layout = talkExample1();
    layout.cells[3] = { ...layout.cells[3], hostNodes: [2, 3], memoryKiB: 8388000 };
    const cfg = xlConfig(layout);
    expect(cfg).toContain('# vnode 3 is backed by host nodes 2-3; xl takes one pnode per vnode, so only 2 is used');
    expect(cfg).toContain('# vnode 3: 8388000 KiB rounded down to 8191 MiB');
    expect(cfg).toContain('maxmem = 32767');
  });
});

describe('virsh commands', () => {
  it("pins, binds and says what needs virsh edit for the talk's first example", () => {
    const text = virshCommands(talkExample1(), 'talk guest');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(`virsh vcpupin 'talk guest' 0 1 --config`);
    expect(lines[15]).toBe(`virsh vcpupin 'talk guest' 15 107 --config`);
    expect(lines).toContain(`virsh emulatorpin 'talk guest' 0,15,30,45,60,75,90,105 --config`);
    expect(lines).toContain(`virsh numatune 'talk guest' --mode strict --nodeset 0-3 --config`);
    expect(text).toContain('virsh edit');
  });
});

/** The guest view must be what our own ingest reads as the guest's cells and topology. */
function readGuestBack(layout: GuestLayout) {
  return ingest([
    { name: 'guest numactl -H', text: guestNumactl(layout) },
    { name: 'guest lscpu', text: guestLscpu(layout, { architecture: 'x86_64', modelName: 'Intel(R) Xeon(R) CPU E7-8895 v2 @ 2.80GHz' }) },
    { name: 'guest lscpu -e', text: guestLscpuExtended(layout) },
  ]).host;
}

function expectGuestView(layout: GuestLayout) {
  const guest = readGuestBack(layout);
  expect(guest.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(guest.nodes.map((n) => [n.id, n.cpus, n.memoryKiB])).toEqual(layout.cells.map((c) => [c.id, c.vcpus, Math.floor(c.memoryKiB / 1024) * 1024]));
  expect(guest.distances).toEqual(layout.cells.map((c) => c.distances));
  expect(guest.cpus.map((c) => c.id)).toEqual(Array.from({ length: layout.vcpus }, (_, i) => i));
  expect(guest.packages).toHaveLength(layout.topology.sockets);
  const t = layout.topology;
  expect(guest.cores).toHaveLength(layout.vcpus / t.threads);
  expect(guest.cores.every((c) => c.cpus.length === t.threads)).toBe(true);
  expect(guest.conflicts).toEqual([]);
}

describe('guest view', () => {
  it("prints numactl -H as numactl 2.0.16 does for the talk's first example", () => {
    const text = guestNumactl(talkExample1());
    expect(text.split('\n').slice(0, 4)).toEqual(['available: 4 nodes (0-3)', 'node 0 cpus: 0 1 2 3', 'node 0 size: 8192 MB', 'node 0 free: 8192 MB']);
    expect(text).toContain('node distances:\nnode   0   1   2   3 \n  0:  10  21  21  21 \n');
  });

  it('prints lscpu topology lines', () => {
    const text = guestLscpu(talkExample1());
    expect(text).toMatch(/^Thread\(s\) per core: +2$/m);
    expect(text).toMatch(/^Core\(s\) per socket: +2$/m);
    expect(text).toMatch(/^Socket\(s\): +4$/m);
    expect(text).toMatch(/^NUMA node3 CPU\(s\): +12-15$/m);
  });

  it('reads back through our ingest as the golden layouts', () => {
    expectGuestView(talkExample1());
    expectGuestView(talkExample2());
  });

  it('reads back through our ingest as solve() results on the talk host', () => {
    const host = talkHost();
    for (const request of [
      TALK_REQUEST,
      { ...TALK_REQUEST, distribution: 'round-robin' as const },
      { ...TALK_REQUEST, vcpus: 24, cells: 2 },
      { ...TALK_REQUEST, mode: 'node' as const, nodeset: '1', pinning: 'node-float' as const },
    ]) {
      const result = solve(host, request);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expectGuestView(result.layout);
    }
  });
});
