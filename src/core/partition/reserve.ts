/**
 * Which host CPUs stay with the host (emulator, iothreads, host daemons) instead of running
 * vCPUs. 'first-core' is the talk's default: the first core, with all its SMT threads, of every
 * host node the guest uses.
 */
import { intersect, sortIds } from '../cpuset.ts';
import type { ReserveKeyword } from './request.ts';

/** Reserved CPUs of one node, given that node's cores (coresByNode); `reserve` as reserveOf() gives it. */
export function reservedOfNode(cores: readonly number[][], reserve: ReserveKeyword | number[]): number[] {
  if (reserve === 'none') return [];
  if (reserve === 'first-core') return cores.length > 0 ? [...cores[0]] : [];
  return intersect(sortIds(cores.flat()), sortIds(reserve));
}
