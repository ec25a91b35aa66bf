/**
 * The diagrams. The host view stands in the workbench beside the guest panel (App.tsx), so a
 * vCPU can be dragged from one to the other, with the node overview of a many-node host beside
 * it (below it in a narrow window); the guests' affinity maps, the distances and PCI locality
 * follow below.
 */
import { memo } from 'react';
import type { Host } from '../core/host/model.ts';
import { useApp } from '../state/store.ts';
import { AffinityPanel } from './guest/AffinityPanel.tsx';
import { DistanceHeatmap } from './host/DistanceHeatmap.tsx';
import { HostView } from './host/HostView.tsx';
import { NodeOverview } from './host/NodeOverview.tsx';
import { OVERVIEW_MIN_NODES } from './host/overview.ts';
import { PciTree } from './host/PciTree.tsx';
import { ProblemsBadge } from './ProblemsBadge.tsx';
import './diagrams.css';

/** A host worth drawing diagrams of (some pastes say nothing about CPUs, nodes or PCI). */
export function diagrammable(host: Host | null): host is Host {
  return !!host && (host.nodes.length > 0 || host.cpus.length > 0 || host.pci.length > 0);
}

/** A host with CPUs or nodes to draw in the host view. */
export function drawable(host: Host | null): host is Host {
  return !!host && (host.nodes.length > 0 || host.cpus.length > 0);
}

export function Topology() {
  const host = useApp((s) => s.host);
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  if (!drawable(host)) return null;
  return (
    <section className="panel topology" aria-labelledby="diagrams-title" data-testid="topology">
      <div className="panel-head">
        <h2 id="diagrams-title">Topology</h2>
        <button type="button" onClick={() => setTheme(theme === 'light' ? 'dark' : 'light')} data-testid="theme" aria-pressed={theme === 'dark'}>
          {theme === 'light' ? 'Dark theme' : 'Light theme'}
        </button>
      </div>
      <ProblemsBadge />
      <div className={host.nodes.length >= OVERVIEW_MIN_NODES ? 'topology-body with-overview' : 'topology-body'}>
        <HostView host={host} />
        <NodeOverview host={host} />
      </div>
    </section>
  );
}

export function Diagrams() {
  const host = useApp((s) => s.host);
  const hasGuests = useApp((s) => s.guests.length > 0);
  if (!diagrammable(host)) return null;
  return (
    <section className="diagrams" aria-label="Affinity, distances and PCI locality" data-testid="diagrams">
      {hasGuests && (
        <div className="panel">
          <h2>Affinity map</h2>
          <AffinityPanel host={host} />
        </div>
      )}
      <HostDiagrams host={host} />
    </section>
  );
}

/** What depends on the host alone: a drop must not draw the distances and a PCI tree again. */
const HostDiagrams = memo(function HostDiagrams({ host }: { host: Host }) {
  return (
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
  );
});
