/**
 * A QR code of the permalink, drawn as SVG rectangles from the encoder's module matrix (no
 * markup string is ever inserted), as large as the room allows and with a whole number of
 * screen pixels per module, so that a phone can read it off a projector. A link is shown as a
 * code only when it fits one (QR_MAX_BYTES) and its modules come out at least QR_MIN_MODULE_PX
 * wide; otherwise a sentence says why and what to do instead.
 */
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

/** Byte capacity of a version-40 code at error correction level L: the most any QR code holds. */
export const QR_MAX_BYTES = 2953;
/**
 * Narrowest module, in screen pixels, that a phone camera resolves from a seat in the room: a
 * version-40 code (177 modules + the quiet zone) takes 740–925 px of a 1080p screen at 4–5 px.
 */
export const QR_MIN_MODULE_PX = 4;
/** Space the QR box itself takes around the code: its padding and the caption under it. */
export const QR_CHROME = 140;
/** The blank margin the standard asks for around the code, in modules. */
const QUIET = 4;

export function Qr({ text, room }: { text: string; room: number }) {
  const bytes = useMemo(() => new TextEncoder().encode(text).length, [text]);
  const modules = useMemo(() => {
    if (bytes > QR_MAX_BYTES) return null;
    const qr = qrcode(0, 'L');
    qr.addData(text, 'Byte');
    qr.make();
    const n = qr.getModuleCount();
    const dark: [number, number][] = [];
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) dark.push([c, r]);
    return { n, dark };
  }, [text, bytes]);
  const kB = (bytes / 1024).toFixed(1);
  if (!modules) {
    return (
      <p className="qr-message" data-testid="qr-too-long">
        This link is {kB} kB; a QR code holds at most {(QR_MAX_BYTES / 1024).toFixed(1)} kB ({QR_MAX_BYTES} bytes). Share it as text (Export → Copy link).
      </p>
    );
  }
  const span = modules.n + QUIET * 2;
  const px = Math.floor(room / span);
  if (px < QR_MIN_MODULE_PX) {
    return (
      <p className="qr-message" data-testid="qr-too-dense">
        This {kB} kB link needs a QR code of {modules.n} × {modules.n} modules: on this screen each would be {px < 1 ? 'under 1' : px} pixel{px === 1 ? '' : 's'} wide, and a
        phone needs at least {QR_MIN_MODULE_PX}. Use a larger screen or share the link as text (Export → Copy link).
      </p>
    );
  }
  const size = span * px;
  return (
    <figure className="qr-figure" data-testid="qr-figure" data-module-px={px}>
      <svg className="qr" data-testid="qr" width={size} height={size} viewBox={`0 0 ${span} ${span}`} role="img" aria-label="QR code of the permalink" shapeRendering="crispEdges">
        <rect width={span} height={span} fill="#ffffff" />
        <path d={modules.dark.map(([x, y]) => `M${x + QUIET} ${y + QUIET}h1v1h-1z`).join('')} fill="#000000" />
      </svg>
      <figcaption>
        Scan to open this workspace · {kB} kB link, {modules.n} × {modules.n} modules
      </figcaption>
    </figure>
  );
}
