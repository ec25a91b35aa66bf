/**
 * Pan and zoom for one SVG, framework-free: d3-zoom on the <svg>, its transform written to one
 * content <g> (a single attribute per frame, whatever the drawing's size).
 */
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';

export interface PanZoomOptions {
  /** The <g> that receives the transform. */
  content: SVGGElement;
  /** Size of the drawing in its own units (before any transform). */
  extent(): { width: number; height: number };
  minScale?: number;
  maxScale?: number;
  /** Margin kept around the drawing when fitting, in screen pixels. */
  margin?: number;
  onChange?(t: { k: number; x: number; y: number }): void;
}

export interface PanZoom {
  /** Whole drawing in view, centred; never enlarged above 1:1 unless it is tiny. */
  fit(animate?: boolean): void;
  zoomBy(factor: number): void;
  /** Scale 1 at the top-left, like lstopo's `1`. */
  reset(): void;
  destroy(): void;
}

export function createPanZoom(svg: SVGSVGElement, opts: PanZoomOptions): PanZoom {
  const sel = select<SVGSVGElement, unknown>(svg);
  const margin = opts.margin ?? 12;
  const behavior: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .scaleExtent([opts.minScale ?? 0.05, opts.maxScale ?? 8])
    .on('zoom', (e: D3ZoomEvent<SVGSVGElement, unknown>) => {
      const { k, x, y } = e.transform;
      opts.content.setAttribute('transform', `translate(${x},${y}) scale(${k})`);
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
  observer.observe(svg);
  const viewport = () => size ?? { w: 800, h: 600 };

  const api: PanZoom = {
    fit() {
      if (size === null) {
        fitWhenSized = true;
        return;
      }
      const { width, height } = opts.extent();
      const { w, h } = viewport();
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
      observer.disconnect();
      sel.on('.zoom', null);
    },
  };
  return api;
}
