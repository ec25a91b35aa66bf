/**
 * The shape of every box at once, for a drawing that must fit a view. Packing each box for an
 * aspect of its own (layout.ts's measure()) cannot see that a package drawn wide leaves room
 * beside a small one, or that a node's caches in a row let two nodes stack; here each box offers
 * the shapes it can take, bottom-up, and the root takes the one fitted largest in the view.
 * Layout-agnostic, as d3-hierarchy's tiles are: the layout says how a box is packed and sized.
 */

export interface Shaped<T> {
  children: T[];
  w: number;
  h: number;
}

/** What the search asks of the layout, for packings of type P. */
export interface Shaper<T, P> {
  /** Sizes a box that has a single shape (and its subtree): true when it has one. */
  single(n: T): boolean;
  /** Puts a box's children in the order arrange() lays them out. */
  order(n: T): void;
  /** The packings worth trying for a box, its children at their current sizes. */
  packings(n: T): P[];
  /** Sizes a box and places its children, packed so, from their current sizes. */
  arrange(n: T, packing: P): void;
}

/** A shape a box can take: its size, how its children are packed, which shape each takes. */
interface Shape<P> {
  w: number;
  h: number;
  packing?: P;
  kids: number[];
}

/** Aspects a box's children are asked to come nearest to, all alike. */
const ASPECTS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9, 1.1, 1.3, 1.6, 2, 2.5, 3, 3.7, 4.5, 5.5, 7, 9];
/** Shapes kept per box: enough to span narrow to wide. */
const MAX_SHAPES = 24;

/** Lays the tree out in the shape `scale` (how large the drawing is fitted) likes best, ties to the smaller. */
export function fitShapes<T extends Shaped<T>, P>(root: T, shaper: Shaper<T, P>, scale: (w: number, h: number) => number): void {
  const memo = new Map<T, Shape<P>[]>();
  const shapes = shapesOf(root, shaper, memo);
  let best = 0;
  shapes.forEach((sh, i) => {
    const a = scale(sh.w, sh.h);
    const b = scale(shapes[best].w, shapes[best].h);
    if (a > b || (a === b && sh.w * sh.h < shapes[best].w * shapes[best].h)) best = i;
  });
  realize(root, shaper, memo, best);
}

/**
 * The shapes a box can take: for each choice of its children's shapes (alike near an aspect, so
 * that identical siblings stay identical, or each its lowest within a width), every packing; only
 * shapes no other beats in both width and height are kept.
 */
function shapesOf<T extends Shaped<T>, P>(n: T, shaper: Shaper<T, P>, memo: Map<T, Shape<P>[]>): Shape<P>[] {
  if (shaper.single(n)) {
    const one = [{ w: n.w, h: n.h, kids: [] }];
    memo.set(n, one);
    return one;
  }
  shaper.order(n);
  const lists = n.children.map((c) => shapesOf(c, shaper, memo));
  const resize = (kids: readonly number[]) =>
    n.children.forEach((c, i) => {
      c.w = lists[i][kids[i]].w;
      c.h = lists[i][kids[i]].h;
    });
  const widths = [...new Set(lists.flatMap((l) => l.map((sh) => sh.w)))];
  const choices = [...ASPECTS.map((aim) => lists.map((l) => nearest(l, aim))), ...widths.map((w) => lists.map((l) => lowestWithin(l, w)))];
  const found: Shape<P>[] = [];
  const tried = new Set<string>();
  for (const kids of choices) {
    const key = kids.join();
    if (tried.has(key)) continue;
    tried.add(key);
    resize(kids);
    for (const packing of shaper.packings(n)) {
      // arrange() may stretch a child (an I/O row): each packing starts from the chosen sizes.
      resize(kids);
      shaper.arrange(n, packing);
      found.push({ w: n.w, h: n.h, packing, kids });
    }
  }
  const shapes = frontier(found);
  memo.set(n, shapes);
  return shapes;
}

/** The shape whose aspect is nearest `aim`. */
function nearest<P>(shapes: readonly Shape<P>[], aim: number): number {
  const off = (sh: Shape<P>) => Math.abs(Math.log(sh.w / sh.h / aim));
  let best = 0;
  shapes.forEach((sh, i) => {
    if (off(sh) < off(shapes[best])) best = i;
  });
  return best;
}

/** The lowest shape no wider than `w` (the narrowest when none is): frontier() runs narrow to wide, high to low. */
function lowestWithin<P>(shapes: readonly Shape<P>[], w: number): number {
  let best = 0;
  shapes.forEach((sh, i) => {
    if (sh.w <= w) best = i;
  });
  return best;
}

/** Shapes no other is both narrower and lower than, narrow to wide, at most MAX_SHAPES of them spread evenly. */
function frontier<P>(shapes: readonly Shape<P>[]): Shape<P>[] {
  const sorted = [...shapes].sort((a, b) => a.w - b.w || a.h - b.h);
  const kept: Shape<P>[] = [];
  for (const sh of sorted) if (kept.length === 0 || sh.h < kept[kept.length - 1].h) kept.push(sh);
  if (kept.length <= MAX_SHAPES) return kept;
  return Array.from({ length: MAX_SHAPES }, (_, i) => kept[Math.round((i * (kept.length - 1)) / (MAX_SHAPES - 1))]);
}

/** Lays a box and its subtree out in one of the shapes shapesOf() found for it. */
function realize<T extends Shaped<T>, P>(n: T, shaper: Shaper<T, P>, memo: ReadonlyMap<T, Shape<P>[]>, index: number): void {
  const shape = memo.get(n)?.[index];
  if (!shape?.packing) {
    shaper.single(n);
    return;
  }
  n.children.forEach((c, i) => realize(c, shaper, memo, shape.kids[i]));
  shaper.arrange(n, shape.packing);
}
