import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import { validate } from '../../src/core/guest/validate.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { talkExample1, talkExample2, talkHost, TALK_REQUEST } from '../support/golden.ts';

const host = talkHost();

/** A fresh golden layout, changed by `edit`, so each case breaks exactly one thing. */
function broken(edit: (l: GuestLayout) => void, base = talkExample1): GuestLayout {
  const layout = structuredClone(base());
  edit(layout);
  return layout;
}

function messages(layout: GuestLayout, severity: 'error' | 'warning' | 'info', withHost = true): string[] {
  return validate(layout, withHost ? host : undefined)
    .filter((d) => d.severity === severity)
    .map((d) => d.message);
}

describe('validate: the golden layouts are clean', () => {
  it.each([
    ['host mode', talkExample1],
    ['node mode', talkExample2],
  ])('%s has no diagnostics, with and without the host', (_, make) => {
    expect(validate(make(), host)).toEqual([]);
    expect(validate(make())).toEqual([]);
  });

  it.each([
    ['auto mode', TALK_REQUEST],
    ['host mode', { ...TALK_REQUEST, mode: 'host' as const }],
    ['node mode', { ...TALK_REQUEST, mode: 'node' as const, nodeset: '1', pinning: 'node-float' as const }],
  ])("solve()'s %s layout has no diagnostics", (_, request) => {
    expect(validate(solve(host, request).layout, host)).toEqual([]);
  });
});

