/**
 * PCI devices in solve's layouts (src/core/partition/solve.ts) on an hwloc host with PCI
 * locality (24em64t-2n6c2t-pci.xml: 11 devices on node 0, 4 on node 1): each device named on its
 * own node and given the guest cell there, and a required device steering the node search.
 */
import { describe, expect, it } from 'vitest';
import { solve } from '../../src/core/partition/solve.ts';
import type { PartitionRequest } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { TALK_REQUEST } from '../support/golden.ts';

const GiB = 1 << 20;
const pci = corpusHost('hwloc-xml/24em64t-2n6c2t-pci.xml');
const run = (patch: Partial<PartitionRequest>) => solve(pci, { ...TALK_REQUEST, vcpus: 4, memoryKiB: 2 * GiB, ...patch });

describe('devices on both nodes', () => {
  it('mode host: each node names its own device, each device goes to the cell on its node', () => {
    const r = run({
      devices: [
        { bdf: '0000:00:01.0', policy: 'preferred' },
        { bdf: '0000:10:03.0', policy: 'preferred' },
      ],
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.explanation.slice(0, 3)).toEqual([
      'nodes 0-1: mode host mirrors every host node with CPUs',
      'node 0: 5 free cores, 18.0 GiB free, local to 0000:00:01.0',
      'node 1: 5 free cores, 18.0 GiB free, local to 0000:10:03.0',
    ]);
    expect(r.layout.devices).toEqual([
      { bdf: '0000:00:01.0', cell: 0, policy: 'preferred' },
      { bdf: '0000:10:03.0', cell: 1, policy: 'preferred' },
    ]);
  });
});

describe('a required device steers mode node', () => {
  it('to node 0, where the roomier node 1 would win without it', () => {
    expect(run({ mode: 'node' }).layout.cells.map((c) => c.hostNodes)).toEqual([[1]]);
    const r = run({ mode: 'node', devices: [{ bdf: '0000:00:01.0', policy: 'required' }] });
    expect(r.layout.cells.map((c) => c.hostNodes)).toEqual([[0]]);
    expect(r.explanation[1]).toBe('node 0: 6 free cores, 18.0 GiB free, local to 0000:00:01.0');
    expect(r.layout.devices).toEqual([{ bdf: '0000:00:01.0', cell: 0, policy: 'required' }]);
  });

  it('and to node 1 for a device there', () => {
    const r = run({ mode: 'node', devices: [{ bdf: '0000:10:03.0', policy: 'required' }] });
    expect(r.layout.cells.map((c) => c.hostNodes)).toEqual([[1]]);
    expect(r.explanation[0]).toBe('node 1: the fewest nodes (1) that fit, lowest distance cost among 2 eligible nodes (exact search, 1 step)');
  });
});
