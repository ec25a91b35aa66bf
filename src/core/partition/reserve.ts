/**
 * Which host CPUs stay with the host (emulator, iothreads, host daemons) instead of running
 * vCPUs. 'first-core' is the talk's default: the first core, with all its SMT threads, of every
 * host node the guest uses.
 */
import { intersect, sortIds } from '../cpuset.ts';
import type { ReserveKeyword } from './request.ts';

/** Reserved CPUs of one node, given that node's cores (coresByNode); `reserve` as reserveOf() gives it. */
export function reservedOfNode(cores: readonly number[][], reserve: ReserveKeyword | number[]): number[] {
  if (typeof reserve !== 'string') return intersect(sortIds(cores.flat()), sortIds(reserve));
  return reserve === 'first-core' && cores.length > 0 ? [...cores[0]] : [];
}
