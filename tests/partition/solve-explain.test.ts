/**
 * What solve tells (src/core/partition/solve.ts) besides the layout: why these nodes (the nodeset,
 * mode host's mirror, the fewest that fit), each node's room, the distance cost, what was left
 * to the host; why nothing fits and what would (suggestions tried for real); warnings for memory
 * past the free snapshot and for overcommitted nodes; devices local to a node.
 */
import { describe, expect, it } from 'vitest';
import { solve } from '../../src/core/partition/solve.ts';
import type { Occupancy } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost, TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const talk = talkHost();
const NODES = [
  'node 0: 14 free cores, 125.6 GiB free, 123.0 GiB of it unused when the host was dumped',
  'node 1: 14 free cores, 126.0 GiB free, 115.6 GiB of it unused when the host was dumped',
  'node 2: 14 free cores, 126.0 GiB free, 120.9 GiB of it unused when the host was dumped',
  'node 3: 14 free cores, 126.0 GiB free, 124.4 GiB of it unused when the host was dumped',
];
const errors = (r: ReturnType<typeof solve>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);

describe('why these nodes', () => {
  it('mode host mirrors every node with CPUs, the emulator on the first cores kept for the host', () => {
    expect(solve(talk, TALK_REQUEST).explanation).toEqual([
      'nodes 0-3: mode host mirrors every host node with CPUs',
      ...NODES,
      'cells 0-3 on nodes 0-3: distance cost 66',
      'CPUs 0,15,30,45,60,75,90,105 left to the host (first core of each node used): emulator pinned there',
    ]);
  });

  it('the nodeset names them', () => {
    expect(solve(talk, { ...TALK_REQUEST, nodeset: '1-2' }).explanation).toEqual([
      "nodes 1-2: as the nodeset '1-2' names",
      NODES[1],
      NODES[2],
      'cells 0-1 on nodes 1-2: distance cost 44',
      'CPUs 15,30,75,90 left to the host (first core of each node used): emulator pinned there',
    ]);
  });

  it('the fewest nodes that fit two cells: one node, cut in two', () => {
    const r = solve(talk, { ...TALK_REQUEST, cells: 2 });
    expect(r.layout.cells.map((c) => c.hostNodes)).toEqual([[3], [3]]);
    expect(r.explanation[0]).toBe('node 3: the fewest nodes (1) that fit, lowest distance cost among 4 eligible nodes (exact search, 4 steps)');
    expect(r.explanation[2]).toBe('cells 0-1 on node 3: distance cost 4');
  });

  it('a search of one step says so in the singular', () => {
    const r = solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '1', vcpus: 4, memoryKiB: GiB, cells: 1 });
    expect(r.explanation[0]).toMatch(/^node 1: .*\(exact search, 1 step\)$/);
  });

  it('hugepages: each node\'s free pages of the size asked (virsh capabilities)', () => {
    const caps = corpusHost('libvirt-caps/vircaps-x86_64-basic.xml');
    const r = solve(caps, { ...TALK_REQUEST, mode: 'auto', vcpus: 2, memoryKiB: 2 * GiB, hugepageSizeKiB: GiB });
    expect(r.explanation[1]).toBe('node 3: 3 free cores, 4 GiB free, 12288 free 1 GiB pages');
  });
});

