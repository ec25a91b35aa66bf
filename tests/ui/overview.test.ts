/**
 * The node overview's rows (src/ui/host/overview.ts) on corpus hosts and the EPYC NPS4 preset,
 * with guests the partitioning core really lays out: tiles grouped as the host groups its nodes,
 * and each guest's CPUs and memory counted on the nodes that hold them.
 */
import { describe, expect, it } from 'vitest';
import type { GuestLayout } from '../../src/core/guest/model.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { DEFAULT_REQUEST, type PartitionRequest } from '../../src/core/partition/request.ts';
import { occupancyOf } from '../../src/core/partition/occupancy.ts';
import { solve } from '../../src/core/partition/solve.ts';
import { syntheticPaste } from '../../src/core/synthetic/compose.ts';
import { SYNTHETIC_PRESETS } from '../../src/core/synthetic/presets.ts';
import { overviewRows, type OverviewRow } from '../../src/ui/host/overview.ts';
import { corpusHost, readCorpus } from '../support/corpus.ts';

const GiB = 1024 * 1024;
const epycPreset = SYNTHETIC_PRESETS.find((p) => p.id === 'epyc-2s-nps4');
if (!epycPreset) throw new Error('the epyc-2s-nps4 preset is gone');
const epyc = ingest([{ name: 'epyc', text: syntheticPaste(epycPreset) }]).host;
const sgi = corpusHost('hwloc-xml/192em64t-24n8c2t.xml');
const numactlOnly = (file: string) => ingest([{ name: 'numactl -H', text: readCorpus('pasted', file) }]).host;

function laidOut(host: Host, request: Partial<PartitionRequest>, others: GuestLayout[] = []): GuestLayout {
  const result = solve(host, { ...DEFAULT_REQUEST, ...request }, occupancyOf(others.map((layout, i) => ({ name: `g${i}`, layout }))));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.layout;
}

const tilesOf = (rows: OverviewRow[]) => rows.flatMap((r) => r.tiles);

/** Every host CPU a guest's vCPUs may run on, and its memory, summed over the tiles. */
function totals(rows: OverviewRow[], guest: number) {
  const shares = tilesOf(rows).flatMap((t) => t.guests.filter((g) => g.guest === guest));
  return {
    pinned: shares.reduce((s, g) => s + g.pinnedCpus, 0),
    floating: shares.reduce((s, g) => s + g.floatingCpus, 0),
    memoryKiB: shares.reduce((s, g) => s + g.memoryKiB, 0),
  };
}

describe('overviewRows', () => {
  it('groups the 24-node SGI by distance: its packages hold one node each, its blades two nodes at distance 50', () => {
    const rows = overviewRows(sgi, []);
    expect(tilesOf(rows).map((t) => t.node)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(rows).toHaveLength(12);
    expect(rows[0]).toMatchObject({ label: 'nodes 0-1', tiles: [{ node: 0, cpus: 16 }, { node: 1, cpus: 16 }] });
    expect(tilesOf(rows).every((t) => t.memoryKiB !== null && t.memoryKiB > 30 * GiB && t.guests.length === 0)).toBe(true);
  });

  it('counts a guest laid out on the SGI on the nodes it holds, and nowhere else', () => {
    const guest = laidOut(sgi, { vcpus: 24, memoryKiB: 8 * GiB, mode: 'host' });
    const rows = overviewRows(sgi, [guest]);
    const held = tilesOf(rows).filter((t) => t.guests.length > 0);
    const nodes = [...new Set(guest.cells.flatMap((c) => c.hostNodes))].sort((a, b) => a - b);
    expect(held.map((t) => t.node)).toEqual(nodes);
    expect(totals(rows, 0)).toEqual({ pinned: guest.pins.filter((p) => p.cpus.length === 1).length, floating: 0, memoryKiB: 8 * GiB });
    for (const t of held) {
      expect(t.guests[0].pinnedCpus).toBeLessThanOrEqual(t.cpus);
      expect(t.guests[0].cells).toEqual(guest.cells.flatMap((c, i) => (c.hostNodes.includes(t.node) ? [i] : [])));
    }
  });

  it('puts the EPYC NPS4 preset in two packages of four nodes, two guests side by side', () => {
    const first = laidOut(epyc, { vcpus: 24, memoryKiB: 16 * GiB, mode: 'host' });
    const second = laidOut(epyc, { vcpus: 8, memoryKiB: 16 * GiB, mode: 'node' }, [first]);
    const rows = overviewRows(epyc, [first, second]);
    expect(rows.map((r) => [r.label, r.tiles.map((t) => t.node)])).toEqual([
      ['package 0', [0, 1, 2, 3]],
      ['package 1', [4, 5, 6, 7]],
    ]);
    expect(tilesOf(rows).every((t) => t.cpus === 32 && t.memoryKiB === 64 * GiB)).toBe(true);
    expect(totals(rows, 0)).toEqual({ pinned: 24, floating: 0, memoryKiB: 16 * GiB });
    // Mode node floats the guest over every CPU of its node: the tile counts them all.
    const floats = tilesOf(rows).flatMap((t) => t.guests.filter((g) => g.guest === 1).map((g) => ({ node: t.node, ...g })));
    expect(floats).toHaveLength(1);
    expect(floats[0]).toMatchObject({ pinnedCpus: 0, floatingCpus: second.pins[0].cpus.length, memoryKiB: 16 * GiB, cells: [0] });
    expect(second.cells[0].hostNodes).toEqual([floats[0].node]);
  });

  it('groups a numactl-only host by its distances when no source names packages', () => {
    const host = numactlOnly('numactl-H-kunpeng920-2s4n.txt');
    const rows = overviewRows(host, []);
    expect(rows.map((r) => r.tiles.map((t) => t.node))).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('keeps a host whose nodes nothing tells apart in one row, and colours a memoryless node by the cell running there', () => {
    const host = numactlOnly('numactl-H-epyc7401-memoryless-nodes.txt');
    const guest = laidOut(host, { vcpus: 24, memoryKiB: 8 * GiB });
    const rows = overviewRows(host, [guest]);
    expect(rows).toEqual([expect.objectContaining({ label: 'nodes 0-7' })]);
    const zero = tilesOf(rows).find((t) => t.memoryKiB === 0 && t.guests.length > 0);
    expect(zero, 'a memoryless node running vCPUs').toBeDefined();
    expect(zero?.guests[0].memoryKiB).toBe(0);
    expect(zero?.guests[0].cells.length).toBeGreaterThan(0);
    expect(totals(rows, 0).memoryKiB).toBe(8 * GiB);
  });
});
