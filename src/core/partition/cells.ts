/**
 * Which host node(s) back each guest cell (formats.md §3.4): one node per cell, several cells
 * per node as equal slices of whole cores, or one cell over a group of nearest nodes.
 */
import type { DistanceOf } from '../host/distance.ts';

export interface CellBacking {
  cell: number;
  /** Host nodes backing the cell; several only when cells < nodes. */
  nodes: number[];
  /** Which slice of its node the cell is, and how many slices the node is cut into. */
  slice: number;
  slices: number;
}

export type CellMapping = { ok: true; cells: CellBacking[] } | { ok: false; error: string };

/** `nodes` in guest order (ascending ids): cell i ↔ nodes[i] when the counts match. */
export function mapCells(nodes: readonly number[], cells: number, distance: DistanceOf): CellMapping {
  const k = nodes.length;
  if (k === 0 || cells < 1) return { ok: false, error: 'no host node to place the guest on' };
  if (cells % k === 0) {
    const slices = cells / k;
    return {
      ok: true,
      cells: Array.from({ length: cells }, (_, i) => ({ cell: i, nodes: [nodes[Math.floor(i / slices)]], slice: i % slices, slices })),
    };
  }
  if (k % cells === 0) return { ok: true, cells: nearestGroups(nodes, k / cells, distance).map((g, i) => ({ cell: i, nodes: g, slice: 0, slices: 1 })) };
  return { ok: false, error: `cells must divide or be a multiple of the nodeset size (${cells} cells, ${k} nodes)` };
}

/**
 * Groups of `size` from ascending `nodes`: the lowest remaining node and its nearest remaining
 * nodes (ties: lower id, kept first by the stable sort).
 */
function nearestGroups(nodes: readonly number[], size: number, distance: DistanceOf): number[][] {
  const left = [...nodes];
  const groups: number[][] = [];
  while (left.length > 0) {
    const head = left.shift() as number;
    const near = [...left].sort((a, b) => distance(head, a) - distance(head, b)).slice(0, size - 1);
    for (const n of near) left.splice(left.indexOf(n), 1);
    groups.push([head, ...near].sort((a, b) => a - b));
  }
  return groups;
}
