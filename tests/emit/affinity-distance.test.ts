/**
 * The affinity map's distance is the worst a vCPU can see between where it may run and where
 * its memory is: a vCPU floating over nodes 0 and 1 with its memory on node 1 can be 21 away,
 * and that is what it must say (10 would hide the remote case). Kills the planted bug "the
 * affinity map's worst distance taken as the best" (emit/affinity.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseIdList } from '../../src/core/cpuset.ts';
import { affinityMap } from '../../src/core/emit/affinity.ts';
import { talkExample1, talkExample2, talkHost } from '../support/golden.ts';

const ids = (list: string) => {
  const r = parseIdList(list);
  if (!r.ok) throw new Error(r.error);
  return r.ids;
};

describe('affinity map distances', () => {
  const host = talkHost();

  it('a vCPU floating over nodes 0 and 1, memory on node 1: 21, the worst', () => {
    const layout = talkExample2();
    const wide = { ...layout, pins: layout.pins.map((p) => (p.vcpu === 0 ? { vcpu: 0, cpus: ids('0-29,60-89') } : p)) };
    const rows = affinityMap(host, wide).rows;
    expect(rows[0]).toMatchObject({ cpuNodes: [0, 1], memoryNodes: [1], distance: 21 });
    expect(rows[1]).toMatchObject({ cpuNodes: [1], memoryNodes: [1], distance: 10 });
  });

  it('a cell whose memory spans nodes 1 and 2, vCPU pinned on node 1: 21', () => {
    const layout = talkExample1();
    const spread = { ...layout, cells: layout.cells.map((c) => (c.id === 1 ? { ...c, hostNodes: [1, 2] } : c)) };
    const row = affinityMap(host, spread).rows.find((r) => r.cell === 1)!;
    expect(row.cpuNodes).toEqual([1]);
    expect(row.distance).toBe(21);
  });
});
