/**
 * A drawing as a standalone SVG file: the elements cloned with the styles the page computed for
 * them written inline (the file must look the same without the app's CSS), overlays such as the
 * host view's highlight layer merged on top, a caption band above the drawing (the host, the
 * guests, a legend of their cell colours: caption.ts), and text carried as text nodes only —
 * whatever a paste named a device or a host, XMLSerializer escapes it, it never becomes markup.
 */
import { hostViews } from '../host/views.ts';
import type { ExportCaption } from './caption.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The presentation properties a diagram uses; everything else keeps its SVG default. */
const PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
] as const;

/** Values that are SVG's own defaults: writing them would only make the file larger. */
const DEFAULTS: Record<string, string> = {
  'fill-opacity': '1',
  'stroke-opacity': '1',
  'stroke-dasharray': 'none',
  opacity: '1',
  'font-style': 'normal',
  'dominant-baseline': 'auto',
  visibility: 'visible',
  display: 'inline',
};
const TEXT_ONLY = /^(font-|text-anchor|dominant-baseline)/;

function inlineStyles(source: Element, target: Element): void {
  const computed = getComputedStyle(source);
  const isText = source.localName === 'text' || source.localName === 'tspan';
  const style = PROPERTIES.filter((p) => isText || !TEXT_ONLY.test(p))
    .map((p) => [p, computed.getPropertyValue(p)] as const)
    .filter(([p, v]) => v !== '' && DEFAULTS[p] !== v && !(p === 'display' && v === 'block'))
    .map(([p, v]) => `${p}:${v}`)
    .join(';');
  target.setAttribute('style', style);
  target.removeAttribute('class');
  const from = source.children;
  const to = target.children;
  for (let i = 0; i < from.length && i < to.length; i++) inlineStyles(from[i], to[i]);
}

/** The drawings a view holds, the main one first: host view + its highlight layer, or one SVG. */
export function drawingsOf(root: Element): SVGSVGElement[] {
  const main = root.querySelector<SVGSVGElement>('svg.topo') ?? root.querySelector<SVGSVGElement>('svg');
  if (!main) return [];
  const lit = main.parentElement?.querySelector<SVGSVGElement>(':scope > svg.topo-lit');
  return lit ? [main, lit] : [main];
}

export interface SvgFile {
  text: string;
  width: number;
  height: number;
}

function sizeOf(svg: SVGSVGElement): { width: number; height: number } {
  const vb = svg.viewBox.baseVal;
  if (vb && vb.width > 0 && vb.height > 0) return { width: vb.width, height: vb.height };
  const r = svg.getBoundingClientRect();
  return { width: Math.max(1, Math.ceil(r.width)), height: Math.max(1, Math.ceil(r.height)) };
}

/** The caption band's type (px) and spacing; text widths are estimated at ~0.6 em per character. */
const BAND = { pad: 12, title: 16, line: 13, legend: 12, swatch: 12, em: 0.6 } as const;

function svgText(x: number, y: number, text: string, style: string): SVGTextElement {
  const t = document.createElementNS(SVG_NS, 'text');
  t.setAttribute('x', String(x));
  t.setAttribute('y', String(y));
  t.setAttribute('style', style);
  t.textContent = text;
  return t;
}

/**
 * The caption drawn as SVG above the drawing: title, one line per guest, then the legend's
 * swatches wrapped in rows. Returns the band and the width and height it needs (at least `width`).
 */
function captionBand(caption: ExportCaption, width: number, font: string, colour: string): { band: SVGGElement; width: number; height: number } {
  const { pad, em } = BAND;
  const textWidth = (text: string, size: number) => text.length * size * em;
  const w = Math.ceil(Math.max(width, textWidth(caption.title, BAND.title) + 2 * pad, ...caption.lines.map((l) => textWidth(l, BAND.line) + 2 * pad)));
  const band = document.createElementNS(SVG_NS, 'g');
  const style = (size: number, bold = false) => `fill:${colour};font-family:${font};font-size:${size}px${bold ? ';font-weight:700' : ''}`;
  let y = pad + BAND.title;
  band.appendChild(svgText(pad, y, caption.title, style(BAND.title, true)));
  for (const line of caption.lines) {
    y += BAND.line + 6;
    band.appendChild(svgText(pad, y, line, style(BAND.line)));
  }
  let x = pad;
  if (caption.legend.length > 0) y += BAND.legend + 10;
  for (const [i, entry] of caption.legend.entries()) {
    const itemWidth = BAND.swatch + 6 + textWidth(entry.text, BAND.legend) + 18;
    if (i > 0 && x + itemWidth > w - pad) {
      x = pad;
      y += BAND.legend + 8;
    }
    const swatch = document.createElementNS(SVG_NS, 'rect');
    swatch.setAttribute('x', String(x));
    swatch.setAttribute('y', String(y - BAND.swatch + 2));
    swatch.setAttribute('width', String(BAND.swatch));
    swatch.setAttribute('height', String(BAND.swatch));
    swatch.setAttribute('style', `fill:${entry.fill};stroke:${colour};stroke-width:0.5`);
    band.appendChild(swatch);
    band.appendChild(svgText(x + BAND.swatch + 6, y, entry.text, style(BAND.legend)));
    x += itemWidth;
  }
  return { band, width: w, height: Math.ceil(y + pad) };
}

/**
 * Serialises the drawings of a view into one SVG document on the page's background colour, with
 * the caption (when given) in a band above them.
 */
export function serializeView(root: Element, title: string, caption?: ExportCaption): SvgFile | null {
  const [main, ...overlays] = drawingsOf(root);
  if (!main) return null;
  const drawn = sizeOf(main);
  const page = getComputedStyle(root);
  const head = caption ? captionBand(caption, drawn.width, page.fontFamily, page.getPropertyValue('--d-text').trim() || page.color) : null;
  const width = head ? head.width : drawn.width;
  const height = drawn.height + (head?.height ?? 0);
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const titleEl = document.createElementNS(SVG_NS, 'title');
  titleEl.textContent = caption ? `${caption.title}${caption.lines.length > 0 ? ` · ${caption.lines.join(' · ')}` : ''}` : title;
  out.appendChild(titleEl);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', page.getPropertyValue('--d-bg').trim() || '#ffffff');
  out.appendChild(bg);
  if (head) out.appendChild(head.band);
  // The drawing below the caption band.
  const drawing = document.createElementNS(SVG_NS, 'g');
  if (head) drawing.setAttribute('transform', `translate(0 ${head.height})`);
  out.appendChild(drawing);
  // A huge host paints its cores and PUs on a canvas: a file gets them as SVG, drawn into the
  // live drawing just long enough to be styled by the page's CSS and copied.
  const leaves = hostViews().find((v) => v.viewport.contains(main))?.leafMarkup() ?? '';
  const painted = leaves ? document.createElementNS(SVG_NS, 'g') : null;
  if (painted) {
    painted.setAttribute('class', 'boxes');
    painted.innerHTML = leaves;
    main.appendChild(painted);
  }
  try {
    for (const svg of [main, ...overlays]) {
      const group = document.createElementNS(SVG_NS, 'g');
      for (const child of Array.from(svg.children)) {
        const copy = child.cloneNode(true) as Element;
        inlineStyles(child, copy);
        group.appendChild(copy);
      }
      drawing.appendChild(group);
    }
  } finally {
    painted?.remove();
  }
  // Event handlers cannot come from React-rendered markup, but a file must not carry any at all.
  for (const el of Array.from(out.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) if (/^on/i.test(attr.name)) el.removeAttribute(attr.name);
  }
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}\n`, width, height };
}
