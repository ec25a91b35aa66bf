/**
 * Pan and zoom for one large drawing, framework-free: d3-zoom on an HTML viewport, its transform
 * written as a CSS transform on one stage element that is its own composited layer
 * (will-change: transform). Panning and zooming then only move a rastered texture: nothing is
 * laid out or painted again, however many boxes the drawing holds, and Chromium without a GPU
 * keeps up. A layer with will-change keeps the resolution it was rastered at, so once a zoom
 * settles the stage is rastered once more at the new scale and reads crisply again.
 *
 * Transforms are applied once per animation frame, however many wheel or pointer events came in,
 * and onChange runs in that same frame: whatever is painted from the transform (a canvas) never
 * lags the stage by a frame.
 */
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';

export interface PanZoomOptions {
  /** The element that receives the transform (transform-origin 0 0). */
  content: HTMLElement;
  /** Size of the drawing in its own units (before any transform). */
  extent(): { width: number; height: number };
  minScale?: number;
  maxScale?: number;
  /** Margin kept around the drawing when fitting, in screen pixels. */
  margin?: number;
  /** Quiet time after the last zoom step before the drawing is rastered at its new scale. */
  settleMs?: number;
  /** After each applied transform and each resize of the viewport, in the same frame. */
  onChange?(t: Transform, size: Size): void;
}

export interface Transform {
  k: number;
  x: number;
  y: number;
}

export interface Size {
  w: number;
  h: number;
}

export interface PanZoom {
  /** Whole drawing in view, centred; never enlarged above 2:1 unless asked. */
  fit(): void;
  zoomBy(factor: number): void;
  /** Scale 1 at the top-left, like lstopo's `1`. */
  reset(): void;
  /** The transform on screen now. */
  transform(): Transform;
  /** Puts the drawing at this transform: a view that draws anew keeps what is under the pointer in place. */
  setTransform(t: Transform): void;
  /** Whether the drawing is as fit() left it: nothing zoomed or panned since (true before any fit). */
  isFit(): boolean;
  /** Where the last wheel or pointer gesture that zoomed was, in client pixels; null after a button, a key or a fit. */
  gesturePoint(): { clientX: number; clientY: number } | null;
  destroy(): void;
}

export function createPanZoom(viewport: HTMLElement, opts: PanZoomOptions): PanZoom {
  const sel = select<HTMLElement, unknown>(viewport);
  const margin = opts.margin ?? 12;
  const stage = opts.content;
  stage.style.transformOrigin = '0 0';
  stage.style.willChange = 'transform';

  // Re-raster at the settled scale: dropping will-change for one frame paints the stage at its
  // true scale, and putting it back promotes that crisp picture to a layer again.
  let rasterK = 1;
  let settle: ReturnType<typeof setTimeout> | undefined;
  let frame = 0;
  const sharpen = (k: number) => {
    clearTimeout(settle);
    settle = setTimeout(() => {
      if (Math.abs(k - rasterK) / rasterK < 0.02) return;
      rasterK = k;
      stage.style.willChange = 'auto';
      frame = requestAnimationFrame(() => {
        frame = requestAnimationFrame(() => {
          stage.style.willChange = 'transform';
        });
      });
    }, opts.settleMs ?? 220);
  };

  // The view's size comes from a ResizeObserver: measuring it in fit() would force a layout of
  // the whole page in the middle of a React commit (100+ ms on big pages).
  let size: Size | null = null;
  let fitWhenSized = false;
  let shown: Transform = { k: 1, x: 0, y: 0 };
  let wanted: Transform | null = null;
  let applyFrame = 0;
  // Every transform d3 reports that fit() did not ask for is the reader's own zoom or pan.
  let fitting = false;
  let fitted = true;
  let gesture: { clientX: number; clientY: number } | null = null;
  const apply = () => {
    applyFrame = 0;
    if (wanted) {
      // On whole device pixels, so what is painted at the device's resolution is not resampled.
      const dpr = window.devicePixelRatio || 1;
      shown = { k: wanted.k, x: Math.round(wanted.x * dpr) / dpr, y: Math.round(wanted.y * dpr) / dpr };
      wanted = null;
      stage.style.transform = `translate(${shown.x}px, ${shown.y}px) scale(${shown.k})`;
      sharpen(shown.k);
    }
    if (size) opts.onChange?.(shown, size);
  };
  const schedule = () => {
    if (!applyFrame) applyFrame = requestAnimationFrame(apply);
  };

  const behavior: ZoomBehavior<HTMLElement, unknown> = zoom<HTMLElement, unknown>()
    .scaleExtent([opts.minScale ?? 0.05, opts.maxScale ?? 8])
    // d3 would measure the viewport (clientWidth) on every zoom step: a forced layout of the page.
    .extent(() => [
      [0, 0],
      [size?.w ?? viewport.clientWidth, size?.h ?? viewport.clientHeight],
    ])
    .on('zoom', (e: D3ZoomEvent<HTMLElement, unknown>) => {
      const { k, x, y } = e.transform;
      fitted = fitting;
      const source = e.sourceEvent as { clientX?: unknown; clientY?: unknown } | null;
      gesture = source && typeof source.clientX === 'number' && typeof source.clientY === 'number' ? { clientX: source.clientX, clientY: source.clientY } : null;
      wanted = { k, x, y };
      schedule();
    });
  sel.call(behavior).on('dblclick.zoom', null);

  const observer = new ResizeObserver((entries) => {
    const r = entries[entries.length - 1].contentRect;
    const first = size === null;
    size = { w: r.width, h: r.height };
    if (first && fitWhenSized) api.fit();
    schedule();
  });
  observer.observe(viewport);

  const api: PanZoom = {
    fit() {
      if (size === null) {
        fitWhenSized = true;
        return;
      }
      const { width, height } = opts.extent();
      const { w, h } = size;
      if (width <= 0 || height <= 0) return;
      const k = Math.min((w - margin * 2) / width, (h - margin * 2) / height, 2);
      const x = (w - width * k) / 2;
      const y = Math.max(margin, (h - height * k) / 2);
      fitting = true;
      sel.call(behavior.transform, zoomIdentity.translate(x, y).scale(k));
      fitting = false;
    },
    zoomBy(factor) {
      sel.call(behavior.scaleBy, factor);
    },
    reset() {
      sel.call(behavior.transform, zoomIdentity.translate(margin, margin));
    },
    transform: () => shown,
    setTransform(t) {
      sel.call(behavior.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
    },
    isFit: () => fitted,
    gesturePoint: () => gesture,
    destroy() {
      clearTimeout(settle);
      cancelAnimationFrame(frame);
      cancelAnimationFrame(applyFrame);
      observer.disconnect();
      sel.on('.zoom', null);
    },
  };
  return api;
}
