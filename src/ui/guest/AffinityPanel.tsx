/**
 * The affinity map: vCPU × host CPU grouped by node, X where a vCPU may run, * on the CPU it is
 * pinned to; copied as text (the grid, or `virsh vcpuinfo`). The data comes from core.
 */
import { memo, useMemo, useState } from 'react';
import { affinityGrid, groupWidth, MARK_CURRENT, rowMarks, vcpuinfoText, type AffinityGroup, type AffinityMap, type AffinityRow } from '../../core/emit/affinity.ts';
import { formatIdList } from '../../core/cpuset.ts';
import type { Host } from '../../core/host/model.ts';
import { useApp } from '../../state/store.ts';
import { guestName, useCellColours, type GuestColours } from './colours.ts';
import { guestMaps } from './maps.ts';

export function AffinityPanel({ host }: { host: Host }) {
  const guests = useApp((s) => s.guests);
  const maps = useMemo(() => guestMaps(host, guests), [host, guests]);
  const colours = useCellColours();
  if (guests.length === 0) return <p className="muted">No guest laid out on this host yet.</p>;
  return (
    <div className="affinity">
      {maps.map((map, g) => (
        <GuestAffinity key={g} guest={g} map={map} host={host} colours={colours} />
      ))}
    </div>
  );
}

function GuestAffinity({ guest, map, host, colours }: { guest: number; map: AffinityMap; host: Host; colours: GuestColours }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (kind: 'grid' | 'vcpuinfo') => {
    const text = kind === 'grid' ? affinityGrid(map) : vcpuinfoText(map, host);
    try {
      await navigator.clipboard.writeText(text);
      setCopied(kind === 'grid' ? 'Grid copied' : 'virsh vcpuinfo copied');
    } catch {
      setCopied('The browser refused the clipboard: select the text below instead');
    }
  };
  return (
    <section className="affinity-guest" data-testid={`affinity-${guest}`}>
      <div className="panel-head">
        <h3>{guestName(guest)}: {map.rows.length} vCPUs</h3>
        <div className="toolbar">
          <button type="button" onClick={() => void copy('grid')} data-testid="copy-grid">
            Copy grid
          </button>
          <button type="button" onClick={() => void copy('vcpuinfo')}>
            Copy as virsh vcpuinfo
          </button>
          {copied && <span className="muted small" role="status">{copied}</span>}
        </div>
      </div>
      <div className="aff-scroll">
        <div className="aff-grid" role="table" aria-label={`Affinity of ${guestName(guest)}: vCPU by host CPU`} style={columnWidths(map)}>
          <AffinityHead groups={map.groups} />
          <div role="rowgroup">
            {map.rows.map((row) => (
              <AffinityRowView key={row.vcpu} row={row} groups={map.groups} fill={colours(guest, row.cell).fill} />
            ))}
          </div>
        </div>
      </div>
      <p className="muted small">
        {MARK_CURRENT} pinned (runs there) · X may run there · - may not. Distance: worst host distance between where the vCPU runs and its cell's memory.
        {map.emulator.length > 0 && ` Emulator threads: CPUs ${formatIdList(map.emulator)}.`}
      </p>
    </section>
  );
}

/**
 * The grid is a monospace character grid, so each column is as wide as its marks: widths set
 * once per map as custom properties. Rows are laid out each on its own, not as a table that
 * lays out every row again when one changes — a drop changes one row.
 */
function columnWidths(map: AffinityMap): React.CSSProperties {
  const widths: Record<string, string> = {
    '--aff-vcpu': `${String(Math.max(0, map.rows.length - 1)).length + 3}ch`,
    '--aff-cell': `${Math.max(4, ...map.rows.map((r) => String(r.cell ?? '-').length))}ch`,
  };
  map.groups.forEach((g, i) => {
    widths[`--aff-g${i}`] = `${Math.max(groupWidth(g), 6)}ch`;
  });
  return widths as React.CSSProperties;
}

/** The column heads: a node's CPUs per group. The groups stay the same object while the host's nodes do (maps.ts). */
const AffinityHead = memo(function AffinityHead({ groups }: { groups: readonly AffinityGroup[] }) {
  return (
    <div role="rowgroup" className="aff-head">
      <div role="row" className="aff-row">
        <div role="columnheader" className="aff-vcpu">vCPU</div>
        <div role="columnheader" className="aff-cell">cell</div>
        {groups.map((gr, i) => (
          <div role="columnheader" key={String(gr.node)} className="aff-node" style={{ width: `var(--aff-g${i})` }}>
            {gr.node === null ? 'no node' : `node ${gr.node}`}
            <div className="aff-cpus">{formatIdList(gr.cpus)}</div>
          </div>
        ))}
        <div role="columnheader" className="aff-distance">distance</div>
      </div>
    </div>
  );
});

/** One vCPU's row; memoised, and handed the same row object when a drop left it as it was (maps.ts). */
const AffinityRowView = memo(function AffinityRowView({ row, groups, fill }: { row: AffinityRow; groups: AffinityGroup[]; fill: string }) {
  const setHighlight = useApp((s) => s.setHighlight);
  return (
    <div
      role="row"
      data-testid="aff-row"
      className={row.online ? 'aff-row' : 'aff-row offline'}
      onPointerEnter={() => setHighlight({ nodes: row.memoryNodes, cpus: row.cpus })}
      onPointerLeave={() => setHighlight(null)}
    >
      <div role="rowheader" className="aff-vcpu">
        <span className="swatch" style={{ background: fill }} aria-hidden="true" />
        {row.vcpu}
      </div>
      <div role="cell" className="aff-cell">{row.cell ?? '-'}</div>
      {rowMarks({ groups }, row).map((marks, i) => (
        <div role="cell" key={i} className="aff-marks" style={{ width: `var(--aff-g${i})` }}>
          {marks.split(MARK_CURRENT).map((part, j) => (
            <span key={j}>
              {j > 0 && <b className="aff-current">{MARK_CURRENT}</b>}
              {part}
            </span>
          ))}
        </div>
      ))}
      <div role="cell" className={row.distance !== null && row.distance > 10 ? 'aff-distance remote' : 'aff-distance'}>{row.distance ?? '?'}</div>
    </div>
  );
});
