/**
 * The node distance matrix as a heatmap, rows = from, columns = to, exactly as the host reports
 * it (asymmetric matrices stay asymmetric). Hovering a cell lights both nodes in the host view;
 * hovering a node there lights its row here. The highlight is applied to the drawn cells by
 * class, outside React: a hover never re-renders the matrix.
 */
import { interpolateViridis } from 'd3-scale-chromatic';
import { memo, useEffect, useRef } from 'react';
import type { Host } from '../../core/host/model.ts';
import { useApp, type Highlight } from '../../state/store.ts';

const LABEL = 34;

/** Side of one cell: big enough to print the number up to ~24 nodes, the matrix ≤ ~520 px. */
function cellSize(nodes: number): number {
  return Math.max(14, Math.min(36, Math.floor(520 / nodes)));
}

/** What a distance means, for the readout: "21 (2.1× local)". */
function meaning(d: number): string {
  return d === 10 ? `${d} (local)` : `${d} (${(d / 10).toFixed(1)}× local)`;
}

export const DistanceHeatmap = memo(function DistanceHeatmap({ host }: { host: Host }) {
  const svg = useRef<SVGSVGElement>(null);
  const readout = useRef<HTMLElement>(null);
  const rowMark = useRef<SVGRectElement>(null);
  const cellMark = useRef<SVGRectElement>(null);

  useEffect(() => {
    const root = svg.current;
    const out = readout.current;
    const rowBox = rowMark.current;
    const cellBox = cellMark.current;
    if (!root || !out || !rowBox || !cellBox) return;
    // The row and cell outlines are two marks moved over the matrix: restyling a row of cells
    // would make the browser lay out and repaint every one of them.
    const cell = cellSize(host.nodes.length);
    const index = (node: number) => host.nodes.findIndex((x) => x.id === node);
    const place = (mark: SVGRectElement, at: { i: number; j: number; cols: number } | null) => {
      if (!at || at.i < 0 || at.j < 0) {
        mark.setAttribute('visibility', 'hidden');
        return;
      }
      mark.setAttribute('x', String(LABEL + at.j * cell));
      mark.setAttribute('y', String(LABEL + at.i * cell));
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
      out.title = d !== undefined ? meaning(d) : '';
    };
    apply(useApp.getState().highlight);
    return useApp.subscribe((s, prev) => {
      if (s.highlight !== prev.highlight) apply(s.highlight);
    });
  }, [host]);

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
  const cell = cellSize(n);
  const size = LABEL + cell * n;
  const showNumbers = cell >= 20;

  return (
    <div className="heatmap">
      <svg ref={svg} width={size + 4} height={size + 4} role="table" aria-label="NUMA node distances, rows from, columns to" data-testid="heatmap">
        <text x={2} y={12} className="label small">from↓ to→</text>
        {host.nodes.map((node, j) => (
          <text key={`c${node.id}`} x={LABEL + j * cell + cell / 2} y={LABEL - 8} className="heat-label" data-node={node.id} textAnchor="middle">
            {node.id}
          </text>
        ))}
        {host.nodes.map((from, i) => (
          <g key={from.id} role="row" className="heat-row" data-testid={`heat-row-${from.id}`}>
            <text x={LABEL - 6} y={LABEL + i * cell + cell / 2 + 4} textAnchor="end" className="heat-label" data-node={from.id}>
              {from.id}
            </text>
            {host.nodes.map((to, j) => {
              const d = host.distances[i]?.[j];
              if (d === undefined) return null;
              return (
                <rect
                  key={to.id}
                  role="cell"
                  aria-label={`node ${from.id} to node ${to.id}: ${meaning(d)}`}
                  data-testid={`heat-${from.id}-${to.id}`}
                  data-from={from.id}
                  data-to={to.id}
                  className="heat-cell"
                  x={LABEL + j * cell}
                  y={LABEL + i * cell}
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
                  <text key={`n${to.id}`} x={LABEL + j * cell + cell / 2} y={LABEL + i * cell + cell / 2 + 4} textAnchor="middle" style={{ fill: textColour(d) }} className="heat-num" aria-hidden="true">
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
        <p className="muted small">
          10 = local access. Other values are relative memory latency as the firmware (ACPI SLIT) reports it: 21 ≈ 2.1× local. Row = from, column = to.{' '}
          <strong data-testid="heat-readout" ref={readout} aria-live="polite" />
        </p>
      </div>
    </div>
  );
});
