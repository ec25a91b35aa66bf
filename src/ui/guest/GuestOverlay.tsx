/**
 * Guests over the host view: 1:1-pinned PUs carry their cell's colour and vCPU number, floating
 * vCPUs tint the nodes they may run on (not the memory-only nodes drawn inside them) with one
 * chip each in the node's memory box, and each node's memory box gets a bar showing every guest
 * cell's share of it. Chips and bars are sized from the layout's metrics, so they read at the
 * presenter's type as on the page.
 */
import { memo } from 'react';
import type { AffinityMap, AffinityRow } from '../../core/emit/affinity.ts';
import type { Host } from '../../core/host/model.ts';
import { misfitsOf } from '../../state/misfits.ts';
import { useApp, type IndexMode } from '../../state/store.ts';
import { useWorkspace, type GuestTab } from '../../state/workspace.ts';
import { memoryLines, textWidth } from '../host/labels.ts';
import type { Box, HostLayout, LayoutMetrics } from '../host/layout.ts';
import { guestName, type GuestColours, type Swatch } from './colours.ts';
import './GuestOverlay.css';

interface Props {
  layout: HostLayout;
  host: Host;
  maps: readonly AffinityMap[];
  colours: GuestColours;
}

/** One floating vCPU's chip on one node, before the node's chips are laid out. */
interface Chip {
  guest: number;
  row: AffinityRow;
  swatch: Swatch;
}

/** Chip sizes from the drawing's type, so chips read wherever PU numbers do (page or presenter). */
interface ChipMetrics {
  font: number;
  h: number;
  gap: number;
  /** Horizontal room around a chip's text. */
  padX: number;
  /** Margin kept from the memory box's edges. */
  edge: number;
  /** Text baseline below the chip's vertical middle. */
  centre: number;
}

function chipMetrics(m: LayoutMetrics): ChipMetrics {
  const font = m.font.pu;
  return { font, h: Math.round(font * 1.3), gap: Math.max(2, Math.round(font * 0.2)), padX: Math.max(2, Math.round(font * 0.2)), edge: Math.max(2, Math.round(font * 0.15)), centre: m.puCentre };
}

/**
 * What floating vCPUs may run on in a NUMA node's box: the box without the memory-only nodes
 * drawn inside it (a KNL's MCDRAM, a CXL expander), as one path whose holes evenodd leaves unfilled.
 */
function runnableArea(box: Box, layout: HostLayout): string {
  const r = Math.min(4, box.w / 2, box.h / 2);
  const { x, y, w, h } = box;
  let d = `M${x + r},${y}h${w - 2 * r}a${r},${r} 0 0 1 ${r},${r}v${h - 2 * r}a${r},${r} 0 0 1 ${-r},${r}h${-(w - 2 * r)}a${r},${r} 0 0 1 ${-r},${-r}v${-(h - 2 * r)}a${r},${r} 0 0 1 ${r},${-r}z`;
  for (const hole of layout.boxes) {
    if (hole.kind === 'NUMANode' && hole.cpus.length === 0 && inside(hole, box.id, layout)) d += `M${hole.x},${hole.y}h${hole.w}v${hole.h}h${-hole.w}z`;
  }
  return d;
}

function inside(b: Box, ancestor: string, layout: HostLayout): boolean {
  for (let p = b.parent; p !== null; p = layout.byId.get(p)?.parent ?? null) if (p === ancestor) return true;
  return false;
}

/**
 * A node's chips in its memory box, in rows above the bars, each row right of the memory's
 * own lines it meets (a short second line leaves more room than the first). When they do not
 * all fit, the lowest row with room for it ends in "+N floating vCPUs" ("+N" where only that
 * fits); a box with no room beside its lines (a presenter's, sized to its words) gets none.
 */
