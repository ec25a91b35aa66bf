/**
 * What a hand edit costs, in sentences a person can read, and the layout's score after it.
 */
import { formatIdList } from '../cpuset.ts';
import type { GuestLayout, LayoutScore } from '../guest/model.ts';
import { guestSiblings } from '../guest/siblings.ts';
import type { Host } from '../host/model.ts';
import { formatKiBApart } from '../units.ts';
import { nodeCapacity } from './capacity.ts';
import { coresByNode } from './cores.ts';
import { type DistanceOf, hostDistance } from '../host/distance.ts';
import { occupancyOf } from './occupancy.ts';
import type { Occupancy } from './request.ts';
import { distanceCost, smtShared } from './score.ts';
import { scoreChanges, scoreParts } from './score-parts.ts';

interface HostIndex {
  nodeOfCpu: Map<number, number>;
  coreOfCpu: Map<number, number[]>;
  distance: DistanceOf;
}

function indexHost(host: Host): HostIndex {
  const nodeOfCpu = new Map<number, number>();
  const coreOfCpu = new Map<number, number[]>();
  for (const [node, cores] of coresByNode(host))
    for (const core of cores)
      for (const cpu of core) {
        nodeOfCpu.set(cpu, node);
        coreOfCpu.set(cpu, core);
      }
  return { nodeOfCpu, coreOfCpu, distance: hostDistance(host) };
}

function cellOf(layout: GuestLayout, vcpu: number) {
  return layout.cells.find((c) => c.vcpus.includes(vcpu));
}

function pinOf(layout: GuestLayout, vcpu: number): number[] {
  return layout.pins.find((p) => p.vcpu === vcpu)?.cpus ?? [];
}

