/**
 * The node distance matrix as a heatmap, rows = from, columns = to, exactly as the host reports
 * it (asymmetric matrices stay asymmetric). Hovering a cell lights both nodes in the host view;
 * hovering a node there lights its row here. The highlight is applied to the drawn cells by
 * class, outside React: a hover never re-renders the matrix. The caption speaks of this host's own
 * distances (heatmap-caption.ts). Given `fit`, the presenter's room and type size, the matrix
 * fills that room with numbers and labels at least that large instead of the page's small print.
 */
import { interpolateViridis } from 'd3-scale-chromatic';
import { memo, useEffect, useMemo, useRef } from 'react';
import type { Host } from '../../core/host/model.ts';
import { useApp, type Highlight } from '../../state/store.ts';
import { distanceMeaning, distanceSummary, heatmapCaption } from '../heatmap-caption.ts';

/** Room to draw in and the smallest type allowed there (the presenter's scene). */
export interface HeatmapFit {
  width: number;
  height: number;
  type: number;
}

/** Share of the room's width the matrix may take: the legend and caption stand beside it. */
const FIT_MATRIX_SHARE = 0.6;

interface Geometry {
  /** Width of the row labels. */
  left: number;
  /** Height of the corner note and the column labels above the matrix. */
  top: number;
  cell: number;
  width: number;
  height: number;
  /** Font sizes in px, or undefined where the page's stylesheet decides (11 px). */
  noteType?: number;
  labelType?: number;
  numberType?: number;
  showNumbers: boolean;
  /** Every how many nodes a label is drawn: 1 unless the cells are narrower than a label. */
  labelEvery: number;
}

/**
 * On the page: cells big enough to print the number up to ~24 nodes, the matrix ≤ ~520 px. Fitted:
 * the largest square the room holds, labels and numbers at least `type` pixels, numbers left out
 * (and labels thinned) only where a cell is too small to hold them at that size.
 */
function geometryOf(nodes: number, digits: number, fit?: HeatmapFit): Geometry {
  if (!fit) {
    const cell = Math.max(14, Math.min(36, Math.floor(520 / nodes)));
    return { left: 34, top: 34, cell, width: 34 + cell * nodes, height: 34 + cell * nodes, showNumbers: cell >= 20, labelEvery: 1 };
  }
  const room = Math.min(fit.height, fit.width * FIT_MATRIX_SHARE) - 4;
  const guess = Math.floor((room - fit.type * 4) / nodes);
  // Two-digit distances and node ids are ~1.2 em wide: the type grows with the cell, up to 2.5×.
  const numberType = Math.max(fit.type, Math.min(fit.type * 2.5, Math.floor(guess * 0.42)));
  const labelType = Math.max(fit.type, Math.min(fit.type * 1.6, Math.floor(guess * 0.5)));
  const left = Math.ceil(labelType * 2.2);
  const top = Math.ceil(fit.type * 1.5 + labelType * 1.3);
  const cell = Math.max(1, Math.floor((room - Math.max(left, top)) / nodes));
  return {
    left,
    top,
    cell,
    width: left + cell * nodes,
    height: top + cell * nodes,
    noteType: fit.type,
    labelType,
    numberType,
    // A digit is ~0.62 em wide in the UI's sans-serif; a few pixels of cell around the number.
    showNumbers: cell >= Math.max(digits * 0.62 * numberType + 6, numberType * 1.2),
    labelEvery: Math.max(1, Math.ceil((labelType * 1.4) / cell)),
  };
}

/** An inline font size where the geometry sets one (it must win over the page's 11 px). */
function typeStyle(px: number | undefined): React.CSSProperties | undefined {
  return px === undefined ? undefined : { fontSize: `${px}px` };
}

