/**
 * A synthetic host as one paste: the hwloc synthetic string on the first line and, when there is
 * one, the distance matrix below it in the `distances:` form the hwloc-synthetic ingest reads.
 * Going through a paste keeps one way in for every host, invented or real.
 */

export interface SyntheticHost {
  /** hwloc synthetic string, as `lstopo -i` takes it. */
  topology: string;
  /** Row = from, column = to, in node id order; empty when the host has no distances. */
  distances: number[][];
}

export function syntheticPaste(host: SyntheticHost): string {
  const lines = [host.topology.trim()];
  if (host.distances.length > 0) {
    lines.push('distances:');
    for (const row of host.distances) lines.push(row.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The matrix resized to n nodes: values kept where both ends still exist, 10 on a new diagonal
 * and `far` elsewhere, so that growing a host in the editor never leaves a hole.
 */
export function resizeDistances(distances: readonly (readonly number[])[], n: number, far = 20): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => distances[i]?.[j] ?? (i === j ? 10 : far)));
}

/**
 * Linux's numbering of PUs on x86: every core's first thread first (core-major across all
 * packages), then every core's second thread, so CPU n and n + cores are SMT siblings. hwloc's
 * synthetic numbering is tree order (siblings adjacent); this list, given as the pu level's
 * `indexes=`, makes the synthetic host number its PUs the way the kernel does.
 */
export function linuxPuIndexes(cores: number, threads: number): number[] {
  const ids: number[] = [];
  for (let c = 0; c < cores; c++) for (let t = 0; t < threads; t++) ids.push(c + t * cores);
  return ids;
}
