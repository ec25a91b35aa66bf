/** Tables and shelves (src/ui/host/pack.ts): the two packings of a box's children. */
import { describe, expect, it } from 'vitest';
import { shelfWidths, shelves, table } from '../../src/ui/host/pack.ts';

const box = (w: number, h: number) => ({ w, h });

describe('table', () => {
  it('lines children up in columns as wide as their widest and rows as high as their highest', () => {
    const t = table([box(100, 50), box(40, 80), box(60, 20)], 2, 5);
    expect(t.at).toEqual([
      { x: 0, y: 0 },
      { x: 105, y: 0 },
      { x: 0, y: 85 },
    ]);
    expect([t.w, t.h, t.ragged]).toEqual([145, 105, 0.25]);
  });
});

describe('shelves', () => {
  it('puts a small box beside a big one, where a table would give it a row of its own', () => {
    const items = [box(300, 200), box(300, 200), box(100, 40)];
    const s = shelves(items, 710, 5);
    expect(s.at[2]).toEqual({ x: 610, y: 0 });
    expect([s.w, s.h]).toEqual([710, 200]);
    expect(table(items, 2, 5).h).toBe(245);
  });

  it('starts a new shelf where the width runs out, even for one box wider than all', () => {
    const s = shelves([box(100, 30), box(100, 50), box(300, 20)], 205, 5);
    expect(s.at).toEqual([
      { x: 0, y: 0 },
      { x: 105, y: 0 },
      { x: 0, y: 55 },
    ]);
    expect([s.w, s.h]).toEqual([300, 75]);
  });

  it('lets loose boxes (I/O) into the room under a lower box of a finished shelf, in order otherwise', () => {
    const items = [box(100, 40), box(100, 100), box(150, 100), box(90, 30), box(90, 30), box(120, 30)];
    const loose = (i: number) => i >= 3;
    const s = shelves(items, 250, 5, loose);
    // Under the first box: 55 px of room; one 30 px box fits, the next two no longer do.
    expect(s.at[3]).toEqual({ x: 0, y: 45 });
    expect(s.at[4]).toEqual({ x: 155, y: 105 });
    expect(s.at[5]).toEqual({ x: 0, y: 210 });
    expect(s.h).toBe(240);
    // Not loose: every box in reading order.
    expect(shelves(items, 250, 5).at[3]).toEqual({ x: 155, y: 105 });
  });
});

describe('shelfWidths', () => {
  it('offers every run of consecutive boxes side by side, once each, narrow to wide', () => {
    expect(shelfWidths([box(10, 1), box(20, 1), box(10, 1)], 5)).toEqual([10, 20, 35, 50]);
  });
});
