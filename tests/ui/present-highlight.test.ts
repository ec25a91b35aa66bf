/**
 * The presenter's highlight is a colour of its own: far (CIE76 ΔE) from every guest cell colour,
 * so a lit socket never reads as a cell. The page's palette is the one guest/colours.ts draws with.
 */
import { describe, expect, it } from 'vitest';
import { CELL_PALETTE } from '../../src/ui/guest/colours.ts';
import { colourDistance, PRESENT_HIGHLIGHT } from '../../src/ui/present/highlight.ts';

/** Two colours this far apart are different colours at a glance, not shades of one. */
const DIFFERENT = 40;

describe('presenter highlight', () => {
  it('measures colour differences as CIE76 does', () => {
    expect(colourDistance('#ffffff', '#ffffff')).toBe(0);
    expect(colourDistance('#000000', '#ffffff')).toBeCloseTo(100, 1);
    // The collision the issue saw: the old amber highlight against cell 3's yellow.
    expect(colourDistance('#ffd400', '#F0E442')).toBeLessThan(DIFFERENT);
  });

  it('differs from every cell colour', () => {
    for (const swatch of CELL_PALETTE) {
      expect(colourDistance(PRESENT_HIGHLIGHT.stroke, swatch.fill), `highlight vs cell ${swatch.fill}`).toBeGreaterThan(DIFFERENT);
      expect(colourDistance(PRESENT_HIGHLIGHT.fill, swatch.fill), `lit fill vs cell ${swatch.fill}`).toBeGreaterThan(DIFFERENT / 2);
    }
  });
});
