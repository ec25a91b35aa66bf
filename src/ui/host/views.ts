/**
 * The host views on the page, for what needs a box on screen where the DOM may hold no element
 * for it (leaves painted on a canvas): drag and drop asks which box is under the pointer and
 * marks its target, the keyboard drag's hint asks where the target is, and tests ask what was
 * drawn (window.numascopeHostView). Each HostView registers itself while mounted.
 */
import type { Box } from './layout.ts';

export interface ScreenRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DropMark {
  id: string;
  classes: string[];
}

export interface HostViewHandle {
  readonly viewport: HTMLElement;
  /** The deepest box under a point in client pixels, or null. */
  boxAt(clientX: number, clientY: number): Box | null;
  /** The box and its ancestors, deepest first. */
  chain(box: Box): Box[];
  /** The leaves the canvas paints, as SVG markup for a file ('' when nothing is on canvas). */
  leafMarkup(): string;
  /** Where a box is on screen now, in client pixels; null when the view does not draw it. */
  rectOf(id: string): ScreenRect | null;
  /** Zooms and pans until the box is whole and centred in the view, filling most of it, after any fold the move opens; a node is kept drawn from then on. */
  centre(id: string): void;
  /** Drag and drop's marks: classes on the box's element, or a mark in the highlight layer. */
  setDropMarks(marks: readonly DropMark[]): void;
  /** Ids of the boxes drawn: SVG elements, and the leaves the canvas painted last with the labels it painted on them. */
  drawn(): { svg: string[]; canvas: string[]; canvasLabels: { id: string; text: string; px: number }[] };
}

const views: HostViewHandle[] = [];

export function registerHostView(view: HostViewHandle): () => void {
  views.push(view);
  return () => {
    const i = views.indexOf(view);
    if (i >= 0) views.splice(i, 1);
  };
}

/** The views in page order (the main view before the presenter's). */
export function hostViews(): HostViewHandle[] {
  return [...views].sort((a, b) => (a.viewport.compareDocumentPosition(b.viewport) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
}

/**
 * The view the user sees at a client point (whatever is stacked on top there, looking through a
 * drag's sheet), or null. The sheet takes no hits for the moment of the test, so the first hit is
 * the one beneath it: elementsFromPoint would hit-test every element at the point, the whole
 * drawing's stack of boxes, on each move of a drag.
 */
export function hostViewAt(clientX: number, clientY: number): HostViewHandle | null {
  const sheets = Array.from(document.querySelectorAll<HTMLElement>('[data-see-through]:not([hidden])'));
  for (const sheet of sheets) sheet.style.pointerEvents = 'none';
  const top = document.elementFromPoint(clientX, clientY);
  for (const sheet of sheets) sheet.style.pointerEvents = '';
  const viewport = top?.closest('.topo-viewport');
  return views.find((v) => v.viewport === viewport) ?? null;
}

/** A box on screen in the view shown last (the presenter's over the page's), or null. */
export function hostBoxRect(id: string): ScreenRect | null {
  for (let i = views.length - 1; i >= 0; i--) {
    const r = views[i].rectOf(id);
    if (r) return r;
  }
  return null;
}

export function setDropMarks(marks: readonly DropMark[]): void {
  for (const v of views) v.setDropMarks(marks);
}

if (typeof window !== 'undefined') {
  (window as unknown as { numascopeHostView?: unknown }).numascopeHostView = {
    drawn: (view = 0) => hostViews()[view]?.drawn() ?? null,
    rectOf: (id: string, view = 0) => hostViews()[view]?.rectOf(id) ?? null,
    boxAt: (x: number, y: number) => hostViewAt(x, y)?.boxAt(x, y)?.id ?? null,
  };
}
