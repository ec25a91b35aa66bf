/**
 * The node overview's rows (issue 16): on a host with many nodes, one tile per node, in rows by
 * package — or by distance when no source says which package a node is in (node-groups.ts, the
 * grouping mode auto keeps a guest inside) — each telling what every guest holds there: the CPUs
 * its vCPUs are pinned to or float over, and the memory it binds. A pure function of the host and
 * the guests' layouts; NodeOverview.tsx only draws it.
 */
import type { GuestLayout } from '../../core/guest/model.ts';
import type { Host } from '../../core/host/model.ts';
import { formatIdList } from '../../core/cpuset.ts';
import { hostDistance } from '../../core/host/distance.ts';
import { nodeGroups, type NodeGroup } from '../../core/partition/node-groups.ts';
import { occupancyOf } from '../../core/partition/occupancy.ts';

/** Nodes from which a host gets an overview: below it the detailed view shows every node readably. */
export const OVERVIEW_MIN_NODES = 8;

/** What one guest holds on one node. */
export interface GuestShare {
  /** Index of the guest in the workspace (its colours and name). */
  guest: number;
  /** The guest's cells backed by this node, for their colour. */
  cells: number[];
  /** Host CPUs of this node its vCPUs are pinned to one-to-one. */
  pinnedCpus: number;
  /** Host CPUs of this node its floating vCPUs may run on. */
  floatingCpus: number;
  /** Memory it binds on this node. */
  memoryKiB: number;
}

export interface NodeTile {
  node: number;
  cpus: number;
  /** null when no source said how much memory the node has. */
  memoryKiB: number | null;
  /** Guests holding anything here, in workspace order. */
  guests: GuestShare[];
}

export interface OverviewRow {
  /** "package 1", "nodes 0-3" (a group found by distance), or "nodes 0-7" when nothing groups them. */
  label: string;
  tiles: NodeTile[];
}

export function overviewRows(host: Host, guests: readonly GuestLayout[]): OverviewRow[] {
  const ids = host.nodes.map((n) => n.id).sort((a, b) => a - b);
  const groups = rowsOf(host, ids);
  const rows = groups.length > 0 ? groups.map((g) => ({ label: g.name, nodes: g.nodes })) : [{ label: `nodes ${formatIdList(ids)}`, nodes: ids }];
  const held = occupancyOf(guests.map((layout, i) => ({ name: String(i), layout }))).guests;
  const nodeOfCpu = new Map<number, number>();
  for (const n of host.nodes) for (const c of n.cpus) nodeOfCpu.set(c, n.id);
  const byId = new Map(host.nodes.map((n) => [n.id, n]));
  const count = (cpus: readonly number[], node: number) => cpus.filter((c) => nodeOfCpu.get(c) === node).length;
  const tile = (id: number): NodeTile => {
    const node = byId.get(id);
    const shares = held.flatMap((g, guest): GuestShare[] => {
      const share = {
        guest,
        cells: cellsOn(guests[guest], id, nodeOfCpu),
        pinnedCpus: count(g.pinnedCpus, id),
        floatingCpus: count(g.floatingCpus, id),
        memoryKiB: g.memory.find((m) => m.node === id)?.kib ?? 0,
      };
      return share.pinnedCpus + share.floatingCpus + share.memoryKiB > 0 ? [share] : [];
    });
    return { node: id, cpus: node?.cpus.length ?? 0, memoryKiB: node?.memoryKiB ?? null, guests: shares };
  };
  return rows.map((r) => ({ label: r.label, tiles: r.nodes.map(tile) }));
}

/**
 * Packages, unless each holds a single node (the SGI's 24 one-node blades): rows of one tile tell
 * nothing, so the nodes are grouped by distance instead, as when no source names packages.
 */
function rowsOf(host: Host, ids: readonly number[]): NodeGroup[] {
  const distance = hostDistance(host);
  const groups = nodeGroups(host, ids, distance);
  if (groups.length < 2 || groups[0].kind !== 'packages' || groups.some((g) => g.nodes.length > 1)) return groups;
  // nodeGroups groups by distance whenever a CPU has no package: the same host without them.
  const unpackaged: Host = { ...host, cpus: host.cpus.map((c) => ({ ...c, package: undefined })) };
  return nodeGroups(unpackaged, ids, distance);
}

/**
 * The guest's cells on a node: those whose memory it backs, and those whose vCPUs run there (a
 * cell on a memoryless node binds its memory to the nearest node with memory).
 */
function cellsOn(layout: GuestLayout, node: number, nodeOfCpu: ReadonlyMap<number, number>): number[] {
  const cellOfVcpu = new Map(layout.cells.flatMap((c, i) => c.vcpus.map((v) => [v, i] as const)));
  const cells = new Set(layout.cells.flatMap((c, i) => (c.hostNodes.includes(node) ? [i] : [])));
  for (const pin of layout.pins) {
    const cell = cellOfVcpu.get(pin.vcpu);
    if (cell !== undefined && pin.cpus.some((c) => nodeOfCpu.get(c) === node)) cells.add(cell);
  }
  return [...cells].sort((a, b) => a - b);
}
