/**
 * The lstopo-grade host view: boxes from layoutHost() drawn as flat SVG (parents first), pan and
 * zoom on one transform, hover and highlight delegated, guests drawn over the PUs they hold.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { affinityMap } from '../../core/emit/affinity.ts';
import type { Host } from '../../core/host/model.ts';
import { useApp, type IndexMode } from '../../state/store.ts';
import { GuestOverlay } from '../guest/GuestOverlay.tsx';
import { cellColours, vcpuTooltip, type GuestColours } from '../guest/colours.ts';
import { createHighlighter, createHover, createTooltip } from '../system/hover.ts';
import { createKeyBindings } from '../system/keys.ts';
import { createPanZoom, type PanZoom } from '../system/panzoom.ts';
import { accessibleName, boxLabel, cacheText, indexText, memoryLines, moreDetail, tooltipLines } from './labels.ts';
import { HEADER, layoutHost, type Box, type HostLayout, type LayoutOptions } from './layout.ts';

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
  const svg = useRef<SVGSVGElement>(null);
  const content = useRef<SVGGElement>(null);
  const panZoom = useRef<PanZoom | null>(null);
  const layoutRef = useRef<HostLayout>(layout);
  layoutRef.current = layout;

  useEffect(() => {
    if (!svg.current || !content.current) return;
    const pz = createPanZoom(svg.current, {
      content: content.current,
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
    const root = svg.current;
    const box = wrap.current;
    if (!root || !box) return;
    const tip = createTooltip(box);
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
          state.setHighlight({ nodes: row.memoryNodes, cpus: row.cpus });
          return;
        }
        const b = current.byId.get(key);
        if (!b) return;
        tip.show(tooltipLines(b, host, state.indexMode), e);
        const node = b.node ?? (b.kind === 'PU' && b.os !== undefined ? host.cpus.find((c) => c.id === b.os)?.node : undefined);
        state.setHighlight(node !== undefined ? { nodes: [node], cpus: [] } : null);
      },
      onLeave() {
        tip.hide();
        useApp.getState().setHighlight(null);
      },
      onMove: (e) => tip.move(e),
    });
    return () => {
      hover.destroy();
      tip.destroy();
    };
  }, [host, maps, guests.length]);

  // Highlights asked for by any view light up here without re-rendering the drawing.
  useEffect(() => {
    const root = svg.current;
    if (!root) return;
    const lit = createHighlighter(root, 'lit');
    const apply = () => {
      const h = useApp.getState().highlight;
      lit.set(h ? [...h.nodes.map((n) => `NUMANode_${n}`), ...h.cpus.map((c) => `PU_${c}`)] : []);
    };
    apply();
    return useApp.subscribe((s, prev) => {
      if (s.highlight !== prev.highlight) apply();
    });
  }, [layout]);

  const onClick = (e: React.MouseEvent) => {
    const el = (e.target as Element).closest('[data-more]');
    const id = el?.getAttribute('data-more');
    if (id) setExpanded((s) => new Set([...s, id]));
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
      <svg
        ref={svg}
        className="topo"
        data-testid="host-view"
        role="group"
        aria-label={`Topology of the host: ${host.packages.length} packages, ${host.nodes.length} NUMA nodes, ${host.cores.length} cores, ${host.cpus.length} PUs`}
        onClick={onClick}
      >
        <defs>
          <pattern id="offline-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" className="hatch-bg" />
            <line x1="0" y1="0" x2="0" y2="6" className="hatch-line" />
          </pattern>
        </defs>
        <g ref={content}>
          <Boxes layout={layout} host={host} mode={indexMode} />
          <GuestOverlay layout={layout} host={host} maps={maps} colours={colours} />
        </g>
      </svg>
    </div>
  );
}

const Boxes = memo(function Boxes({ layout, host, mode }: { layout: HostLayout; host: Host; mode: IndexMode }) {
  return (
    <>
      {layout.boxes.map((b) => (
        <BoxShape key={b.id} box={b} host={host} mode={mode} />
      ))}
    </>
  );
});

function BoxShape({ box, host, mode }: { box: Box; host: Host; mode: IndexMode }) {
  const { x, y, w, h, kind } = box;
  const node = kind === 'NUMANode' ? host.nodes.find((n) => n.id === box.node) : undefined;
  const cls = `box ${kind}${box.online === false ? ' offline' : ''}${node && node.cpus.length === 0 ? ' cpuless' : ''}${node?.kind === 'cpu-only' ? ' memless' : ''}`;
  if (kind === 'PU') {
    const two = mode === 'both';
    return (
      <g id={box.id} className={cls} data-hover={box.id} aria-label={accessibleName(box, host, mode)} role="img">
        <rect x={x} y={y} width={w} height={h} rx={2} />
        {box.online === false ? (
          <text x={x + w / 2} y={y + h / 2 + 4} className="pu-text">
            off
          </text>
        ) : two ? (
          <>
            <text x={x + w / 2} y={y + 12} className="pu-text">{`L#${box.logical}`}</text>
            <text x={x + w / 2} y={y + 25} className="pu-text">{`P#${box.os}`}</text>
          </>
        ) : (
          <text x={x + w / 2} y={y + h / 2 + 4} className="pu-text">
            {indexText(box, mode)}
          </text>
        )}
      </g>
    );
  }
  if (kind === 'Memory') {
    const [a, b] = memoryLines(host, box.node ?? -1, mode, box);
    return (
      <g className={cls} data-hover={box.id} id={box.id}>
        <rect x={x} y={y} width={w} height={h} rx={3} />
        <text x={x + 6} y={y + 15} className="label strong">
          {a}
        </text>
        <text x={x + 6} y={y + 30} className="label small">
          {b}
        </text>
      </g>
    );
  }
  if (kind === 'More') {
    return (
      <g id={box.id} className={cls} data-hover={box.id} data-more={box.id} data-cores={box.hidden?.cores} data-pus={box.hidden?.pus} role="button" aria-label={`${boxLabel(box, mode, host)} ${moreDetail(box)}`} tabIndex={0}>
        <rect x={x} y={y} width={w} height={h} rx={4} />
        <text x={x + w / 2} y={y + h / 2 - 2} className="more-text">
          {boxLabel(box, mode, host)}
        </text>
        <text x={x + w / 2} y={y + h / 2 + 12} className="more-text small">
          {moreDetail(box)}
        </text>
      </g>
    );
  }
  const caches = box.caches ?? [];
  return (
    <g id={box.id} className={cls} data-hover={box.id} aria-label={accessibleName(box, host, mode)} role="group">
      <rect x={x} y={y} width={w} height={h} rx={kind === 'Machine' ? 6 : 4} />
      {kind !== 'NUMANode' && (
        <text x={x + 6} y={y + HEADER - 5} className="label">
          {boxLabel(box, mode, host)}
        </text>
      )}
      {kind === 'Core' && caches.length > 0 && (
        <text x={x + 6} y={y + HEADER + 7} className="label small">
          {caches.map((c) => cacheText(c.level, c.type, c.sizeKiB)).join(' · ')}
        </text>
      )}
    </g>
  );
}

