/** The distance between two host nodes by the host's SLIT, for whoever ranks nodes (partition, audit, memory homes, the overview). */
import { DEFAULT_REMOTE_DISTANCE, type Host } from './model.ts';

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
