/**
 * The heatmap's caption speaks of the host's own distances, read from real matrices of the
 * corpus: no "21 ≈ 2.1× local" on a host that has no 21.
 */
import { describe, expect, it } from 'vitest';
import { distanceMeaning, distanceSummary, heatmapCaption } from '../../src/ui/heatmap-caption.ts';
import type { Host } from '../../src/core/host/model.ts';
import { corpusHost } from '../support/corpus.ts';

function captionOf(host: Host): string {
  return heatmapCaption(distanceSummary(host.nodes.map((n) => n.id), host.distances));
}

describe('heatmap caption', () => {
  it('names the talk host\'s one remote distance, 21, with a pair of nodes at it', () => {
    const host = corpusHost('pasted/talk-e7-8895v2.lscpu.txt', 'pasted/talk-e7-8895v2.numactl-H.txt');
    const summary = distanceSummary(host.nodes.map((n) => n.id), host.distances);
    expect(summary.local).toBe(10);
    expect(summary.tiers).toEqual([{ distance: 21, ratio: 2.1, pairs: 12, example: { from: 0, to: 1 } }]);
    expect(captionOf(host)).toContain('one remote distance: 21 ≈ 2.1× local (e.g. node 0 → 1)');
  });

  it('on a 10/40 POWER8 speaks of 40, never of 21', () => {
    const caption = captionOf(corpusHost('hwloc-xml/power8gpudistances.xml'));
    expect(caption).toContain('40 ≈ 4.0× local');
    expect(caption).not.toContain('21');
  });

  it('lists every tier of the asymmetric Kunpeng 920, nearest first, with its first pair', () => {
    const host = corpusHost('pasted/numactl-H-kunpeng920-2s4n.txt');
    const summary = distanceSummary(host.nodes.map((n) => n.id), host.distances);
    expect(summary.tiers.map((t) => t.distance)).toEqual([12, 20, 22, 24]);
    const caption = heatmapCaption(summary);
    expect(caption).toContain('4 remote distances: 12 ≈ 1.2× local (e.g. node 0 → 1), 20 ≈ 2.0× local');
    expect(caption).toMatch(/24 ≈ 2\.4× local \(e\.g\. node 1 → 3\)/);
  });

  it('counts the middle tiers when there are more than it names', () => {
    const ids = [0, 1, 2, 3, 4, 5];
    // A 6-node matrix with five remote tiers: 11, 12, 13, 14 and 30.
    const matrix = ids.map((i) => ids.map((j) => (i === j ? 10 : [11, 12, 13, 14, 30][Math.min(i, j) % 5] ?? 30)));
    const caption = heatmapCaption(distanceSummary(ids, matrix));
    expect(caption).toContain('5 remote distances: 11 ≈ 1.1× local');
    expect(caption).toContain('1 more between');
    expect(caption).toContain('30 ≈ 3.0× local');
    expect(caption).not.toContain('14 ≈');
  });

  it('says all memory is local on a one-node host, and reads the local value from the diagonal', () => {
    expect(captionOf(corpusHost('hwloc-xml/cxlmem+dax.v2.xml'))).toContain('With one node, all memory is local');
    expect(distanceMeaning(21, 10)).toBe('21 (2.1× local)');
    expect(distanceMeaning(10, 10)).toBe('10 (local)');
    expect(distanceSummary([0, 1], [[1, 2], [2, 1]]).tiers[0].ratio).toBe(2);
  });
});
