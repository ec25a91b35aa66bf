/**
 * Guest <cpu><topology> (formats.md §3.7): one socket per cell, guest SMT as wide as the host's
 * but never wider than a cell, sockets × dies × clusters × cores × threads = vCPUs. Cells of
 * unequal size, or of a size that is not whole host cores, get the topology nearest to that
 * which keeps every guest socket and core inside one cell.
 */
import type { GuestTopology } from '../guest/model.ts';
import type { Distribution, ThreadPolicy } from './request.ts';

/**
 * Round-robin deals consecutive vCPUs to different cells, so guest siblings could not share a
 * host core; isolate gives each vCPU a core of its own. Both show the guest no SMT.
 */
export function guestThreads(hostSmt: number, vcpusPerCell: number, distribution: Distribution, policy: ThreadPolicy): number {
  if (distribution === 'round-robin' || policy === 'isolate') return 1;
  return Math.max(1, Math.min(hostSmt, vcpusPerCell));
}

/**
 * For cells of these sizes whose vCPUs are packed `packThreads` to a host core: guest threads
 * as wide as divide both the host packing and every cell (so no guest core straddles two host
 * cores or two cells), and sockets as large as divide every cell (so none straddles two cells —
 * RHEL warns of that). Equal cells of whole cores get one socket per cell.
 */
export function guestTopologyOf(sizes: readonly number[], packThreads: number): GuestTopology {
  const vcpus = sizes.reduce((s, x) => s + x, 0);
  const common = sizes.reduce((g, s) => gcd(g, s), 0) || vcpus;
  let threads = 1;
  for (let t = Math.max(1, packThreads); t >= 1; t--) {
    if (packThreads % t === 0 && common % t === 0) {
      threads = t;
      break;
    }
  }
  return { sockets: vcpus / common, dies: 1, clusters: 1, cores: common / threads, threads };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
