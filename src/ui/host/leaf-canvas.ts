/**
 * The host view's leaves (see leaves.ts) on canvas tiles, the way map viewers show what is too
 * large to paint every frame: rasterising thousands of boxes and labels on a CPU takes longer
 * than a frame, so tiles of the drawing are painted once at the current zoom, at the device's
 * resolution, and sit in the stage next to the SVG. A pan or a zoom moves and scales them with
 * the stage in the compositor; a pan paints only the tiles coming into view (and, when the page
 * is idle, the ring around the view, so most pans find them ready); once a zoom settles the
 * view is painted again at the new scale, as crisp at 8:1 as at fit.
 */
import type { Host } from '../../core/host/model.ts';
import type { IndexMode } from '../../state/store.ts';
import type { Box, HostLayout } from './layout.ts';
import { createLeafLooks, type Looks } from './leaf-looks.ts';
import { leafScene, paintRegion, type LeafScene, type PaintedLabel, type Region } from './leaf-paint.ts';

export interface CanvasView {
  /** The stage transform: screen = layout × k + (x, y). */
  k: number;
  x: number;
  y: number;
  /** Viewport size in CSS pixels. */
  width: number;
  height: number;
}

export interface LeafCanvas {
  /** New boxes, sizes or indexes: painted again at once. */
  setScene(leaves: readonly Box[], layout: HostLayout, host: Host, mode: IndexMode): void;
  /** The view moved or was resized: paints what it must (see above). */
  view(view: CanvasView): void;
  /** Reads the looks from the stylesheet again (the theme changed) and repaints. */
  restyle(): void;
  /** Ids of the boxes the tiles hold now. */
  drawn(): string[];
  /** The labels the tiles hold now: box id, text and size on screen in CSS pixels. */
  labels(): { id: string; text: string; px: number }[];
  destroy(): void;
}

/** Where a spare canvas waits, far from any drawing. */
const OUT_OF_SIGHT = 'translate(-100000px, -100000px)';
/** Side of a tile in device pixels. */
const TILE = 256;
/** Tiles kept (256 kB each); the ones farthest from the view go first. */
const MAX_TILES = 120;
/** Quiet time after a zoom step before the view is painted at the new scale. */
const SETTLE_MS = 180;
/** How many frames ahead a pan is extrapolated to choose the next tile of the ring. */
const LEAD_FRAMES = 20;
/** Idle time a prefetched tile needs (its painting and, next frame, its pixels). */
const IDLE_MS = 10;

interface Tile {
  canvas: HTMLCanvasElement;
  /** Indexes of the boxes whose area the tile holds. */
  painted: number[];
  labels: PaintedLabel[];
}

interface Range {
  i0: number;
  i1: number;
  j0: number;
  j1: number;
}

