/**
 * The groups mode auto keeps a guest inside (src/core/partition/node-groups.ts), on corpus hosts:
 * by package where every node's CPUs name one (lscpu, hwloc XML), else by the nearest distance
 * (numactl -H of a Kunpeng 920: 12 inside a socket, 20–24 across), and none where nothing tells
 * the nodes apart (one tier of distances, or none printed).
 */
import { describe, expect, it } from 'vitest';
import { hostDistance } from '../../src/core/host/distance.ts';
import type { Host } from '../../src/core/host/model.ts';
import { nodeGroups } from '../../src/core/partition/node-groups.ts';
import { corpusHost } from '../support/corpus.ts';

const groupsOf = (host: Host, nodes = host.nodes.map((n) => n.id)) => nodeGroups(host, nodes, hostDistance(host));
const packages = (...members: [number, number[]][]) => members.map(([id, nodes]) => ({ name: `package ${id}`, kind: 'packages', nodes }));

describe('by package', () => {
  it('puts the two Cluster-on-Die nodes of each socket together', () => {
    expect(groupsOf(corpusHost('hwloc-xml/28intel64-2p2g7c-CoDgroups.v1.xml'))).toEqual(packages([0, [0, 1]], [1, [2, 3]]));
  });

  it('lists packages by number, whatever the order of their nodes', () => {
    // node 0 sits in package 1, node 1 in package 0, node 3 in package 5 and node 5 in package 3
    const host = corpusHost('hwloc-xml/16amd64-4distances.xml');
    expect(groupsOf(host)).toEqual(packages([0, [1]], [1, [0]], [2, [2]], [3, [5]], [4, [4]], [5, [3]], [6, [6]], [7, [7]]));
  });

  it('groups only the nodes asked for', () => {
    const host = corpusHost('pasted/talk-e7-8895v2.lscpu.txt');
    expect(groupsOf(host, [1, 3])).toEqual(packages([1, [1]], [3, [3]]));
  });

  it('gives up on packages when a node has no CPUs to say which (KNL MCDRAM nodes), and the distances are one tier', () => {
    const host = corpusHost('hwloc-xml/64intel64-fakeKNL-SNC4-hybrid.xml');
    expect(groupsOf(host, [0, 1])).toEqual(packages([0, [0, 1]]));
    expect(groupsOf(host)).toEqual([]);
  });

  it('gives up on packages when a CPU names none, or a node spans two', () => {
    const host = corpusHost('pasted/talk-e7-8895v2.lscpu.txt');
    const first = host.nodes[0].cpus[0];
    const last = host.nodes[0].cpus.at(-1);
    const withCpu = (change: (c: Host['cpus'][number]) => Host['cpus'][number]) => ({ ...host, cpus: host.cpus.map((c) => (c.id === last ? change(c) : c)) });
    expect(groupsOf({ ...host, cpus: host.cpus.map((c) => (c.id === first ? { ...c, package: undefined } : c)) })).toEqual([]);
    expect(groupsOf(withCpu((c) => ({ ...c, package: undefined })))).toEqual([]);
    expect(groupsOf(withCpu((c) => ({ ...c, package: 1 })))).toEqual([]);
  });
});

describe('by distance', () => {
  const kunpeng = corpusHost('pasted/numactl-H-kunpeng920-2s4n.txt');
  const nearest = (name: string, nodes: number[]) => ({ name: `nodes ${name}`, kind: 'groups of nearest nodes', nodes });

  it('joins the nodes of each socket by their nearest distance (12), not the cross-socket ones (20–24)', () => {
    expect(groupsOf(kunpeng)).toEqual([nearest('0-1', [0, 1]), nearest('2-3', [2, 3])]);
  });

  it('measures the nearest distance among the nodes asked for only', () => {
    expect(groupsOf(kunpeng, [0, 2, 3])).toEqual([nearest('0', [0]), nearest('2-3', [2, 3])]);
    // 0↔1 (12) is the nearest of these: 0 and 1 join, and 3 (22 and 24 from them) stays apart
    expect(groupsOf(kunpeng, [0, 1, 3])).toEqual([nearest('0-1', [0, 1]), nearest('3', [3])]);
  });

  it('finds no groups in one tier of distances, in none, or in a single node', () => {
    expect(groupsOf(corpusHost('pasted/talk-e7-8895v2.numactl-H.txt'))).toEqual([]);
    expect(groupsOf(corpusHost('pasted/numactl-H-epyc7401-memoryless-nodes.txt'))).toEqual([]);
    expect(groupsOf(kunpeng, [2])).toEqual([]);
    expect(groupsOf(kunpeng, [])).toEqual([]);
  });
});

describe('kept per host and node list', () => {
  it('answers the same groups again, and tells node lists apart however their ids run together', () => {
    const host = corpusHost('hwloc-xml/192em64t-24n8c2t.xml');
    const first = groupsOf(host, [1, 2]);
    expect(groupsOf(host, [1, 2])).toBe(first);
    expect(groupsOf(host, [12])).toEqual(packages([12, [12]]));
    expect(groupsOf(host, [1, 2])).toBe(first);
  });
});
