/**
 * A QR code of the permalink, drawn as SVG rectangles from the encoder's module matrix (no
 * markup string is ever inserted). A link longer than a QR code holds gets a sentence instead.
 */
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

/** Byte capacity of a version-40 code at error correction level L. */
export const QR_MAX_BYTES = 2953;

export function Qr({ text, size = 220 }: { text: string; size?: number }) {
  const modules = useMemo(() => {
    if (new TextEncoder().encode(text).length > QR_MAX_BYTES) return null;
    const qr = qrcode(0, 'L');
    qr.addData(text, 'Byte');
    qr.make();
    const n = qr.getModuleCount();
    const dark: [number, number][] = [];
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) dark.push([c, r]);
    return { n, dark };
  }, [text]);
  if (!modules) return <p className="qr-too-long" data-testid="qr-too-long">This link is too long for a QR code ({Math.ceil(text.length / 1024)} kB); share it as text.</p>;
  const quiet = 4;
  const span = modules.n + quiet * 2;
  return (
    <svg className="qr" data-testid="qr" width={size} height={size} viewBox={`0 0 ${span} ${span}`} role="img" aria-label="QR code of the permalink" shapeRendering="crispEdges">
      <rect width={span} height={span} fill="#ffffff" />
      <path d={modules.dark.map(([x, y]) => `M${x + quiet} ${y + quiet}h1v1h-1z`).join('')} fill="#000000" />
    </svg>
  );
}
