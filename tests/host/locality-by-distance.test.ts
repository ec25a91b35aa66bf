/**
 * CPU-less nodes pasted from sources that cannot say where they sit (numactl -H, virsh
 * capabilities) are placed beside their nearest nodes by distance, and hwloc is the judge: its
 * Linux backend reads the same sysfs tree (HWLOC_FSROOT) and its cpuset for each CPU-less node,
 * printed by hwloc-calc, must be exactly our inferred locality. The trees are real hosts of the
 * corpus written out as sysfs, with CPU-less nodes added (cxl-host.ts), and real dumps.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHost } from '../../src/cli/inspect-text.ts';
import { formatIdList } from '../../src/core/cpuset.ts';
import { nodeCpusText } from '../../src/core/host/locality.ts';
import { localityByDistance } from '../../src/core/host/locality-by-distance.ts';
import type { Host } from '../../src/core/host/model.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { corpusHost, dumpRoot, numactlOver, readCorpus, runPeer } from '../support/corpus.ts';
import { startDaemon, type Daemon } from '../libvirt/daemon.ts';
import { CXL_NODES, cxlHost, sysfsOf } from './cxl-host.ts';

/** A first libvirtd on a fresh machine probes QEMU's capabilities. */
const STARTUP = 60_000;

/** hwloc's cpuset of every CPU-less node of the tree, as a CPU list ('' when it has none). */
function hwlocLocalities(root: string, nodes: readonly number[]): Map<number, string> {
  const xml = runPeer('lstopo-no-graphics', ['--of', 'xml', '-'], { HWLOC_FSROOT: root, HWLOC_COMPONENTS: 'linux,stop' });
  const file = join(root, 'lstopo.xml');
  writeFileSync(file, xml);
  return new Map(
    nodes.map((id) => {
      const pus = runPeer('hwloc-calc', ['-i', file, '--physical-input', `node:${id}`, '--physical-output', '--intersect', 'pu']).trim();
      return [id, pus === '' ? '' : formatIdList(pus.split(',').map(Number))];
    }),
  );
}

function ourLocalities(host: Host): Map<number, string> {
  return new Map(host.nodes.filter((n) => n.cpus.length === 0).map((n) => [n.id, formatIdList(n.localCpus ?? [])]));
}

describe('CPU-less nodes from numactl -H and virsh capabilities are placed as hwloc places them', () => {
  const tree = sysfsOf('cxl', cxlHost());
  const hwloc = hwlocLocalities(tree.root, CXL_NODES);
  const numactl = numactlOver(tree.system);
  const fromNumactl = ingest([{ name: 'numactl -H', text: numactl }]).host;

  it('hwloc itself: the tie, the lone neighbour, the chain, and two nodes it leaves unplaced', () => {
    expect(Object.fromEntries(hwloc)).toEqual({ 80: '0-11', 81: '18-23', 82: '', 83: '18-23', 84: '' });
  });

  it('numactl -H: every CPU-less node has exactly hwloc\'s cpuset, said to be inferred by distance', () => {
    expect(ourLocalities(fromNumactl)).toEqual(hwloc);
    const placed = fromNumactl.nodes.filter((n) => n.localCpus !== undefined);
    expect(placed.map((n) => [n.id, n.localCpusFrom])).toEqual([
      [80, 'distances'],
      [81, 'distances'],
      [83, 'distances'],
    ]);
    expect([80, 81, 82, 83].map((id) => nodeCpusText(fromNumactl, id, '—'))).toEqual([
      '— (beside node 0-1, by distance)',
      '— (beside node 33, by distance)',
      '—',
      '— (beside node 33, by distance)',
    ]);
    const report = renderHost(fromNumactl);
    expect(report).toMatch(/^\s*80\s+memory-only\s+- \(beside node 0-1, by distance\)\s/m);
    expect(report).toMatch(/^\s*82\s+memory-only\s+-\s/m);
    expect(fromNumactl.diagnostics.filter((d) => d.severity === 'info' && /CPU-less node/.test(d.message)).map((d) => d.message)).toEqual([
      'no paste says where CPU-less node 80 sits: shown beside node 0-1, its nearest by distance, as hwloc places it',
      'no paste says where CPU-less node 81 sits: shown beside node 33, its nearest by distance, as hwloc places it',
      'no paste says where CPU-less node 83 sits: shown beside node 33, its nearest by distance, as hwloc places it',
    ]);
  });

  describe('virsh capabilities of the same host (a libvirtd over the tree)', () => {
    let daemon: Daemon;
    let caps = '';
    beforeAll(() => {
      daemon = startDaemon(tree.root);
      const r = daemon.virsh('capabilities');
      if (!r.ok) throw new Error(r.stderr);
      caps = r.stdout;
    }, STARTUP);
    afterAll(() => daemon?.stop());

    it('gives the same localities as hwloc', () => {
      const host = ingest([{ name: 'capabilities.xml', text: caps }]).host;
      expect(host.nodes.filter((n) => n.cpus.length === 0).map((n) => n.id)).toEqual(CXL_NODES);
      expect(ourLocalities(host)).toEqual(hwloc);
    });
  });

  it('a source that states the locality wins over the distances: hwloc XML of a host where 81 hangs off node 0', () => {
    const moved = cxlHost();
    const i81 = moved.nodes.findIndex((n) => n.id === 81);
    const i0 = moved.nodes.findIndex((n) => n.id === 0);
    const i33 = moved.nodes.findIndex((n) => n.id === 33);
    for (const [a, b, d] of [[i81, i0, 13], [i81, i33, 30]]) moved.distances[a][b] = moved.distances[b][a] = d;
    const other = sysfsOf('cxl-moved', moved);
    const xml = runPeer('lstopo-no-graphics', ['--of', 'xml', '-'], { HWLOC_FSROOT: other.root, HWLOC_COMPONENTS: 'linux,stop' });
    const host = ingest([
      { name: 'numactl -H', text: numactl },
      { name: 'lstopo.xml', text: xml },
    ]).host;
    const n81 = host.nodes.find((n) => n.id === 81)!;
    expect(formatIdList(n81.localCpus ?? [])).toBe('0-5');
    expect(n81.localCpusFrom).toBeUndefined();
    expect(nodeCpusText(host, 81, '—')).toBe('— (beside node 0)');
  });
});