function runNodes(index: HostIndex, cpus: readonly number[]): number[] {
  return [...new Set(cpus.map((c) => index.nodeOfCpu.get(c)).filter((n) => n !== undefined))].sort((a, b) => a - b);
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** vCPUs whose pin or cell the edit changed. */
function changedVcpus(before: GuestLayout, after: GuestLayout): number[] {
  return Array.from({ length: after.vcpus }, (_, v) => v).filter((v) => {
    const moved = cellOf(before, v)?.id !== cellOf(after, v)?.id;
    const memMoved = !same(cellOf(before, v)?.hostNodes ?? [], cellOf(after, v)?.hostNodes ?? []);
    return moved || memMoved || !same(pinOf(before, v), pinOf(after, v));
  });
}

export function explainEdit(before: GuestLayout, after: GuestLayout, host: Host, occupancy: Occupancy): string[] {
  const index = indexHost(host);
  const out: string[] = [];
  const changed = changedVcpus(before, after);
  for (const v of changed) {
    const from = cellOf(before, v);
    const to = cellOf(after, v);
    if (from && to && from.id !== to.id) {
      const d = to.distances[from.id];
      const nodes = `node ${formatIdList(from.hostNodes)} → node ${formatIdList(to.hostNodes)}`;
      out.push(`vCPU ${v} moves from cell ${from.id} to cell ${to.id} (${nodes}${d !== undefined ? `, distance ${d}` : ''})`);
      // v itself is among its siblings, in cell `to`: only siblings left in another cell are said
      for (const s of guestSiblings(after, v)) {
        const sc = cellOf(after, s);
        if (sc && sc.id !== to.id)
          out.push(`its guest core sibling vCPU ${s} stays in cell ${sc.id}, ${to.distances[sc.id] ?? '?'} away`);
      }
    }
    if (!to || to.hostNodes.length === 0) continue;
    for (const run of runNodes(index, pinOf(after, v))) {
      if (to.hostNodes.includes(run)) continue;
      const mem = to.hostNodes[0];
      out.push(`vCPU ${v} now runs ${index.distance(run, mem)} away from its memory (node ${run} → node ${mem})`);
    }
  }
  out.push(...interleaved(before, after, index));
  out.push(...sharedCores(after, changed, index, occupancy));
  out.push(...overcommit(before, after, changed, host, index, occupancy));
  out.push(...memoryFit(before, after, host, occupancy));
  out.push(...scoreChanges(scoreOf(before, host, occupancy), scoreOf(after, host, occupancy)));
  return out;
}

/**
 * A cell over several nodes puts an equal share of its pages on each: part is always remote.
 * Every edit that leaves a cell on new nodes, several of them, interleaves it (moveMemory, derive).
 */
function interleaved(before: GuestLayout, after: GuestLayout, index: HostIndex): string[] {
  const out: string[] = [];
  for (const cell of after.cells) {
    const was = before.cells.find((c) => c.id === cell.id)?.hostNodes ?? [];
    if (cell.hostNodes.length < 2 || same(was, cell.hostNodes)) continue;
    const runs = runNodes(index, cell.vcpus.flatMap((v) => pinOf(after, v)));
    const far = runs.flatMap((run) => cell.hostNodes.filter((n) => n !== run).map((n) => `node ${run} → node ${n} at ${index.distance(run, n)}`));
    out.push(
      `cell ${cell.id}'s memory now interleaves over nodes ${formatIdList(cell.hostNodes)}, ` +
        `about 1/${cell.hostNodes.length} on each` +
        (far.length > 0 ? `; its vCPUs reach the remote part ${far.join(', ')}` : ''),
    );
  }
  return out;
}

function sharedCores(after: GuestLayout, changed: readonly number[], index: HostIndex, occupancy: Occupancy): string[] {
  const out: string[] = [];
  for (const v of changed) {
    const cpus = pinOf(after, v);
    if (cpus.length !== 1) continue;
    const core = index.coreOfCpu.get(cpus[0]) ?? [];
    for (const g of occupancy.guests) {
      const theirs = new Set([...g.pinnedCpus, ...g.floatingCpus]);
      if (core.some((c) => theirs.has(c))) out.push(`vCPU ${v} shares core ${core.join('/')} with guest ${g.name}`);
    }
  }
  return out;
}

/** This guest's vCPU load on a node: 1 per 1:1 vCPU, a floating vCPU's share by its cpuset. */
function selfLoad(layout: GuestLayout, node: number, index: HostIndex): number {
  let load = 0;
  for (const p of layout.pins) {
    const here = p.cpus.filter((c) => index.nodeOfCpu.get(c) === node).length;
    if (p.cpus.length > 0) load += here / p.cpus.length;
  }
  return load;
}

function overcommit(
  before: GuestLayout,
  after: GuestLayout,
  changed: readonly number[],
  host: Host,
  index: HostIndex,
  occupancy: Occupancy,
): string[] {
  const touched = new Set(changed.flatMap((v) => [...runNodes(index, pinOf(before, v)), ...runNodes(index, pinOf(after, v))]));
  const cores = coresByNode(host);
  const out: string[] = [];
  for (const node of [...touched].sort((a, b) => a - b)) {
    const cap = nodeCapacity(host, node, cores.get(node) ?? [], 'none', occupancy);
    const load = Math.round((cap.guestLoad + selfLoad(after, node, index)) * 100) / 100;
    if (load > cap.onlineCpus) out.push(`node ${node} overcommitted: ${load} vCPUs on ${cap.onlineCpus} CPUs`);
  }
  return out;
}

function memoryFit(before: GuestLayout, after: GuestLayout, host: Host, occupancy: Occupancy): string[] {
  const held = (l: GuestLayout) => new Map(occupancyOf([{ name: 'self', layout: l }]).guests[0].memory.map((m) => [m.node, m.kib]));
  const was = held(before);
  const now = held(after);
  const cores = coresByNode(host);
  const out: string[] = [];
  for (const [node, kib] of [...now].sort((a, b) => a[0] - b[0])) {
    if (kib <= (was.get(node) ?? 0)) continue;
    const free = nodeCapacity(host, node, cores.get(node) ?? [], 'none', occupancy).freeKiB;
    if (free !== null && kib > free) {
      const [has, binds] = formatKiBApart(free, kib);
      out.push(`node ${node} has ${has} free but the guest now binds ${binds} there`);
    }
  }
  return out;
}

/**
 * A hand-edited layout is not the result of a search, so it is never claimed optimal; the gap is
 * bounded by its own distance cost, since no placement costs less than 0.
 */
export function scoreOf(layout: GuestLayout, host: Host, occupancy: Occupancy): LayoutScore {
  const index = indexHost(host);
  const distance = index.distance;
  const cost = distanceCost(
    layout.cells.map((c) => ({ vcpus: c.vcpus.length, nodes: c.hostNodes.length > 0 ? c.hostNodes : [-1] })),
    distance,
  );
  const t = Math.max(1, layout.topology.threads);
  const groups: number[][] = [];
  for (let v = 0; v < layout.vcpus; v += t) {
    const cpus = Array.from({ length: t }, (_, i) => pinOf(layout, v + i)).flat();
    groups.push([...new Set(cpus.flatMap((c) => index.coreOfCpu.get(c) ?? [c]))]);
  }
  const shared = new Set(occupancy.guests.flatMap((g) => [...g.pinnedCpus, ...g.floatingCpus]));
  const nodes = new Set(layout.cells.flatMap((c) => c.hostNodes));
  return { nodes: nodes.size, distanceCost: cost, smtShared: smtShared(groups, shared), ...scoreParts(layout, host), optimal: false, gap: cost };
}
