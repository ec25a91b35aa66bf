/** A plain account of the merged host: machine, counts, nodes, distances and PCI locality. */
import { useState } from 'react';
import type { HugepageFact } from '../core/host/facts.ts';
import { nodeCpusText } from '../core/host/locality.ts';
import type { Host, PciDevice } from '../core/host/model.ts';
import { formatKiB } from '../core/units.ts';
import { useApp } from '../state/store.ts';

export function HostSummary() {
  const host = useApp((s) => s.host);
  if (!host || (host.nodes.length === 0 && host.cpus.length === 0 && host.pci.length === 0)) return null;
  return (
    <section className="panel" aria-labelledby="host-title">
      <h2 id="host-title">Host</h2>
      <MachineLine host={host} />
      <Counts host={host} />
      {host.nodes.length > 0 && <NodesTable host={host} />}
      {host.distances.length > 0 && <DistanceMatrix host={host} />}
      {host.pci.length > 0 && <PciTable devices={host.pci} />}
    </section>
  );
}

function MachineLine({ host }: { host: Host }) {
  const { model, arch, vendor, hostname } = host.machine;
  const parts = [model ?? vendor, arch, hostname && `host ${hostname}`].filter(Boolean);
  return (
    <p className="machine" data-testid="machine-line">
      {parts.length > 0 ? parts.join(' · ') : 'Machine model not given by these pastes'}
    </p>
  );
}

function Counts({ host }: { host: Host }) {
  const online = host.cpus.filter((c) => c.online).length;
  const items: [string, string, string][] = [
    ['packages', 'Packages', String(host.packages.length)],
    ['nodes', 'NUMA nodes', String(host.nodes.length)],
    ['cores', 'Cores', String(host.cores.length)],
    ['cpus', 'CPUs online / total', `${online} / ${host.cpus.length}`],
  ];
  return (
    <dl className="counts">
      {items.map(([id, label, value]) => (
        <div key={id} className="count">
          <dt>{label}</dt>
          <dd data-testid={`count-${id}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function NodesTable({ host }: { host: Host }) {
  const nodes = host.nodes;
  return (
    <div className="table-wrap">
      <table className="nodes">
        <caption>NUMA nodes</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Kind</th>
            <th scope="col">CPUs</th>
            <th scope="col" className="num">
              # CPUs
            </th>
            <th scope="col" className="num">
              Memory
            </th>
            <th scope="col" className="num">
              Free
            </th>
            <th scope="col">Huge pages</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr key={n.id} data-testid={`node-row-${n.id}`}>
              <th scope="row">{n.id}</th>
              <td>
                {n.kind}
                {n.subtype ? ` (${n.subtype})` : ''}
              </td>
              <td className="cpulist" data-testid="node-cpus">
                {nodeCpusText(host, n.id, '—')}
              </td>
              <td className="num">{n.cpus.length}</td>
              <td className="num" data-testid="node-memory">
                {n.memoryKiB === null ? '—' : formatKiB(n.memoryKiB)}
              </td>
              <td className="num">{n.freeKiB === null ? '—' : formatKiB(n.freeKiB)}</td>
              <td>{formatHugepages(n.hugepages)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function formatHugepages(pages: HugepageFact[]): string {
  const used = pages.filter((p) => p.total > 0 || (p.free ?? 0) > 0);
  if (used.length === 0) return pages.length > 0 ? 'none reserved' : '—';
  return used
    .map((p) => `${p.total} × ${formatKiB(p.sizeKiB)}${p.free === undefined ? '' : ` (${p.free} free)`}`)
    .join(', ');
}

/**
 * 10 is local; the further a value is from it, the warmer and darker its cell. The scale reaches
 * its darkest at the matrix's own largest value (at least 40), so big machines with distances up
 * to 80 still show their tiers apart, while a plain 10/21 host does not look alarming.
 */
function distanceColour(value: number, local: boolean, far: number): string {
  if (local) return 'hsl(210 30% 94%)';
  const t = Math.min(1, Math.max(0, (value - 10) / (far - 10)));
  return `hsl(${Math.round(50 - 45 * t)} 85% ${Math.round(88 - 28 * t)}%)`;
}

function DistanceMatrix({ host }: { host: Host }) {
  const ids = host.nodes.map((n) => n.id);
  const far = Math.max(40, ...host.distances.flat());
  return (
    <div className="table-wrap">
      <table className={ids.length > 12 ? 'distances compact' : 'distances'} data-testid="distance-matrix">
        <caption>Node distances (ACPI SLIT: 10 = local, larger = further)</caption>
        <thead>
          <tr>
            <th scope="col">from ↓ to →</th>
            {ids.map((id) => (
              <th key={id} scope="col">
                {id}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {host.distances.map((row, i) => (
            <tr key={ids[i] ?? i}>
              <th scope="row">{ids[i] ?? i}</th>
              {row.map((value, j) => (
                <td
                  key={j}
                  data-testid={`distance-${ids[i]}-${ids[j]}`}
                  style={{ background: distanceColour(value, i === j, far) }}
                  title={`node ${ids[i]} → node ${ids[j]}: ${value}`}
                >
                  {value}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PciTable({ devices }: { devices: PciDevice[] }) {
  const [showBridges, setShowBridges] = useState(false);
  const bridges = devices.filter((d) => d.isBridge).length;
  const shown = showBridges ? devices : devices.filter((d) => !d.isBridge);
  return (
    <div className="table-wrap">
      <table className="pci" data-testid="pci-table">
        <caption>
          PCI devices ({devices.length - bridges} devices, {bridges} bridges)
          {bridges > 0 && (
            <label className="caption-toggle">
              <input type="checkbox" checked={showBridges} onChange={(e) => setShowBridges(e.target.checked)} /> show
              bridges
            </label>
          )}
        </caption>
        <thead>
          <tr>
            <th scope="col">BDF</th>
            <th scope="col">Class</th>
            <th scope="col">Vendor / device</th>
            <th scope="col" className="num">
              Node
            </th>
            <th scope="col">Link</th>
            <th scope="col">OS devices</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((d) => (
            <tr key={d.bdf} data-testid={`pci-row-${d.bdf}`} className={d.isBridge ? 'bridge' : undefined}>
              <td className="mono">{d.bdf}</td>
              <td>{d.className ?? d.classCode ?? '—'}</td>
              <td>{vendorDevice(d)}</td>
              <td className="num" data-testid="pci-node">
                {d.node === null ? '—' : d.node}
              </td>
              <td className="nowrap">{d.link ?? ''}</td>
              <td>{d.osDevices.map((o) => o.name).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function vendorDevice(d: PciDevice): string {
  const vendor = d.vendor ?? d.vendorId;
  const device = d.device ?? d.deviceId;
  const ids = d.vendorId && d.deviceId ? ` [${d.vendorId}:${d.deviceId}]` : '';
  if (!vendor && !device) return '—';
  return `${[vendor, device].filter(Boolean).join(' ')}${d.vendor || d.device ? ids : ''}`;
}
