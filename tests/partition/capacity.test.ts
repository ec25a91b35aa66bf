/**
 * What a host node can still give a guest (src/core/partition/capacity.ts) once other guests are
 * counted: on the talk host's node 1 (15 cores of 2 threads, CPU c and c + 60) beside a guest
 * that pins a whole core and one thread of another, floats 6 vCPUs over two cores, pins its
 * emulator to a CPU and holds an isolated core's idle sibling; and on libvirt's test host
 * (virsh capabilities with 2 MiB and 1 GiB pages per cell) beside guests that bind memory and pages.
 */
import { describe, expect, it } from 'vitest';
import { freeHugepages, nodeCapacities, nodeCapacity, placeableCount, placeableGroups, type CoreUse } from '../../src/core/partition/capacity.ts';
import { coresByNode, coresOfNode } from '../../src/core/partition/cores.ts';
import type { Occupancy } from '../../src/core/partition/request.ts';
import { corpusHost } from '../support/corpus.ts';
import { talkHost } from '../support/golden.ts';

const talk = talkHost();
const GiB = 1 << 20;
const web: Occupancy = {
  guests: [
    {
      name: 'web',
      pinnedCpus: [18, 78, 19],
      floatingCpus: [20, 80, 21, 81],
      floatingVcpus: 6,
      emulatorCpus: [22],
      isolatedCpus: [23],
      memory: [{ node: 1, kib: 4 * GiB }],
      hugepages: [],
    },
  ],
};
const node1 = (reserve: 'none' | 'first-core' = 'none') => nodeCapacity(talk, 1, coresOfNode(talk, 1), reserve, web);
const untouched = [24, 25, 26, 27, 28, 29];

describe('a node beside another guest', () => {
  it('tells each core\'s usable, free and open CPUs apart', () => {
    const cap = node1();
    const core = (first: number) => cap.cores.find((c) => c.usable[0] === first);
    expect(core(15)).toEqual({ usable: [15, 75], free: [15, 75], open: [15, 75], shared: false, pinned: false });
    // a whole core pinned: nothing to take or share
    expect(core(18)).toEqual({ usable: [18, 78], free: [], open: [], shared: true, pinned: true });
    // one thread pinned: its sibling is free, but the core is no longer a floating guest's
    expect(core(19)).toEqual({ usable: [19, 79], free: [79], open: [79], shared: true, pinned: true });
    // floating vCPUs: shared work, so no CPU to pin one-to-one, but open to float over
    expect(core(20)).toEqual({ usable: [20, 80], free: [], open: [20, 80], shared: true, pinned: false });
    // an emulator thread floats on CPU 22 alone; no guest vCPU runs there
    expect(core(22)).toEqual({ usable: [22, 82], free: [82], open: [22, 82], shared: false, pinned: false });
    // an isolated core's idle sibling is held like a pin
    expect(core(23)).toEqual({ usable: [23, 83], free: [83], open: [83], shared: true, pinned: true });
    expect(cap.cores).toHaveLength(15);
    expect(cap.onlineCpus).toBe(30);
  });

  it('counts the other guest\'s load: one per pinned vCPU, floating ones spread over their CPUs', () => {
    expect(node1().guestLoad).toBe(3 + 6);
    expect(nodeCapacity(talk, 2, coresOfNode(talk, 2), 'none', web).guestLoad).toBe(0);
  });

  it('keeps the node\'s first core for the host when asked', () => {
    const cap = node1('first-core');
    expect(cap.reserved).toEqual([15, 75]);
    expect(cap.cores).toHaveLength(14);
    expect(cap.cores[0].usable).toEqual([16, 76]);
    expect(cap.onlineCpus).toBe(30);
  });

  it('takes the other guest\'s bound memory off both the node\'s size and its free snapshot', () => {
    const cap = node1();
    expect(cap.freeKiB).toBe(talk.nodes[1].memoryKiB! - 4 * GiB);
    expect(cap.snapshotKiB).toBe(talk.nodes[1].freeKiB! - 4 * GiB);
    const alone = nodeCapacity(talk, 2, coresOfNode(talk, 2), 'none', web);
    expect([alone.freeKiB, alone.snapshotKiB]).toEqual([talk.nodes[2].memoryKiB, talk.nodes[2].freeKiB]);
  });
});

