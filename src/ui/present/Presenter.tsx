/**
 * Presenter mode: the current scene full screen (Fullscreen API), in large type on a
 * high-contrast palette with no controls; ←/→ (or PageUp/PageDown, space) step through the
 * scenes, a laser dot follows the pointer, Q shows the permalink's QR code, S and P save the
 * scene as SVG or PNG 2×, Esc leaves. The diagrams are the app's own components; the host view
 * is laid out for the screen (layout.ts's presentation): sized so that its text is PRESENT_TYPE
 * pixels at scale 1 and packed to fill the scene, with only the detail the scene needs.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatIdList } from '../../core/cpuset.ts';
import { formatKiB } from '../../core/units.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import type { Host } from '../../core/host/model.ts';
import type { Scene } from '../../state/permalink.ts';
import type { Presentation, PresentationDetail } from '../host/layout.ts';
import { useApp } from '../../state/store.ts';
import { useWorkspace } from '../../state/workspace.ts';
import { exportDrawing } from '../export/actions.ts';
import { exportCaption } from '../export/caption.ts';
import { useCellColours } from '../guest/colours.ts';
import { currentLink } from '../export/link.ts';
import { AffinityPanel } from '../guest/AffinityPanel.tsx';
import { DistanceHeatmap } from '../host/DistanceHeatmap.tsx';
import { HostView } from '../host/HostView.tsx';
import { PciTree } from '../host/PciTree.tsx';
import { highlightProperties } from './highlight.ts';
import { Qr, QR_CHROME } from './Qr.tsx';
import { scenesOf, showScene, useTalk } from './scenes.ts';
import './present.css';

/** Type size of the diagrams on screen: at least 20 px at 1080p, the issue's floor for a room. */
const PRESENT_TYPE = 20;
/** Room the host view keeps around a fitted drawing (panzoom's fit margin, both sides). */
const FIT_MARGIN = 2 * 12 + 2;

/** How much of the host a scene draws: what it is about, and what its highlight and guests need. */
function detailOf(scene: Scene): PresentationDetail {
  switch (scene.kind) {
    case 'nodes':
      return 'nodes';
    case 'caches':
      return 'full';
    default:
      return 'threads';
  }
}

/** The smallest font size (px, unzoomed) of any text inside an HTML view. */
function smallestPrint(root: HTMLElement): number {
  let smallest = Infinity;
  for (const el of [root, ...root.querySelectorAll<HTMLElement>('*')]) {
    if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim())) continue;
    if (!el.checkVisibility()) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
  }
  return Number.isFinite(smallest) && smallest > 0 ? smallest : PRESENT_TYPE;
}

export function Presenter() {
  const presenting = useTalk((s) => s.presenting);
  const host = useApp((s) => s.host);
  if (!presenting || !host) return null;
  return <PresenterView host={host} />;
}

export function stopPresenting(): void {
  useTalk.setState({ presenting: false });
  useApp.getState().setHighlight(null);
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
}

/** A few facts under the title, large enough to read from the back of the room. */
function details(scene: Scene, host: Host, guests: readonly GuestLayout[]): string[] {
  switch (scene.kind) {
    case 'sockets':
      return host.packages.slice(0, 8).map((p) => `socket ${p.id}: CPUs ${formatIdList(p.cpus)}`);
    case 'nodes':
      return host.nodes.slice(0, 8).map((n) => `node ${n.id}: ${n.memoryKiB !== null ? formatKiB(n.memoryKiB) : 'memory ?'} · ${n.cpus.length > 0 ? `CPUs ${formatIdList(n.cpus)}` : 'no CPUs (memory only)'}`);
    case 'guest': {
      const g = guests[scene.guest ?? 0];
      return g ? g.cells.slice(0, 8).map((c) => `cell ${c.id}: vCPUs ${formatIdList(c.vcpus) || '–'} · ${formatKiB(c.memoryKiB)} on node ${formatIdList(c.hostNodes)}`) : [];
    }
    case 'pins': {
      const g = guests[scene.guest ?? 0];
      if (!g) return [];
      const shown = g.pins.slice(0, 8).map((p) => `vCPU ${p.vcpu} → ${formatIdList(p.cpus)}`);
      return g.pins.length > 8 ? [shown.join(' · '), `… and ${g.pins.length - 8} more`] : [shown.join(' · ')];
    }
    default:
      return [];
  }
}

