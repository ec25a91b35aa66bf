/**
 * The guest <distances> rows that mirror the host's SLIT (formats.md §3.8; host lookups are
 * host/distance.ts).
 */
import type { DistanceOf } from '../host/distance.ts';

/**
 * Guest distance rows: the host distance between the first nodes backing two cells, never 10
 * off the diagonal (Linux rejects such a SLIT): slices of one host node (10 apart) are 11.
 */
export function guestDistanceRows(firstNodes: readonly number[], distance: DistanceOf): number[][] {
  return firstNodes.map((a, i) => firstNodes.map((b, j) => (i === j ? 10 : Math.min(255, Math.max(11, distance(a, b))))));
}
