/**
 * Host SLIT lookups and the guest <distances> rows that mirror them (formats.md §3.8).
 */
import { DEFAULT_REMOTE_DISTANCE, type Host } from '../host/model.ts';

export type DistanceOf = (a: number, b: number) => number;

/**
 * A lookup of the distance between two host nodes that always answers: libvirt's remote default
 * (20) where the host's matrix says nothing, so the solver can rank any pair of nodes.
 */
export function hostDistance(host: Host): DistanceOf {
  const index = new Map(host.nodes.map((n, i) => [n.id, i]));
  return (a, b) => {
    if (a === b) return 10;
    const i = index.get(a);
    const j = index.get(b);
    const d = i === undefined || j === undefined ? undefined : host.distances[i]?.[j];
    return d === undefined || !Number.isFinite(d) ? DEFAULT_REMOTE_DISTANCE : d;
  };
}

/**
 * Guest distance rows: the host distance between the first nodes backing two cells; 11 between
 * slices of one host node, and never 10 off the diagonal (Linux rejects such a SLIT).
 */
export function guestDistanceRows(firstNodes: readonly number[], distance: DistanceOf): number[][] {
  return firstNodes.map((a, i) =>
    firstNodes.map((b, j) => (i === j ? 10 : a === b ? 11 : Math.min(255, Math.max(11, distance(a, b))))),
  );
}