describe('validate: each rule fires on a minimal broken layout', () => {
  const cases: [string, GuestLayout, 'error' | 'warning' | 'info', string][] = [
    ['topology product', broken((l) => (l.topology.cores = 3)), 'error', "CPU topology doesn't match maximum vcpu count"],
    ['current > max', broken((l) => (l.currentVcpus = 17)), 'error', 'maximum vCPU count must not be less than current vCPU count'],
    [
      'cell ids not from 0',
      broken((l) => (l.cells[3].id = 4)),
      'error',
      "Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not starting from 0 are not allowed",
    ],
    ['duplicate cell id', broken((l) => (l.cells[3].id = 2)), 'error', "Duplicate NUMA cell info for cell id '2'"],
    ['overlapping cells', broken((l) => (l.cells[2].vcpus = [4, 8, 9, 10, 11])), 'error', 'NUMA cells 2 and 1 have overlapping vCPU ids'],
    ['vCPU in no cell', broken((l) => (l.cells[3].vcpus = [12, 13])), 'warning', "vCPUs 14-15 are in no NUMA cell; libvirt's QEMU driver adds them to cell 0"],
    ['cpus beyond count', broken((l) => (l.cells[3].vcpus = [12, 13, 14, 16])), 'error', 'CPU IDs in <numa> exceed the <vcpu> count'],
    ['more cpus than count', broken((l) => (l.cells[3].vcpus = [12, 13, 14, 15, 16])), 'error', 'Number of CPUs in <numa> exceeds the <vcpu> count'],
    ['diagonal not 10', broken((l) => (l.cells[1].distances[1] = 11)), 'error', "'value 11' is invalid for 'sibling id 1' under NUMA 'cell id 1'"],
    ['remote 10', broken((l) => (l.cells[0].distances[2] = 10)), 'error', "'value 10' is invalid for 'sibling id 2' under NUMA 'cell id 0'"],
    ['distance > 255', broken((l) => (l.cells[0].distances[3] = 256)), 'error', "'value 256' is invalid for 'sibling id 3' under NUMA 'cell id 0'"],
    ['sibling beyond cells', broken((l) => l.cells[0].distances.push(21)), 'error', "'sibling_id 4' does not refer to a valid cell within NUMA 'cell id 0'"],
    ['short distance row', broken((l) => (l.cells[0].distances = [10, 21])), 'warning', 'cell 0 gives 2 of 4 distances; libvirt fills the rest with the mirrored value or 20'],
    ['asymmetric', broken((l) => (l.cells[0].distances[1] = 31)), 'info', 'distance cell 0 → cell 1 is 31 but cell 1 → cell 0 is 21'],
    ['distance unlike host', broken((l) => ((l.cells[0].distances[1] = 31), (l.cells[1].distances[0] = 31))), 'warning', 'distance cell 0 → cell 1 is 31 but their host nodes 0 → 1 are 21 apart'],
    ['memnode for a missing cell', broken((l) => (l.cells[3].id = 7)), 'error', "Argument 'cellid' in memnode element must correspond to existing guest's NUMA cell"],
    ['memnode twice', broken((l) => (l.cells[3].id = 0)), 'error', 'Multiple memnode elements with cellid 0'],
    ['empty nodeset', broken((l) => (l.cells[2].hostNodes = [])), 'warning', 'cell 2 has no host nodes: its memory is not bound to any host node'],
    ['unknown host node', broken((l) => (l.cells[2].hostNodes = [2, 9])), 'error', 'NUMA node 9 is not available'],
    ['cell over its node', broken((l) => (l.cells[1].memoryKiB = 200 << 20)), 'error', 'cell 1 needs 200 GiB of memory but host node 1 holds 126.0 GiB'],
    ['preferred cell over its nodes', broken((l) => ((l.cells[1].memoryKiB = 300 << 20), (l.cells[1].hostNodes = [1, 2]), (l.cells[1].memoryMode = 'preferred'))), 'warning', 'cell 1 needs 300 GiB of memory but host nodes 1-2 hold 252.0 GiB'],
    ['memory sum', broken((l) => (l.memoryKiB += 1024)), 'warning', "<memory> is 33555456 KiB but the NUMA cells hold 33554432 KiB; libvirt replaces <memory> with the cells' sum"],
    ['no memory', broken((l) => l.cells.forEach((c) => (c.memoryKiB = 0))), 'error', 'Memory size must be specified via <memory> or in the <numa> configuration'],
    ['hugepage divisibility', broken((l) => ((l.cells[1].hugepageSizeKiB = 1048576), (l.cells[1].memoryKiB += 2048), (l.cells[0].memoryKiB -= 2048))), 'error', 'cell 1 memory 8390656 KiB is not a multiple of its 1 GiB hugepages'],
    ['pin beyond vcpus', broken((l) => l.pins.push({ vcpu: 16, cpus: [20] })), 'warning', 'Ignoring vcpupin for missing vcpus'],
    ['duplicate pin', broken((l) => l.pins.splice(3, 0, { vcpu: 2, cpus: [3] })), 'error', "duplicate vcpupin for vcpu '2'"],
    ['empty pin', broken((l) => (l.pins[5].cpus = [])), 'error', "Failed to parse bitmap ''"],
    ['pin outside host', broken((l) => (l.pins[5].cpus = [130])), 'error', 'vCPU 5 is pinned to host CPUs 130, which are not online CPUs of this host'],
    ['emulator outside host', broken((l) => (l.emulatorpin = [0, 200])), 'error', 'the emulator is pinned to host CPUs 200, which are not online CPUs of this host'],
    ['two vCPUs on one CPU', broken((l) => (l.pins[5].cpus = [16])), 'warning', 'vCPUs 4 and 5 are both pinned to host CPU 16'],
    ['pin far from memory', broken((l) => (l.pins[5].cpus = [31])), 'warning', "vCPU 5 runs on host node 2 but cell 1's memory is on node 1 (distance 21)"],
    [
      'more than 255 vCPUs',
      broken((l) => ((l.vcpus = 256), (l.topology = { sockets: 1, dies: 1, clusters: 1, cores: 256, threads: 1 }), (l.cells = []), (l.pins = []))),
      'warning',
      "more than 255 vCPUs are only supported on q35-based machine types; more than 255 vCPUs require extended interrupt mode enabled on the iommu device (the layout does not know the machine type: check <os><type machine> and <iommu><driver eim='on'/>)",
    ],
    [
      'socket split',
      broken((l) => (l.topology = { sockets: 2, dies: 1, clusters: 1, cores: 4, threads: 2 })),
      'warning',
      'guest socket 0 (vCPUs 0-7) is split across NUMA cells 0, 1; RHEL warns a socket should sit in one cell or the guest may see a wrong topology or fail to boot',
    ],
    [
      'SMT siblings split',
      broken((l) => ((l.cells[0].vcpus = [0, 1, 2]), (l.cells[1].vcpus = [3, 4, 5, 6, 7]))),
      'warning',
      'SMT threads of guest core 1 (vCPUs 2-3) are split across NUMA cells 0, 1',
    ],
  ];

  it.each(cases)('%s', (_, layout, severity, message) => {
    expect(messages(layout, severity)).toContain(message);
  });

  it('host-dependent rules stay silent without a host', () => {
    for (const [, layout] of cases) {
      const without = validate(layout).map((d) => d.message);
      expect(without.some((m) => /not available|not online|runs on host node|apart|of memory but host/.test(m))).toBe(false);
    }
  });

  it('every diagnostic names where it is, with source layout and no line', () => {
    for (const [, layout] of cases)
      for (const d of validate(layout, host)) {
        expect(d.source).toBe('layout');
        expect(d.line).toBeUndefined();
        expect(d.path).toMatch(/^\/domain\//);
      }
  });

  it('a hugepage size the host nodes do not offer is reported when the host lists page sizes', () => {
    const withPages = structuredClone(host);
    withPages.nodes.forEach((n) => (n.hugepages = [{ sizeKiB: 2048, total: 100 }]));
    const layout = broken((l) => l.cells.forEach((c) => (c.hugepageSizeKiB = 1048576)));
    expect(validate(layout, withPages).map((d) => d.message)).toContain('page size 1048576 is not available on node 0');
    expect(validate(layout, host).filter((d) => d.severity === 'error')).toEqual([]);
  });
});
