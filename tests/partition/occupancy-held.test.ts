/**
 * What a laid-out guest holds on the host (src/core/partition/occupancy.ts): the talk's two
 * worked examples and variations of them, written out by hand (tests/support/golden.ts) so that
 * the accounting is checked apart from the solver that produces layouts.
 */
import { describe, expect, it } from 'vitest';
import type { GuestCell, GuestLayout } from '../../src/core/guest/model.ts';
import { occupancyOf } from '../../src/core/partition/index.ts';
import { talkExample1, talkExample2, talkHost } from '../support/golden.ts';

const MiB = 1024;
const GiB = 1024 * MiB;
const talk = talkHost();

const held = (layout: GuestLayout) => occupancyOf([{ name: 'g', layout }]).guests[0];

/** Example 1 reshaped into these cells (memory and host nodes only; vCPUs as the example's). */
function withCells(cells: Pick<GuestCell, 'memoryKiB' | 'hostNodes' | 'hugepageSizeKiB'>[]): GuestLayout {
  const layout = talkExample1();
  return {
    ...layout,
    cells: cells.map((c, id) => ({ id, vcpus: [id], memoryMode: 'strict', distances: cells.map((_, j) => (j === id ? 10 : 21)), ...c })),
    memoryKiB: cells.reduce((s, c) => s + c.memoryKiB, 0),
  };
}

describe('the talk\'s examples as other guests', () => {
  it('example 1 (mode host, 1:1): 16 dedicated CPUs, its emulator on the first cores, 8 GiB on every node', () => {
    expect(occupancyOf([{ name: 'one', layout: talkExample1() }])).toStrictEqual({
      guests: [{
        name: 'one',
        pinnedCpus: [1, 2, 16, 17, 31, 32, 46, 47, 61, 62, 76, 77, 91, 92, 106, 107],
        floatingCpus: [],
        floatingVcpus: 0,
        emulatorCpus: [0, 15, 30, 45, 60, 75, 90, 105],
        memory: [0, 1, 2, 3].map((node) => ({ node, kib: 8 * GiB })),
        hugepages: [],
      }],
    });
  });

  it('example 2 (mode node): 16 vCPUs floating over node 1, nothing dedicated', () => {
    const g = held(talkExample2());
    expect(g.pinnedCpus).toEqual([]);
    expect(g.floatingCpus).toEqual([...Array.from({ length: 14 }, (_, i) => 16 + i), ...Array.from({ length: 14 }, (_, i) => 76 + i)]);
    expect(g.floatingVcpus).toBe(16);
    expect(g.memory).toEqual([{ node: 1, kib: 32 * GiB }]);
  });

  it('counts single-CPU pins as dedicated and only the wider ones as floating', () => {
    const layout = talkExample1();
    const mixed = { ...layout, pins: layout.pins.map((p) => (p.vcpu < 2 ? { vcpu: p.vcpu, cpus: [3, 4, 63, 64] } : p)) };
    const g = held(mixed);
    expect(g.floatingVcpus).toBe(2);
    expect(g.floatingCpus).toEqual([3, 4, 63, 64]);
    expect(g.pinnedCpus).toEqual([2, 16, 17, 31, 32, 46, 47, 62, 76, 77, 91, 92, 106, 107]);
  });

  it('holds the emulator and iothread CPUs together, once each, ascending', () => {
    const layout = { ...talkExample1(), emulatorpin: [0, 60], iothreadpins: [{ iothread: 1, cpus: [15, 75] }, { iothread: 2, cpus: [0, 15] }] };
    expect(held(layout).emulatorCpus).toEqual([0, 15, 60, 75]);
  });
});

describe('memory and hugepages held per host node', () => {
  it('lists nodes ascending whatever the cell order, and splits a cell over its nodes, remainder first', () => {
    const g = held(withCells([{ memoryKiB: 4 * GiB, hostNodes: [2] }, { memoryKiB: 3073 * MiB, hostNodes: [0, 3] }, { memoryKiB: 2 * GiB, hostNodes: [1] }]));
    expect(g.memory).toEqual([
      { node: 0, kib: 1537 * MiB },
      { node: 1, kib: 2 * GiB },
      { node: 2, kib: 4 * GiB },
      { node: 3, kib: 1536 * MiB },
    ]);
    expect(g.hugepages).toEqual([]);
  });

  it('counts hugepages per node and size, cells of one node and size together, nodes then sizes ascending', () => {
    const g = held(withCells([
      { memoryKiB: 4 * GiB, hostNodes: [2], hugepageSizeKiB: GiB },
      { memoryKiB: 2 * GiB, hostNodes: [0], hugepageSizeKiB: GiB },
      { memoryKiB: 2 * GiB, hostNodes: [0], hugepageSizeKiB: 2 * MiB },
      { memoryKiB: 3 * GiB, hostNodes: [1, 2], hugepageSizeKiB: GiB },
      { memoryKiB: 1 * GiB, hostNodes: [1] },
    ]));
    expect(g.hugepages).toEqual([
      { node: 0, sizeKiB: 2 * MiB, pages: 1024 },
      { node: 0, sizeKiB: GiB, pages: 2 },
      { node: 1, sizeKiB: GiB, pages: 2 },
      { node: 2, sizeKiB: GiB, pages: 5 },
    ]);
    expect(g.memory).toEqual([
      { node: 0, kib: 4 * GiB },
      { node: 1, kib: 3 * GiB },
      { node: 2, kib: 5 * GiB },
    ]);
  });
});

describe('thread policy isolate', () => {
  /** Example 1 with one vCPU per host core: CPUs 1-8, their siblings 61-68 left over. */
  const oneThreadPerCore = (): GuestLayout => ({ ...talkExample1(), pins: Array.from({ length: 8 }, (_, v) => ({ vcpu: v, cpus: [1 + v] })) });

  it('keeps the other threads of the guest\'s cores idle', () => {
    const [g] = occupancyOf([{ name: 'iso', layout: oneThreadPerCore(), threadPolicy: 'isolate' }], talk).guests;
    expect(g.isolatedCpus).toEqual([61, 62, 63, 64, 65, 66, 67, 68]);
    // Both threads of every core pinned: nothing more to keep idle.
    expect(occupancyOf([{ name: 'one', layout: talkExample1(), threadPolicy: 'isolate' }], talk).guests[0].isolatedCpus).toEqual([]);
  });

  it('keeps nothing idle for a CPU the host does not have', () => {
    const layout = { ...talkExample1(), pins: [{ vcpu: 0, cpus: [1] }, { vcpu: 1, cpus: [500] }] };
    expect(occupancyOf([{ name: 'iso', layout, threadPolicy: 'isolate' }], talk).guests[0].isolatedCpus).toEqual([61]);
  });

  it('is only under isolate, and only when the host is known', () => {
    expect(occupancyOf([{ name: 'p', layout: oneThreadPerCore(), threadPolicy: 'prefer' }], talk).guests[0]).not.toHaveProperty('isolatedCpus');
    expect(occupancyOf([{ name: 'i', layout: oneThreadPerCore(), threadPolicy: 'isolate' }]).guests[0]).not.toHaveProperty('isolatedCpus');
  });
});
