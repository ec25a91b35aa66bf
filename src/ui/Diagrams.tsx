/** The diagrams: host view, then distances, PCI locality and the guests' affinity maps. */
import { useApp } from '../state/store.ts';
import { AffinityPanel } from './guest/AffinityPanel.tsx';
import { DistanceHeatmap } from './host/DistanceHeatmap.tsx';
import { HostView } from './host/HostView.tsx';
import { PciTree } from './host/PciTree.tsx';
import './diagrams.css';

export function Diagrams() {
  const host = useApp((s) => s.host);
  const guests = useApp((s) => s.guests);
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  if (!host || (host.nodes.length === 0 && host.cpus.length === 0 && host.pci.length === 0)) return null;
  const drawable = host.nodes.length > 0 || host.cpus.length > 0;
  return (
    <section className="diagrams" aria-labelledby="diagrams-title" data-testid="diagrams">
      {drawable && (
        <div className="panel">
          <div className="panel-head">
            <h2 id="diagrams-title">Topology</h2>
            <button type="button" onClick={() => setTheme(theme === 'light' ? 'dark' : 'light')} data-testid="theme" aria-pressed={theme === 'dark'}>
              {theme === 'light' ? 'Dark theme' : 'Light theme'}
            </button>
          </div>
          <HostView host={host} />
        </div>
      )}
      <div className="diagram-row">
        <div className="panel">
          <h2>Distances</h2>
          <DistanceHeatmap host={host} />
        </div>
        <div className="panel grow">
          <h2>PCI locality</h2>
          <PciTree host={host} />
        </div>
      </div>
      {guests.length > 0 && (
        <div className="panel">
          <h2>Affinity map</h2>
          <AffinityPanel host={host} />
        </div>
      )}
    </section>
  );
}