function PresenterView({ host }: { host: Host }) {
  const guests = useApp((s) => s.guests);
  const custom = useTalk((s) => s.custom);
  const index = useTalk((s) => s.index);
  const scenes = useMemo(() => scenesOf(custom, host, guests), [custom, host, guests]);
  const at = Math.max(0, Math.min(index, scenes.length - 1));
  const scene = scenes[at];
  const root = useRef<HTMLDivElement>(null);
  const laser = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const [qr, setQr] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const indexMode = useApp((s) => s.indexMode);
  // The scene body's size, measured before the host view is drawn for it (and again on resize).
  const [frame, setFrame] = useState<{ at: number; width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    const measure = () => setFrame((f) => (f && f.at === at && f.width === el.clientWidth && f.height === el.clientHeight ? f : { at, width: el.clientWidth, height: el.clientHeight }));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [at]);
  const detail = scene ? detailOf(scene) : 'threads';
  const presentation: Presentation | null = useMemo(
    () => (frame && frame.at === at ? { width: frame.width - FIT_MARGIN, height: frame.height - FIT_MARGIN, type: PRESENT_TYPE, detail, indexMode } : null),
    [frame, at, detail, indexMode],
  );

  useEffect(() => {
    const el = root.current;
    if (!el) return;
    let wasFull = false;
    const onChange = () => {
      if (document.fullscreenElement === el) wasFull = true;
      else if (wasFull) stopPresenting();
    };
    document.addEventListener('fullscreenchange', onChange);
    // Without a user gesture (a link opened in presenter mode) the request is refused: the
    // overlay still covers the window, and F11 does the rest.
    el.requestFullscreen?.().catch(() => undefined);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  useEffect(() => showScene(scene), [scene]);

  // The PCI tree and affinity map are drawn for a page, not a wall: scaled up to fill the scene,
  // and always at least until their smallest print reads at the presenter's type (the host view
  // fits itself, the heatmap is drawn for the scene's size and type). The PCI tree is a tall
  // column on the page: in a scene it flows into columns as wide as the scene (present.css).
  useLayoutEffect(() => {
    const box = body.current;
    const content = box?.firstElementChild as HTMLElement | null;
    if (!box || !content || scene?.kind === 'distances' || box.querySelector('.topo-viewport')) return;
    content.style.zoom = '1';
    content.style.width = 'max-content';
    const readable = PRESENT_TYPE / smallestPrint(content);
    if (scene?.kind === 'pci') {
      content.style.width = `${box.clientWidth / readable}px`;
      content.style.zoom = String(readable);
      return;
    }
    const fill = Math.min(box.clientWidth / Math.max(1, content.scrollWidth), box.clientHeight / Math.max(1, content.scrollHeight), 4) * 0.98;
    content.style.zoom = String(Math.max(readable, fill));
  }, [at, scene?.kind]);
  const heatmapFit = useMemo(() => (frame && frame.at === at ? { width: frame.width, height: frame.height, type: PRESENT_TYPE } : undefined), [frame, at]);

  useEffect(() => {
    if (!qr) return;
    void currentLink().then((r) => (r.ok ? setLink(r.value) : setNote(r.message)));
  }, [qr]);

  const colours = useCellColours();
  const guestNames = useWorkspace(useShallow((s) => s.guests.map((tab) => tab.name)));
  useEffect(() => {
    const caption = () => exportCaption(host, guests, guestNames, colours, scene?.kind !== 'distances' && scene?.kind !== 'pci');
    const step = (d: number) => useTalk.setState({ index: Math.max(0, Math.min(at + d, scenes.length - 1)) });
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const actions: Record<string, () => void> = {
        ArrowRight: () => step(1),
        PageDown: () => step(1),
        ' ': () => step(1),
        ArrowLeft: () => step(-1),
        PageUp: () => step(-1),
        Home: () => step(-scenes.length),
        End: () => step(scenes.length),
        Escape: stopPresenting,
        q: () => setQr((v) => !v),
        s: () => void exportDrawing(body.current, `scene-${at + 1}`, 'svg', 1, caption()).then(setNote),
        p: () => void exportDrawing(body.current, `scene-${at + 1}`, 'png', 2, caption()).then(setNote),
      };
      const action = actions[e.key];
      if (!action) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      action();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [at, scenes.length, host, guests, guestNames, colours, scene?.kind]);

  const onPointerMove = (e: React.PointerEvent) => {
    const dot = laser.current;
    if (!dot) return;
    dot.hidden = false;
    dot.style.transform = `translate(${e.clientX}px, ${e.clientY}px)`;
  };

  if (!scene) {
    return (
      <div className="presenter" ref={root} data-testid="presenter">
        <h2 className="scene-title">Nothing to present: paste a host first.</h2>
      </div>
    );
  }
  const lines = details(scene, host, guests);
  return (
    <div
      className="presenter"
      ref={root}
      data-testid="presenter"
      data-scene={scene.kind}
      data-index={at}
      style={{ '--present-type': `${PRESENT_TYPE}px`, ...highlightProperties() } as React.CSSProperties}
      onPointerMove={onPointerMove}
      onPointerLeave={() => laser.current && (laser.current.hidden = true)}
    >
      <header className="scene-head">
        <span className="scene-count" data-testid="scene-count">
          {at + 1} / {scenes.length}
        </span>
        <h2 className="scene-title" data-testid="scene-title">
          {scene.title}
        </h2>
      </header>
      {lines.length > 0 && (
        <ul className="scene-details">
          {lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      )}
      <div key={at} className={`scene-body scene-${scene.kind}`} ref={body} data-testid="scene-body">
        {scene.kind === 'distances' ? (
          heatmapFit && <DistanceHeatmap host={host} fit={heatmapFit} />
        ) : scene.kind === 'pci' ? (
          <PciTree host={host} />
        ) : scene.kind === 'pins' ? (
          <AffinityPanel host={host} />
        ) : (
          // A new size or index mode is a new drawing, fitted afresh.
          presentation && <HostView key={`${presentation.width}x${presentation.height}:${presentation.indexMode}`} host={host} presentation={presentation} />
        )}
      </div>
      {qr && (
        <div className="qr-box" data-testid="qr-box" role="dialog" aria-label="QR code of the permalink">
          {link ? <Qr text={link} room={Math.min(window.innerWidth, window.innerHeight) - QR_CHROME} /> : <p>{note ?? 'Making the link…'}</p>}
        </div>
      )}
      {note && !qr && (
        <p className="scene-note" role="status">
          {note}
        </p>
      )}
      <div className="laser" ref={laser} hidden aria-hidden="true" data-testid="laser" />
    </div>
  );
}
