/**
 * The presenter's highlight: what a scene lights (a socket, a node, a cache's CPUs) is drawn in
 * a colour no guest cell uses. The cells take the Okabe–Ito palette (guest/colours.ts), which has
 * a yellow and an orange, so the page's amber would read as "cell 3" on a wall: magenta is the
 * hue that palette leaves out. The distance is CIE76 ΔE in CIELAB, so "differs" is measured
 * (tests/ui/present-highlight.test.ts), not judged by eye.
 */

export const PRESENT_HIGHLIGHT = {
  /** Outlines, lit labels and marks: bright on the presenter's black. */
  stroke: '#ff00ff',
  /** Under a lit PU's white number: dark enough to keep it readable. */
  fill: '#4d0052',
} as const;

/** The custom properties the diagrams read their highlight from (diagrams.css), for the presenter. */
export function highlightProperties(): Record<string, string> {
  return { '--d-lit': PRESENT_HIGHLIGHT.stroke, '--d-lit-fill': PRESENT_HIGHLIGHT.fill, '--accent': PRESENT_HIGHLIGHT.stroke };
}

/** CIE76 colour difference between two #rrggbb colours: ~2.3 is just noticeable, > 40 is another colour. */
export function colourDistance(a: string, b: string): number {
  const [l1, a1, b1] = lab(a);
  const [l2, a2, b2] = lab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

/** sRGB → CIELAB (D65). */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => linear(parseInt(hex.slice(i, i + 2), 16) / 255));
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

function linear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