describe('why nothing fits, and what would', () => {
  it('too few vCPUs for mode host\'s cells: mode auto, fewer cells or mode node, each tried', () => {
    const r = solve(talk, { ...TALK_REQUEST, vcpus: 2 });
    expect(errors(r)).toEqual(['2 vCPUs cannot fill 4 cells: every cell needs at least one vCPU']);
    expect(r.suggestions?.map((s) => s.text)).toEqual(['mode auto: the fewest nodes that hold the guest, one cell per node', '2 cells instead of 4', 'mode node: vCPUs float over whole nodes']);
    expect(r.suggestions?.map((s) => s.change)).toEqual([{ mode: 'auto' }, { cells: 2 }, { mode: 'node' }].map((c) => expect.objectContaining(c)));
  });

  it('a node short of threads or memory for its cell, with every node\'s room told', () => {
    const threads = solve(talk, { ...TALK_REQUEST, vcpus: 120 });
    expect(errors(threads)).toEqual(['cannot place 120 vCPUs and 32 GiB: node 0 has 28 threads free for 30']);
    expect(threads.explanation).toEqual(NODES);
    expect(threads.suggestions?.map((s) => s.text)).toEqual(['mode node: vCPUs float over whole nodes']);
    expect(errors(solve(talk, { ...TALK_REQUEST, memoryKiB: 600 * GiB }))).toEqual(['cannot place 16 vCPUs and 600 GiB: node 0 has 125.6 GiB free for 150 GiB']);
  });

  it('mode auto: what all the nodes have together against what the guest needs', () => {
    const r = solve(talk, { ...TALK_REQUEST, mode: 'auto', vcpus: 200 });
    expect(errors(r)).toEqual(['cannot place 200 vCPUs and 32 GiB: nodes 0-3 have 112 CPUs free for its 200 vCPUs']);
    expect(r.suggestions).toBeUndefined();
    expect(errors(solve(talk, { ...TALK_REQUEST, mode: 'auto', memoryKiB: 600 * GiB }))).toEqual(['cannot place 16 vCPUs and 600 GiB: nodes 0-3 hold 503.5 GiB no other guest binds, for its 600 GiB']);
  });
});

describe('warnings', () => {
  it('memory past what numactl -H saw free comes from page cache', () => {
    const r = solve(talk, { ...TALK_REQUEST, memoryKiB: 480 * GiB });
    expect(r.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual([
      'warning: node 1 had 115.6 GiB free when the host was dumped and the guest binds 120 GiB there: the rest must come from page cache the kernel can drop',
    ]);
  });

  it('a floating guest on a node another guest floats over overcommits it', () => {
    const busy: Occupancy = { guests: [{ name: 'x', pinnedCpus: [], floatingCpus: [...talk.nodes[1].cpus], floatingVcpus: 20, memory: [], hugepages: [] }] };
    const r = solve(talk, { ...TALK_REQUEST, mode: 'node', nodeset: '1', vcpus: 24 }, busy);
    expect(r.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual(['warning: host is overcommitted: node 1 runs 44 vCPUs on 30 CPUs']);
    expect(r.explanation[1]).toBe('node 1: 0 free cores, 126.0 GiB free, 115.6 GiB of it unused when the host was dumped');
  });
});

describe('devices (hwloc XML with PCI locality)', () => {
  const pci = corpusHost('hwloc-xml/24em64t-2n6c2t-pci.xml');
  const onNode0 = pci.pci.find((p) => p.node === 0)!.bdf;
  const request = { ...TALK_REQUEST, mode: 'auto' as const, vcpus: 2, memoryKiB: GiB };

  it('a device steers the guest to its node, and the node says so', () => {
    const r = solve(pci, { ...request, devices: [{ bdf: onNode0, policy: 'required' }] });
    expect(r.layout.cells.map((c) => c.hostNodes)).toEqual([[0]]);
    expect(r.explanation[1]).toMatch(new RegExp(`^node 0: .*, local to ${onNode0.replace(/\./g, '\\.')}$`));
  });

  it('a device on a node the guest may not use: refused when required, told when preferred', () => {
    expect(errors(solve(pci, { ...request, nodeset: '1', devices: [{ bdf: onNode0, policy: 'required' }] }))).toEqual([`device ${onNode0} is local to host node 0, which the guest cannot use`]);
    const preferred = solve(pci, { ...request, nodeset: '1', devices: [{ bdf: onNode0, policy: 'preferred' }] });
    expect(preferred.diagnostics.filter((d) => d.message.startsWith('device')).map((d) => `${d.severity}: ${d.message}`)).toEqual([`info: device ${onNode0} is local to host node 0, which the guest cannot use`]);
    expect(preferred.layout.cells.map((c) => c.hostNodes)).toEqual([[1]]);
  });

  it('a device whose node no paste gave cannot steer', () => {
    const unplaced = { ...pci, pci: pci.pci.map((p) => (p.bdf === onNode0 ? { ...p, node: null } : p)) };
    const r = solve(unplaced, { ...request, devices: [{ bdf: onNode0, policy: 'required' }] });
    expect(r.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toContain(`warning: device ${onNode0} has no known NUMA node, so it cannot steer the guest's placement`);
  });
});
