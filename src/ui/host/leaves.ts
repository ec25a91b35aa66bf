/**
 * Which boxes of a large drawing are painted on the canvas rather than written as SVG: the
 * small, numerous leaves (PUs, cores and the caches between them), once there are enough of
 * them that thousands of SVG elements would cost more to lay out and paint than the boxes are
 * worth. Containers, memory, I/O and "… N more" boxes stay SVG: they are few, carry text people
 * read at any zoom, and the buttons among them take keyboard focus.
 */
import type { Box, BoxKind, HostLayout } from './layout.ts';

export const LEAF_KINDS: ReadonlySet<BoxKind> = new Set(['L2', 'L1', 'Core', 'PU']);

/** The talk host (180 leaves) stays SVG, element for element; 256 PUs with their cores do not. */
export const CANVAS_FROM_LEAVES = 300;

/**
 * The boxes to paint on the canvas, in drawing order (parents before children), or none when
 * the drawing is small enough for SVG. A leaf holding an SVG box (a "… N more" inside a shared
 * L2) stays SVG as well, so nothing SVG is ever painted over by the canvas.
 */
export function canvasLeaves(layout: HostLayout): Box[] {
  const holdsSvg = new Set<string>();
  // place() lists a box before its descendants: walking backwards sees children first.
  for (let i = layout.boxes.length - 1; i >= 0; i--) {
    const b = layout.boxes[i];
    if (b.parent !== null && (!LEAF_KINDS.has(b.kind) || holdsSvg.has(b.id))) holdsSvg.add(b.parent);
  }
  const leaves = layout.boxes.filter((b) => LEAF_KINDS.has(b.kind) && !holdsSvg.has(b.id));
  return leaves.length >= CANVAS_FROM_LEAVES ? leaves : [];
}
