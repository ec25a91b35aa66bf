/**
 * The node overview beside the host view (issue 16): on hosts of OVERVIEW_MIN_NODES nodes or
 * more, whose detailed drawing folds or shrinks, one tile per node in rows by package or distance
 * (overview.ts), with a CPU bar and a memory bar per guest in the guest's cell colour, placed for
 * the width the page gives it (a strip two tiles wide beside the host view, or the page's width
 * under it). Hovering a tile lights its node in the other views, a node lit elsewhere is
 * outlined here (in a lit layer, without a render), and a click or Enter brings the node into
 * view in the host view, whole and centred.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Host } from '../../core/host/model.ts';
import { formatKiB } from '../../core/units.ts';
import { useApp, type Highlight } from '../../state/store.ts';
import { guestName, useCellColours } from '../guest/colours.ts';
import { createHover, createTooltip, keyOfTarget } from '../system/hover.ts';
import { createLitLayer } from '../system/litlayer.ts';
import { OVERVIEW_MIN_NODES, overviewRows, type NodeTile, type OverviewRow } from './overview.ts';
import { hostViews } from './views.ts';
import './NodeOverview.css';

const TILE = { w: 104, h: 46, gap: 6 };
/** A row's label above its tiles, and the padding of its frame. */
const ROW = { label: 16, pad: 6, gap: 10 };
/** Each guest's two bars: CPUs, then memory. */
const BAR = { h: 4, gap: 1 };
/** The overview's width is taken in steps of this many pixels: a few pixels of resizing place nothing anew. */
const ROOM_STEP = 8;

interface Placed {
  row: OverviewRow;
  x: number;
  y: number;
  w: number;
  h: number;
  tiles: { tile: NodeTile; x: number; y: number }[];
}

/** A tile's height: its two lines of text, then two bars for each guest. */
const tileHeight = (guests: number) => TILE.h + guests * (BAR.h * 2 + BAR.gap * 2);

/**
 * Rows as frames of tiles, side by side while they fit the room, then on the next line; a row
 * wider than the room wraps its own tiles (beside the host view, the room is two tiles wide).
 */
function place(rows: readonly OverviewRow[], guests: number, room: number): { placed: Placed[]; width: number; height: number } {
  const th = tileHeight(guests);
  const fits = Math.max(1, Math.floor((room - ROW.pad * 2 + TILE.gap) / (TILE.w + TILE.gap)));
  const placed: Placed[] = [];
  let x = 0;
  let y = 0;
  let lineH = 0;
  let width = 0;
  for (const row of rows) {
    const cols = Math.max(1, Math.min(row.tiles.length, fits));
    const lines = Math.ceil(row.tiles.length / cols);
    const w = ROW.pad * 2 + cols * TILE.w + (cols - 1) * TILE.gap;
    const h = ROW.label + ROW.pad * 2 + lines * th + (lines - 1) * TILE.gap;
    if (x > 0 && x + w > room) {
      x = 0;
      y += lineH + ROW.gap;
      lineH = 0;
    }
    const top = y + ROW.label + ROW.pad;
    placed.push({ row, x, y, w, h, tiles: row.tiles.map((tile, i) => ({ tile, x: x + ROW.pad + (i % cols) * (TILE.w + TILE.gap), y: top + Math.floor(i / cols) * (th + TILE.gap) })) });
    width = Math.max(width, x + w);
    lineH = Math.max(lineH, h);
    x += w + ROW.gap;
  }
  return { placed, width, height: y + lineH };
}

/**
 * The host view shows this node: scrolled into the page, and zoomed and panned (again after any
 * fold the move opens) until the node's box is whole and centred in it (HostViewHandle.centre).
 */
function bringIntoView(node: number): void {
  const view = hostViews()[0];
  if (!view) return;
  view.viewport.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  view.centre(`NUMANode_${node}`);
}