function layChips(node: number, mem: Box, list: readonly Chip[], host: Host, layout: HostLayout, mode: IndexMode): React.ReactNode[] {
  const m = layout.metrics;
  const c = chipMetrics(m);
  const [a, b] = memoryLines(host, node, mode, mem);
  // Each line's extent as the browser boxes text: ascent and descent of the sans-serif font.
  const lines = [
    { top: m.memoryLines[0] - m.font.label * 0.93, bottom: m.memoryLines[0] + m.font.label * 0.24, right: m.inset + textWidth(a, m.font.label, true) },
    { top: m.memoryLines[1] - m.font.small * 0.93, bottom: m.memoryLines[1] + m.font.small * 0.24, right: m.inset + textWidth(b, m.font.small) },
  ];
  const x1 = mem.x + mem.w - c.edge;
  // Rows stack up from the bars, so the lowest row meets only the (often short) second line.
  const rows: { x: number; y: number }[] = [];
  for (let y = mem.h - barHeight(mem, m) - 2 - c.h; y >= c.edge; y -= c.h + c.gap) {
    const met = lines.filter((l) => l.top < y + c.h && y < l.bottom);
    rows.unshift({ x: mem.x + (met.length > 0 ? Math.max(...met.map((l) => l.right)) + c.gap : c.edge), y: mem.y + y });
  }
  const widest = Math.max(...list.map((chip) => textWidth(`v${chip.row.vcpu}`, c.font, true)));
  const chipW = Math.ceil(widest) + c.padX * 2;
  const fits = (room: number) => Math.max(0, Math.floor((room + c.gap) / (chipW + c.gap)));
  const slots = rows.map((r) => fits(x1 - r.x));
  const noteW = (text: string) => Math.ceil(textWidth(text, c.font, true)) + c.padX * 2;
  let note: { row: number; long: boolean } | null = null;
  if (list.length > slots.reduce((s, n) => s + n, 0)) {
    const lowest = (text: string) => rows.findLastIndex((r) => noteW(text) <= x1 - r.x);
    const long = lowest(`+${list.length} floating vCPUs`);
    const row = long >= 0 ? long : lowest(`+${list.length}`);
    if (row >= 0) {
      note = { row, long: long >= 0 };
      slots[row] = fits(x1 - rows[row].x - noteW(`+${list.length}${note.long ? ' floating vCPUs' : ''}`) - c.gap);
    }
  }
  const shown = Math.min(list.length, slots.reduce((s, n) => s + n, 0));
  const out: React.ReactNode[] = [];
  let next = 0;
  rows.forEach((r, i) => {
    const row = list.slice(next, Math.min(shown, next + slots[i]));
    next += row.length;
    const text = note?.row === i ? `+${list.length - shown}${note.long ? ' floating vCPUs' : ''}` : null;
    const width = row.length * (chipW + c.gap) - c.gap + (text ? (row.length > 0 ? c.gap : 0) + noteW(text) : 0);
    let x = x1 - width;
    for (const { guest, row: v, swatch } of row) {
      const key = `vcpu:${guest}:${v.vcpu}`;
      out.push(
        <g key={`${key}:${node}`} className="vcpu floating" data-hover={key} data-vcpu={v.vcpu} id={`vCPU_${guest}_${v.vcpu}_on_${node}`} role="img" aria-label={`vCPU ${v.vcpu} floats on node ${node}`}>
          <rect x={x} y={r.y} width={chipW} height={c.h} rx={3} fill={swatch.fill} />
          <text x={x + chipW / 2} y={r.y + c.h / 2 + c.centre} style={{ fill: swatch.text, fontSize: c.font }} className="vcpu-text small">{`v${v.vcpu}`}</text>
        </g>,
      );
      x += chipW + c.gap;
    }
    if (text) {
      const w = noteW(text);
      out.push(
        <g key={`more:${node}`} className="vcpu floating-more" data-testid={`floating-more-${node}`} role="img" aria-label={`${list.length - shown} more floating vCPUs on node ${node}`}>
          <rect x={x} y={r.y} width={w} height={c.h} rx={3} />
          <text x={x + w / 2} y={r.y + c.h / 2 + c.centre} style={{ fontSize: c.font }} className="vcpu-text small">{text}</text>
        </g>,
      );
    }
  });
  return out;
}

interface PinnedChipProps {
  /** Its guest's layout does not fit the host drawn (GuestPanel offers "Lay out again"). */
  misfit: boolean;
  guest: number;
  vcpu: number;
  cell: number | null;
  cpu: number;
  pu: Box;
  centre: number;
  fill: string;
  text: string;
}

/** A 1:1-pinned vCPU on its PU. Its own memo: a drop moves one chip, the others keep their elements untouched. */
const PinnedChip = memo(function PinnedChip({ misfit, guest, vcpu, cell, cpu, pu, centre, fill, text }: PinnedChipProps) {
  const key = `vcpu:${guest}:${vcpu}`;
  return (
    <g className={misfit ? 'vcpu pinned misfit' : 'vcpu pinned'} data-hover={key} data-vcpu={vcpu} data-cell={cell ?? ''} id={`vCPU_${guest}_${vcpu}`} role="img" aria-label={`vCPU ${vcpu} on CPU ${cpu}`}>
      <rect x={pu.x + 2} y={pu.y + 2} width={pu.w - 4} height={pu.h - 4} rx={3} fill={fill} />
      <text x={pu.x + pu.w / 2} y={pu.y + pu.h / 2 + centre} style={{ fill: text }} className="vcpu-text">{`v${vcpu}`}</text>
    </g>
  );
});

interface MemoryBarProps {
  guest: number;
  cell: number;
  node: number;
  kib: number;
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
}

