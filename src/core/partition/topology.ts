/**
 * Guest <cpu><topology> (formats.md §3.7): one socket per cell, guest SMT as wide as the host's
 * but never wider than a cell, sockets × dies × clusters × cores × threads = vCPUs.
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

export function guestTopology(cells: number, vcpusPerCell: number, threads: number): GuestTopology {
  return { sockets: cells, dies: 1, clusters: 1, cores: vcpusPerCell / threads, threads };
}
