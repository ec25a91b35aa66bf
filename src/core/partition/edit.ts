/**
 * edit(host, layout, op, occupancy): the hand edits of DESIGN.md §3 — drag a vCPU onto a thread,
 * core or node, a cell onto a node, memory between nodes, or resize — applied so that every
 * invariant solve keeps still holds, with what the move costs said in sentences. An edit that
 * cannot keep them (a CPU another guest owns, a node without room) changes nothing and says why.
 * editAll() applies the several ops of one drop as one edit.
 */
import { union } from '../cpuset.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { GuestCell, GuestLayout, LayoutResult, VcpuPin } from '../guest/model.ts';
import { validate } from '../guest/validate.ts';
import type { Host } from '../host/model.ts';
import { coresByNode } from './cores.ts';
import { hostDistance } from '../host/distance.ts';
import { guestDistanceRows } from './distances.ts';
import { explainEdit, scoreOf } from './edit-cost.ts';
import { cpuCellsOf, derive, tierMemoryOf } from './edit-derive.ts';
import { freeGroupOnNode, occupancyWithSelf, pinStyle, placeVcpus } from './edit-place.ts';
import { memoryGranule, splitMemoryBy, tooLittle } from './memory.ts';
import type { Occupancy } from './request.ts';

/** Where a dragged vCPU lands: one host thread (PU), one host core (Host.cores index) or a node. */
export type PinTarget = { thread: number } | { core: number } | { node: number };

export type EditOp =
  /** `pair`: move the vCPU's whole guest core (its SMT siblings) with it. */
  | { kind: 'pin-vcpu'; vcpu: number; target: PinTarget; pair?: boolean }
  | { kind: 'move-cell'; cell: number; node: number }
  /** `kib` absent (or the whole cell): all of the cell's memory moves. */
  | { kind: 'move-memory'; cell: number; node: number; kib?: number }
  | { kind: 'swap-vcpus'; a: number; b: number }
  | { kind: 'set-vcpus'; vcpus: number }
  | { kind: 'set-memory'; memoryKiB: number }
  | { kind: 'set-cells'; cells: number };

type Step = { ok: true; layout: GuestLayout } | { ok: false; error: string };

const EDIT_SOURCE = 'edit';

/** A refused edit leaves the layout as it was, with the refusal as its one error diagnostic. */
export function edit(host: Host, layout: GuestLayout, op: EditOp, occupancy: Occupancy): LayoutResult {
  const edited = editAll(host, layout, [op], occupancy);
  if (edited.ok) return edited.result;
  const refused: Diagnostic = { severity: 'error', source: EDIT_SOURCE, message: edited.reason };
  return { layout, score: scoreOf(layout, host, occupancy), explanation: [], diagnostics: [refused] };
}

/** The edits of one drop (a multi-selection moves vCPU by vCPU): all of them, or none. */
export type EditsResult =
  /** `result.explanation` says what each op cost, in order; score and diagnostics are the final layout's. */
  | { ok: true; result: LayoutResult }
  /** `ops[refused]` could not keep the invariants, for `reason`; `explanation` is what the ops before it did. */
  | { ok: false; refused: number; reason: string; explanation: string[] };

/** Applies `ops` in order, each to the layout the previous one made, stopping at the first refusal. */
export function editAll(host: Host, layout: GuestLayout, ops: readonly EditOp[], occupancy: Occupancy): EditsResult {
  let current = layout;
  const explanation: string[] = [];
  for (const [i, op] of ops.entries()) {
    const step = apply(host, current, op, occupancy);
    if (!step.ok) return { ok: false, refused: i, reason: step.error, explanation };
    const after = withDistances(host, step.layout);
    explanation.push(...explainEdit(current, after, host, occupancy));
    current = after;
  }
  return { ok: true, result: { layout: current, score: scoreOf(current, host, occupancy), explanation, diagnostics: validate(current, host) } };
}

