/**
 * The lstopo-grade host view: boxes from layoutHost() on a stage that is its own composited
 * layer, so pan and zoom move a texture instead of repainting thousands of boxes. Containers are
 * SVG; on large hosts the many small leaves (cores, PUs) are painted on a canvas instead (see
 * leaves.ts, leaf-canvas.ts), which lays out and paints in a few milliseconds what thousands of
 * SVG elements took most of a second for. Whatever draws a box, the layout answers what is at a
 * point (hit-test.ts): hover and tooltips, clicks, drag and drop ask it, and highlights and drop
 * targets are marked in a separate layer without a React render. Guests are drawn over the PUs
 * they hold, above the canvas.
 */
import { memo, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from 'react';
import { sortIds } from '../../core/cpuset.ts';
import type { Host } from '../../core/host/model.ts';
import { useApp, type Highlight, type IndexMode } from '../../state/store.ts';
import { useDnd } from '../dnd/dnd-store.ts';
import type { DropTarget } from '../dnd/gesture.ts';
import { GuestOverlay } from '../guest/GuestOverlay.tsx';
import { useCellColours, vcpuTooltip } from '../guest/colours.ts';
import { guestMaps } from '../guest/maps.ts';
import { createClientOrigin } from '../system/client-rect.ts';
import { createHighlighter, createHover, createTooltip, keyOfTarget } from '../system/hover.ts';
import { createKeyBindings } from '../system/keys.ts';
import { createLitLayer, type LitMark } from '../system/litlayer.ts';
import { createPanZoom, type PanZoom, type Size, type Transform } from '../system/panzoom.ts';
import { hitTest, type HitTest } from './hit-test.ts';
import { guestKeep } from './kept.ts';
import { tooltipLines } from './labels.ts';
import { createLeafCanvas, type LeafCanvas } from './leaf-canvas.ts';
import { canvasLeaves } from './leaves.ts';
import { MIN_TEXT_PX } from './leaf-paint.ts';
import { FIT_MARGIN, layoutHost, mayFold, PAGE_METRICS, type Box, type HostLayout, type LayoutOptions, type Presentation } from './layout.ts';
import { boxesMarkup } from './markup.ts';
import { anchorIn, fitScale, keepInPlace, zoomStep, type ZoomAnchor } from './semantic-zoom.ts';
import { registerHostView, type DropMark } from './views.ts';

/** What the view's listeners read at event time: the drawing as last rendered. */
interface Drawing {
  host: Host;
  layout: HostLayout;
  hits: HitTest;
  /** Boxes painted on the canvas (no element of their own). */
  painted: ReadonlySet<string>;
}

/** `presentation`: lay the host out for a presenter's screen instead of the page (layout.ts). */
export function HostView({ host, presentation }: { host: Host; presentation?: Presentation }) {
  const guests = useApp((s) => s.guests);
  const indexMode = useApp((s) => s.indexMode);
  const [factorize, setFactorize] = useState<LayoutOptions['factorize']>('auto');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  // The page's drawing is folded for the view it is fitted in (layout.ts): none until it is sized.
  const [pageFrame, setPageFrame] = useState<LayoutOptions['frame']>(undefined);
  const frame = presentation ? undefined : pageFrame;
  // Semantic zoom (semantic-zoom.ts): zoomed in, the fold is chosen for a view this many times larger.
  const [zoomed, setZoomed] = useState(1);
  const foldFrame = useMemo(() => (frame && zoomed > 1 ? { width: Math.round(frame.width * zoomed), height: Math.round(frame.height * zoomed) } : frame), [frame, zoomed]);
  const maps = useMemo(() => guestMaps(host, guests), [host, guests]);
  const colours = useCellColours();
  // Keyed by content, and only where something may fold: a drop changes the guests, but rarely
  // which CPUs must stay unfolded, and each new key lays the whole host out and redraws it.
  const folds = mayFold(host, { factorize, presentation, frame });
  // Nodes brought into view from elsewhere (the node overview's centre()) stay drawn until the host changes.
  const [revealed, setRevealed] = useState<readonly number[]>([]);
  // What guests hold stays drawn (kept.ts), and the nodes brought into view.
  const keepKey = useMemo(() => {
    if (!folds) return '|';
    const { cpus, nodes } = guestKeep(maps);
    return `${cpus.join(',')}|${sortIds([...nodes, ...revealed]).join(',')}`;
  }, [maps, folds, revealed]);
  const [pinnedCpus, guestNodes] = useMemo(() => keepKey.split('|').map(idSet), [keepKey]);
  const sized = presentation !== undefined || frame !== undefined;
  const base = useMemo(
    () => (sized ? layoutHost(host, { factorize, expanded, keep: pinnedCpus, keepNodes: guestNodes, presentation, frame: foldFrame }) : EMPTY_LAYOUT),
    [sized, host, factorize, expanded, pinnedCpus, guestNodes, presentation, foldFrame],
  );
  // On the page, the nodes another view lights up (a heatmap row, a guest's cell) and a drag's
  // target (the keyboard steps through every CPU and node) are drawn, even where they were
  // folded away: each is read as the nodes and CPUs this drawing misses, so a hover over what
  // is drawn changes nothing here. Lit CPUs light their fold instead (a floating vCPU lights a
  // whole node's CPUs), and a presenter's scene, which lights whole sockets, unfolds nothing.
  const page = folds && !presentation;
  const missingLit = useApp((s) => (page && s.highlight ? missingKey({ nodes: s.highlight.nodes, cpus: [] }, base) : ''));
  const missingTarget = useDnd((s) => (page && s.active?.target ? missingKey(targetHighlight(s.active.target, host), base) : ''));
  const missing = [missingLit, missingTarget].filter(Boolean).join('|');
  const layout = useMemo(() => {
    if (missing === '') return base;
    const parts = missing.split('|');
    const cpus = parts.filter((_, i) => i % 2 === 0).join(',');
    const nodes = parts.filter((_, i) => i % 2 === 1).join(',');
    return layoutHost(host, { factorize, expanded, keep: new Set([...pinnedCpus, ...idSet(cpus)]), keepNodes: new Set([...guestNodes, ...idSet(nodes)]), presentation, frame: foldFrame });
  }, [missing, base, host, factorize, expanded, pinnedCpus, guestNodes, presentation, foldFrame]);
  const leaves = useMemo(() => canvasLeaves(layout), [layout]);
  const drawing: Drawing = useMemo(() => ({ host, layout, hits: hitTest(layout), painted: new Set(leaves.map((b) => b.id)) }), [host, layout, leaves]);
  // The SVG holds every box the canvas does not paint.
  const svgLayout = useMemo(() => (leaves.length === 0 ? layout : { ...layout, boxes: layout.boxes.filter((b) => !drawing.painted.has(b.id)) }), [layout, leaves, drawing]);

  // A new host starts folded again.
  useEffect(() => {
    setExpanded(new Set());
    setFactorize('auto');
    setZoomed(1);
    setRevealed([]);
  }, [host]);

  const wrap = useRef<HTMLDivElement>(null);
  const viewport = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const leafLayer = useRef<HTMLDivElement>(null);
  const litMarks = useRef<SVGGElement>(null);
  const dropMarks = useRef<SVGGElement>(null);
  const panZoom = useRef<PanZoom | null>(null);
  const painter = useRef<LeafCanvas | null>(null);
  const current = useRef<Drawing>(drawing);
  current.current = drawing;
  const revealedDrawn = useRef(revealed);
  revealedDrawn.current = revealed;
  const origin = useRef<ReturnType<typeof createClientOrigin> | null>(null);
  const noteId = useId();

  // The unzoomed drawing's size, which Fit and the zoom steps are measured from, and whether it folds at all.
  const unzoomed = useRef<{ width: number; height: number } | null>(null);
  const zoomedNow = useRef(zoomed);
  zoomedNow.current = zoomed;
  /** The zoom step the drawing on screen was folded for (zoomedNow runs ahead of it until the new fold is drawn). */
  const zoomedDrawn = useRef(zoomed);
  /** What was under the reader's eye when the zoom crossed a step: kept in place once the drawing is folded anew. */
  const anchor = useRef<(ZoomAnchor & { refit: boolean }) | null>(null);
  const tooltip = useRef<ReturnType<typeof createTooltip> | null>(null);
  const drawnSize = useRef('');
  useLayoutEffect(() => {
    zoomedDrawn.current = zoomed;
    if (zoomed === 1) unzoomed.current = !presentation && layout.boxes.some((b) => b.kind === 'More') ? { width: layout.width, height: layout.height } : null;
    const a = anchor.current;
    const pz = panZoom.current;
    // A drawing that changed size under a view at Fit (a guest's pins unfold its cores) is fitted
    // again, or it runs off the view; a zoom of the reader's own is kept.
    const size = `${layout.width}x${layout.height}`;
    const resized = drawnSize.current !== '' && drawnSize.current !== size;
    drawnSize.current = size;
    if (!a && resized && pz?.isFit()) return pz.fit();
    if (!a || !pz) return;
    anchor.current = null;
    // The box the tooltip spoke of may be gone (a fold opened): the next move tells of the new one.
    tooltip.current?.hide();
    // Fit asked for, from a zoomed drawing: fit the drawing folded for the view.
    if (a.refit) return pz.fit();
    const found = anchorIn(layout, a.chain);
    if (found) pz.setTransform(keepInPlace(pz.transform(), found.before, found.after, a.screen));
  }, [layout, zoomed, presentation]);

  // The view's size, in steps of 16 px: a few pixels of resizing must not lay a big host out again.
  useEffect(() => {
    const el = viewport.current;
    if (!el || presentation) return;
    const observer = new ResizeObserver((entries) => {
      const r = entries[entries.length - 1].contentRect;
      const step = (v: number) => Math.max(16, Math.floor(v / 16) * 16);
      const next = { width: step(r.width), height: step(r.height) };
      setPageFrame((f) => (f && f.width === next.width && f.height === next.height ? f : next));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [presentation]);

  /** The deepest box under a client point. */
  const boxAt = (clientX: number, clientY: number): Box | null => {
    const pz = panZoom.current;
    const o = origin.current?.get();
    if (!pz || !o) return null;
    const t = pz.transform();
    return current.current.hits.at((clientX - o.left - t.x) / t.k, (clientY - o.top - t.y) / t.k);
  };

  // The canvas painter exists before the first layout effect hands it a scene.
  useLayoutEffect(() => {
    if (!leafLayer.current || !svg.current) return;
    const p = createLeafCanvas(leafLayer.current, svg.current);
    painter.current = p;
    // The theme is switched on <html> (App.tsx): read the looks again.
    const theme = new MutationObserver(() => p.restyle());
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      theme.disconnect();
      p.destroy();
      painter.current = null;
    };
  }, []);

  useLayoutEffect(() => painter.current?.setScene(leaves, layout, host, indexMode), [leaves, layout, host, indexMode]);

  useEffect(() => {
    if (!viewport.current || !stage.current) return;
    const pz = createPanZoom(viewport.current, {
      content: stage.current,
      extent: () => ({ width: current.current.layout.width, height: current.current.layout.height }),
      onChange: (t, size) => {
        painter.current?.view({ k: t.k, x: t.x, y: t.y, width: size.w, height: size.h });
        hideSmallText(stage.current, current.current.layout.metrics, t.k);
        followZoom(t, size);
      },
    });
    panZoom.current = pz;
    origin.current = createClientOrigin(viewport.current);
    /** Crossing a zoom step folds the drawing anew (semantic-zoom.ts), the box under the pointer held in place. */
    function followZoom(t: Transform, size: Size) {
      const base = unzoomed.current;
      if (!base || anchor.current) return;
      const step = zoomStep(t.k, fitScale(base, size, FIT_MARGIN));
      if (step === zoomedNow.current) return;
      const o = origin.current?.get();
      const g = pz.gesturePoint();
      const screen = g && o ? { x: g.clientX - o.left, y: g.clientY - o.top } : { x: size.w / 2, y: size.h / 2 };
      const { hits, layout: l } = current.current;
      const under = hits.at((screen.x - t.x) / t.k, (screen.y - t.y) / t.k) ?? l.boxes[0];
      anchor.current = { chain: under ? hits.chain(under) : [], screen, refit: pz.isFit() };
      zoomedNow.current = step;
      setZoomed(step);
    }
    pz.fit();
    const keys = createKeyBindings(window, {
      '+': () => pz.zoomBy(1.25),
      '=': () => pz.zoomBy(1.25),
      '-': () => pz.zoomBy(0.8),
      '1': () => pz.reset(),
      F: () => pz.fit(),
      i: () => useApp.getState().cycleIndexMode(),
      f: () => setFactorize(toggledFolding(current.current.layout)),
    });
    const root = viewport.current;
    const drops = dropMarks.current ? createLitLayer(dropMarks.current) : null;
    /**
     * Bringing a box into view (centre()): zoomed in until it fills most of the view, never so
     * far that it is not whole, and centred. A zoom step folds the drawing anew (the box grows as
     * its cores unfold, or shrinks as they fold), a revealed node lays it out again and a drawing
     * that changed size at Fit is fitted again, so the box is aimed at once more each frame — at
     * the scale first chosen or less, which cannot unfold it further — until it has stayed whole
     * and centred for a few frames.
     */
    let centring: { id: string; k?: number; still: number; frames: number; raf: number } | null = null;
    function stopCentring() {
      if (centring) cancelAnimationFrame(centring.raf);
      centring = null;
    }
    function centreStep() {
      const c = centring;
      if (!c) return;
      if (++c.frames > CENTRE_FRAMES) return stopCentring();
      c.raf = requestAnimationFrame(centreStep);
      const b = current.current.layout.byId.get(c.id);
      const w = root.clientWidth;
      const h = root.clientHeight;
      // The drawing is being folded anew (a zoom step crossed, a revealed node not drawn yet): wait for it.
      if (!b || w === 0 || h === 0 || anchor.current || zoomedNow.current !== zoomedDrawn.current) {
        c.still = 0;
        return;
      }
      const t = pz.transform();
      const whole = Math.min((w - FIT_MARGIN * 2) / b.w, (h - FIT_MARGIN * 2) / b.h, MAX_SCALE);
      c.k = Math.min(whole, c.k ?? Math.max(t.k, whole * CENTRE_FILL));
      const { k } = c;
      const aim = { k, x: w / 2 - (b.x + b.w / 2) * k, y: h / 2 - (b.y + b.h / 2) * k };
      if (Math.abs(aim.k - t.k) <= t.k * 1e-3 && Math.abs(aim.x - t.x) < 1 && Math.abs(aim.y - t.y) < 1) {
        if (++c.still >= CENTRE_STILL_FRAMES) stopCentring();
        return;
      }
      c.still = 0;
      pz.setTransform(aim);
    }
    // Anything the reader does next (a press anywhere, a key, the wheel over the view) is theirs;
    // caught first, so a click or Enter that asks for another box starts afresh after it.
    window.addEventListener('pointerdown', stopCentring, { capture: true });
    window.addEventListener('keydown', stopCentring, { capture: true });
    root.addEventListener('wheel', stopCentring, { passive: true });
    let dropMarked: { el: Element; classes: readonly string[] }[] = [];
    const unregister = registerHostView({
      viewport: root,
      boxAt,
      chain: (box) => current.current.hits.chain(box),
      leafMarkup() {
        const { host: h, layout: l, painted } = current.current;
        if (painted.size === 0) return '';
        const boxes = l.boxes.filter((b) => painted.has(b.id));
        // Only the leaves: each core (whose parent is left out) becomes a root holding its PUs.
        return boxesMarkup({ ...l, boxes, byId: new Map(boxes.map((b) => [b.id, b])) }, h, useApp.getState().indexMode);
      },
      rectOf(id) {
        const b = current.current.layout.byId.get(id);
        const o = origin.current?.get();
        if (!b || !o) return null;
        const t = pz.transform();
        return { x: o.left + t.x + b.x * t.k, y: o.top + t.y + b.y * t.k, width: b.w * t.k, height: b.h * t.k };
      },
      centre(id) {
        // A node stays drawn from now on (drawn while lit is not enough: the highlight goes).
        const node = current.current.host.nodes.find((n) => `NUMANode_${n.id}` === id)?.id;
        if (node !== undefined && !revealedDrawn.current.includes(node)) setRevealed((r) => (r.includes(node) ? r : [...r, node]));
        stopCentring();
        centring = { id, still: 0, frames: 0, raf: requestAnimationFrame(centreStep) };
      },
      setDropMarks(marks: readonly DropMark[]) {
        for (const { el, classes } of dropMarked) el.classList.remove(...classes);
        dropMarked = [];
        const onLayer: LitMark[] = [];
        for (const m of marks) {
          // Boxes are marked in the highlight layer, drawn on the canvas or not: a class on the
          // drawing's own element would repaint the whole drawing as the target changes and at the drop.
          const b = current.current.layout.byId.get(m.id);
          if (b) {
            onLayer.push({ box: m.id, x: b.x, y: b.y, w: b.w, h: b.h, className: ['dnd-mark', ...m.classes].join(' ') });
            continue;
          }
          const el = root.querySelector(`#${CSS.escape(m.id)}`);
          if (!el) continue;
          el.classList.add(...m.classes);
          dropMarked.push({ el, classes: m.classes });
        }
        drops?.set(onLayer);
      },
      drawn: () => ({
        svg: Array.from(svg.current?.querySelectorAll('.boxes [id]') ?? [], (el) => el.id),
        canvas: painter.current?.drawn() ?? [],
        canvasLabels: painter.current?.labels() ?? [],
      }),
    });
    return () => {
      stopCentring();
      window.removeEventListener('pointerdown', stopCentring, { capture: true });
      window.removeEventListener('keydown', stopCentring, { capture: true });
      root.removeEventListener('wheel', stopCentring);
      unregister();
      keys.destroy();
      pz.destroy();
      origin.current?.destroy();
      origin.current = null;
      panZoom.current = null;
    };
  }, []);

  // Refit when the drawing changes size (new host, factorising toggled), not on expansion clicks
  // nor on a semantic zoom step. A resized view folds anew; a drawing at Fit is fitted again, a
  // zoom of the reader's own is kept.
  const fitKey = `${host.cpus.length}:${host.nodes.length}:${host.packages.length}:${factorize}`;
  const frameKey = `${frame?.width}x${frame?.height}`;
  const fittedFor = useRef('');
  useEffect(() => {
    const pz = panZoom.current;
    if (!pz) return;
    const resizedOnly = fittedFor.current === fitKey;
    fittedFor.current = fitKey;
    if (resizedOnly && !pz.isFit()) return;
    if (zoomedNow.current === 1) return pz.fit();
    // Zoomed in, the drawing is first folded for the view again, then fitted.
    anchor.current = { chain: [], screen: { x: 0, y: 0 }, refit: true };
    zoomedNow.current = 1;
    setZoomed(1);
  }, [fitKey, frameKey]);

  // Hover: tooltips, and the nodes/CPUs it concerns published for the other views. The guests'
  // chips and bars are elements that speak for themselves; boxes are found by position.
  // Read at hover time: a drop changes the guests, and must not rebuild the tooltip and listeners.
  const pinned = useRef({ maps, count: guests.length });
  pinned.current = { maps, count: guests.length };
  useEffect(() => {
    const root = viewport.current;
    const box = wrap.current;
    if (!root || !box) return;
    const tip = createTooltip(box);
    tooltip.current = tip;
    // Leaving clears only the highlight this view set: the pointer may already be over another
    // view that lit something up (React fires its enter before this element's native leave).
    let mine: Highlight | null = null;
    const light = (h: Highlight | null) => {
      mine = h;
      useApp.getState().setHighlight(h);
    };
    const hover = createHover(root, {
      resolve(e) {
        if ((e.target as Element | null)?.closest?.('.guests')) {
          const key = keyOfTarget(e, 'data-hover');
          return key?.startsWith('vcpu:') ? key : null;
        }
        return boxAt(e.clientX, e.clientY)?.id ?? null;
      },
      onEnter(key, e) {
        const state = useApp.getState();
        if (key.startsWith('vcpu:')) {
          const [, g, v] = key.split(':').map(Number);
          const row = pinned.current.maps[g]?.rows[v];
          if (!row) return;
          tip.show(vcpuTooltip(g, row, pinned.current.count), e);
          light({ nodes: row.memoryNodes, cpus: row.cpus });
          return;
        }
        const b = current.current.layout.byId.get(key);
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
      tooltip.current = null;
    };
  }, [host]);

  // Highlights asked for by any view light up here without re-rendering the drawing: boxes with
  // an element are marked by class (for styling and tests), and every box is outlined in the
  // highlight layer above the drawing, canvas-painted ones included.
  useEffect(() => {
    const root = svg.current;
    const group = litMarks.current;
    if (!root || !group) return;
    const marked = createHighlighter(root, 'lit');
    const layer = createLitLayer(group);
    // A lit CPU folded away lights the "… N× …" box that stands for it.
    const foldOf = new Map<number, string>();
    for (const b of layout.boxes) if (b.kind === 'More') for (const c of b.cpus) foldOf.set(c, b.id);
    const apply = () => {
      const h = useApp.getState().highlight;
      const ids = h ? [...h.nodes.map((n) => `NUMANode_${n}`), ...h.cpus.map((c) => (layout.byId.has(`PU_${c}`) ? `PU_${c}` : (foldOf.get(c) ?? `PU_${c}`)))] : [];
      marked.set(ids.filter((id) => !drawing.painted.has(id)));
      layer.set(
        [...new Set(ids)].flatMap((id) => {
          const b = layout.byId.get(id);
          return b ? [{ box: id, x: b.x, y: b.y, w: b.w, h: b.h, className: b.kind === 'PU' ? 'lit-mark fill' : 'lit-mark' }] : [];
        }),
      );
    };
    apply();
    return useApp.subscribe((s, prev) => {
      if (s.highlight !== prev.highlight) apply();
    });
  }, [layout, drawing]);

  const toggle = (id: string) => setExpanded((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  /** "… N more" boxes open for good; I/O boxes open and fold back. */
  const activate = (b: Box) => {
    if (b.kind === 'More') setExpanded((s) => new Set([...s, b.id]));
    else if (b.kind === 'IO') toggle(b.id);
  };
  const onClick = (e: React.MouseEvent) => {
    const hit = boxAt(e.clientX, e.clientY);
    const b = hit && drawing.hits.chain(hit).find((x) => x.kind === 'More' || x.kind === 'IO');
    if (b) activate(b);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const id = (e.target as Element).closest('[data-more], [data-io]')?.id;
    const b = id ? layout.byId.get(id) : undefined;
    if (!b) return;
    activate(b);
    e.preventDefault();
  };

  const folded = useMemo(() => layout.boxes.filter((b) => b.kind === 'More'), [layout]);
  const onCanvas = leaves.length > 0;
  const pus = leaves.filter((b) => b.kind === 'PU').length;
  return (
    <div className="hostview" ref={wrap}>
      <HostTools panZoom={panZoom} factorize={factorize} setFactorize={setFactorize} folded={folded} layout={layout} />
      <div
        ref={viewport}
        className="topo-viewport"
        data-testid="host-view"
        data-canvas={onCanvas ? 'leaves' : undefined}
        role="group"
        aria-label={`Topology of the host: ${host.packages.length} packages, ${host.nodes.length} NUMA nodes, ${host.cores.length} cores, ${host.cpus.length} PUs`}
        aria-describedby={onCanvas ? noteId : undefined}
        onClick={onClick}
        onKeyDown={onKeyDown}
      >
        {onCanvas && (
          <p className="sr-only" id={noteId}>
            {`${pus} PUs and their cores are drawn as one picture: point at one for its details, or move a guest's vCPUs from the guest panel with the keyboard.`}
          </p>
        )}
        <div ref={stage} className="topo-stage" data-testid="host-stage">
          <svg ref={svg} className="topo" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`}>
            <defs>
              <pattern id="offline-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="6" height="6" className="hatch-bg" />
                <line x1="0" y1="0" x2="0" y2="6" className="hatch-line" />
              </pattern>
            </defs>
            <Boxes layout={svgLayout} host={host} mode={indexMode} />
          </svg>
          <div ref={leafLayer} className="topo-leaves" hidden={!onCanvas} aria-hidden="true" data-testid="host-leaves" />
          <svg className="topo-lit" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`}>
            <GuestOverlay layout={layout} host={host} maps={maps} colours={colours} />
            <g ref={litMarks} className="lit-marks" aria-hidden="true" />
            <g ref={dropMarks} className="drop-marks" aria-hidden="true" />
          </svg>
        </div>
      </div>
    </div>
  );
}

/** The view's tools. Memoised: a guest change redraws the overlay, not these. */
const HostTools = memo(function HostTools({ panZoom, factorize, setFactorize, folded, layout }: {
  panZoom: RefObject<PanZoom | null>;
  factorize: LayoutOptions['factorize'];
  setFactorize: Dispatch<SetStateAction<LayoutOptions['factorize']>>;
  folded: readonly Box[];
  layout: HostLayout;
}) {
  const indexMode = useApp((s) => s.indexMode);
  const cycleIndexMode = useApp((s) => s.cycleIndexMode);
  return (
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
        onClick={() => setFactorize(toggledFolding(layout))}
        title="Fold runs of identical packages, nodes, caches and cores (f)"
        aria-pressed={factorize !== 'off' && (factorize === 'on' || folded.length > 0)}
      >
        Factorise
      </button>
      {folded.length > 0 && (
        // Factorising off, not every fold opened by id: a guest moved later must not fold cores again.
        <button type="button" onClick={() => setFactorize('off')} data-testid="expand-all">
          Draw all ({folded.reduce((s, b) => s + (b.hidden?.pus ?? 0), 0)} more PUs)
        </button>
      )}
      <span className="hint" title={HINT}>
        {HINT}
      </span>
    </div>
  );
});

/**
 * Leaves out the SVG text that would be drawn under MIN_TEXT_PX at zoom k, as the canvas
 * painter does (diagrams.css): labels, second lines and indexes, and the guests' small chips.
 * The boxes keep their tooltips.
 */
function hideSmallText(stage: HTMLElement | null, m: HostLayout['metrics'], k: number): void {
  if (!stage) return;
  stage.classList.toggle('hide-labels', m.font.label * k < MIN_TEXT_PX);
  stage.classList.toggle('hide-small', Math.min(m.font.small, m.font.pu, m.font.io) * k < MIN_TEXT_PX);
  stage.classList.toggle('hide-chip-small', CHIP_SMALL_PX * k < MIN_TEXT_PX);
}

/** What the view answers to, beside its buttons (cut short in a narrow view: the whole as a tooltip). */
const HINT = 'drag to pan · wheel to zoom · keys + − 1 F i f';

/** Bringing a box into view: the share of the view it is zoomed to fill, the frames it stays put to be done, and the frames it may take. */
const CENTRE_FILL = 0.6;
const CENTRE_STILL_FRAMES = 3;
const CENTRE_FRAMES = 120;
/** panzoom's largest scale. */
const MAX_SCALE = 8;

/** The guests' second chip line (diagrams.css text.vcpu-text.small). */
const CHIP_SMALL_PX = 9;

const EMPTY_LAYOUT: HostLayout = { boxes: [], byId: new Map(), width: 0, height: 0, metrics: PAGE_METRICS };

const idSet = (key: string): ReadonlySet<number> => new Set(key.split(',').filter((x) => x !== '').map(Number));

/** "cpus|nodes" of a highlight that the drawing does not show ('' when it shows them all). */
function missingKey(h: Highlight, layout: HostLayout): string {
  const cpus = h.cpus.filter((c) => !layout.byId.has(`PU_${c}`));
  const nodes = h.nodes.filter((n) => !layout.byId.has(`NUMANode_${n}`) && !layout.byId.has(`Memory_${n}`));
  return cpus.length === 0 && nodes.length === 0 ? '' : `${sortIds(cpus).join(',')}|${sortIds(nodes).join(',')}`;
}

/** What a drag's target stands for, as a highlight: its CPUs, or its node. */
function targetHighlight(t: DropTarget, host: Host): Highlight {
  if (t.kind === 'node') return { nodes: [t.node], cpus: [] };
  return { nodes: [], cpus: t.kind === 'pu' ? [t.cpu] : [...(host.cores[t.core]?.cpus ?? [])] };
}

/** `f` and the Factorise button: unfold a folded drawing, fold one that is not. */
const toggledFolding = (layout: HostLayout): LayoutOptions['factorize'] => (layout.boxes.some((b) => b.kind === 'More') ? 'off' : 'on');

/** The boxes, written as markup in one go (see markup.ts); React owns only the <g> around them. */
const Boxes = memo(function Boxes({ layout, host, mode }: { layout: HostLayout; host: Host; mode: IndexMode }) {
  const html = useMemo(() => ({ __html: boxesMarkup(layout, host, mode) }), [layout, host, mode]);
  return <g className="boxes" dangerouslySetInnerHTML={html} />;
});
