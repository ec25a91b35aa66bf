/**
 * A drawing as a standalone SVG file: the elements cloned with the styles the page computed for
 * them written inline (the file must look the same without the app's CSS), overlays such as the
 * host view's highlight layer merged on top, and text carried as text nodes only — whatever a
 * paste named a device or a host, XMLSerializer escapes it, it never becomes markup.
 */
import { hostViews } from '../host/views.ts';

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

/** Serialises the drawings of a view into one SVG document on the page's background colour. */
export function serializeView(root: Element, title: string): SvgFile | null {
  const [main, ...overlays] = drawingsOf(root);
  if (!main) return null;
  const { width, height } = sizeOf(main);
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const titleEl = document.createElementNS(SVG_NS, 'title');
  titleEl.textContent = title;
  out.appendChild(titleEl);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(root).getPropertyValue('--d-bg').trim() || '#ffffff');
  out.appendChild(bg);
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
      out.appendChild(group);
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