function apply(host: Host, layout: GuestLayout, op: EditOp, occupancy: Occupancy): Step {
  switch (op.kind) {
    case 'pin-vcpu':
      return pinVcpu(host, layout, op.vcpu, op.target, op.pair === true, occupancy);
    case 'move-cell':
      return moveCell(host, layout, op.cell, op.node, occupancy);
    case 'move-memory':
      return moveMemory(host, layout, op.cell, op.node, op.kib);
    case 'swap-vcpus':
      return swapVcpus(layout, op.a, op.b);
    case 'set-vcpus':
      return derive(host, layout, { vcpus: op.vcpus, memoryKiB: layout.memoryKiB, cells: Math.max(1, cpuCellsOf(layout).length) }, occupancy);
    case 'set-cells':
      return derive(host, layout, { vcpus: layout.vcpus, memoryKiB: layout.memoryKiB, cells: op.cells }, occupancy);
    case 'set-memory':
      return setMemory(layout, op.memoryKiB);
  }
}

/** Guest distances always mirror the host's between the cells' first backing nodes. */
function withDistances(host: Host, layout: GuestLayout): GuestLayout {
  if (layout.cells.some((c) => c.hostNodes.length === 0)) return layout;
  const rows = guestDistanceRows(layout.cells.map((c) => c.hostNodes[0]), hostDistance(host));
  return { ...layout, cells: layout.cells.map((c, i) => ({ ...c, distances: rows[i] })) };
}

function nodeOfCpuMap(host: Host): Map<number, number> {
  const map = new Map<number, number>();
  for (const [node, cores] of coresByNode(host)) for (const cpu of cores.flat()) map.set(cpu, node);
  return map;
}

function hasVcpu(layout: GuestLayout, v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < layout.vcpus;
}

function setPins(pins: readonly VcpuPin[], changes: ReadonlyMap<number, number[]>): VcpuPin[] {
  const map = new Map(pins.map((p) => [p.vcpu, p.cpus]));
  for (const [v, cpus] of changes) {
    if (cpus.length === 0) map.delete(v);
    else map.set(v, cpus);
  }
  return [...map].sort((a, b) => a[0] - b[0]).map(([vcpu, cpus]) => ({ vcpu, cpus }));
}

/** Moves `vcpus` from whatever cell holds them into `target`, keeping every cell's list sorted. */
function moveToCell(cells: readonly GuestCell[], vcpus: readonly number[], target: number): GuestCell[] {
  const moving = new Set(vcpus);
  return cells.map((c) => {
    const kept = c.vcpus.filter((v) => !moving.has(v));
    return { ...c, vcpus: c.id === target ? union(kept, [...moving]) : kept };
  });
}

