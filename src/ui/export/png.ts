/**
 * PNG from the exported SVG: the SVG text is drawn through an <img> from a blob: URL onto a
 * canvas scaled 1×, 2× or 3×. Nothing is fetched: an SVG shown as an image cannot load anything,
 * and the blob never leaves the page.
 */
import type { SvgFile } from './svg.ts';

/** Chromium refuses canvases above this many pixels per side. */
const MAX_SIDE = 16384;

export async function rasterise(svg: SvgFile, scale: number): Promise<Blob> {
  const k = Math.min(scale, MAX_SIDE / svg.width, MAX_SIDE / svg.height);
  const url = URL.createObjectURL(new Blob([svg.text], { type: 'image/svg+xml' }));
  try {
    const img = new Image(svg.width, svg.height);
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(svg.width * k);
    canvas.height = Math.round(svg.height * k);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gives no 2D canvas');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the drawing is too large for a PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
