/**
 * The node distance matrix as a heatmap, rows = from, columns = to, exactly as the host reports
 * it (asymmetric matrices stay asymmetric). Hovering a cell lights both nodes in the host view;
 * hovering a node there lights its row here.
 */
import { interpolateViridis } from 'd3-scale-chromatic';
import type { Host } from '../../core/host/model.ts';
import { useApp } from '../../state/store.ts';

const LABEL = 34;

export function DistanceHeatmap({ host }: { host: Host }) {
  const highlight = useApp((s) => s.highlight);
  const setHighlight = useApp((s) => s.setHighlight);
  const n = host.nodes.length;
  if (host.distances.length === 0 || n === 0) return <p className="muted">No distances in these pastes (numactl -H, hwloc XML or virsh capabilities give them).</p>;
  const values = host.distances.flat();
  const min = Math.min(...values);
  const max = Math.max(...values);
  const colour = (d: number) => interpolateViridis(1 - (max === min ? 0 : (d - min) / (max - min)) * 0.9);
  const textColour = (d: number) => ((max === min ? 0 : (d - min) / (max - min)) > 0.45 ? '#ffffff' : '#000000');
  const cell = Math.max(14, Math.min(36, Math.floor(520 / n)));
  const size = LABEL + cell * n;
  const showNumbers = cell >= 20;
  const litRow = highlight && !highlight.cell && highlight.nodes.length === 1 ? highlight.nodes[0] : null;

  return (
    <div className="heatmap">
      <svg width={size + 4} height={size + 4} role="table" aria-label="NUMA node distances, rows from, columns to" data-testid="heatmap" onPointerLeave={() => setHighlight(null)}>
        <text x={2} y={12} className="label small">from↓ to→</text>
        {host.nodes.map((node, j) => (
          <text key={`c${node.id}`} x={LABEL + j * cell + cell / 2} y={LABEL - 8} className={`heat-label${highlight?.nodes.includes(node.id) ? ' lit' : ''}`} textAnchor="middle">
            {node.id}
          </text>
        ))}
        {host.nodes.map((from, i) => (
          <g key={from.id} role="row" className={litRow === from.id ? 'heat-row lit' : 'heat-row'} data-testid={`heat-row-${from.id}`}>
            <text x={LABEL - 6} y={LABEL + i * cell + cell / 2 + 4} textAnchor="end" className={`heat-label${highlight?.nodes.includes(from.id) ? ' lit' : ''}`}>
              {from.id}
            </text>
            {host.nodes.map((to, j) => {
              const d = host.distances[i]?.[j];
              if (d === undefined) return null;
              const active = highlight?.cell?.from === from.id && highlight.cell.to === to.id;
              return (
                <g
                  key={to.id}
                  role="cell"
                  aria-label={`node ${from.id} to node ${to.id}: ${d}`}
                  data-testid={`heat-${from.id}-${to.id}`}
                  className={active ? 'heat-cell active' : 'heat-cell'}
                  onPointerEnter={() => setHighlight({ nodes: from.id === to.id ? [from.id] : [from.id, to.id], cpus: [], cell: { from: from.id, to: to.id } })}
                >
                  <rect x={LABEL + j * cell} y={LABEL + i * cell} width={cell - 1} height={cell - 1} fill={colour(d)} />
                  {showNumbers && (
                    <text x={LABEL + j * cell + cell / 2} y={LABEL + i * cell + cell / 2 + 4} textAnchor="middle" style={{ fill: textColour(d) }} className="heat-num">
                      {d}
                    </text>
                  )}
                  <title>{`node ${from.id} → node ${to.id}: ${d}${d === 10 ? ' (local)' : ` (${(d / 10).toFixed(1)}× local)`}`}</title>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      <div className="legend" data-testid="heatmap-legend">
        <div className="legend-bar" style={{ background: `linear-gradient(to right, ${colour(min)}, ${colour((min + max) / 2)}, ${colour(max)})` }} />
        <div className="legend-scale">
          <span>{min}</span>
          <span>{max}</span>
        </div>
        <p className="muted small">
          10 = local access. Other values are relative memory latency as the firmware (ACPI SLIT) reports it: 21 ≈ 2.1× local. Row = from, column = to.
          {highlight?.cell && (
            <>
              {' '}
              <strong data-testid="heat-readout">
                node {highlight.cell.from} → node {highlight.cell.to}: {host.distances[host.nodes.findIndex((x) => x.id === highlight.cell?.from)]?.[host.nodes.findIndex((x) => x.id === highlight.cell?.to)]}
              </strong>
            </>
          )}
        </p>
      </div>
    </div>
  );
}
