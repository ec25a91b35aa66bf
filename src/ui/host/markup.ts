/**
 * The host view's boxes as SVG markup, written into the drawing in one go. Thousands of boxes
 * that never change between renders gain nothing from React's element-by-element reconciliation;
 * the browser's parser builds them several times faster. Every text goes through esc(). Text is
 * placed by the layout's metrics, the sizes its boxes were made for (the stylesheet gives the
 * fonts: diagrams.css for the page, present.css for a presenter's drawing).
 */
import type { Host } from '../../core/host/model.ts';
import type { IndexMode } from '../../state/store.ts';
import { accessibleName, boxLabel, cacheText, indexText, memoryLines, moreDetail, tooltipLines } from './labels.ts';
import type { Box, HostLayout, LayoutMetrics } from './layout.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function text(x: number, y: number, cls: string, content: string, extra = ''): string {
  return `<text x="${x}" y="${y}" class="${cls}"${extra}>${esc(content)}</text>`;
}

/**
 * Boxes are nested inside their parent's <g>, not listed flat: Chromium skips an SVG group whose
 * bounding box misses the pointer, so hit-testing a hover walks one branch of the tree instead
 * of every box in the drawing.
 */
export function boxesMarkup(layout: HostLayout, host: Host, mode: IndexMode): string {
  const nodes = new Map(host.nodes.map((n) => [n.id, n]));
  const children = new Map<string | null, Box[]>();
  for (const box of layout.boxes) {
    const parent = box.parent !== null && layout.byId.has(box.parent) ? box.parent : null;
    const list = children.get(parent);
    if (list) list.push(box);
    else children.set(parent, [box]);
  }
  const out: string[] = [];
  const emit = (box: Box) => {
    const own = boxMarkup(box, host, mode, nodes.get(box.node ?? -1), layout.metrics);
    const inner = children.get(box.id);
    if (!inner) {
      out.push(own);
      return;
    }
    // Every box's markup is one <g>…</g>: its children go in before the closing tag.
    out.push(own.slice(0, -'</g>'.length));
    for (const child of inner) emit(child);
    out.push('</g>');
  };
  for (const box of children.get(null) ?? []) emit(box);
  return out.join('');
}

function boxMarkup(box: Box, host: Host, mode: IndexMode, node: Host['nodes'][number] | undefined, m: LayoutMetrics): string {
  const { x, y, w, h, kind } = box;
  const numa = kind === 'NUMANode' ? node : undefined;
  const cls = `box ${kind}${box.online === false ? ' offline' : ''}${numa && numa.cpus.length === 0 ? ' cpuless' : ''}${numa?.kind === 'cpu-only' ? ' memless' : ''}`;
  const head = (role: string, label: string, extra = '') => `<g id="${esc(box.id)}" class="${cls}" data-hover="${esc(box.id)}" role="${role}" aria-label="${esc(label)}"${extra}>`;
  const rect = (rx: number) => `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${rx}"/>`;
  const cx = x + w / 2;
  switch (kind) {
    case 'PU': {
      let body: string;
      if (box.online === false) body = text(cx, y + h / 2 + m.puCentre, 'pu-text', 'off');
      else if (mode === 'both') body = text(cx, y + m.puLines[0], 'pu-text', `L#${box.logical}`) + text(cx, y + m.puLines[1], 'pu-text', `P#${box.os}`);
      else body = text(cx, y + h / 2 + m.puCentre, 'pu-text', indexText(box, mode));
      return `${head('img', accessibleName(box, host, mode))}${rect(2)}${body}</g>`;
    }
    case 'Memory': {
      const [a, b] = memoryLines(host, box.node ?? -1, mode, box);
      return `<g id="${esc(box.id)}" class="${cls}" data-hover="${esc(box.id)}">${rect(3)}${text(x + m.inset, y + m.memoryLines[0], 'label strong', a)}${text(x + m.inset, y + m.memoryLines[1], 'label small', b)}</g>`;
    }
    case 'More': {
      const label = boxLabel(box, mode, host);
      const detail = moreDetail(box);
      const hid = box.hidden;
      const extra = ` data-more="${esc(box.id)}" data-packages="${hid?.packages ?? 0}" data-nodes="${hid?.nodes ?? 0}" data-cores="${hid?.cores ?? 0}" data-pus="${hid?.pus ?? 0}" tabindex="0"`;
      return `${head('button', `${label} ${detail}`, extra)}${rect(4)}${text(cx, y + h / 2 + m.moreLines[0], 'more-text', label)}${text(cx, y + h / 2 + m.moreLines[1], 'more-text small', detail)}</g>`;
    }
    case 'IO':
      return ioMarkup(box, host, mode, cls, m);
    default: {
      let body = kind === 'NUMANode' ? '' : text(x + m.inset, y + m.labelBaseline, 'label', boxLabel(box, mode, host));
      const caches = box.caches ?? [];
      if (kind === 'Core' && caches.length > 0) body += text(x + m.inset, y + m.smallBaseline, 'label small', caches.map((c) => cacheText(c.level, c.type, c.sizeKiB)).join(' · '));
      return `${head('group', accessibleName(box, host, mode))}${rect(kind === 'Machine' ? 6 : 4)}${body}</g>`;
    }
  }
}

/** A locality's PCI devices, one per line, lstopo's I/O drawn compactly; a click opens the tree. */
function ioMarkup(box: Box, host: Host, mode: IndexMode, cls: string, m: LayoutMetrics): string {
  const { x, y, w, h } = box;
  const open = box.io?.open ?? false;
  const fit = (s: string, indent: number) => {
    const room = Math.floor((w - m.inset * 2 - indent) / m.ioChar);
    return s.length > room ? `${s.slice(0, Math.max(1, room - 1))}…` : s;
  };
  const lines = (box.io?.lines ?? []).map((l, i) => {
    const indent = l.depth * m.ioIndent;
    return text(x + m.inset + indent, y + m.ioFirst + i * m.ioLine, `io-line ${l.kind}`, fit(l.text, indent), l.bdf ? ` data-bdf="${esc(l.bdf)}"` : '');
  });
  const attrs = ` data-io="${esc(box.id)}" data-node="${box.node ?? ''}" tabindex="0" aria-expanded="${open}"`;
  const label = tooltipLines(box, host, mode).join(', ');
  return `<g id="${esc(box.id)}" class="${cls}${open ? ' open' : ''}" data-hover="${esc(box.id)}" role="button" aria-label="${esc(label)}"${attrs}><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3"/>${text(x + m.inset, y + m.labelBaseline, 'label strong', boxLabel(box, mode, host))}${lines.join('')}</g>`;
}
