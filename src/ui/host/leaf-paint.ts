/**
 * Leaves painted the way lstopo draws through cairo: one path per look and depth (a few fills
 * and strokes for thousands of boxes, a core under its PUs), then the labels, left out while
 * they would be smaller than anyone can read (the box keeps its tooltip). Positions and type
 * sizes are the layout's own (its metrics), as for the SVG boxes; one call paints one region of
 * the drawing, and says which boxes and which labels it painted, at what size on screen.
 */
import type { Host } from '../../core/host/model.ts';
import type { IndexMode } from '../../state/store.ts';
import { boxLabel, cacheText, indexText } from './labels.ts';
import type { Box, LayoutMetrics } from './layout.ts';
import { lookOf, type LookKey, type Looks, type TextLook } from './leaf-looks.ts';

/** A label is drawn once it is at least this tall on screen (CSS pixels), on canvas or in SVG. */
export const MIN_TEXT_PX = 8;
/** How far a label may run past its box (layout units), so a region's edge does not cut it. */
const LABEL_OVERFLOW = 96;

export interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface LeafScene {
  boxes: readonly Box[];
  /** Boxes of one look at one depth, painted as one path, shallower depths first. */
  groups: { look: LookKey; boxes: number[] }[];
  metrics: LayoutMetrics;
  host: Host;
  mode: IndexMode;
  /** Labels, made on first use: [first line, second line]. */
  labels: ([string, string] | undefined)[];
}

export function leafScene(boxes: readonly Box[], metrics: LayoutMetrics, host: Host, mode: IndexMode): LeafScene {
  const byKey = new Map<string, { look: LookKey; boxes: number[]; depth: number }>();
  boxes.forEach((b, i) => {
    const look = lookOf(b);
    const key = `${b.depth}:${look}`;
    const g = byKey.get(key);
    if (g) g.boxes.push(i);
    else byKey.set(key, { look, boxes: [i], depth: b.depth });
  });
  const groups = [...byKey.values()].sort((a, b) => a.depth - b.depth);
  return { boxes, groups, metrics, host, mode, labels: new Array(boxes.length) };
}

function meets(b: Box, r: Region, margin: number): boolean {
  return b.x <= r.x1 + margin && b.y <= r.y1 + margin && b.x + b.w >= r.x0 - margin && b.y + b.h >= r.y0 - margin;
}

/** A label as painted: its box (index in the scene), its text and its font size on screen (CSS px). */
export interface PaintedLabel {
  box: number;
  text: string;
  px: number;
}

/**
 * Paints the boxes meeting `region` (layout units) at zoom k on a device with `dpr` pixels per
 * CSS pixel, the region's top-left corner at the context's origin, and returns the indexes of
 * the boxes whose area it holds and the labels it painted.
 */
export function paintRegion(ctx: CanvasRenderingContext2D, scene: LeafScene, looks: Looks, region: Region, k: number, dpr: number): { painted: number[]; labels: PaintedLabel[] } {
  const scale = k * dpr;
  ctx.setTransform(scale, 0, 0, scale, -region.x0 * scale, -region.y0 * scale);
  const painted: number[] = [];
  const labelled: number[] = [];
  for (const g of scene.groups) {
    const look = looks.box[g.look];
    const rounded = look.radius * k >= 0.75;
    ctx.beginPath();
    let any = false;
    for (const i of g.boxes) {
      const b = scene.boxes[i];
      if (!meets(b, region, LABEL_OVERFLOW)) continue;
      labelled.push(i);
      if (!meets(b, region, 0)) continue;
      if (rounded) ctx.roundRect(b.x, b.y, b.w, b.h, look.radius);
      else ctx.rect(b.x, b.y, b.w, b.h);
      painted.push(i);
      any = true;
    }
    if (!any) continue;
    ctx.fillStyle = look.fill;
    ctx.fill();
    ctx.setLineDash(look.dash);
    ctx.lineWidth = look.lineWidth;
    ctx.strokeStyle = look.stroke;
    ctx.stroke();
  }
  ctx.setLineDash([]);
  return { painted, labels: paintLabels(ctx, scene, looks, labelled, k) };
}

/** Labels at least MIN_TEXT_PX tall on screen at zoom k. */
function paintLabels(ctx: CanvasRenderingContext2D, s: LeafScene, looks: Looks, boxes: readonly number[], k: number): PaintedLabel[] {
  const m = s.metrics;
  const out: PaintedLabel[] = [];
  let px = 0;
  const use = (t: TextLook, size: number) => {
    ctx.font = `${t.style} ${size}px ${t.family}`;
    ctx.fillStyle = t.fill;
    px = size * k;
  };
  const fillText = (box: number, text: string, x: number, y: number) => {
    ctx.fillText(text, x, y);
    out.push({ box, text, px });
  };
  if (m.font.pu * k >= MIN_TEXT_PX) {
    use(looks.text.pu, m.font.pu);
    ctx.textAlign = 'center';
    for (const i of boxes) {
      const b = s.boxes[i];
      if (b.kind !== 'PU') continue;
      const [a, c] = labelsOf(s, i);
      const cx = b.x + b.w / 2;
      if (c) {
        fillText(i, a, cx, b.y + m.puLines[0]);
        fillText(i, c, cx, b.y + m.puLines[1]);
      } else fillText(i, a, cx, b.y + b.h / 2 + m.puCentre);
    }
    ctx.textAlign = 'start';
  }
  if (m.font.label * k >= MIN_TEXT_PX) {
    use(looks.text.label, m.font.label);
    for (const i of boxes) {
      const b = s.boxes[i];
      if (b.kind !== 'PU') fillText(i, labelsOf(s, i)[0], b.x + m.inset, b.y + m.labelBaseline);
    }
  }
  if (m.font.small * k >= MIN_TEXT_PX) {
    use(looks.text.small, m.font.small);
    for (const i of boxes) {
      const b = s.boxes[i];
      if (b.kind === 'Core' && b.caches && b.caches.length > 0) fillText(i, labelsOf(s, i)[1], b.x + m.inset, b.y + m.smallBaseline);
    }
  }
  return out;
}

/** What markup.ts writes in the box: a PU's index (or both, or "off"), a core's name and caches. */
function labelsOf(s: LeafScene, i: number): [string, string] {
  let l = s.labels[i];
  if (!l) {
    const b = s.boxes[i];
    if (b.kind === 'PU') {
      if (b.online === false) l = ['off', ''];
      else if (s.mode === 'both') l = [`L#${b.logical}`, `P#${b.os}`];
      else l = [indexText(b, s.mode), ''];
    } else {
      const caches = b.kind === 'Core' ? (b.caches ?? []) : [];
      l = [boxLabel(b, s.mode, s.host), caches.map((c) => cacheText(c.level, c.type, c.sizeKiB)).join(' · ')];
    }
    s.labels[i] = l;
  }
  return l;
}
