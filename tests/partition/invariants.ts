/**
 * What every layout solve() returns must satisfy (anchors-partitioning §d invariants), checked
 * against the host directly, not through the partitioner's own helpers.
 */
import { expect } from 'vitest';
import type { LayoutResult } from '../../src/core/guest/model.ts';
import type { Host } from '../../src/core/host/model.ts';
import { memoryHomes } from '../../src/core/host/memory-home.ts';
import type { Occupancy, PartitionRequest } from '../../src/core/partition/request.ts';

export function expectValidLayout(host: Host, request: PartitionRequest, result: LayoutResult, occupancy: Occupancy = { guests: [] }): void {
  const { layout } = result;
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const t = layout.topology;
  expect(t.sockets * t.dies * t.clusters * t.cores * t.threads).toBe(request.vcpus);
  // Every guest socket (QEMU numbers its vCPUs consecutively) sits in one cell.
  const socket = t.dies * t.clusters * t.cores * t.threads;
  const cellOfVcpu = new Map(layout.cells.flatMap((c) => c.vcpus.map((v) => [v, c.id] as const)));
  for (let s = 0; s < t.sockets; s++) {
    const cells = new Set(Array.from({ length: socket }, (_, i) => cellOfVcpu.get(s * socket + i)));
    if (request.distribution === 'contiguous' || request.distribution === 'siblings') expect(cells.size, `guest socket ${s} in one cell`).toBe(1);
  }

  // Every vCPU in exactly one cell.
  const all = layout.cells.flatMap((c) => c.vcpus).sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: request.vcpus }, (_, i) => i));

  // Memory sums exactly, in whole granules per cell beyond cell 0.
  expect(layout.cells.reduce((s, c) => s + c.memoryKiB, 0)).toBe(request.memoryKiB);
  expect(layout.memoryKiB).toBe(request.memoryKiB);
  for (const c of layout.cells) expect(c.memoryKiB).toBeGreaterThan(0);

  // Distances well formed and equal to the host's between backing (first) nodes.
  const index = new Map(host.nodes.map((n, i) => [n.id, i]));
  for (const a of layout.cells) {
    expect(a.distances).toHaveLength(layout.cells.length);
    for (const b of layout.cells) {
      const d = a.distances[b.id];
      if (a.id === b.id) expect(d).toBe(10);
      else {
        expect(d).toBeGreaterThanOrEqual(11);
        expect(d).toBeLessThanOrEqual(255);
        expect(d).toBe(b.distances[a.id]);
        const [x, y] = [a.hostNodes[0], b.hostNodes[0]];
        if (x !== y && host.distances.length > 0) expect(d).toBe(host.distances[index.get(x) as number][index.get(y) as number]);
        if (x === y) expect(d).toBe(11);
      }
    }
    expect(a.memoryMode).toBe(a.hostNodes.length > 1 ? 'interleave' : 'strict');
  }

  // Pins: one per vCPU, online CPUs of the cell's nodes, never reserved, never another's 1:1 CPU.
  expect(layout.pins.map((p) => p.vcpu)).toEqual(all);
  const cpu = new Map(host.cpus.map((c) => [c.id, c]));
  const homes = memoryHomes(host);
  const cellOf = new Map(layout.cells.flatMap((c) => c.vcpus.map((v) => [v, c] as const)));
  const reserved = new Set(layout.emulatorpin);
  const taken = new Set(occupancy.guests.flatMap((g) => [...g.pinnedCpus, ...(g.isolatedCpus ?? [])]));
  for (const pin of layout.pins) {
    const cell = cellOf.get(pin.vcpu);
    expect(cell).toBeDefined();
    for (const id of pin.cpus) {
      const c = cpu.get(id);
      expect(c?.online, `CPU ${id} online`).toBe(true);
      // A memoryless node's vCPUs have their memory at its home, the nearest node with memory.
      expect(cell?.hostNodes).toContain(homes.get(c?.node as number) ?? c?.node);
      expect(reserved.has(id), `CPU ${id} is reserved`).toBe(false);
      expect(taken.has(id), `CPU ${id} is another guest's`).toBe(false);
    }
  }
  if (request.pinning === '1:1') {
    const used = layout.pins.map((p) => p.cpus[0]);
    expect(layout.pins.every((p) => p.cpus.length === 1)).toBe(true);
    expect(new Set(used).size).toBe(used.length);
  }
  // No vCPU on a memory-only node.
  for (const c of layout.cells) for (const n of c.hostNodes) expect(host.nodes.find((x) => x.id === n)?.kind).not.toBe('memory-only');
}
