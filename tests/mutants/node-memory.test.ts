/**
 * Node memory when two pastes of one host disagree: the best-ranked paste wins whatever the
 * paste order (virsh capabilities' exact KiB over numactl's truncated MiB, priority.ts), a
 * rounding difference is not a conflict, and a real difference is one, naming both pastes.
 * Kills the planted bugs "node memory taken from the worst-ranked paste" (host/merge.ts) and
 * "a node-memory disagreement never reported as a conflict" (host/conflicts.ts).
 */
import { describe, expect, it } from 'vitest';
import { ingest, type Paste } from '../../src/core/ingest/index.ts';
import { readCorpus } from '../support/corpus.ts';

const caps: Paste = { name: 'vircaps-x86_64-basic.xml', text: readCorpus('libvirt-caps', 'vircaps-x86_64-basic.xml') };
const capsKiB = [1048576, 2097152, 3145728, 4194304];

/** numactl -H of the machine caps describes (4 nodes × 4 CPUs), each node `sizes[i]` MB. */
function numactl(sizes: number[]): Paste {
  const lines = ['available: 4 nodes (0-3)'];
  sizes.forEach((mb, i) => {
    lines.push(`node ${i} cpus: ${[0, 1, 2, 3].map((c) => 4 * i + c).join(' ')}`, `node ${i} size: ${mb} MB`, `node ${i} free: ${mb - 100} MB`);
  });
  lines.push('node distances:', 'node   0   1   2   3', '  0:  10  20  20  20', '  1:  20  10  20  20', '  2:  20  20  10  20', '  3:  20  20  20  10');
  return { name: 'numactl-H.txt', text: `${lines.join('\n')}\n` };
}

// What the kernel shows once it holds a few MiB back per node: within the rounding numactl allows.
const nearby = numactl(capsKiB.map((kib) => kib / 1024 - 3));

describe('node memory from two pastes of one host', () => {
  it.each([
    ['caps first', [caps, nearby]],
    ['numactl first', [nearby, caps]],
  ])('%s: virsh capabilities (ranked first for memory) wins', (_, pastes) => {
    const { host } = ingest(pastes as Paste[]);
    expect(host.nodes.map((n) => n.memoryKiB)).toEqual(capsKiB);
  });

  it('numactl alone gives its own MiB', () => {
    const { host } = ingest([nearby]);
    expect(host.nodes.map((n) => n.memoryKiB)).toEqual(capsKiB.map((kib) => kib - 3 * 1024));
  });

  it('a rounding difference is not a conflict', () => {
    expect(ingest([caps, nearby]).host.conflicts.filter((c) => /memory/.test(c.subject))).toEqual([]);
  });

  it('a real difference is a conflict naming both pastes, resolved for virsh capabilities', () => {
    const halved = numactl(capsKiB.map((kib, i) => (i === 2 ? kib / 2048 : kib / 1024)));
    for (const pastes of [[caps, halved], [halved, caps]]) {
      const conflicts = ingest(pastes).host.conflicts.filter((c) => /memory/.test(c.subject));
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0].subject).toBe('memory of node 2');
      expect(conflicts[0].claims.map((c) => c.source).sort()).toEqual([expect.stringContaining('numactl-H.txt'), expect.stringContaining('vircaps-x86_64-basic.xml')]);
      expect(conflicts[0].resolution).toMatch(/uses vircaps-x86_64-basic\.xml/);
    }
  });
});