export const DistanceHeatmap = memo(function DistanceHeatmap({ host, fit }: { host: Host; fit?: HeatmapFit }) {
  const svg = useRef<SVGSVGElement>(null);
  const readout = useRef<HTMLElement>(null);
  const rowMark = useRef<SVGRectElement>(null);
  const cellMark = useRef<SVGRectElement>(null);
  const digits = useMemo(() => Math.max(1, ...host.distances.flat().map((d) => String(d).length)), [host]);
  const geometry = useMemo(() => geometryOf(host.nodes.length, digits, fit), [host.nodes.length, digits, fit]);
  const summary = useMemo(() => distanceSummary(host.nodes.map((n) => n.id), host.distances), [host]);

  useEffect(() => {
    const root = svg.current;
    const out = readout.current;
    const rowBox = rowMark.current;
    const cellBox = cellMark.current;
    if (!root || !out || !rowBox || !cellBox) return;
    // The row and cell outlines are two marks moved over the matrix: restyling a row of cells
    // would make the browser lay out and repaint every one of them.
    const { cell, left, top } = geometry;
    const index = (node: number) => host.nodes.findIndex((x) => x.id === node);
    const place = (mark: SVGRectElement, at: { i: number; j: number; cols: number } | null) => {
      if (!at || at.i < 0 || at.j < 0) {
        mark.setAttribute('visibility', 'hidden');
        return;
      }
      mark.setAttribute('x', String(left + at.j * cell));
      mark.setAttribute('y', String(top + at.i * cell));
      mark.setAttribute('width', String(cell * at.cols - 1));
      mark.setAttribute('height', String(cell - 1));
      mark.setAttribute('visibility', 'visible');
    };
    const lit: Element[] = [];
    const apply = (h: Highlight | null) => {
      for (const el of lit) el.classList.remove('lit', 'active');
      lit.length = 0;
      const mark = (selector: string, cls: string) => {
        for (const el of root.querySelectorAll(selector)) {
          el.classList.add(cls);
          lit.push(el);
        }
      };
      for (const n of h?.nodes ?? []) mark(`.heat-label[data-node="${n}"]`, 'lit');
      if (h && !h.cell && h.nodes.length === 1) mark(`[data-testid="heat-row-${h.nodes[0]}"]`, 'lit');
      if (h?.cell) mark(`[data-testid="heat-${h.cell.from}-${h.cell.to}"]`, 'active');
      place(rowBox, h && !h.cell && h.nodes.length === 1 ? { i: index(h.nodes[0]), j: 0, cols: host.nodes.length } : null);
      place(cellBox, h?.cell ? { i: index(h.cell.from), j: index(h.cell.to), cols: 1 } : null);
      const i = h?.cell ? host.nodes.findIndex((x) => x.id === h.cell?.from) : -1;
      const j = h?.cell ? host.nodes.findIndex((x) => x.id === h.cell?.to) : -1;
      const d = host.distances[i]?.[j];
      out.textContent = h?.cell && d !== undefined ? `node ${h.cell.from} → node ${h.cell.to}: ${d}` : '';
      out.title = d !== undefined ? distanceMeaning(d, summary.local) : '';
    };
    apply(useApp.getState().highlight);
    return useApp.subscribe((s, prev) => {
      if (s.highlight !== prev.highlight) apply(s.highlight);
    });
  }, [host, geometry, summary]);

  // One listener for the whole matrix: the cell under the pointer says which nodes it joins.
  useEffect(() => {
    const root = svg.current;
    if (!root) return;
    let mine: Highlight | null = null;
    const over = (e: Event) => {
      const cell = (e.target as Element).closest('[data-from]');
      if (!cell) return;
      const from = Number(cell.getAttribute('data-from'));
      const to = Number(cell.getAttribute('data-to'));
      mine = { nodes: from === to ? [from] : [from, to], cpus: [], cell: { from, to } };
      useApp.getState().setHighlight(mine);
    };
    // Only the highlight this matrix set is cleared: another view may have lit something since.
    const leave = () => {
      if (useApp.getState().highlight === mine) useApp.getState().setHighlight(null);
    };
    root.addEventListener('pointerover', over);
    root.addEventListener('pointerleave', leave);
    return () => {
      root.removeEventListener('pointerover', over);
      root.removeEventListener('pointerleave', leave);
    };
  }, [host]);

  const n = host.nodes.length;
  if (host.distances.length === 0 || n === 0) return <p className="muted">No distances in these pastes (numactl -H, hwloc XML or virsh capabilities give them).</p>;
  const values = host.distances.flat();
  const min = Math.min(...values);
  const max = Math.max(...values);
  const colour = (d: number) => interpolateViridis(1 - (max === min ? 0 : (d - min) / (max - min)) * 0.9);
  const textColour = (d: number) => ((max === min ? 0 : (d - min) / (max - min)) > 0.45 ? '#ffffff' : '#000000');
  const { left, top, cell, width, height, showNumbers, labelEvery } = geometry;
  // Text baselines sit ~0.35 em below a cell's middle to centre the digits in it.
  const numberBaseline = (geometry.numberType ?? 11) * 0.35;
  const labelBaseline = (geometry.labelType ?? 11) * 0.35;
  const labelled = (i: number) => i % labelEvery === 0;

  return (
    <div className="heatmap">
      <svg ref={svg} width={width + 4} height={height + 4} role="table" aria-label="NUMA node distances, rows from, columns to" data-testid="heatmap">
        <text x={2} y={geometry.noteType ?? 12} className="label small" style={typeStyle(geometry.noteType)}>
          from↓ to→
        </text>
        {host.nodes.map((node, j) =>
          labelled(j) ? (
            <text key={`c${node.id}`} x={left + j * cell + cell / 2} y={top - labelBaseline * 1.6} className="heat-label" data-node={node.id} textAnchor="middle" style={typeStyle(geometry.labelType)}>
              {node.id}
            </text>
          ) : null,
        )}
        {host.nodes.map((from, i) => (
          <g key={from.id} role="row" className="heat-row" data-testid={`heat-row-${from.id}`}>
            {labelled(i) && (
              <text x={left - 6} y={top + i * cell + cell / 2 + labelBaseline} textAnchor="end" className="heat-label" data-node={from.id} style={typeStyle(geometry.labelType)}>
                {from.id}
              </text>
            )}
            {host.nodes.map((to, j) => {
              const d = host.distances[i]?.[j];
              if (d === undefined) return null;
              return (
                <rect
                  key={to.id}
                  role="cell"
                  aria-label={`node ${from.id} to node ${to.id}: ${distanceMeaning(d, summary.local)}`}
                  data-testid={`heat-${from.id}-${to.id}`}
                  data-from={from.id}
                  data-to={to.id}
                  className="heat-cell"
                  x={left + j * cell}
                  y={top + i * cell}
                  width={cell - 1}
                  height={cell - 1}
                  fill={colour(d)}
                />
              );
            })}
            {showNumbers &&
              host.nodes.map((to, j) => {
                const d = host.distances[i]?.[j];
                return d === undefined ? null : (
                  <text
                    key={`n${to.id}`}
                    x={left + j * cell + cell / 2}
                    y={top + i * cell + cell / 2 + numberBaseline}
                    textAnchor="middle"
                    style={{ ...typeStyle(geometry.numberType), fill: textColour(d) }}
                    className="heat-num"
                    aria-hidden="true"
                  >
                    {d}
                  </text>
                );
              })}
          </g>
        ))}
        <rect ref={rowMark} className="heat-mark" visibility="hidden" aria-hidden="true" />
        <rect ref={cellMark} className="heat-mark" visibility="hidden" aria-hidden="true" />
      </svg>
      <div className="legend" data-testid="heatmap-legend">
        <div className="legend-bar" style={{ background: `linear-gradient(to right, ${colour(min)}, ${colour((min + max) / 2)}, ${colour(max)})` }} />
        <div className="legend-scale">
          <span>{min}</span>
          <span>{max}</span>
        </div>
        <p className="muted small" data-testid="heat-caption">
          {heatmapCaption(summary)} <strong data-testid="heat-readout" ref={readout} aria-live="polite" />
        </p>
      </div>
    </div>
  );
});