function tooltipOf(tile: NodeTile, row: OverviewRow): string[] {
  return [
    `node ${tile.node} · ${row.label}`,
    `${tile.cpus} CPUs${tile.memoryKiB !== null ? ` · ${formatKiB(tile.memoryKiB)}` : ''}`,
    ...tile.guests.map((g) => {
      const cpus = [g.pinnedCpus > 0 ? `${g.pinnedCpus} CPUs pinned` : '', g.floatingCpus > 0 ? `floats over ${g.floatingCpus} CPUs` : ''].filter(Boolean).join(', ');
      return `${guestName(g.guest)}: ${cpus || 'no vCPUs'} · ${g.memoryKiB > 0 ? `${formatKiB(g.memoryKiB)} bound` : 'no memory bound'}`;
    }),
  ];
}

export const NodeOverview = memo(function NodeOverview({ host }: { host: Host }) {
  const guests = useApp((s) => s.guests);
  const colours = useCellColours();
  const rows = useMemo(() => overviewRows(host, guests), [host, guests]);
  const shown = host.nodes.length >= OVERVIEW_MIN_NODES;
  // The width the overview has: two tiles beside the host view, the page's width under it.
  const [room, setRoom] = useState(0);
  const { placed, width, height } = useMemo(() => place(rows, guests.length, room), [rows, guests.length, room]);
  const tiles = useMemo(() => new Map(placed.flatMap((p) => p.tiles.map((t) => [t.tile.node, { ...t, row: p.row }] as const))), [placed]);
  // The tooltip's container, which does not scroll (a tooltip may stand out over the host view), and the tiles' scroller.
  const wrap = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const lit = useRef<SVGGElement>(null);
  const current = useRef({ tiles });
  current.current = { tiles };
  // The highlight this view set: leaving clears only it, another view may have lit something since.
  const mine = useRef<Highlight | null>(null);
  const light = (node: number) => {
    if (mine.current?.nodes[0] === node && useApp.getState().highlight === mine.current) return;
    mine.current = { nodes: [node], cpus: [] };
    useApp.getState().setHighlight(mine.current);
  };

  useLayoutEffect(() => {
    const box = scroller.current;
    if (!box) return;
    // The SVG's own 1 px of border on each side is not room for tiles.
    const measure = (w: number) => setRoom(Math.max(0, Math.floor((w - 2) / ROOM_STEP) * ROOM_STEP));
    measure(box.clientWidth);
    const observer = new ResizeObserver((entries) => measure(entries[entries.length - 1].contentRect.width));
    observer.observe(box);
    return () => observer.disconnect();
  }, [shown]);

  // Hover: a tooltip, and the node lit in the other views. Leaving clears only this view's highlight.
  useEffect(() => {
    const root = svg.current;
    const box = wrap.current;
    if (!root || !box) return;
    const tip = createTooltip(box);
    const hover = createHover(root, {
      resolve: (e) => keyOfTarget(e, 'data-node'),
      onEnter(key, e) {
        const t = current.current.tiles.get(Number(key));
        if (!t) return;
        tip.show(tooltipOf(t.tile, t.row), e);
        light(t.tile.node);
      },
      onLeave() {
        tip.hide();
        if (useApp.getState().highlight === mine.current) useApp.getState().setHighlight(null);
      },
      onMove: (e) => tip.move(e),
    });
    return () => {
      hover.destroy();
      tip.destroy();
    };
  }, [shown]);

  // Nodes lit by any view are outlined here, in the lit layer: no render of the tiles.
  useEffect(() => {
    const group = lit.current;
    if (!group) return;
    const layer = createLitLayer(group);
    const apply = (h: Highlight | null) =>
      layer.set(
        (h?.nodes ?? []).flatMap((n) => {
          const t = tiles.get(n);
          return t ? [{ box: `NUMANode_${n}`, x: t.x, y: t.y, w: TILE.w, h: tileHeight(guests.length), className: 'lit-mark' }] : [];
        }),
      );
    apply(useApp.getState().highlight);
    return useApp.subscribe((s, prev) => {
      if (s.highlight !== prev.highlight) apply(s.highlight);
    });
  }, [tiles, guests.length]);

  if (!shown) return null;
  const activate = (e: React.SyntheticEvent) => {
    const key = keyOfTarget(e.nativeEvent, 'data-node');
    if (key === null) return;
    light(Number(key));
    bringIntoView(Number(key));
  };
  const th = tileHeight(guests.length);
  return (
    <div className="node-overview" ref={wrap} data-testid="node-overview">
      <h3 className="node-overview-title">Nodes at a glance</h3>
      <div className="node-overview-tiles" ref={scroller}>
        <svg
          ref={svg}
          width={width + 2}
          height={height + 2}
          viewBox={`-1 -1 ${width + 2} ${height + 2}`}
          role="group"
          aria-label={`${host.nodes.length} NUMA nodes in ${rows.length} groups: choose one to bring it into view`}
          onClick={activate}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' && e.key !== ' ') return;
            activate(e);
            e.preventDefault();
          }}
        >
          {placed.map((p) => (
            <g key={p.row.label} className="overview-row" data-testid="overview-row">
              <rect className="overview-frame" x={p.x} y={p.y} width={p.w} height={p.h} rx={4} />
              <text className="overview-label" x={p.x + ROW.pad} y={p.y + 12}>
                {p.row.label}
              </text>
              {p.tiles.map(({ tile, x, y }) => (
                <g key={tile.node} className="overview-tile" data-node={tile.node} data-testid={`overview-tile-${tile.node}`} role="button" tabIndex={0} aria-label={tooltipOf(tile, p.row).join('; ')}>
                  <rect className="overview-tile-box" x={x} y={y} width={TILE.w} height={th} rx={3} />
                  <text className="overview-node" x={x + 5} y={y + 15}>
                    {`node ${tile.node}`}
                  </text>
                  <text className="overview-size" x={x + 5} y={y + 30}>
                    {`${tile.cpus} CPUs${tile.memoryKiB !== null ? ` · ${formatKiB(tile.memoryKiB)}` : ''}`}
                  </text>
                  {guests.map((_, g) => {
                    const share = tile.guests.find((s) => s.guest === g);
                    if (!share) return null;
                    const fill = colours(g, share.cells[0] ?? null).fill;
                    const by = y + TILE.h - 6 + g * (BAR.h * 2 + BAR.gap * 2);
                    const inner = TILE.w - 10;
                    const cpuShare = tile.cpus > 0 ? Math.min(1, (share.pinnedCpus + share.floatingCpus) / tile.cpus) : 0;
                    const memShare = tile.memoryKiB ? Math.min(1, share.memoryKiB / tile.memoryKiB) : 0;
                    return (
                      <g key={g} data-testid={`overview-bars-${tile.node}-${g}`} data-guest={g}>
                        <rect className="overview-bar-track" x={x + 5} y={by} width={inner} height={BAR.h} />
                        <rect className="overview-bar cpu" data-testid="overview-cpu-bar" x={x + 5} y={by} width={Math.max(share.pinnedCpus + share.floatingCpus > 0 ? 1 : 0, inner * cpuShare)} height={BAR.h} fill={fill} />
                        <rect className="overview-bar-track" x={x + 5} y={by + BAR.h + BAR.gap} width={inner} height={BAR.h} />
                        <rect className="overview-bar memory" data-testid="overview-memory-bar" x={x + 5} y={by + BAR.h + BAR.gap} width={Math.max(share.memoryKiB > 0 ? 1 : 0, inner * memShare)} height={BAR.h} fill={fill} opacity={0.65} />
                      </g>
                    );
                  })}
                </g>
              ))}
            </g>
          ))}
          <g ref={lit} className="lit-marks" aria-hidden="true" />
        </svg>
      </div>
      <p className="muted small">Upper bar: a guest's vCPUs on the node's CPUs; lower bar: the memory it binds there.</p>
    </div>
  );
});