function pinVcpu(host: Host, layout: GuestLayout, vcpu: number, target: PinTarget, pair: boolean, occupancy: Occupancy): Step {
  if (!hasVcpu(layout, vcpu)) return { ok: false, error: `vCPU ${vcpu} does not exist (the guest has ${layout.vcpus})` };
  const t = Math.max(1, layout.topology.threads);
  const unit = pair ? Array.from({ length: t }, (_, i) => Math.floor(vcpu / t) * t + i).filter((v) => v < layout.vcpus) : [vcpu];
  const nodeOf = nodeOfCpuMap(host);
  const others = occupancyWithSelf(occupancy, layout.pins, new Set(unit));
  let cpus: number[][];
  if ('node' in target) {
    if (!host.nodes.some((n) => n.id === target.node)) return { ok: false, error: `host node ${target.node} does not exist` };
    if (pinStyle(layout) === 'float') {
      const nodeCpus = (coresByNode(host).get(target.node) ?? []).flat().sort((a, b) => a - b);
      if (nodeCpus.length === 0) return { ok: false, error: `host node ${target.node} has no online CPUs` };
      cpus = unit.map(() => nodeCpus);
    } else {
      const group = freeGroupOnNode(host, target.node, others, unit.length);
      if (!group) return { ok: false, error: `host node ${target.node} has no free core for vCPU ${unit.join(',')}` };
      cpus = group.map((c) => [c]);
    }
  } else {
    const threads =
      'thread' in target
        ? pair
          ? orderedCore(host, target.thread)
          : [target.thread]
        : (host.cores[target.core]?.cpus ?? []).filter((c) => nodeOf.has(c));
    if ('core' in target && threads.length === 0) return { ok: false, error: `host core ${target.core} does not exist or is offline` };
    for (const c of threads) if (!nodeOf.has(c)) return { ok: false, error: `host CPU ${c} is not an online CPU of this host` };
    // onto a core: a thread nobody holds, else one this guest holds (swapped below), else refused below
    const chosen = 'core' in target && unit.length === 1 ? [firstFree(threads, others) ?? firstFree(threads, occupancy) ?? threads[0]] : threads.slice(0, unit.length);
    if (chosen.length < unit.length) return { ok: false, error: `host core of CPU ${threads[0]} has ${threads.length} threads for ${unit.length} vCPUs` };
    cpus = chosen.map((c) => [c]);
  }
  for (const [i] of unit.entries()) {
    for (const g of occupancy.guests)
      if (cpus[i].length === 1 && g.pinnedCpus.includes(cpus[i][0]))
        return { ok: false, error: `host CPU ${cpus[i][0]} is pinned to guest ${g.name}` };
  }
  // a CPU another vCPU of this guest holds one-to-one is swapped, never shared
  const changes = new Map<number, number[]>();
  unit.forEach((v, i) => {
    const old = layout.pins.find((p) => p.vcpu === v)?.cpus ?? [];
    if (cpus[i].length === 1) {
      const holder = layout.pins.find((p) => !unit.includes(p.vcpu) && p.cpus.length === 1 && p.cpus[0] === cpus[i][0]);
      if (holder) changes.set(holder.vcpu, old);
    }
    changes.set(v, cpus[i]);
  });
  let cells = layout.cells;
  for (const [v, pin] of changes) {
    const node = nodeOf.get(pin[0]);
    const current = cells.find((c) => c.vcpus.includes(v));
    if (node === undefined || !current || current.hostNodes.includes(node)) continue;
    const home = cells.find((c) => c.hostNodes[0] === node) ?? cells.find((c) => c.hostNodes.includes(node));
    if (home) cells = moveToCell(cells, [v], home.id);
  }
  return { ok: true, layout: { ...layout, cells, pins: setPins(layout.pins, changes) } };
}

/** The host core of `cpu`, starting at `cpu`: a dragged pair lands with its first vCPU there. */
function orderedCore(host: Host, cpu: number): number[] {
  for (const cores of coresByNode(host).values())
    for (const core of cores) if (core.includes(cpu)) return [cpu, ...core.filter((c) => c !== cpu)];
  return [cpu];
}

function firstFree(threads: readonly number[], occupancy: Occupancy): number | undefined {
  const taken = new Set(occupancy.guests.flatMap((g) => g.pinnedCpus));
  return threads.find((c) => !taken.has(c));
}

function moveCell(host: Host, layout: GuestLayout, cellId: number, node: number, occupancy: Occupancy): Step {
  const cell = layout.cells.find((c) => c.id === cellId);
  if (!cell) return { ok: false, error: `cell ${cellId} does not exist` };
  const hostNode = host.nodes.find((n) => n.id === node);
  if (!hostNode) return { ok: false, error: `host node ${node} does not exist` };
  if (cell.vcpus.length > 0 && hostNode.cpus.length === 0)
    return { ok: false, error: `host node ${node} has no CPUs for cell ${cellId}'s vCPUs; move only its memory there` };
  const style = pinStyle(layout);
  const others = occupancyWithSelf(occupancy, layout.pins, new Set(cell.vcpus));
  const pinned = new Set(layout.pins.map((p) => p.vcpu));
  const placed = placeVcpus(host, cell.vcpus.filter((v) => style !== '1:1' || pinned.has(v)), [node], Math.max(1, layout.topology.threads), style, others);
  if (!placed.ok) return { ok: false, error: placed.error };
  const changes = new Map(placed.pins.map((p) => [p.vcpu, p.cpus]));
  const cells = layout.cells.map((c) =>
    c.id === cellId ? { ...c, hostNodes: [node], memoryMode: c.hostNodes.length > 1 ? ('strict' as const) : c.memoryMode } : c,
  );
  return { ok: true, layout: { ...layout, cells, pins: setPins(layout.pins, changes) } };
}

/**
 * libvirt binds a cell to a nodeset, not to amounts per node: moving part of a cell's memory
 * makes it interleave over the old and new nodes (equal shares), the closest exact statement.
 */
