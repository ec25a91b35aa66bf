/**
 * The highlight layer: marks drawn in an SVG of their own, stacked over a large drawing and
 * composited separately, so lighting boxes up repaints a few rectangles in that layer and never
 * the drawing under it. Each mark names the box it stands for (data-box), which is how a box
 * painted on a canvas, with no element of its own, still shows and can be found lit, targeted
 * or selected. Framework-free: set() replaces the marks, no React render involved.
 */
const SVG = 'http://www.w3.org/2000/svg';

export interface LitMark {
  /** The stable id of the box marked (PU_60, NUMANode_1). */
  box: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Classes: `lit-mark` (+ `fill` to tint small boxes), `dnd-mark dnd-target dnd-ok` … */
  className: string;
}

/** One group of marks inside the layer (the highlight and the drop target each have one). */
export function createLitLayer(group: SVGGElement): { set(marks: readonly LitMark[]): void } {
  return {
    set(marks) {
      group.replaceChildren(
        ...marks.map((m) => {
          const r = document.createElementNS(SVG, 'rect');
          r.setAttribute('x', String(m.x));
          r.setAttribute('y', String(m.y));
          r.setAttribute('width', String(m.w));
          r.setAttribute('height', String(m.h));
          r.setAttribute('rx', '3');
          r.setAttribute('class', m.className);
          r.setAttribute('data-box', m.box);
          return r;
        }),
      );
    },
  };
}
