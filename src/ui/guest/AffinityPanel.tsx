/**
 * The affinity map: vCPU × host CPU grouped by node, X where a vCPU may run, * on the CPU it is
 * pinned to; copied as text (the grid, or `virsh vcpuinfo`). The data comes from core.
 */
import { useMemo, useState } from 'react';
import { affinityGrid, affinityMap, MARK_CURRENT, rowMarks, vcpuinfoText, type AffinityMap } from '../../core/emit/affinity.ts';
import { formatIdList } from '../../core/cpuset.ts';
import type { Host } from '../../core/host/model.ts';
import { useApp } from '../../state/store.ts';
import { cellColours, guestName, type GuestColours } from './colours.ts';

export function AffinityPanel({ host }: { host: Host }) {
  const guests = useApp((s) => s.guests);
  const maps = useMemo(() => guests.map((g) => affinityMap(host, g)), [host, guests]);
  const colours = useMemo(() => cellColours(guests), [guests]);
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
  const setHighlight = useApp((s) => s.setHighlight);
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
        <table className="aff-grid" aria-label={`Affinity of ${guestName(guest)}: vCPU by host CPU`}>
          <thead>
            <tr>
              <th scope="col">vCPU</th>
              <th scope="col">cell</th>
              {map.groups.map((gr) => (
                <th key={String(gr.node)} scope="col" className="aff-node">
                  {gr.node === null ? 'no node' : `node ${gr.node}`}
                  <div className="aff-cpus">{formatIdList(gr.cpus)}</div>
                </th>
              ))}
              <th scope="col">distance</th>
            </tr>
          </thead>
          <tbody>
            {map.rows.map((row) => {
              const sw = colours(guest, row.cell);
              return (
                <tr
                  key={row.vcpu}
                  data-testid="aff-row"
                  className={row.online ? undefined : 'offline'}
                  onPointerEnter={() => setHighlight({ nodes: row.memoryNodes, cpus: row.cpus })}
                  onPointerLeave={() => setHighlight(null)}
                >
                  <th scope="row">
                    <span className="swatch" style={{ background: sw.fill }} aria-hidden="true" />
                    {row.vcpu}
                  </th>
                  <td>{row.cell ?? '-'}</td>
                  {rowMarks(map, row).map((marks, i) => (
                    <td key={i} className="aff-marks">
                      {marks.split(MARK_CURRENT).map((part, j) => (
                        <span key={j}>
                          {j > 0 && <b className="aff-current">{MARK_CURRENT}</b>}
                          {part}
                        </span>
                      ))}
                    </td>
                  ))}
                  <td className={row.distance !== null && row.distance > 10 ? 'remote' : undefined}>{row.distance ?? '?'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        {MARK_CURRENT} pinned (runs there) · X may run there · - may not. Distance: worst host distance between where the vCPU runs and its cell's memory.
        {map.emulator.length > 0 && ` Emulator threads: CPUs ${formatIdList(map.emulator)}.`}
      </p>
    </section>
  );
}
