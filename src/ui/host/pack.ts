/**
 * Two ways to pack a box's children, their sizes given, in reading order. A table is lstopo's
 * look: columns as wide as their widest member, rows as high as their highest. Shelves go left
 * to right and start a new shelf where the width runs out, each as high as its highest member:
 * boxes of unequal sizes (a folded package beside unfolded ones, a fold's "… N× …", I/O boxes)
 * then sit beside each other instead of each widening a column or heightening a row.
 * Positions are relative to the packing's top left corner.
 */

export interface Sized {
  w: number;
  h: number;
}

export interface Packed {
  w: number;
  h: number;
  at: { x: number; y: number }[];
  /** Share of the table's cells left empty (0 for shelves). */
  ragged: number;
}

export function table(items: readonly Sized[], cols: number, gap: number): Packed {
  const rows = Math.ceil(items.length / cols);
  const colW = new Array<number>(cols).fill(0);
  const rowH = new Array<number>(rows).fill(0);
  items.forEach((k, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    if (k.w > colW[c]) colW[c] = k.w;
    if (k.h > rowH[r]) rowH[r] = k.h;
  });
  const colX = offsets(colW, gap);
  const rowY = offsets(rowH, gap);
  return {
    w: colW.reduce((a, b) => a + b, 0) + gap * Math.max(0, cols - 1),
    h: rowH.reduce((a, b) => a + b, 0) + gap * Math.max(0, rows - 1),
    at: items.map((_, i) => ({ x: colX[i % cols], y: rowY[Math.floor(i / cols)] })),
    ragged: rows > 0 ? (cols * rows - items.length) / (cols * rows) : 0,
  };
}

/**
 * Shelves no wider than `width`, unless one item alone is. Items `loose` says may leave the
 * reading order (I/O boxes, which have none among the others) go into the room an earlier shelf
 * leaves under a lower item, where they fit, before a shelf of their own.
 */
export function shelves(items: readonly Sized[], width: number, gap: number, loose: (i: number) => boolean = () => false): Packed {
  const at: { x: number; y: number }[] = [];
  /** Room under the items of finished shelves: left edge, width, top and foot. */
  const holes: { x: number; w: number; y: number; foot: number }[] = [];
  let shelf: { x: number; w: number; bottom: number }[] = [];
  let x = 0;
  let y = 0;
  let shelfH = 0;
  let w = 0;
  items.forEach((k, i) => {
    if (loose(i)) {
      const hole = holes.find((h) => k.w <= h.w && h.y + k.h <= h.foot);
      if (hole) {
        at.push({ x: hole.x, y: hole.y });
        hole.y += k.h + gap;
        return;
      }
    }
    if (x > 0 && x + k.w > width) {
      for (const s of shelf) holes.push({ x: s.x, w: s.w, y: s.bottom + gap, foot: y + shelfH });
      shelf = [];
      y += shelfH + gap;
      x = 0;
      shelfH = 0;
    }
    at.push({ x, y });
    shelf.push({ x, w: k.w, bottom: y + k.h });
    x += k.w;
    w = Math.max(w, x);
    x += gap;
    shelfH = Math.max(shelfH, k.h);
  });
  return { w, h: at.length > 0 ? y + shelfH : 0, at, ragged: 0 };
}

/**
 * The widths worth trying for shelves: each run of consecutive items side by side, so that any
 * of them can start or fill a shelf (a fold beside the last package, not only beside the first).
 */
export function shelfWidths(items: readonly Sized[], gap: number): number[] {
  const widths = new Set<number>();
  items.forEach((_, i) => {
    let x = -gap;
    for (let j = i; j < items.length; j++) {
      x += gap + items[j].w;
      widths.add(x);
    }
  });
  return [...widths].sort((a, b) => a - b);
}

function offsets(sizes: readonly number[], gap: number): number[] {
  const out: number[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(at);
    at += s + gap;
  }
  return out;
}