describe('where hwloc places no CPU-less node, neither do we', () => {
  it("the Superdome's node 16, 14 from every other node (the real SLIT, as sysfs)", () => {
    const tree = sysfsOf('superdome', corpusHost('hwloc-linux/128ia64-17n4s2c.lstopo.xml'));
    const host = ingest([{ name: 'numactl -H', text: numactlOver(tree.system) }]).host;
    expect(host.nodes[16]).toMatchObject({ id: 16, cpus: [] });
    expect(host.distances[16].slice(0, 16).every((d) => d === 14)).toBe(true);
    expect(ourLocalities(host)).toEqual(hwlocLocalities(tree.root, [16]));
    expect(host.nodes[16].localCpus).toBeUndefined();
  });

  it("the POWER9's GPU memory nodes 250-255, 80 from everything (its own sysfs dump, numactl -H)", () => {
    const host = ingest([{ name: 'numactl -H', text: numactlOver(join(dumpRoot('hwloc-linux', 'nvidiagpunumanodes.tar.bz2'), 'sys/devices/system')) }]).host;
    const cpuless = host.nodes.filter((n) => n.cpus.length === 0);
    expect(cpuless.map((n) => n.id)).toEqual([250, 251, 252, 253, 254, 255]);
    expect(cpuless.every((n) => n.localCpus === undefined)).toBe(true);
  });

  it('a host of one CPU node and one CPU-less node: the only other node is every other node', () => {
    const base = corpusHost('libvirt-caps/vircaps-x86_64-hmat.xml');
    const tree = sysfsOf('two', { ...base, distances: [[10, 20], [20, 10]] });
    const host = ingest([{ name: 'numactl -H', text: numactlOver(tree.system) }]).host;
    expect(host.distances).toEqual([[10, 20], [20, 10]]);
    expect(ourLocalities(host)).toEqual(hwlocLocalities(tree.root, [1]));
    expect(ourLocalities(host)).toEqual(new Map([[1, '']]));
  });

  it('no distances, no place: the HMAT host from virsh capabilities (it has no SLIT)', () => {
    const host = ingest([{ name: 'caps.xml', text: readCorpus('libvirt-caps/vircaps-x86_64-hmat.xml') }]).host;
    expect(host.distances).toEqual([]);
    expect(host.nodes[1]).toMatchObject({ cpus: [], kind: 'memory-only' });
    expect(host.nodes[1].localCpus).toBeUndefined();
  });
});

describe('a row of distances no paste gave in full places nothing', () => {
  it("node 80's row with a gap (merge filled it with Linux's default): 80 stays unplaced, the rest as hwloc", () => {
    const host = cxlHost();
    const i80 = host.nodes.findIndex((n) => n.id === 80);
    const placed = (known: (i: number) => boolean) => Object.fromEntries([...localityByDistance(host.nodes, host.distances, known)].map(([id, cpus]) => [id, formatIdList(cpus)]));
    expect(placed(() => true)).toEqual({ 80: '0-11', 81: '18-23', 83: '18-23' });
    expect(placed((i) => i !== i80)).toEqual({ 81: '18-23', 83: '18-23' });
  });
});