describe('what a guest may take there', () => {
  const counts = (use: CoreUse) => [placeableCount(node1(), use), placeableGroups(node1(), use)] as const;

  it('floating vCPUs: every core with an open CPU that no other guest pins on', () => {
    const [n, groups] = counts({ kind: 'float' });
    expect(groups).toEqual([[15, 75], [16, 76], [17, 77], [20, 80], [21, 81], [22, 82], ...untouched.map((c) => [c, c + 60])]);
    expect(n).toBe(groups.length);
  });

  it('loose threads: every free CPU, cores no other guest touches first', () => {
    const [n, groups] = counts({ kind: 'threads' });
    expect(groups).toEqual([15, 75, 16, 76, 17, 77, 82, ...untouched.flatMap((c) => [c, c + 60]), 79, 83].map((c) => [c]));
    expect(n).toBe(groups.length);
  });

  it('one-to-one guest cores of two threads: cores with both threads free', () => {
    const [n, groups] = counts({ kind: '1:1', threads: 2, policy: 'prefer' });
    expect(groups).toEqual([15, 16, 17, ...untouched].map((c) => [c, c + 60]));
    expect(n).toBe(9);
  });

  it('one thread a guest core: prefer takes any free thread, require still wants two, isolate a core nobody uses', () => {
    const [n, prefer] = counts({ kind: '1:1', threads: 1, policy: 'prefer' });
    expect(prefer).toEqual([[15], [16], [17], [82], ...untouched.map((c) => [c]), [79], [83]]);
    expect(n).toBe(12);
    const [m, require] = counts({ kind: '1:1', threads: 1, policy: 'require' });
    expect(require).toEqual([15, 16, 17, ...untouched].map((c) => [c]));
    expect(m).toBe(9);
    const [k, isolate] = counts({ kind: '1:1', threads: 1, policy: 'isolate' });
    expect(isolate).toEqual([15, 16, 17, ...untouched].map((c) => [c]));
    expect(k).toBe(9);
  });

  it('isolate refuses a core whose other thread is taken even when one is free', () => {
    const emulatorOnly: Occupancy = { guests: [{ ...web.guests[0], pinnedCpus: [], floatingCpus: [], floatingVcpus: 0, isolatedCpus: [] }] };
    const cap = nodeCapacity(talk, 1, coresOfNode(talk, 1), 'none', emulatorOnly);
    expect(placeableGroups(cap, { kind: '1:1', threads: 1, policy: 'isolate' })).not.toContainEqual([82]);
    expect(placeableGroups(cap, { kind: '1:1', threads: 1, policy: 'prefer' })).toContainEqual([82]);
  });
});

describe('memory and hugepages (virsh capabilities)', () => {
  const caps = corpusHost('libvirt-caps/vircaps-x86_64-basic.xml');
  const bound: Occupancy = {
    guests: [
      { name: 'a', pinnedCpus: [], floatingCpus: [], floatingVcpus: 0, memory: [{ node: 1, kib: GiB / 2 }], hugepages: [{ node: 1, sizeKiB: GiB, pages: 3 }] },
      { name: 'b', pinnedCpus: [], floatingCpus: [], floatingVcpus: 0, memory: [{ node: 1, kib: GiB / 4 }, { node: 2, kib: 4 * GiB }], hugepages: [{ node: 1, sizeKiB: GiB, pages: 2 }, { node: 2, sizeKiB: 2048, pages: 100 }] },
    ],
  };

  it('adds up what every guest binds and holds on a node; a node never goes below nothing', () => {
    const all = nodeCapacities(caps, [0, 1, 2], coresByNode(caps), 'none', bound);
    const one = all.get(1)!;
    expect(one.freeKiB).toBe(2 * GiB - GiB / 2 - GiB / 4);
    // virsh capabilities gives no free memory: no snapshot
    expect(one.snapshotKiB).toBeNull();
    expect(one.hugepages).toEqual([
      { sizeKiB: 2048, freePages: 6144 },
      { sizeKiB: GiB, freePages: 8192 - 5 },
    ]);
    expect(freeHugepages(one, GiB)).toBe(8187);
    expect(freeHugepages(one, 2048)).toBe(6144);
    expect(freeHugepages(one, 16 * GiB)).toBe(0);
    // node 2 holds 3 GiB: 4 GiB bound there leaves none, not less
    expect(all.get(2)!.freeKiB).toBe(0);
    expect(all.get(2)!.hugepages).toEqual([
      { sizeKiB: 2048, freePages: 8192 - 100 },
      { sizeKiB: GiB, freePages: 10240 },
    ]);
    expect(all.get(0)!.freeKiB).toBe(GiB);
  });
});
