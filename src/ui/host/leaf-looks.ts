/**
 * How the canvas-painted leaves look, read from the page's own CSS rather than copied from it:
 * hidden probe elements carry the classes the SVG boxes would carry (`box PU offline`,
 * `pu-text` …) inside the drawing, and their computed styles are read back, so themes,
 * presenter mode and the offline hatch stay what the stylesheet says.
 */
import type { Box } from './layout.ts';

export type LookKey = 'PU' | 'PU offline' | 'Core' | 'L1' | 'L2';
export type TextKey = 'pu' | 'label' | 'small';

export interface Look {
  fill: string | CanvasPattern;
  stroke: string;
  lineWidth: number;
  dash: number[];
  /** rx of the SVG rect markup.ts writes for the kind. */
  radius: number;
}

export interface TextLook {
  /** The CSS font without its size, which the layout sets. */
  style: string;
  family: string;
  fill: string;
}

export interface Looks {
  box: Record<LookKey, Look>;
  text: Record<TextKey, TextLook>;
}

const SVG = 'http://www.w3.org/2000/svg';

/** The classes markup.ts gives each look, so the probes match the same CSS rules. */
const PROBES: Record<LookKey, string> = { PU: 'box PU', 'PU offline': 'box PU offline', Core: 'box Core', L1: 'box L1', L2: 'box L2' };
const TEXT_PROBES: Record<TextKey, [LookKey, string]> = { pu: ['PU', 'pu-text'], label: ['Core', 'label'], small: ['Core', 'label small'] };

export function lookOf(b: Box): LookKey {
  if (b.kind === 'PU') return b.online === false ? 'PU offline' : 'PU';
  return b.kind === 'L1' || b.kind === 'L2' ? b.kind : 'Core';
}

/**
 * Reads the looks through probes placed in `drawing` (the SVG whose rules they must match),
 * from the current stylesheet each time; destroy() takes the probes out again.
 */
export function createLeafLooks(drawing: SVGSVGElement): { read(): Looks; destroy(): void } {
  const root = document.createElementNS(SVG, 'g');
  root.setAttribute('class', 'leaf-probes');
  root.setAttribute('aria-hidden', 'true');
  root.style.display = 'none';
  const rects = new Map<LookKey, SVGRectElement>();
  const texts = new Map<TextKey, SVGTextElement>();
  for (const [key, cls] of Object.entries(PROBES) as [LookKey, string][]) {
    const g = document.createElementNS(SVG, 'g');
    g.setAttribute('class', cls);
    const r = document.createElementNS(SVG, 'rect');
    g.appendChild(r);
    root.appendChild(g);
    rects.set(key, r);
  }
  for (const [key, [look, cls]] of Object.entries(TEXT_PROBES) as [TextKey, [LookKey, string]][]) {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('class', cls);
    rects.get(look)?.parentNode?.appendChild(t);
    texts.set(key, t);
  }
  drawing.appendChild(root);
  return {
    read() {
      const box = {} as Record<LookKey, Look>;
      for (const [key, rect] of rects) box[key] = lookFrom(rect, key === 'PU' || key === 'PU offline' ? 2 : 4, drawing);
      const text = {} as Record<TextKey, TextLook>;
      for (const [key, t] of texts) text[key] = textFrom(t);
      return { box, text };
    },
    destroy: () => root.remove(),
  };
}

function lookFrom(rect: SVGRectElement, radius: number, drawing: SVGSVGElement): Look {
  const s = getComputedStyle(rect);
  const dash = s.strokeDasharray === 'none' ? [] : s.strokeDasharray.split(/[\s,]+/).map(parseFloat).filter((n) => Number.isFinite(n));
  const fill = s.fill.startsWith('url(') ? (hatchPattern(drawing) ?? 'transparent') : s.fill;
  return { fill, stroke: s.stroke, lineWidth: parseFloat(s.strokeWidth) || 1, dash, radius };
}

function textFrom(text: SVGTextElement): TextLook {
  const s = getComputedStyle(text);
  return { style: `${s.fontStyle} ${s.fontWeight}`, family: s.fontFamily, fill: s.fill };
}

/**
 * The drawing's own <pattern id="offline-hatch">: 6 units square, a 1-unit line, turned 45°, in
 * its colours; drawn at 4× so it stays sharp when zoomed in.
 */
function hatchPattern(drawing: SVGSVGElement): CanvasPattern | null {
  const bg = drawing.querySelector<SVGElement>('#offline-hatch .hatch-bg');
  const line = drawing.querySelector<SVGElement>('#offline-hatch .hatch-line');
  if (!bg || !line) return null;
  const SCALE = 4;
  const tile = document.createElement('canvas');
  tile.width = 6 * SCALE;
  tile.height = 6 * SCALE;
  const t = tile.getContext('2d');
  if (!t) return null;
  t.fillStyle = getComputedStyle(bg).fill;
  t.fillRect(0, 0, tile.width, tile.height);
  const stroke = getComputedStyle(line);
  t.fillStyle = stroke.stroke;
  // A line of width w centred on the tile's edge shows its inner half inside the tile.
  t.fillRect(0, 0, ((parseFloat(stroke.strokeWidth) || 2) / 2) * SCALE, tile.height);
  const pattern = t.createPattern(tile, 'repeat');
  pattern?.setTransform(new DOMMatrix().rotateSelf(45).scaleSelf(1 / SCALE));
  return pattern;
}