function moveMemory(host: Host, layout: GuestLayout, cellId: number, node: number, kib: number | undefined): Step {
  const cell = layout.cells.find((c) => c.id === cellId);
  if (!cell) return { ok: false, error: `cell ${cellId} does not exist` };
  const hostNode = host.nodes.find((n) => n.id === node);
  if (!hostNode) return { ok: false, error: `host node ${node} does not exist` };
  if (hostNode.memoryKiB === 0 || hostNode.kind === 'cpu-only') return { ok: false, error: `host node ${node} has no memory` };
  if (kib !== undefined && (!Number.isInteger(kib) || kib <= 0)) return { ok: false, error: `${kib} KiB is not an amount of memory to move` };
  const all = kib === undefined || kib >= cell.memoryKiB;
  const cells = layout.cells.map((c): GuestCell => {
    if (c.id !== cellId) return c;
    if (all) return { ...c, hostNodes: [node], memoryMode: c.hostNodes.length > 1 ? 'strict' : c.memoryMode };
    const nodes = union(c.hostNodes, [node]);
    return { ...c, hostNodes: nodes, memoryMode: nodes.length > 1 ? 'interleave' : c.memoryMode };
  });
  return { ok: true, layout: { ...layout, cells } };
}

function swapVcpus(layout: GuestLayout, a: number, b: number): Step {
  if (!hasVcpu(layout, a) || !hasVcpu(layout, b)) return { ok: false, error: `vCPUs ${a} and ${b} must both exist (the guest has ${layout.vcpus})` };
  const pinA = layout.pins.find((p) => p.vcpu === a)?.cpus ?? [];
  const pinB = layout.pins.find((p) => p.vcpu === b)?.cpus ?? [];
  const cellA = layout.cells.find((c) => c.vcpus.includes(a))?.id;
  const cellB = layout.cells.find((c) => c.vcpus.includes(b))?.id;
  // within one cell the moves below leave every cell as it was
  let cells = layout.cells;
  if (cellB !== undefined) cells = moveToCell(cells, [a], cellB);
  if (cellA !== undefined) cells = moveToCell(cells, [b], cellA);
  const pins = setPins(layout.pins, new Map([[a, pinB], [b, pinA]]));
  return { ok: true, layout: { ...layout, cells, pins } };
}

/** The CPU cells share the new size in proportion to their vCPUs; memory-only cells keep what they hold (derive's rule). */
function setMemory(layout: GuestLayout, memoryKiB: number): Step {
  if (!Number.isInteger(memoryKiB) || memoryKiB < 1) return { ok: false, error: `${memoryKiB} KiB is not a memory size` };
  const cpuCells = cpuCellsOf(layout);
  const n = cpuCells.length;
  if (n === 0) return layout.cells.length === 0 ? { ok: true, layout: { ...layout, memoryKiB } } : { ok: false, error: 'the guest has no cell with vCPUs to give the memory to' };
  const tierKiB = tierMemoryOf(layout);
  const granule = memoryGranule(cpuCells[0].hugepageSizeKiB);
  const cpuKiB = memoryKiB - tierKiB;
  if (tierKiB > 0 && cpuKiB < granule * n)
    return { ok: false, error: `${memoryKiB} KiB leaves ${Math.max(0, cpuKiB)} KiB for ${n} CPU cells once the memory-only cells' ${tierKiB} KiB is counted` };
  if (cpuKiB % granule !== 0 || cpuKiB < granule * n)
    return { ok: false, error: `${cpuKiB} KiB does not split into ${n} cells of whole ${granule} KiB units` };
  const split = splitMemoryBy(cpuKiB, cpuCells.map((c) => c.vcpus.length), granule);
  if (split.some((m) => m <= 0)) return { ok: false, error: tooLittle(cpuKiB, n, granule) };
  const shares = new Map(cpuCells.map((c, i) => [c.id, split[i]]));
  return { ok: true, layout: { ...layout, memoryKiB, cells: layout.cells.map((c) => ({ ...c, memoryKiB: shares.get(c.id) ?? c.memoryKiB })) } };
}
