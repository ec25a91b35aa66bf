/**
 * Semantic zoom (src/ui/host/semantic-zoom.ts) on generated big hosts: zoomed in, the fold chosen
 * for the larger view opens what was folded; the box under the pointer is found again in the new
 * drawing (a fold's first member once it opens, the fold once its member is folded away) and is
 * put back under the pointer.
 */
import { describe, expect, it } from 'vitest';
import { DRAWING_HOSTS } from '../../bench/hosts.ts';
import { ingest } from '../../src/core/ingest/index.ts';
import { FIT_MARGIN, layoutHost, type Box, type HostLayout } from '../../src/ui/host/layout.ts';
import { anchorIn, fitScale, keepInPlace, zoomStep } from '../../src/ui/host/semantic-zoom.ts';

const hostOf = (id: string) => ingest([{ name: id, text: DRAWING_HOSTS.find((h) => h.id === id)!.paste }]).host;
/** The e2e tests' 1400×1000 window: the host view's frame. */
const FRAME = { width: 928, height: 816 };
const VIEW = { w: FRAME.width, h: FRAME.height };
const layoutFor = (host: ReturnType<typeof hostOf>, zoom: number) =>
  layoutHost(host, { factorize: 'auto', expanded: new Set(), keep: new Set(), frame: { width: FRAME.width * zoom, height: FRAME.height * zoom } });
const folds = (l: HostLayout) => l.boxes.filter((b) => b.kind === 'More');
const chainOf = (l: HostLayout, b: Box): Box[] => {
  const out: Box[] = [];
  for (let at: Box | undefined = b; at; at = at.parent ? l.byId.get(at.parent) : undefined) out.push(at);
  return out;
};

describe('zoom steps', () => {
  it('keeps the fold up to √2 × Fit, then steps by √2 up to 16', () => {
    expect(zoomStep(0.5, 0.5)).toBe(1);
    expect(zoomStep(0.7, 0.5)).toBe(1);
    expect(zoomStep(0.71, 0.5)).toBeCloseTo(Math.SQRT2);
    expect(zoomStep(1, 0.5)).toBeCloseTo(2);
    expect(zoomStep(1.5, 0.5)).toBeCloseTo(2 * Math.SQRT2);
    expect(zoomStep(100, 0.5)).toBeCloseTo(16);
    expect(zoomStep(0.1, 0.5)).toBe(1);
  });

  it('measures Fit as panzoom does: margins kept, never above 2:1', () => {
    expect(fitScale({ width: 100, height: 50 }, { w: 1024, h: 1024 }, 12)).toBe(2);
    expect(fitScale({ width: 2000, height: 500 }, { w: 1024, h: 1024 }, 12)).toBeCloseTo(1000 / 2000);
  });
});

describe('semantic zoom on the 4096-PU synthetic host', () => {
  const host = hostOf('synthetic-4096');
  const atFit = layoutFor(host, 1);
  const fitK = fitScale(atFit, VIEW, FIT_MARGIN);

  it('opens folds as the view the fold is chosen for grows, and folds again at Fit', () => {
    expect(folds(atFit).length).toBeGreaterThan(0);
    const hiddenPus = (l: HostLayout) => folds(l).reduce((n, b) => n + (b.hidden?.pus ?? 0), 0);
    const zoom4 = layoutFor(host, zoomStep(fitK * 4, fitK));
    const zoom16 = layoutFor(host, zoomStep(fitK * 64, fitK));
    expect(hiddenPus(zoom4)).toBeLessThan(hiddenPus(atFit));
    expect(hiddenPus(zoom16)).toBeLessThan(hiddenPus(zoom4));
    expect(hiddenPus(layoutFor(host, zoomStep(fitK, fitK)))).toBe(hiddenPus(atFit));
  });

  it("finds an opened fold's first member and holds the point under the pointer on it", () => {
    const more = folds(atFit)[0];
    const zoomed = layoutFor(host, 16);
    const found = anchorIn(zoomed, chainOf(atFit, more));
    expect(found?.before).toBe(more);
    expect(found?.after.id).toBe(more.id.replace(/^More_/, ''));
    const t = { k: fitK * 16, x: -1000, y: -2000 };
    const screen = { x: t.x + (more.x + more.w / 2) * t.k, y: t.y + (more.y + more.h / 2) * t.k };
    const next = keepInPlace(t, more, found!.after, screen);
    expect(next.k).toBe(t.k);
    const a = found!.after;
    expect((screen.x - next.x) / next.k).toBeCloseTo(a.x + a.w / 2);
    expect((screen.y - next.y) / next.k).toBeCloseTo(a.y + a.h / 2);
  });

  it('finds the fold that swallowed a box once the drawing folds again', () => {
    const zoomed = layoutFor(host, 16);
    const hidden = new Set(folds(atFit).flatMap((b) => b.cpus));
    const pu = zoomed.boxes.find((b) => b.kind === 'PU' && hidden.has(b.cpus[0]) && !atFit.byId.has(b.id))!;
    expect(pu).toBeDefined();
    const found = anchorIn(atFit, chainOf(zoomed, pu));
    expect(found?.after.kind).toBe('More');
    expect(found?.after.cpus).toContain(pu.cpus[0]);
  });
});
