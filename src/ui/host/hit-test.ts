/**
 * Which box of the host view a point falls in, from the layout alone: the drawing may be SVG,
 * canvas or both, and hover, clicks and drops ask the same question of it. Boxes nest and
 * siblings never overlap, so the answer is one descent from the machine down: at each level the
 * child holding the point is found in a bucket grid over that level's children (a core's PUs,
 * an L3's 64 cores) instead of a scan, which keeps a lookup at a few dozen comparisons on a
 * 4096-PU host, however many boxes it holds.
 */
import type { Box, HostLayout } from './layout.ts';

export interface HitTest {
  /** The deepest box holding the point (layout units), or null outside every box. */
  at(x: number, y: number): Box | null;
  /** The box and its ancestors, deepest first: what a drop or a click may mean at a point. */
  chain(box: Box): Box[];
}

/** Levels with at most this many boxes are scanned; bigger ones get a bucket grid. */
const SCAN = 8;

interface Level {
  boxes: Box[];
  grid: Grid | null;
}

interface Grid {
  x0: number;
  y0: number;
  cellW: number;
  cellH: number;
  cols: number;
  rows: number;
  cells: Box[][];
}

export function hitTest(layout: HostLayout): HitTest {
  const kids = new Map<string | null, Box[]>();
  for (const box of layout.boxes) {
    const parent = box.parent !== null && layout.byId.has(box.parent) ? box.parent : null;
    const list = kids.get(parent);
    if (list) list.push(box);
    else kids.set(parent, [box]);
  }
  const levels = new Map<string | null, Level>();
  for (const [parent, boxes] of kids) levels.set(parent, { boxes, grid: boxes.length > SCAN ? gridOf(boxes) : null });

  return {
    at(x, y) {
      let level = levels.get(null);
      let found: Box | null = null;
      while (level) {
        const box = pick(level, x, y);
        if (!box) break;
        found = box;
        level = levels.get(box.id);
      }
      return found;
    },
    chain(box) {
      const out: Box[] = [];
      for (let b: Box | undefined = box; b; b = b.parent === null ? undefined : layout.byId.get(b.parent)) out.push(b);
      return out;
    },
  };
}

function holds(b: Box, x: number, y: number): boolean {
  return x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h;
}

function pick(level: Level, x: number, y: number): Box | null {
  const g = level.grid;
  const candidates = g ? cellAt(g, x, y) : level.boxes;
  if (!candidates) return null;
  for (const b of candidates) if (holds(b, x, y)) return b;
  return null;
}

function cellAt(g: Grid, x: number, y: number): Box[] | null {
  const c = Math.floor((x - g.x0) / g.cellW);
  const r = Math.floor((y - g.y0) / g.cellH);
  if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) return null;
  return g.cells[r * g.cols + c];
}

/** Cells about the size of an average sibling: each box lands in the one to four cells it covers. */
function gridOf(boxes: Box[]): Grid {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let w = 0;
  let h = 0;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
    w += b.w;
    h += b.h;
  }
  const spanW = Math.max(1, x1 - x0);
  const spanH = Math.max(1, y1 - y0);
  // Never more cells than four per box: a few wide rows (I/O boxes) must not make the grid huge.
  const cols = Math.max(1, Math.min(Math.ceil(spanW / Math.max(1, w / boxes.length)), boxes.length * 2));
  const rows = Math.max(1, Math.min(Math.ceil(spanH / Math.max(1, h / boxes.length)), boxes.length * 2));
  const cellW = spanW / cols;
  const cellH = spanH / rows;
  const cells = Array.from({ length: cols * rows }, () => [] as Box[]);
  for (const b of boxes) {
    const c0 = Math.max(0, Math.floor((b.x - x0) / cellW));
    const c1 = Math.min(cols - 1, Math.floor((b.x + b.w - x0) / cellW));
    const r0 = Math.max(0, Math.floor((b.y - y0) / cellH));
    const r1 = Math.min(rows - 1, Math.floor((b.y + b.h - y0) / cellH));
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) cells[r * cols + c].push(b);
  }
  return { x0, y0, cellW, cellH, cols, rows, cells };
}
