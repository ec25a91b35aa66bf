/**
 * The lstopo-grade host view: boxes from layoutHost() drawn as flat SVG (parents first) on a
 * stage that is its own composited layer, so pan and zoom move a texture instead of repainting
 * thousands of boxes; hover and highlight are delegated and drawn in a separate highlight layer,
 * without a React render; guests are drawn over the PUs they hold.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { affinityMap } from '../../core/emit/affinity.ts';
import type { Host } from '../../core/host/model.ts';
import { useApp, type Highlight, type IndexMode } from '../../state/store.ts';
import { GuestOverlay } from '../guest/GuestOverlay.tsx';
import { cellColours, vcpuTooltip, type GuestColours } from '../guest/colours.ts';
import { createHighlighter, createHover, createTooltip } from '../system/hover.ts';
import { createKeyBindings } from '../system/keys.ts';
import { createLitLayer } from '../system/litlayer.ts';
import { createPanZoom, type PanZoom } from '../system/panzoom.ts';
import { tooltipLines } from './labels.ts';
import { layoutHost, type HostLayout, type LayoutOptions } from './layout.ts';
import { boxesMarkup } from './markup.ts';

export function HostView({ host }: { host: Host }) {
  const guests = useApp((s) => s.guests);
  const indexMode = useApp((s) => s.indexMode);
  const cycleIndexMode = useApp((s) => s.cycleIndexMode);
  const [factorize, setFactorize] = useState<LayoutOptions['factorize']>('auto');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const maps = useMemo(() => guests.map((g) => affinityMap(host, g)), [host, guests]);
  const colours: GuestColours = useMemo(() => cellColours(guests), [guests]);
  const keep = useMemo(() => new Set(maps.flatMap((m) => m.rows.filter((r) => r.pinning === '1:1').flatMap((r) => r.cpus))), [maps]);
  const layout = useMemo(() => layoutHost(host, { factorize, expanded, keep }), [host, factorize, expanded, keep]);

  // A new host starts folded again.
  useEffect(() => setExpanded(new Set()), [host]);

  const wrap = useRef<HTMLDivElement>(null);
  const viewport = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const litSvg = useRef<SVGSVGElement>(null);
  const panZoom = useRef<PanZoom | null>(null);
  const layoutRef = useRef<HostLayout>(layout);
  layoutRef.current = layout;

  useEffect(() => {
    if (!viewport.current || !stage.current) return;
    const pz = createPanZoom(viewport.current, {
      content: stage.current,
      extent: () => ({ width: layoutRef.current.width, height: layoutRef.current.height }),
    });
    panZoom.current = pz;
    pz.fit();
    const keys = createKeyBindings(window, {
      '+': () => pz.zoomBy(1.25),
      '=': () => pz.zoomBy(1.25),
      '-': () => pz.zoomBy(0.8),
      '1': () => pz.reset(),
      F: () => pz.fit(),
      i: () => useApp.getState().cycleIndexMode(),
      f: () => setFactorize((f) => (f === 'off' ? 'on' : 'off')),
    });
    return () => {
      keys.destroy();
      pz.destroy();
      panZoom.current = null;
    };
  }, []);

  // Refit when the drawing changes size (new host, factorising toggled), not on expansion clicks.
  const fitKey = `${host.cpus.length}:${host.nodes.length}:${host.packages.length}:${factorize}`;
  useEffect(() => panZoom.current?.fit(), [fitKey]);

  // Hover: tooltips, and the nodes/CPUs it concerns published for the other views.
  useEffect(() => {
    const root = viewport.current;
    const box = wrap.current;
    if (!root || !box) return;
    const tip = createTooltip(box);
    // Leaving clears only the highlight this view set: the pointer may already be over another
    // view that lit something up (React fires its enter before this element's native leave).
    let mine: Highlight | null = null;
    const light = (h: Highlight | null) => {
      mine = h;
      useApp.getState().setHighlight(h);
    };
    const hover = createHover(root, {
      attribute: 'data-hover',
      onEnter(key, _el, e) {
        const state = useApp.getState();
        const current = layoutRef.current;
        if (key.startsWith('vcpu:')) {
          const [, g, v] = key.split(':').map(Number);
          const map = maps[g];
          const row = map?.rows[v];
          if (!row) return;
          tip.show(vcpuTooltip(g, row, guests.length), e);
          light({ nodes: row.memoryNodes, cpus: row.cpus });
          return;
        }
        const b = current.byId.get(key);
        if (!b) return;
        tip.show(tooltipLines(b, host, state.indexMode), e);
        const node = b.node ?? (b.kind === 'PU' && b.os !== undefined ? host.cpus.find((c) => c.id === b.os)?.node : undefined);
        light(node !== undefined ? { nodes: [node], cpus: [] } : null);
      },
      onLeave() {
        tip.hide();
        if (useApp.getState().highlight === mine) light(null);
      },
      onMove: (e) => tip.move(e),
    });
    return () => {
      hover.destroy();
      tip.destroy();
    };
  }, [host, maps, guests.length]);

  // Highlights asked for by any view light up here without re-rendering the drawing: the boxes
  // are marked by class (for styling and tests) and outlined in the highlight layer above them.
  useEffect(() => {
    const root = svg.current;
    const overlay = litSvg.current;
    if (!root || !overlay) return;
    const marked = createHighlighter(root, 'lit');
    const layer = createLitLayer(overlay);
    const apply = () => {
      const h = useApp.getState().highlight;
      const ids = h ? [...h.nodes.map((n) => `NUMANode_${n}`), ...h.cpus.map((c) => `PU_${c}`)] : [];
      marked.set(ids);
      layer.set(
        ids.flatMap((id) => {
          const b = layout.byId.get(id);
          return b ? [{ x: b.x, y: b.y, w: b.w, h: b.h, style: b.kind === 'PU' ? ('fill' as const) : ('outline' as const) }] : [];
        }),
      );
    };
    apply();
    return useApp.subscribe((s, prev) => {
      if (s.highlight !== prev.highlight) apply();
    });
  }, [layout]);

  // "… N more" boxes open for good; I/O boxes open and fold back.
  const activate = (target: Element): boolean => {
    const more = target.closest('[data-more]')?.getAttribute('data-more');
    if (more) setExpanded((s) => new Set([...s, more]));
    const io = target.closest('[data-io]')?.getAttribute('data-io');
    if (io) setExpanded((s) => (s.has(io) ? new Set([...s].filter((x) => x !== io)) : new Set([...s, io])));
    return Boolean(more || io);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if ((e.key === 'Enter' || e.key === ' ') && activate(e.target as Element)) e.preventDefault();
  };

  const folded = layout.boxes.filter((b) => b.kind === 'More');
  return (
    <div className="hostview" ref={wrap}>
      <div className="toolbar view-tools" role="toolbar" aria-label="Host view">
        <button type="button" onClick={() => panZoom.current?.zoomBy(1.25)} aria-label="Zoom in" title="Zoom in (+)">
          +
        </button>
        <button type="button" onClick={() => panZoom.current?.zoomBy(0.8)} aria-label="Zoom out" title="Zoom out (-)">
          −
        </button>
        <button type="button" onClick={() => panZoom.current?.reset()} title="Scale 1:1 (1)">
          1:1
        </button>
        <button type="button" onClick={() => panZoom.current?.fit()} title="Fit to the view (F)" data-testid="fit">
          Fit
        </button>
        <button type="button" onClick={cycleIndexMode} title="Indexes shown: logical L#, OS P# or both (i)" data-testid="index-mode" data-mode={indexMode}>
          {indexMode === 'both' ? 'L# + P#' : indexMode === 'os' ? 'P# (OS)' : 'L# (logical)'}
        </button>
        <button
          type="button"
          onClick={() => setFactorize((f) => (f === 'off' ? 'on' : 'off'))}
          title="Fold long runs of identical cores (f)"
          aria-pressed={factorize !== 'off' && (factorize === 'on' || folded.length > 0)}
        >
          Factorise
        </button>
        {folded.length > 0 && (
          <button type="button" onClick={() => setExpanded(new Set(folded.map((b) => b.id).concat([...expanded])))} data-testid="expand-all">
            Draw all ({folded.reduce((s, b) => s + (b.hidden?.pus ?? 0), 0)} more PUs)
          </button>
        )}
        <span className="hint">drag to pan · wheel to zoom · keys + − 1 F i f</span>
      </div>
      <div
        ref={viewport}
        className="topo-viewport"
        data-testid="host-view"
        role="group"
        aria-label={`Topology of the host: ${host.packages.length} packages, ${host.nodes.length} NUMA nodes, ${host.cores.length} cores, ${host.cpus.length} PUs`}
        onClick={(e) => activate(e.target as Element)}
        onKeyDown={onKeyDown}
      >
        <div ref={stage} className="topo-stage" data-testid="host-stage">
          <svg ref={svg} className="topo" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`}>
            <defs>
              <pattern id="offline-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="6" height="6" className="hatch-bg" />
                <line x1="0" y1="0" x2="0" y2="6" className="hatch-line" />
              </pattern>
            </defs>
            <Boxes layout={layout} host={host} mode={indexMode} />
            <GuestOverlay layout={layout} host={host} maps={maps} colours={colours} />
          </svg>
          <svg ref={litSvg} className="topo-lit" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} aria-hidden="true" />
        </div>
      </div>
    </div>
  );
}

/** The boxes, written as markup in one go (see markup.ts); React owns only the <g> around them. */
const Boxes = memo(function Boxes({ layout, host, mode }: { layout: HostLayout; host: Host; mode: IndexMode }) {
  const html = useMemo(() => ({ __html: boxesMarkup(layout, host, mode) }), [layout, host, mode]);
  return <g className="boxes" dangerouslySetInnerHTML={html} />;
});
