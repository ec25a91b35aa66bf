/**
 * Re-deriving a layout after a resize (set-vcpus, set-memory, set-cells) through the building
 * blocks solve uses, keeping the host nodes the user already chose. The user's distribution is
 * recognised from the current cells so a resize does not reshuffle vCPUs it need not touch.
 *
 * Memory-only cells (tiers.ts: no vCPUs, their memory on a CPU-less node such as HBM or CXL)
 * are not resized: they keep their node, binding and memory, as a request's tierMemoryKiB would
 * give them, and follow the CPU cells (ids after theirs). Counts of cells are counts of CPU
 * cells, and the CPU cells share the guest's memory less what the tiers hold.
 */
import type { GuestCell, GuestLayout, MemoryMode } from '../guest/model.ts';
import type { Host } from '../host/model.ts';
import { mapCells } from './cells.ts';
import { hostDistance } from '../host/distance.ts';
import { guestDistanceRows } from './distances.ts';
import { dealVcpus, evenSizes } from './distribute.ts';
import { occupancyWithSelf, placeVcpus, pinStyle } from './edit-place.ts';
import { memoryGranule, splitMemoryBy, tooLittle } from './memory.ts';
import { DISTRIBUTIONS, type Distribution, type Occupancy } from './request.ts';
import { guestThreads, guestTopologyOf } from './topology.ts';
import { maxOf } from '../extremes.ts';

export interface Shape {
  vcpus: number;
  memoryKiB: number;
  cells: number;
}

export type Derived = { ok: true; layout: GuestLayout } | { ok: false; error: string };

/** Cells with vCPUs, in order. */
export function cpuCellsOf(layout: GuestLayout): GuestCell[] {
  return layout.cells.filter((c) => c.vcpus.length > 0);
}

/** Memory-only cells (tiers), in order. */
function tierCellsOf(layout: GuestLayout): GuestCell[] {
  return layout.cells.filter((c) => c.vcpus.length === 0);
}

/** What the memory-only cells hold. */
export function tierMemoryOf(layout: GuestLayout): number {
  return tierCellsOf(layout).reduce((sum, c) => sum + c.memoryKiB, 0);
}

function sameCells(layout: GuestLayout, d: Distribution): boolean {
  const cells = cpuCellsOf(layout);
  const want = dealVcpus(cells.map((c) => c.vcpus.length), d, layout.topology.threads);
  return cells.every((c, i) => c.vcpus.length === want[i].length && c.vcpus.every((v, j) => v === want[i][j]));
}

/** The first distribution that deals the CPU cells as they are (dealVcpus steps single vCPUs for round-robin itself), else contiguous. */
function distributionOf(layout: GuestLayout): Distribution {
  return DISTRIBUTIONS.find((d) => sameCells(layout, d)) ?? 'contiguous';
}

/** Backing nodes of the CPU cells in the order the cells use them, each once: the user's node choice. */
function chosenNodes(layout: GuestLayout): number[] {
  return [...new Set(cpuCellsOf(layout).flatMap((c) => c.hostNodes))].sort((a, b) => a - b);
}

/** The tiers after `cpuCells` CPU cells: renumbered to follow them, distances from `rows`. */
function followingTiers(tiers: readonly GuestCell[], cpuCells: number, rows: readonly number[][]): GuestCell[] {
  return tiers.map((t, k) => ({ ...t, id: cpuCells + k, distances: rows[cpuCells + k] }));
}

/**
 * How many vCPUs the layout puts on one host core: an odd-sized cell shows the guest one thread
 * per core while its vCPUs still pair on host siblings, so the topology alone would undercount.
 */
function packedThreads(host: Host, layout: GuestLayout): number {
  const coreOf = new Map(host.cpus.map((c) => [c.id, c.core]));
  const perCore = new Map<number, number>();
  for (const p of layout.pins) {
    const core = p.cpus.length === 1 ? coreOf.get(p.cpus[0]) : undefined;
    if (core !== undefined) perCore.set(core, (perCore.get(core) ?? 0) + 1);
  }
  return maxOf(perCore.values(), 1);
}

function hostSmt(host: Host): number {
  return maxOf(host.cores.map((c) => c.cpus.length), 1);
}

