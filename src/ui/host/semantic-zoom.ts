/**
 * Semantic zoom for the page's host view: the fold is chosen so that the whole drawing reads in
 * the view at Fit (layout.ts); zoomed in z times, the reader looks at it as through a view z
 * times larger, so the fold is chosen again for that larger view and folded members appear with
 * their labels. Zooming back out folds again. The drawing changes under the reader's eye, so the
 * box under the pointer (or, failing it, the fold that now stands for it) stays where it was.
 */
import type { Transform } from '../system/panzoom.ts';
import type { Box, HostLayout } from './layout.ts';

/** Zoom is taken in steps of √2 above Fit: one wheel notch does not lay a big host out again. */
const STEP = Math.SQRT2;
/** Beyond this the least fold has long been reached on every host up to 4096 PUs. */
const MAX_ZOOM = 16;

/**
 * The factor the view is enlarged by for the fold choice at zoom `k`, given the scale the
 * unzoomed drawing is fitted at: 1 up to √2 × Fit, then √2, 2, 2√2 … up to MAX_ZOOM.
 */
export function zoomStep(k: number, fitK: number): number {
  const z = k / fitK;
  if (!(z >= STEP)) return 1;
  const steps = Math.floor(Math.log(Math.min(z, MAX_ZOOM)) / Math.log(STEP) + 1e-9);
  return STEP ** steps;
}

/** The scale fit() gives a drawing in a view (panzoom's rule: margins kept, never above 2:1). */
export function fitScale(drawing: { width: number; height: number }, view: { w: number; h: number }, margin: number): number {
  if (drawing.width <= 0 || drawing.height <= 0) return 1;
  return Math.min((view.w - margin * 2) / drawing.width, (view.h - margin * 2) / drawing.height, 2);
}

/** What the reader looked at before the drawing changed: a box (deepest first, with its ancestors) and a point on screen. */
export interface ZoomAnchor {
  chain: readonly Box[];
  /** The point in the view's own pixels (viewport-relative). */
  screen: { x: number; y: number };
}

/**
 * The box of the new drawing that stands for the anchor: the same box; the first member of a
 * fold that opened ("More_Package_1" → "Package_1"); else the fold that swallowed the box (it
 * holds its first CPU); else the nearest ancestor still drawn.
 */
export function anchorIn(next: HostLayout, chain: readonly Box[]): { before: Box; after: Box } | undefined {
  for (const before of chain) {
    const same = next.byId.get(before.id) ?? (before.kind === 'More' ? next.byId.get(before.id.slice('More_'.length)) : undefined);
    if (same) return { before, after: same };
    const cpu = before.cpus[0];
    if (cpu === undefined) continue;
    const fold = next.boxes.find((x) => x.kind === 'More' && x.cpus.includes(cpu));
    if (fold) return { before, after: fold };
  }
  return undefined;
}

/**
 * The transform at the same scale that puts the new box where the old one was: the point under
 * the pointer keeps its place within the box, as a fraction of the box's size.
 */
export function keepInPlace(t: Transform, before: Box, after: Box, screen: { x: number; y: number }): Transform {
  const fx = before.w > 0 ? ((screen.x - t.x) / t.k - before.x) / before.w : 0;
  const fy = before.h > 0 ? ((screen.y - t.y) / t.k - before.y) / before.h : 0;
  const clamp = (f: number) => Math.min(1, Math.max(0, f));
  return { k: t.k, x: screen.x - (after.x + clamp(fx) * after.w) * t.k, y: screen.y - (after.y + clamp(fy) * after.h) * t.k };
}
