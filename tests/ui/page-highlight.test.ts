/**
 * The page's highlight (what hover, search and the other views light) is a colour of its own in
 * both themes: far (CIE76 ΔE) from every guest cell colour, so a lit node never reads as "cell 5".
 * The colours are read from diagrams.css itself, the file the page draws with.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CELL_PALETTE } from '../../src/ui/guest/colours.ts';
import { colourDistance } from '../../src/ui/present/highlight.ts';

const CSS = readFileSync(new URL('../../src/ui/diagrams.css', import.meta.url), 'utf8');

/** The highlight outline must be another colour at a glance, not a shade of a cell's. */
const DIFFERENT = 58;
/** The lit fill sits under text and beside cell chips: a lighter demand, as for the presenter. */
const FILL_DIFFERENT = 20;

/** A custom property's value in the first rule whose selector is exactly `selector`. */
function property(selector: string, name: string): string {
  const start = CSS.indexOf(`${selector} {`);
  expect(start, `rule ${selector}`).toBeGreaterThanOrEqual(0);
  const body = CSS.slice(start, CSS.indexOf('}', start));
  const value = new RegExp(`${name}:\\s*(#[0-9a-fA-F]{6})\\s*;`).exec(body)?.[1];
  expect(value, `${name} in ${selector}`).toBeDefined();
  return value!;
}

const THEMES = [
  { theme: 'light', selector: ':root' },
  { theme: 'dark', selector: ":root[data-theme='dark']" },
];

describe('page highlight', () => {
  it('reads the colours the page draws with', () => {
    expect(property(':root', '--d-lit')).toBe('#c000c0');
    expect(property(":root[data-theme='dark']", '--d-lit')).toBe('#ff4dff');
  });

  it('the old highlights were cell colours (what this test guards against)', () => {
    // Light #d55e00 was cell 5 exactly; dark #ffb000 nearly cell 0.
    expect(Math.min(...CELL_PALETTE.map((s) => colourDistance('#d55e00', s.fill)))).toBeLessThan(DIFFERENT);
    expect(Math.min(...CELL_PALETTE.map((s) => colourDistance('#ffb000', s.fill)))).toBeLessThan(DIFFERENT);
  });

  for (const { theme, selector } of THEMES) {
    it(`differs from every cell colour in the ${theme} theme`, () => {
      const lit = property(selector, '--d-lit');
      const fill = property(selector, '--d-lit-fill');
      CELL_PALETTE.forEach((swatch, cell) => {
        expect(colourDistance(lit, swatch.fill), `${theme} --d-lit ${lit} vs cell ${cell} ${swatch.fill}`).toBeGreaterThanOrEqual(DIFFERENT);
        expect(colourDistance(fill, swatch.fill), `${theme} --d-lit-fill ${fill} vs cell ${cell} ${swatch.fill}`).toBeGreaterThanOrEqual(FILL_DIFFERENT);
      });
    });
  }
});
