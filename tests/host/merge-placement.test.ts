/**
 * CPU-less nodes that no paste places go beside their nearest nodes by distance, said once per
 * node; nodes whose distances no paste gives stay unplaced rather than placed on Linux's default
 * 20. Real pastes: numactl -H over the sysfs of a corpus host with CXL and HBM nodes added
 * (cxl-host.ts, where hwloc is the judge in locality-by-distance.test.ts), and lscpu with hwloc
 * XML of a POWER9 whose V100 GPUs' memory are CPU-less nodes hwloc leaves out.
 */
import { describe, expect, it } from 'vitest';
import { formatIdList } from '../../src/core/cpuset.ts';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { numactlOver, readCorpus } from '../support/corpus.ts';
import { cxlHost, sysfsOf } from './cxl-host.ts';

describe('numactl -H of the Magny-Cours with CPU-less nodes 80-84', () => {
  const host = () => ingest([{ name: 'numactl-H.txt', text: numactlOver(sysfsOf('merge-placement', cxlHost()).system) }]).host;

  it('places 80, 81 and 83 beside their nearest CPUs, and not 82 (as near to all) or 84 (nearest to 82)', () => {
    expect(host().nodes.filter((n) => n.cpus.length === 0).map((n) => [n.id, n.kind, n.localCpus && formatIdList(n.localCpus), n.localCpusFrom])).toEqual([
      [80, 'memory-only', '0-11', 'distances'],
      [81, 'memory-only', '18-23', 'distances'],
      [82, 'memory-only', undefined, undefined],
      [83, 'memory-only', '18-23', 'distances'],
      [84, 'memory-only', undefined, undefined],
    ]);
    expect(host().nodes.filter((n) => n.cpus.length > 0).every((n) => n.localCpus === undefined && n.localCpusFrom === undefined)).toBe(true);
  });

  it('says each placement, naming the nodes it sits beside', () => {
    expect(host().diagnostics.map((d) => `${d.severity} ${d.source}: ${d.message}`)).toEqual([
      'info numactl-H.txt: no paste says where CPU-less node 80 sits: shown beside node 0-1, its nearest by distance, as hwloc places it',
      'info numactl-H.txt: no paste says where CPU-less node 81 sits: shown beside node 33, its nearest by distance, as hwloc places it',
      'info numactl-H.txt: no paste says where CPU-less node 83 sits: shown beside node 33, its nearest by distance, as hwloc places it',
    ]);
  });
});

describe('a POWER9 whose GPU memory nodes 250-255 only lscpu names', () => {
  const paste = (file: string): Paste => ({ name: file, text: readCorpus('hwloc-linux', file) });
  const host = () => ingest([paste('nvidiagpunumanodes.lscpu.txt'), paste('nvidiagpunumanodes.lstopo.xml')]).host;

  it('leaves the GPU nodes unplaced: their distances are Linux\'s default, not known', () => {
    expect(host().nodes.map((n) => [n.id, formatIdList(n.cpus), n.localCpus])).toEqual([
      [0, '0-15', undefined],
      [8, '88-103', undefined],
      ...[250, 251, 252, 253, 254, 255].map((id) => [id, '', undefined]),
    ]);
    expect(host().distances[0]).toEqual([10, 40, 20, 20, 20, 20, 20, 20]);
    expect(host().diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual([
      "warning: no paste gives the distance 0→250, 0→251, 0→252, 0→253, 0→254, 0→255 and 48 more; shown as 20, Linux's default remote distance",
    ]);
  });
});