/** `shape.cells` counts CPU cells; the memory-only cells are kept and follow them. */
export function derive(host: Host, layout: GuestLayout, shape: Shape, occupancy: Occupancy): Derived {
  const { vcpus, memoryKiB, cells } = shape;
  if (!Number.isInteger(vcpus) || vcpus < 1) return { ok: false, error: `${vcpus} is not a vCPU count` };
  if (!Number.isInteger(cells) || cells < 1) return { ok: false, error: `${cells} is not a cell count` };
  if (!Number.isInteger(memoryKiB) || memoryKiB < 1) return { ok: false, error: `${memoryKiB} KiB is not a memory size` };
  if (vcpus < cells) return { ok: false, error: `${vcpus} vCPUs cannot fill ${cells} cells: every cell needs at least one vCPU` };
  const tiers = tierCellsOf(layout);
  const tierKiB = tierMemoryOf(layout);
  const nodes = chosenNodes(layout);
  const distance = hostDistance(host);
  const mapping = mapCells(nodes, cells, distance);
  if (!mapping.ok) return { ok: false, error: mapping.error };
  const distribution = distributionOf(layout);
  // Packed as the layout was (a user's one thread per core stays so); cells as solve() cuts them.
  const threads = guestThreads(Math.min(hostSmt(host), Math.max(layout.topology.threads, packedThreads(host, layout))), Math.ceil(vcpus / cells), distribution, 'prefer');
  // guestThreads gives round-robin one thread: its cells are sized and dealt in single vCPUs
  const sizes = evenSizes(vcpus, cells, threads);
  const hugepage = cpuCellsOf(layout)[0]?.hugepageSizeKiB;
  const granule = memoryGranule(hugepage);
  const cpuKiB = memoryKiB - tierKiB;
  if (tierKiB > 0 && cpuKiB < granule * cells)
    return { ok: false, error: `${memoryKiB} KiB leaves ${Math.max(0, cpuKiB)} KiB for ${cells} CPU cells once the memory-only cells' ${tierKiB} KiB is counted` };
  if (cpuKiB % granule !== 0 || cpuKiB < granule * cells)
    return { ok: false, error: `${cpuKiB} KiB does not split into ${cells} cells of whole ${granule} KiB units` };
  const memory = splitMemoryBy(cpuKiB, sizes, granule);
  if (memory.some((m) => m <= 0)) return { ok: false, error: tooLittle(cpuKiB, cells, granule) };
  const groups = dealVcpus(sizes, distribution, threads);
  const rows = guestDistanceRows([...mapping.cells.map((b) => b.nodes[0]), ...tiers.map((t) => t.hostNodes[0])], distance);
  const singleMode: MemoryMode = cpuCellsOf(layout).find((c) => c.hostNodes.length === 1)?.memoryMode ?? 'strict';
  const style = pinStyle(layout);
  const pins = [];
  const newCells: GuestCell[] = [];
  for (const backing of mapping.cells) {
    const placed = placeVcpus(host, groups[backing.cell], backing.nodes, threads, style, occupancyWithSelf(occupancy, pins, new Set()));
    if (!placed.ok) return { ok: false, error: placed.error };
    pins.push(...placed.pins);
    const cell: GuestCell = {
      id: backing.cell,
      vcpus: groups[backing.cell],
      memoryKiB: memory[backing.cell],
      hostNodes: backing.nodes,
      memoryMode: backing.nodes.length > 1 ? 'interleave' : singleMode,
      distances: rows[backing.cell],
    };
    if (hugepage !== undefined) cell.hugepageSizeKiB = hugepage;
    newCells.push(cell);
  }
  const result: GuestLayout = {
    ...layout,
    vcpus,
    topology: guestTopologyOf(sizes, threads),
    cells: [...newCells, ...followingTiers(tiers, cells, rows)],
    pins: pins.sort((a, b) => a.vcpu - b.vcpu),
    memoryKiB,
  };
  if (layout.currentVcpus !== undefined && layout.currentVcpus < vcpus) result.currentVcpus = layout.currentVcpus;
  else delete result.currentVcpus;
  return { ok: true, layout: result };
}
