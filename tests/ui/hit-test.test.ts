/**
 * What is under a point of the host view, answered from the layout of real hosts: every PU's
 * centre is that PU, every box's own corner is that box, and random points anywhere on (and
 * off) the drawing get the same box as a scan of every box for the deepest one holding it.
 * Also which boxes a large drawing paints on its canvas.
 */
import { describe, expect, it } from 'vitest';
import { hwlocXml, SYNTHETIC_4096 } from '../../bench/generate.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { hitTest } from '../../src/ui/host/hit-test.ts';
import { layoutHost, type Box, type HostLayout } from '../../src/ui/host/layout.ts';
import { CANVAS_FROM_LEAVES, canvasLeaves, LEAF_KINDS } from '../../src/ui/host/leaves.ts';
import { readCorpus } from '../support/corpus.ts';
import { seededRandom } from '../support/random.ts';

function layoutOf(files: string[][], expandAll = false): HostLayout {
  const host = ingest(files.map((f) => ({ name: f[f.length - 1], text: readCorpus(...f) }))).host;
  const folded = layoutHost(host);
  if (!expandAll) return folded;
  return layoutHost(host, { factorize: 'auto', expanded: new Set(folded.boxes.filter((b) => b.kind === 'More' || b.kind === 'IO').map((b) => b.id)), keep: new Set() });
}

/** The answer by brute force: the deepest of all boxes holding the point. */
function scan(l: HostLayout, x: number, y: number): Box | null {
  let best: Box | null = null;
  for (const b of l.boxes) if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h && (!best || b.depth > best.depth)) best = b;
  return best;
}

const HOSTS: [string, string[][], boolean][] = [
  ['the talk host', [['pasted', 'talk-e7-8895v2.lscpu.txt'], ['pasted', 'talk-e7-8895v2.numactl-H.txt']], false],
  ['192em64t-24n8c2t', [['hwloc-xml', '192em64t-24n8c2t.xml']], true],
  ['16em64t offlines', [['hwloc-linux', '16em64t-4s2c2t-offlines.lstopo.xml']], false],
  ['ia64 with a CPU-less node', [['hwloc-linux', '128ia64-17n4s2c.lstopo.xml']], false],
  ['arm clusters', [['hwloc-linux', '128arm-2pa2n8cluster4co.lstopo.xml']], false],
  ['32em64t with open I/O boxes', [['hwloc-linux', '32em64t-2n8c+dax+nvme+mic+dimms.lstopo.xml']], true],
];

describe('host view hit test', () => {
  for (const [name, files, expand] of HOSTS) {
    it(`finds every box of ${name}, and agrees with a scan at random points`, () => {
      const l = layoutOf(files, expand);
      const hits = hitTest(l);
      const pus = l.boxes.filter((b) => b.kind === 'PU');
      expect(pus.length).toBeGreaterThan(0);
      for (const pu of pus) expect(hits.at(pu.x + pu.w / 2, pu.y + pu.h / 2)?.id, pu.id).toBe(pu.id);
      // Children are inset by the padding: a box's own top-left corner is the box itself.
      for (const b of l.boxes) expect(hits.at(b.x + 1, b.y + 1)?.id, b.id).toBe(b.id);
      const rand = seededRandom(42);
      for (let i = 0; i < 20_000; i++) {
        const x = -20 + rand() * (l.width + 40);
        const y = -20 + rand() * (l.height + 40);
        expect(hits.at(x, y)?.id ?? null, `(${x}, ${y})`).toBe(scan(l, x, y)?.id ?? null);
      }
      expect(hits.at(-1, 10)).toBeNull();
      expect(hits.at(l.width + 1, 10)).toBeNull();
      expect(hits.at(10, l.height + 1)).toBeNull();
    });
  }

  it('walks the 4096-PU host, every PU drawn, from any PU up to the machine', () => {
    const host = ingest([{ name: 'synthetic.xml', text: hwlocXml(SYNTHETIC_4096) }]).host;
    const folded = layoutHost(host);
    const l = layoutHost(host, { factorize: 'auto', expanded: new Set(folded.boxes.filter((b) => b.kind === 'More').map((b) => b.id)), keep: new Set() });
    const hits = hitTest(l);
    const pus = l.boxes.filter((b) => b.kind === 'PU');
    expect(pus.length).toBe(4096);
    for (const pu of pus) expect(hits.at(pu.x + pu.w / 2, pu.y + pu.h / 2)?.id).toBe(pu.id);
    // Between the two PUs of a core: the core.
    const core = l.byId.get('Core_5');
    const [a, b] = pus.filter((p) => p.parent === 'Core_5');
    expect(core && a && b).toBeTruthy();
    const gapX = Math.min(a.x + a.w, b.x + b.w) + 1;
    expect(hits.at(gapX, a.y + a.h / 2)?.id).toBe('Core_5');
    expect(hits.chain(a).map((x) => x.kind)).toEqual(['PU', 'Core', 'L3', 'NUMANode', 'Package', 'Machine']);
    const rand = seededRandom(7);
    for (let i = 0; i < 5_000; i++) {
      const x = rand() * l.width;
      const y = rand() * l.height;
      expect(hits.at(x, y)?.id ?? null).toBe(scan(l, x, y)?.id ?? null);
    }
  });
});

describe('leaves painted on the canvas', () => {
  it('keeps the talk host all SVG', () => {
    const l = layoutOf(HOSTS[0][1]);
    expect(l.boxes.filter((b) => LEAF_KINDS.has(b.kind)).length).toBeLessThan(CANVAS_FROM_LEAVES);
    expect(canvasLeaves(l)).toEqual([]);
  });

  it('paints every core and PU of the 4096-PU host, parents first, and nothing that holds an SVG box', () => {
    const host = ingest([{ name: 'synthetic.xml', text: hwlocXml(SYNTHETIC_4096) }]).host;
    for (const l of [layoutHost(host), layoutHost(host, { factorize: 'off', expanded: new Set(), keep: new Set() })]) {
      const leaves = canvasLeaves(l);
      const kinds = (k: Box['kind']) => l.boxes.filter((b) => b.kind === k).length;
      expect(leaves.filter((b) => b.kind === 'PU').length).toBe(kinds('PU'));
      expect(leaves.filter((b) => b.kind === 'Core').length).toBe(kinds('Core'));
      expect(leaves.every((b) => LEAF_KINDS.has(b.kind))).toBe(true);
      const at = new Map(leaves.map((b, i) => [b.id, i]));
      for (const b of leaves) {
        const parent = b.parent === null ? undefined : at.get(b.parent);
        if (parent !== undefined) expect(parent).toBeLessThan(at.get(b.id) ?? -1);
      }
    }
    expect(canvasLeaves(layoutHost(host)).some((b) => b.kind === 'More')).toBe(false);
  });

  it('paints the leaves of 192em64t-24n8c2t', () => {
    const l = layoutOf([['hwloc-xml', '192em64t-24n8c2t.xml']]);
    const leaves = canvasLeaves(l);
    expect(leaves.filter((b) => b.kind === 'PU').length).toBe(l.boxes.filter((b) => b.kind === 'PU').length);
    expect(leaves.length).toBeGreaterThanOrEqual(CANVAS_FROM_LEAVES);
  });
});
