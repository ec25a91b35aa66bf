/**
 * The highlight layer: outlines drawn in an SVG of their own, stacked over a large drawing and
 * composited separately, so lighting boxes up repaints a few rectangles in that layer and never
 * the drawing under it. Framework-free: set() replaces the marks, no React render involved.
 */
const SVG = 'http://www.w3.org/2000/svg';

export interface LitMark {
  x: number;
  y: number;
  w: number;
  h: number;
  /** 'fill' tints the box as well as outlining it (small boxes such as PUs). */
  style: 'outline' | 'fill';
}

export function createLitLayer(svg: SVGSVGElement): { set(marks: readonly LitMark[]): void } {
  return {
    set(marks) {
      svg.replaceChildren(
        ...marks.map((m) => {
          const r = document.createElementNS(SVG, 'rect');
          r.setAttribute('x', String(m.x));
          r.setAttribute('y', String(m.y));
          r.setAttribute('width', String(m.w));
          r.setAttribute('height', String(m.h));
          r.setAttribute('rx', '3');
          r.setAttribute('class', m.style === 'fill' ? 'lit-mark fill' : 'lit-mark');
          return r;
        }),
      );
    },
  };
}
