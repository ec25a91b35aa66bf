/**
 * Cores of each node (src/core/partition/cores.ts), the units pins are handed out in: from the
 * core ids lscpu and hwloc give, from thread siblings where a paste has no core ids, one CPU per
 * core where it has neither (numactl -H alone), never an offline CPU.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/core/host/model.ts';
import { coresByNode, coresOfNode } from '../../src/core/partition/cores.ts';
import { corpusHost } from '../support/corpus.ts';

/** The talk host's 15 two-thread cores of a node: CPU c and c + 60, from `first` on. */
const talkCores = (first: number) => Array.from({ length: 15 }, (_, i) => [first + i, first + i + 60]);

describe('cores of a node', () => {
  const talk = corpusHost('pasted/talk-e7-8895v2.lscpu.txt');

  it('pairs the SMT threads lscpu gives one core, cores by first CPU', () => {
    const cores = coresByNode(talk);
    expect([...cores.keys()]).toEqual([0, 1, 2, 3]);
    for (const node of [0, 1, 2, 3]) expect(cores.get(node)).toEqual(talkCores(node * 15));
  });

  it('pairs them by thread siblings when no paste gave core ids', () => {
    const siblingsOnly: Host = { ...talk, cpus: talk.cpus.map((c) => ({ ...c, core: undefined })) };
    expect(coresOfNode(siblingsOnly, 2)).toEqual(talkCores(30));
  });

  it('pairs them by core ids alone when no paste gave sibling lists', () => {
    const coresOnly: Host = { ...talk, cpus: talk.cpus.map((c) => ({ ...c, siblings: [c.id] })) };
    expect(coresOfNode(coresOnly, 1)).toEqual(talkCores(15));
  });

  it('takes a CPU a node lists but the host says nothing else of as a core of its own', () => {
    const unknown: Host = { ...talk, cpus: talk.cpus.filter((c) => c.id !== 0) };
    expect(coresOfNode(unknown, 0)).toEqual([[0], ...talkCores(1).slice(0, 14), [60]]);
  });

  it('is one core per CPU where numactl -H says nothing of threads', () => {
    const cores = coresOfNode(corpusHost('pasted/talk-e7-8895v2.numactl-H.txt'), 1);
    expect(cores).toEqual([...Array.from({ length: 15 }, (_, i) => [15 + i]), ...Array.from({ length: 15 }, (_, i) => [75 + i])]);
  });

  it('leaves out a CPU marked offline, and keeps its online sibling as a core of one', () => {
    const offline: Host = { ...talk, cpus: talk.cpus.map((c) => (c.id === 60 || c.id === 14 ? { ...c, online: false } : c)) };
    expect(coresOfNode(offline, 0)).toEqual([[0], ...talkCores(1).slice(0, 13), [74]]);
  });

  it('follows hwloc through a host whose offline CPUs split its cores (lstopo: Core L#1 = PU P#4 + P#12)', () => {
    expect(coresOfNode(corpusHost('hwloc-xml/16em64t-4s2c2t-offlines.xml'), 0)).toEqual([[0], [1], [3], [4, 12], [6], [15]]);
  });

  it('hands cores out by first CPU and threads ascending however the node lists its CPUs', () => {
    const shuffled: Host = { ...talk, nodes: talk.nodes.map((n) => ({ ...n, cpus: [...n.cpus].reverse() })) };
    expect(coresOfNode(shuffled, 3)).toEqual(talkCores(45));
    const unknownCore: Host = { ...shuffled, cpus: shuffled.cpus.map((c) => ({ ...c, core: undefined })) };
    expect(coresOfNode(unknownCore, 3)).toEqual(talkCores(45));
  });

  it('is empty for a node the host does not have', () => {
    expect(coresOfNode(talk, 4)).toEqual([]);
  });
});
