/** The audit's way of naming things in its sentences: guests, vCPUs, CPUs and nodes as a person reads them. */
import { formatIdList } from '../cpuset.ts';

export const quoted = (name: string): string => `'${name}'`;

export function names(list: readonly string[]): string {
  const q = list.map(quoted);
  return q.length <= 2 ? q.join(' and ') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

const plural = (word: string, ids: readonly number[]) => `${word}${ids.length === 1 ? '' : 's'} ${formatIdList(ids)}`;

export const vcpusWord = (ids: readonly number[]): string => plural('vCPU', ids);
export const cpusWord = (ids: readonly number[]): string => plural('host CPU', ids);
export const nodesWord = (ids: readonly number[]): string => plural('host node', ids);
