/**
 * Pan and zoom for one large drawing, framework-free: d3-zoom on an HTML viewport, its transform
 * written as a CSS transform on one stage element that is its own composited layer
 * (will-change: transform). Panning and zooming then only move a rastered texture: nothing is
 * laid out or painted again, however many boxes the drawing holds, and Chromium without a GPU
 * keeps up. A layer with will-change keeps the resolution it was rastered at, so once a zoom
 * settles the stage is rastered once more at the new scale and reads crisply again.
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
  onChange?(t: { k: number; x: number; y: number }): void;
}

export interface PanZoom {
  /** Whole drawing in view, centred; never enlarged above 2:1 unless asked. */
  fit(): void;
  zoomBy(factor: number): void;
  /** Scale 1 at the top-left, like lstopo's `1`. */
  reset(): void;
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

  const behavior: ZoomBehavior<HTMLElement, unknown> = zoom<HTMLElement, unknown>()
    .scaleExtent([opts.minScale ?? 0.05, opts.maxScale ?? 8])
    .on('zoom', (e: D3ZoomEvent<HTMLElement, unknown>) => {
      const { k, x, y } = e.transform;
      stage.style.transform = `translate(${x}px, ${y}px) scale(${k})`;
      sharpen(k);
      opts.onChange?.({ k, x, y });
    });
  sel.call(behavior).on('dblclick.zoom', null);

  // The view's size comes from a ResizeObserver: measuring it in fit() would force a layout of
  // the whole page in the middle of a React commit (100+ ms on big pages).
  let size: { w: number; h: number } | null = null;
  let fitWhenSized = false;
  const observer = new ResizeObserver((entries) => {
    const r = entries[entries.length - 1].contentRect;
    const first = size === null;
    size = { w: r.width, h: r.height };
    if (first && fitWhenSized) api.fit();
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
      sel.call(behavior.transform, zoomIdentity.translate(x, y).scale(k));
    },
    zoomBy(factor) {
      sel.call(behavior.scaleBy, factor);
    },
    reset() {
      sel.call(behavior.transform, zoomIdentity.translate(margin, margin));
    },
    destroy() {
      clearTimeout(settle);
      cancelAnimationFrame(frame);
      observer.disconnect();
      sel.on('.zoom', null);
    },
  };
  return api;
}