export function createLeafCanvas(layer: HTMLElement, drawing: SVGSVGElement): LeafCanvas {
  let scene: (LeafScene & { width: number; height: number }) | null = null;
  // Probes only while there are leaves to paint: a small host's drawing holds nothing extra.
  let probes: ReturnType<typeof createLeafLooks> | null = null;
  let looks: Looks | null = null;
  let view: CanvasView | null = null;
  /** The zoom and pixel ratio the tiles were painted at (0: none held). */
  let tileK = 0;
  let dpr = 1;
  const tiles = new Map<string, Tile>();
  // Canvases stay in the page once made, and a dropped tile's canvas is moved out of sight and
  // painted again for the next: adding or removing elements would make Chromium sort the whole
  // page into layers again (several ms), where moving a layer is the compositor's business.
  const spare: HTMLCanvasElement[] = [];
  let settle: ReturnType<typeof setTimeout> | undefined;
  let idle = 0;
  /** The view of the frame before, for the direction a pan is going. */
  let last: CanvasView | null = null;

  const unit = () => TILE / (tileK * dpr);

  /** Tiles (at the held scale) over the part of the drawing in view, widened by `ring` tiles. */
  const rangeOf = (v: CanvasView, ring: number): Range | null => {
    if (!scene) return null;
    const u = unit();
    const x0 = Math.max(0, -v.x / v.k);
    const y0 = Math.max(0, -v.y / v.k);
    const x1 = Math.min(scene.width, (v.width - v.x) / v.k);
    const y1 = Math.min(scene.height, (v.height - v.y) / v.k);
    if (x1 <= x0 || y1 <= y0) return null;
    const lastTile = (size: number) => Math.max(0, Math.ceil(size / u) - 1);
    return {
      i0: Math.max(0, Math.floor(x0 / u) - ring),
      i1: Math.min(lastTile(scene.width), Math.ceil(x1 / u) - 1 + ring),
      j0: Math.max(0, Math.floor(y0 / u) - ring),
      j1: Math.min(lastTile(scene.height), Math.ceil(y1 / u) - 1 + ring),
    };
  };

  const missing = (r: Range): [number, number][] => {
    const out: [number, number][] = [];
    for (let j = r.j0; j <= r.j1; j++) for (let i = r.i0; i <= r.i1; i++) if (!tiles.has(`${i}:${j}`)) out.push([i, j]);
    return out;
  };

  const paintTile = (i: number, j: number) => {
    if (!scene) return;
    if (!looks) looks = (probes ??= createLeafLooks(drawing)).read();
    const canvas = spare.pop() ?? newCanvas();
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, TILE, TILE);
    const u = unit();
    const region: Region = { x0: i * u, y0: j * u, x1: (i + 1) * u, y1: (j + 1) * u };
    const { painted, labels } = paintRegion(ctx, scene, looks, region, tileK, dpr);
    // Device pixels back to layout units: the stage's own transform does the rest.
    canvas.style.transform = `translate(${region.x0}px, ${region.y0}px) scale(${1 / (tileK * dpr)})`;
    tiles.set(`${i}:${j}`, { canvas, painted, labels });
  };

  const newCanvas = () => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = TILE;
    layer.appendChild(canvas);
    return canvas;
  };

  const drop = (key: string, t: Tile) => {
    t.canvas.style.transform = OUT_OF_SIGHT;
    spare.push(t.canvas);
    tiles.delete(key);
  };

  const dropTiles = () => {
    for (const [key, t] of tiles) drop(key, t);
  };

  /** Keeps the tiles nearest the view, at most MAX_TILES. */
  const evict = (v: CanvasView) => {
    if (tiles.size <= MAX_TILES) return;
    const u = unit();
    const cx = (v.width / 2 - v.x) / v.k / u;
    const cy = (v.height / 2 - v.y) / v.k / u;
    const far = [...tiles.entries()]
      .map(([key, t]) => {
        const [i, j] = key.split(':').map(Number);
        return { key, t, d: Math.hypot(i + 0.5 - cx, j + 0.5 - cy) };
      })
      .sort((a, b) => b.d - a.d);
    for (const { key, t } of far.slice(0, tiles.size - MAX_TILES)) drop(key, t);
  };

  /**
   * The ring of tiles around the view, painted while the page has nothing else to do: one tile
   * per idle period, as its pixels are only made in the next frame, which must stay short.
   */
  const prefetch = () => {
    cancelIdleCallback(idle);
    idle = requestIdleCallback((deadline) => {
      idle = 0;
      const v = view;
      const r = v && rangeOf(v, 1);
      if (!v || !r) return;
      const todo = missing(r);
      if (todo.length === 0) return;
      if (deadline.timeRemaining() > IDLE_MS) {
        paintTile(...todo[0]);
        evict(v);
      }
      prefetch();
    });
  };

  /** Everything in view painted now at the view's own scale (the old tiles go). */
  const repaint = () => {
    clearTimeout(settle);
    cancelIdleCallback(idle);
    dropTiles();
    const v = view;
    tileK = 0;
    if (!scene || scene.boxes.length === 0 || !v) return;
    tileK = v.k;
    dpr = window.devicePixelRatio || 1;
    const r = rangeOf(v, 0);
    if (!r) return;
    for (const [i, j] of missing(r)) paintTile(i, j);
    prefetch();
  };

  const onView = (v: CanvasView) => {
    const before = last;
    view = last = v;
    if (!scene || scene.boxes.length === 0) return;
    if (tileK === 0) return repaint();
    const r = rangeOf(v, 0);
    if (!r) return;
    const holes = missing(r);
    if (Math.abs(v.k - tileK) / tileK > 0.02) {
      // Zooming: the tiles are scaled by the compositor until the zoom settles, unless some of
      // the view has none (zooming out past them), which cannot wait.
      clearTimeout(settle);
      if (holes.length > 0) repaint();
      else settle = setTimeout(repaint, SETTLE_MS);
      return;
    }
    for (const [i, j] of holes) paintTile(i, j);
    // Panning: one tile of the ring per frame, the one the view is heading for first, so the
    // tiles coming into view are ready before they are needed instead of all in one frame.
    const ahead = holes.length === 0 && before && before.k === v.k ? nextAhead(v, before) : null;
    if (ahead) paintTile(...ahead);
    if (holes.length > 0 || ahead) evict(v);
    prefetch();
  };

  /** The missing ring tile nearest to where the view will be if it keeps moving as it did. */
  const nextAhead = (v: CanvasView, before: CanvasView): [number, number] | null => {
    const r = rangeOf(v, 1);
    if (!r) return null;
    const todo = missing(r);
    if (todo.length === 0) return null;
    const u = unit();
    const cx = (v.width / 2 - v.x - (v.x - before.x) * LEAD_FRAMES) / v.k / u;
    const cy = (v.height / 2 - v.y - (v.y - before.y) * LEAD_FRAMES) / v.k / u;
    let best = todo[0];
    let bestD = Infinity;
    for (const t of todo) {
      const d = Math.hypot(t[0] + 0.5 - cx, t[1] + 0.5 - cy);
      if (d < bestD) [best, bestD] = [t, d];
    }
    return best;
  };

  return {
    setScene(leaves, layout, host, mode) {
      scene = leaves.length === 0 ? null : { ...leafScene(leaves, layout.metrics, host, mode), width: layout.width, height: layout.height };
      if (!scene) {
        probes?.destroy();
        probes = null;
        looks = null;
        // All SVG now: give the canvases' memory back.
        layer.replaceChildren();
        tiles.clear();
        spare.length = 0;
      }
      repaint();
    },
    view: onView,
    restyle() {
      looks = null;
      repaint();
    },
    drawn() {
      const s = scene;
      if (!s) return [];
      const held = new Set<number>();
      for (const t of tiles.values()) for (const i of t.painted) held.add(i);
      return [...held].sort((a, b) => a - b).map((i) => s.boxes[i].id);
    },
    labels() {
      const s = scene;
      if (!s) return [];
      // A label near a tile's edge is painted on each tile it reaches: count it once.
      const seen = new Map<string, { id: string; text: string; px: number }>();
      for (const t of tiles.values()) for (const l of t.labels) seen.set(`${l.box}:${l.text}`, { id: s.boxes[l.box].id, text: l.text, px: l.px });
      return [...seen.values()];
    },
    destroy() {
      clearTimeout(settle);
      cancelIdleCallback(idle);
      layer.replaceChildren();
      probes?.destroy();
    },
  };
}
