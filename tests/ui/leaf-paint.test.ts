/**
 * The canvas painter's labels on a real host's leaves: none is painted under 8 CSS px on screen,
 * and its record of what it painted (text and size) is exactly what it handed the canvas. The
 * canvas is a recording context: the painter is what is under test, and Node has no canvas.
 */
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/core/ingest/index.ts';
import { layoutHost } from '../../src/ui/host/layout.ts';
import { leafScene, MIN_TEXT_PX, paintRegion } from '../../src/ui/host/leaf-paint.ts';
import type { Looks } from '../../src/ui/host/leaf-looks.ts';
import { LEAF_KINDS } from '../../src/ui/host/leaves.ts';
import { DRAWING_HOSTS } from '../../bench/hosts.ts';

/** Records fillText with the font it was drawn in; every other call is accepted and ignored. */
function recordingContext(): { ctx: CanvasRenderingContext2D; texts: { text: string; font: string }[] } {
  const texts: { text: string; font: string }[] = [];
  const state = { font: '' };
  const ctx = new Proxy(state as unknown as CanvasRenderingContext2D, {
    get(target, key) {
      if (key === 'fillText') return (text: string) => texts.push({ text, font: state.font });
      if (key in target) return (target as unknown as Record<string | symbol, unknown>)[key];
      return () => undefined;
    },
    set(target, key, value) {
      (target as unknown as Record<string | symbol, unknown>)[key] = value;
      return true;
    },
  });
  return { ctx, texts };
}

const look = { fill: '#fff', stroke: '#000', lineWidth: 1, dash: [], radius: 2 };
const text = { style: 'normal', family: 'sans-serif', fill: '#000' };
const LOOKS: Looks = { box: { PU: look, 'PU offline': look, Core: look, L1: look, L2: look }, text: { pu: text, label: text, small: text } };

describe('canvas labels', () => {
  const host = ingest([{ name: 'x', text: DRAWING_HOSTS.find((h) => h.id === 'superdome-32s')!.paste }]).host;
  const layout = layoutHost(host, { factorize: 'off', expanded: new Set(), keep: new Set() });
  const leaves = layout.boxes.filter((b) => LEAF_KINDS.has(b.kind));
  const scene = leafScene(leaves, layout.metrics, host, 'both');
  const region = { x0: 0, y0: 0, x1: layout.width, y1: layout.height };
  const fonts = layout.metrics.font;

  it('paints no label under 8 px, and says so: at a zoom where every type is under 8 px, none', () => {
    const k = (MIN_TEXT_PX - 0.1) / Math.max(fonts.label, fonts.small, fonts.pu);
    const { ctx, texts } = recordingContext();
    const { painted, labels } = paintRegion(ctx, scene, LOOKS, region, k, 1);
    expect(painted.length).toBe(leaves.length);
    expect([texts.length, labels.length]).toEqual([0, 0]);
  });

  it('at 8 px for the 10 px type and up, paints every PU index and core title, recording each with its size on screen', () => {
    const k = MIN_TEXT_PX / Math.min(fonts.small, fonts.pu);
    const { ctx, texts } = recordingContext();
    const { labels } = paintRegion(ctx, scene, LOOKS, region, k, 2);
    expect(labels.map((l) => l.text)).toEqual(texts.map((t) => t.text));
    // Each record's size is the font the canvas was handed, times the zoom.
    labels.forEach((l, i) => expect(l.px).toBeCloseTo(parseFloat(/(\d+(?:\.\d+)?)px/.exec(texts[i].font)?.[1] ?? 'NaN') * k));
    expect(Math.min(...labels.map((l) => l.px))).toBeGreaterThanOrEqual(MIN_TEXT_PX);
    // Both indexes of every PU, every core's title (these cores hold no private cache to list).
    const pus = leaves.filter((b) => b.kind === 'PU').length;
    const cores = leaves.filter((b) => b.kind === 'Core');
    expect(cores.every((c) => (c.caches ?? []).length === 0)).toBe(true);
    expect(labels.length).toBe(pus * 2 + cores.length);
  });
});