/** A guest cell's share of a node's memory. Its own memo: moving a vCPU leaves every bar as it was. */
const MemoryBar = memo(function MemoryBar({ guest, cell, node, kib, x, y, w, h, fill }: MemoryBarProps) {
  return (
    <rect className="mem-bar" data-testid={`mem-bar-${guest}-${cell}-${node}`} x={x} y={y} width={w} height={h} fill={fill}>
      <title>{`${guestName(guest)} cell ${cell}: ${Math.round(kib / 1024)} MiB on node ${node}`}</title>
    </rect>
  );
});

/** A memory bar's height: thin enough to stay under the memory box's second line. */
function barHeight(mem: Box, m: LayoutMetrics): number {
  const font = m.font.pu;
  return Math.max(2, Math.min(Math.round(font * 0.5), Math.round(mem.h - m.memoryLines[1] - m.font.small * 0.24 - 1)));
}

/**
 * The drawn guests (tab order, those with a layout: workspace-sync's) whose layout does not fit
 * `host`, as "0,2": a string, so a drop that changes nothing here renders nothing.
 */
function misfitGuests(guests: readonly GuestTab[], host: Host): string {
  return guests
    .filter((t) => t.layout !== null)
    .flatMap((t, g) => (misfitsOf(t.layout, host).length > 0 ? [g] : []))
    .join(',');
}

export const GuestOverlay = memo(function GuestOverlay({ layout, host, maps, colours }: Props) {
  // The memory box's own lines depend on the index mode, and the chips go beside them.
  const mode = useApp((s) => s.indexMode);
  // A guest laid out for another host is drawn as stale until it is laid out again.
  const stale = new Set(
    useWorkspace((s) => misfitGuests(s.guests, host))
      .split(',')
      .filter(Boolean)
      .map(Number),
  );
  if (maps.length === 0) return null;
  const tints: React.ReactNode[] = [];
  const pins: React.ReactNode[] = [];
  const bars: React.ReactNode[] = [];
  const floating = new Map<number, Chip[]>();
  const barOffset = new Map<number, number>();

  maps.forEach((map, g) => {
    const tinted = new Set<string>();
    for (const row of map.rows) {
      const sw = colours(g, row.cell);
      const key = `vcpu:${g}:${row.vcpu}`;
      if (row.pinning === '1:1' && row.current !== null) {
        const pu = layout.byId.get(`PU_${row.current}`);
        if (!pu) continue;
        pins.push(<PinnedChip key={key} guest={g} vcpu={row.vcpu} cell={row.cell} cpu={row.current} pu={pu} centre={layout.metrics.puCentre} fill={sw.fill} text={sw.text} misfit={stale.has(g)} />);
        continue;
      }
      if (row.pinning !== 'floating') continue;
      for (const node of row.cpuNodes) {
        const box = layout.byId.get(`NUMANode_${node}`);
        if (!box || !layout.byId.has(`Memory_${node}`)) continue;
        const tintKey = `${node}:${row.cell}`;
        if (!tinted.has(tintKey)) {
          tinted.add(tintKey);
          tints.push(
            <g key={`tint:${g}:${tintKey}`} className={stale.has(g) ? 'float-tint misfit' : 'float-tint'} data-testid={`float-tint-${g}-${node}`} fill={sw.fill} stroke={sw.fill}>
              <path className="tint-area" d={runnableArea(box, layout)} fillRule="evenodd" />
              <rect className="tint-edge" x={box.x} y={box.y} width={box.w} height={box.h} rx={4} />
            </g>,
          );
        }
        let list = floating.get(node);
        if (!list) floating.set(node, (list = []));
        list.push({ guest: g, row, swatch: sw });
      }
    }
    for (const share of map.memory) {
      const mem = layout.byId.get(`Memory_${share.node}`);
      const total = host.nodes.find((n) => n.id === share.node)?.memoryKiB;
      if (!mem || !total) continue;
      const span = mem.w - 4;
      const from = barOffset.get(share.node) ?? 0;
      const width = Math.min(span - from, (share.kib / total) * span);
      barOffset.set(share.node, from + width);
      const sw = colours(g, share.cell);
      const barH = barHeight(mem, layout.metrics);
      bars.push(
        <MemoryBar key={`bar:${g}:${share.cell}:${share.node}`} guest={g} cell={share.cell} node={share.node} kib={share.kib} x={mem.x + 2 + from} y={mem.y + mem.h - barH - 1} w={Math.max(1, width)} h={barH} fill={sw.fill} />,
      );
    }
  });

  const chips: React.ReactNode[] = [];
  for (const [node, list] of floating) {
    const mem = layout.byId.get(`Memory_${node}`);
    if (mem) chips.push(...layChips(node, mem, list, host, layout, mode));
  }

  return (
    <g className="guests">
      <g className="tints">{tints}</g>
      <g className="bars">{bars}</g>
      <g className="pins">{pins}</g>
      <g className="chips">{chips}</g>
    </g>
  );
});
