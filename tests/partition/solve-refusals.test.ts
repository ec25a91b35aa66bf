/**
 * Requests solve refuses or warns about (src/core/partition/solve.ts), each in the words the
 * user reads, and never a layout for an impossible request: numbers past QEMU's and libvirt's
 * limits, nodesets naming nodes the host lacks (libvirt's own text) or nodes without CPUs,
 * tier memory that cannot go anywhere, thread policies the host or guest cannot meet, cell
 * sizes (Nova's hw:numa_cpus.N / hw:numa_mem.N) that do not add up, and devices not on the host.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { solve } from '../../src/core/partition/solve.ts';
import type { PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const talk = talkHost();
const kunpeng = corpusHost('pasted/numactl-H-kunpeng920-2s4n.txt');
const knl = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
const NO_SLIT = 'info: the host gave no node distances: assuming 10 within a node and 20 between nodes, as Linux does';
const MEMORY_ONLY = (n: number) => `info: host node ${n} is memory-only: it can hold the guest's memory as a CPU-less cell, never its vCPUs`;

function said(host: Host, patch: Partial<PartitionRequest>): string[] {
  const r = solve(host, { ...TALK_REQUEST, ...patch });
  if (r.diagnostics.some((d) => d.severity === 'error')) expect(r.layout.cells).toEqual([]);
  return r.diagnostics.map((d) => `${d.severity}: ${d.message}`);
}

describe('numbers', () => {
  const cases: [Partial<PartitionRequest>, string][] = [
    [{ vcpus: 0 }, 'the guest needs a whole, positive number of vCPUs, not 0'],
    [{ vcpus: 1.5 }, 'the guest needs a whole, positive number of vCPUs, not 1.5'],
    [{ memoryKiB: 0 }, 'the guest needs a whole, positive amount of memory in KiB, not 0'],
    [{ memoryKiB: 0.5 }, 'the guest needs a whole, positive amount of memory in KiB, not 0.5'],
    [{ cells: 0 }, 'cells must be a whole number of at least 1, not 0'],
    [{ cells: 2.5 }, 'cells must be a whole number of at least 1, not 2.5'],
    [{ vcpus: 5000 }, "5000 vCPUs are more than QEMU's largest machine takes (4096)"],
    [{ vcpus: 300, cells: 300 }, "300 cells are more than QEMU's 128 NUMA nodes"],
    [{ memoryKiB: 2 ** 53 }, '9007199254740992 KiB is more memory than libvirt can express'],
    [{ vcpus: 2, cells: 4 }, '2 vCPUs cannot fill 4 cells: every cell needs at least one vCPU'],
    [{ vcpus: 1, cells: 4 }, '1 vCPU cannot fill 4 cells: every cell needs at least one vCPU'],
    [{ memoryKiB: 3 * 1024 }, '3 MiB is too little to give each of 4 cells a whole 1 MiB'],
    // exact KiB, not "32.0 GiB", for an amount a hair past a whole number of pages
    [{ hugepageSizeKiB: GiB, memoryKiB: 32 * GiB + 4 }, '33554436 KiB of memory is not a whole number of 1 GiB hugepages'],
  ];
  for (const [patch, message] of cases) it(`${JSON.stringify(patch)}: ${message}`, () => expect(said(talk, patch)).toEqual([`error: ${message}`]));
});

describe('nodesets', () => {
  it('names the nodes the host lacks as libvirt does, one line for many', () => {
    expect(said(talk, { nodeset: '0,7' })).toEqual(['error: NUMA node 7 is unavailable']);
    expect(said(talk, { nodeset: '0,7-9' })).toEqual(['error: NUMA nodes 7-9 are unavailable']);
    expect(said(talk, { nodeset: '0-' })).toEqual(["error: Invalid nodeset '0-': '0-' is not a number or a range in list '0-'"]);
  });

  it('takes memory-only nodes as tiers, never for vCPUs, and refuses a nodeset of them alone', () => {
    expect(said(knl, { nodeset: '0,4', vcpus: 4, memoryKiB: GiB / 2 })).toEqual([NO_SLIT, MEMORY_ONLY(4)]);
    expect(said(knl, { nodeset: '4', vcpus: 4, memoryKiB: GiB / 2 })).toEqual([NO_SLIT, MEMORY_ONLY(4), "error: nodeset '4' names no host node with online CPUs"]);
  });

  it('leaves out a node whose CPUs are all offline, and refuses it where the guest mirrors the nodeset', () => {
    const offline: Host = { ...talk, cpus: talk.cpus.map((c) => (c.node === 1 ? { ...c, online: false } : c)) };
    expect(said(offline, { nodeset: '0-1', mode: 'node', pinning: 'node-float', vcpus: 4, memoryKiB: GiB })).toEqual(['warning: host node 1 has no online CPUs, so it cannot run vCPUs; it is left out']);
    expect(said(offline, { nodeset: '0-1', mode: 'host', vcpus: 4, memoryKiB: GiB })).toEqual(['error: host node 1 has no online CPUs, so it cannot run vCPUs']);
    const dark: Host = { ...talk, cpus: talk.cpus.map((c) => ({ ...c, online: false })) };
    expect(said(dark, {})).toEqual(['error: the host has no online CPU in any NUMA node to place vCPUs on']);
  });
});

describe('tier memory', () => {
  it('must be whole KiB below the guest\'s memory, have a memory-only node to go to, and be whole granules', () => {
    expect(said(talk, { tierMemoryKiB: -1 })).toEqual(["error: tier memory must be a whole number of KiB below the guest's 32 GiB, not -1"]);
    expect(said(talk, { tierMemoryKiB: 32 * GiB })).toEqual(["error: tier memory must be a whole number of KiB below the guest's 32 GiB, not 33554432"]);
    expect(said(talk, { tierMemoryKiB: GiB })).toEqual(['error: 1 GiB of tier memory asked, but the host has no memory-only node']);
    expect(said(knl, { nodeset: '0-3', vcpus: 4, memoryKiB: 2 * GiB, tierMemoryKiB: GiB })).toEqual([NO_SLIT, "error: 1 GiB of tier memory asked, but nodeset '0-3' names no memory-only node"]);
    expect(said(knl, { nodeset: '0,4', vcpus: 4, memoryKiB: GiB, tierMemoryKiB: GiB / 2 + 4 })).toEqual([NO_SLIT, MEMORY_ONLY(4), 'error: 524292 KiB of tier memory is not a whole number of 1 MiB']);
  });
});

describe('thread policy require', () => {
  it('needs host cores of two threads, and guest cores of two', () => {
    expect(said(kunpeng, { threadPolicy: 'require', vcpus: 8, memoryKiB: GiB })).toEqual(["error: thread policy 'require' needs host cores with two or more threads; these nodes have one"]);
    expect(said(talk, { threadPolicy: 'require', distribution: 'round-robin' })).toEqual(["error: thread policy 'require' needs guest cores of two or more threads; round-robin gives the guest one thread per core"]);
    expect(said(talk, { threadPolicy: 'require', vcpus: 4, cells: 4 })).toEqual(["error: thread policy 'require' needs guest cores of two or more threads; a cell has one vCPU"]);
  });
});

describe('cell sizes given', () => {
  const cases: [Partial<PartitionRequest>, string[]][] = [
    [{ cellMemoryKiB: [8 * GiB, 8 * GiB, 8 * GiB, 8 * GiB] }, ['cell memory sizes need cell vCPU counts beside them']],
    [{ cellVcpus: [0, 16] }, ['cell vCPU counts must be whole numbers of at least 1, not 0,16']],
    [{ cellVcpus: [] }, ['cell vCPU counts must be whole numbers of at least 1, not ']],
    [{ cellVcpus: [4, 4, 4] }, ["cell vCPU counts 4 + 4 + 4 make 12, not the guest's 16 vCPUs"]],
    [{ cellVcpus: [8, 8], cells: 4 }, ['2 cell vCPU counts for 4 cells']],
    [{ cellVcpus: [8, 8], cellMemoryKiB: [32 * GiB] }, ['1 cell memory sizes for 2 cells']],
    [{ cellVcpus: [8, 8], cellMemoryKiB: [16 * GiB + 1, 16 * GiB - 1] }, ["every cell's memory must be a whole number of 1 MiB"]],
    [{ cellVcpus: [8, 8], cellMemoryKiB: [0, 32 * GiB] }, ["every cell's memory must be a whole number of 1 MiB"]],
    [{ cellVcpus: [8, 8], cellMemoryKiB: [8 * GiB, 8 * GiB] }, ['cell memory sizes make 16 GiB, not the 32 GiB the CPU cells hold']],
    [{ cellVcpus: [4, 4, 4], cells: 4, cellMemoryKiB: [GiB] }, ["cell vCPU counts 4 + 4 + 4 make 12, not the guest's 16 vCPUs", '3 cell vCPU counts for 4 cells', '1 cell memory sizes for 3 cells']],
  ];
  for (const [patch, messages] of cases) it(`${JSON.stringify(patch)}`, () => expect(said(talk, { mode: 'host', ...patch })).toEqual(messages.map((m) => `error: ${m}`)));

  it('lays out cells of the sizes given, and says so', () => {
    const r = solve(talk, { ...TALK_REQUEST, cellVcpus: [12, 4], cellMemoryKiB: [24 * GiB, 8 * GiB] });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.layout.cells.map((c) => [c.vcpus.length, c.memoryKiB])).toEqual([[12, 24 * GiB], [4, 8 * GiB]]);
    expect(r.explanation).toContain('cells of 12 + 4 vCPUs, as the request gives them');
  });
});

describe('devices', () => {
  it('refuses a required device the host does not have, and only warns of a preferred one', () => {
    expect(said(talk, { devices: [{ bdf: '0000:99:00.0', policy: 'required' }] })).toEqual(['error: device 0000:99:00.0 is not on this host']);
    expect(said(talk, { devices: [{ bdf: '0000:99:00.0', policy: 'preferred' }] })).toEqual(['warning: device 0000:99:00.0 is not on this host']);
  });
});
