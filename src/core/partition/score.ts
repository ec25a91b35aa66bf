/**
 * How good a placement is (LayoutScore in guest/model.ts).
 */
import type { DistanceOf } from '../host/distance.ts';

export interface CellPlacement {
  vcpus: number;
  /** Host nodes backing the cell. */
  nodes: readonly number[];
}

/**
 * Σ over pairs of (vcpus_p · vcpus_q / V) · (d − 10), the all-to-all traffic cost of
 * anchors-partitioning §6.2. With one node per cell it is exactly the formula over guest cells
 * and guest distances (11 between slices of one node). A cell spanning several nodes counts as
 * equal parts on each, so traffic inside the cell across its nodes is paid for too.
 */
export function distanceCost(cells: readonly CellPlacement[], distance: DistanceOf): number {
  const parts: { cell: number; node: number; vcpus: number }[] = [];
  cells.forEach((c, cell) => {
    for (const node of c.nodes) parts.push({ cell, node, vcpus: c.vcpus / c.nodes.length });
  });
  const total = cells.reduce((s, c) => s + c.vcpus, 0);
  if (total === 0) return 0;
  let cost = 0;
  parts.forEach((a, p) => {
    for (const b of parts.slice(p + 1)) {
      const d = a.node === b.node ? 11 : distance(a.node, b.node);
      cost += ((a.vcpus * b.vcpus) / total) * (d - 10);
    }
  });
  return roundCost(cost);
}

/** Three decimals: keeps the JSON stable across platforms' float printing of long fractions. */
export function roundCost(cost: number): number {
  return Math.round(cost * 1000) / 1000;
}

/** Guest cores (vCPU groups) whose host cores also run another guest's vCPUs. */
export function smtShared(coreGroups: readonly (readonly number[])[], sharedCpus: ReadonlySet<number>): number {
  return coreGroups.filter((cpus) => cpus.some((c) => sharedCpus.has(c))).length;
}
