/** The search of every box's shape for a drawing that must fit a view (src/ui/host/shapes.ts). */
import { describe, expect, it } from 'vitest';
import { table } from '../../src/ui/host/pack.ts';
import { fitShapes, type Shaper } from '../../src/ui/host/shapes.ts';

interface Node {
  children: Node[];
  w: number;
  h: number;
  at?: { x: number; y: number }[];
}

const leaf = (): Node => ({ children: [], w: 10, h: 10 });
const box = (children: Node[]): Node => ({ children, w: 0, h: 0 });

/** Boxes packed in tables, without padding; leaves 10 × 10. */
const shaper: Shaper<Node, number> = {
  single: (n) => n.children.length === 0,
  order: () => {},
  packings: (n) => n.children.map((_, i) => i + 1),
  arrange: (n, cols) => {
    const t = table(n.children, cols, 0);
    [n.w, n.h, n.at] = [t.w, t.h, t.at];
  },
};

const view = (width: number, height: number) => (w: number, h: number) => Math.min(width / w, height / h);

describe('fitShapes', () => {
  it('shapes the children and their parent together for the view: two runs of four in a row for a wide one', () => {
    const root = box([box([leaf(), leaf(), leaf(), leaf()]), box([leaf(), leaf(), leaf(), leaf()])]);
    fitShapes(root, shaper, view(80, 10));
    expect([root.w, root.h]).toEqual([80, 10]);
    expect(root.children.map((c) => [c.w, c.h])).toEqual([
      [40, 10],
      [40, 10],
    ]);
  });

  it('and two columns one over the other for a narrow one, identical siblings alike', () => {
    const root = box([box([leaf(), leaf(), leaf(), leaf()]), box([leaf(), leaf(), leaf(), leaf()])]);
    fitShapes(root, shaper, view(10, 80));
    expect([root.w, root.h]).toEqual([10, 80]);
    expect(root.children.map((c) => [c.w, c.h])).toEqual([
      [10, 40],
      [10, 40],
    ]);
    expect(root.at).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: 40 },
    ]);
  });

  it('gives a square view the squarest drawing', () => {
    const root = box([box([leaf(), leaf(), leaf(), leaf()]), box([leaf(), leaf(), leaf(), leaf()])]);
    fitShapes(root, shaper, view(40, 40));
    expect(Math.max(root.w, root.h)).toBe(40);
  });
});
