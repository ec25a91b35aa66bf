/**
 * Drag and drop over the host view without touching its drawing code: pointer events are
 * delegated from the document; sources are the elements the view draws for guests (vCPU_g_v
 * chips and memory bars), targets are found by position in the view's layout (PU_n / Core_i /
 * NUMANode_n, whether a box is an SVG element or painted on the canvas) and marked through the
 * view. While dragging, the hint next to the pointer shows what edit() says the drop would
 * cost; the drop is one workspace job. Cancelling the pointerdown keeps d3-zoom from panning
 * while a chip is dragged.
 */
import { useEffect, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { formatIdList } from '../../core/cpuset.ts';
import type { Host } from '../../core/host/model.ts';
import { formatKiB } from '../../core/units.ts';
import { useApp } from '../../state/store.ts';
import { drawnGuestId, drawnIndexOf } from '../../state/workspace-sync.ts';
import { nodeRoom, useWorkspace } from '../../state/workspace.ts';
import { hostBoxRect, hostViewAt, setDropMarks, type DropMark } from '../host/views.ts';
import { useDnd, stepTarget } from './dnd-store.ts';
import { describeSource, describeTarget, targetId, targetOfId, type DragSource, type DropTarget } from './gesture.ts';
import './dnd.css';

const THRESHOLD_PX = 4;

interface Pending {
  source: DragSource;
  x: number;
  y: number;
  /** A click on a vCPU chip selects it (Ctrl/Shift/Cmd add to the selection). */
  click?: { guestId: string; vcpu: number };
}

/** The drag source under a pointer, from the panel's data-drag handles or the overlay's ids. */
function sourceAt(el: Element, e: PointerEvent): Pending['click'] & { source: DragSource } | { source: DragSource } | null {
  const handle = el.closest('[data-drag]');
  if (handle) {
    const [kind, guestId, n, kib] = (handle.getAttribute('data-drag') ?? '').split(':');
    const v = Number(n);
    if (!guestId || !Number.isInteger(v)) return null;
    if (kind === 'vcpu') return { source: vcpuSource(guestId, v), guestId, vcpu: v };
    if (kind === 'cell') return { source: { kind: 'cell', guestId, cell: v } };
    if (kind === 'memory') return { source: kib ? { kind: 'memory', guestId, cell: v, kib: Number(kib) } : { kind: 'memory', guestId, cell: v } };
    return null;
  }
  if (!el.closest('.topo-viewport')) return null;
  const chip = el.closest('g.vcpu[id^="vCPU_"]');
  if (chip) {
    const m = /^vCPU_(\d+)_(\d+)/.exec(chip.id);
    const guestId = m ? drawnGuestId(Number(m[1])) : undefined;
    if (!m || !guestId) return null;
    return { source: vcpuSource(guestId, Number(m[2])), guestId, vcpu: Number(m[2]) };
  }
  const bar = el.closest('.mem-bar');
  const m = /^mem-bar-(\d+)-(\d+)-(\d+)$/.exec(bar?.getAttribute('data-testid') ?? '');
  const guestId = m ? drawnGuestId(Number(m[1])) : undefined;
  if (!m || !guestId) return null;
  const cell = Number(m[2]);
  // Shift moves half of the cell's memory (the cell then interleaves over both nodes)
  const kib = useWorkspace.getState().guests.find((g) => g.id === guestId)?.layout?.cells.find((c) => c.id === cell)?.memoryKiB;
  return { source: e.shiftKey && kib ? { kind: 'memory', guestId, cell, kib: Math.floor(kib / 2) } : { kind: 'memory', guestId, cell } };
}

/** The dragged vCPU, or the whole selection when the vCPU is part of it. */
function vcpuSource(guestId: string, vcpu: number): DragSource {
  const sel = useDnd.getState().selection;
  if (sel?.guestId === guestId && sel.vcpus.includes(vcpu)) return { kind: 'vcpus', guestId, vcpus: sel.vcpus };
  return { kind: 'vcpus', guestId, vcpus: [vcpu] };
}

/** The host view target under a point: the deepest box there that is one, or one holding it (chips drawn over a PU do not hide it). */
function targetAt(x: number, y: number, host: Host): DropTarget | null {
  const view = hostViewAt(x, y);
  const box = view?.boxAt(x, y);
  if (!view || !box) return null;
  for (const b of view.chain(box)) {
    const t = targetOfId(b.id, host);
    if (t) return t;
  }
  return null;
}

/**
 * The sheet over the page while a pointer drags: it shows the grabbing cursor, and the pointer
 * leaves the host view for it, which hides the view's tooltip. Styling the body or every element
 * for either would restyle and re-walk the whole page at the start and at the drop of each drag.
 */
function dragSheet(): { element: Element; show(on: boolean): void; hideAfterDrop(): void; pressedThrough(x: number, y: number): Element | null; remove(): void } {
  const sheet = document.createElement('div');
  sheet.className = 'dnd-sheet';
  sheet.hidden = true;
  // hit tests for the drop target look through it
  sheet.setAttribute('data-see-through', '');
  document.body.append(sheet);
  let lowering = 0;
  const show = (on: boolean) => {
    cancelAnimationFrame(lowering);
    lowering = 0;
    sheet.hidden = !on;
  };
  return {
    element: sheet,
    show,
    /**
     * Gone in the frame after the one that shows the drop: taking it away changes what is under
     * the pointer (a hit test, pointerover and the like for the page), none of which the drop's frame needs.
     */
    hideAfterDrop() {
      cancelAnimationFrame(lowering);
      lowering = requestAnimationFrame(() => {
        lowering = requestAnimationFrame(() => show(false));
      });
    },
    /** A press that landed on the sheet before it went: the sheet goes now, and the press is for what lies under it. */
    pressedThrough(x, y) {
      show(false);
      return document.elementFromPoint(x, y);
    },
    remove() {
      show(false);
      sheet.remove();
    },
  };
}

export function DragLayer() {
  useEffect(() => {
    const sheet = dragSheet();
    let pending: Pending | null = null;
    let frame = 0;
    let last: { x: number; y: number } | null = null;

    const onDown = (e: PointerEvent) => {
      // a click elsewhere ends a keyboard move, like Escape
      if (useDnd.getState().active?.via === 'keyboard') useDnd.getState().cancel();
      const target = e.target === sheet.element ? sheet.pressedThrough(e.clientX, e.clientY) : e.target;
      if (e.button !== 0 || !(target instanceof Element)) return;
      const found = sourceAt(target, e);
      if (!found) return;
      e.preventDefault();
      pending = { source: found.source, x: e.clientX, y: e.clientY };
      if ('vcpu' in found && found.guestId !== undefined && found.vcpu !== undefined) pending.click = { guestId: found.guestId, vcpu: found.vcpu };
    };
    // d3-zoom pans on mousedown; a pending drag owns this gesture
    const onMouseDown = (e: MouseEvent) => {
      if (pending) e.stopPropagation();
    };
    const track = () => {
      frame = 0;
      const host = useApp.getState().host;
      if (!last || !host || !useDnd.getState().active) return;
      useDnd.getState().moveTo(last.x, last.y);
      useDnd.getState().setTarget(targetAt(last.x, last.y, host));
    };
    const onMove = (e: PointerEvent) => {
      const dnd = useDnd.getState();
      if (pending && !dnd.active && Math.hypot(e.clientX - pending.x, e.clientY - pending.y) >= THRESHOLD_PX) {
        dnd.begin(pending.source, 'pointer', e.clientX, e.clientY);
        sheet.show(true);
      }
      if (useDnd.getState().active?.via !== 'pointer') return;
      e.preventDefault();
      last = { x: e.clientX, y: e.clientY };
      if (!frame) frame = requestAnimationFrame(track);
    };
    const onUp = (e: PointerEvent) => {
      const p = pending;
      pending = null;
      const dnd = useDnd.getState();
      if (dnd.active?.via === 'pointer') {
        // The target of the last tracked move, whose hint the person saw, is the one dropped on when the
        // pointer is still there; else it is hit-tested now, before the page changes (after, the hit test
        // would lay the page out again).
        const host = useApp.getState().host;
        const tracked = !frame && last?.x === e.clientX && last.y === e.clientY;
        cancelAnimationFrame(frame);
        frame = 0;
        if (host && !tracked) dnd.setTarget(targetAt(e.clientX, e.clientY, host));
        sheet.hideAfterDrop();
        void dnd.drop();
        return;
      }
      sheet.show(false);
      if (p?.click && e.type === 'pointerup') dnd.select(p.click.guestId, p.click.vcpu, e.ctrlKey || e.metaKey || e.shiftKey);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && useDnd.getState().active?.via === 'pointer') {
        pending = null;
        sheet.show(false);
        useDnd.getState().cancel();
      }
    };
    document.addEventListener('pointerdown', onDown, true);
    window.addEventListener('mousedown', onMouseDown, true);
    document.addEventListener('pointermove', onMove, true);
    document.addEventListener('pointerup', onUp, true);
    document.addEventListener('pointercancel', onUp, true);
    document.addEventListener('keydown', onKey, true);
    return () => {
      cancelAnimationFrame(frame);
      sheet.remove();
      document.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('mousedown', onMouseDown, true);
      document.removeEventListener('pointermove', onMove, true);
      document.removeEventListener('pointerup', onUp, true);
      document.removeEventListener('pointercancel', onUp, true);
      document.removeEventListener('keydown', onKey, true);
    };
  }, []);

  useMarks();
  return (
    <>
      <DropHint />
      <div className="sr-only" role="status" aria-live="polite" data-testid="dnd-live">
        {useDnd((s) => s.announcement)}
      </div>
    </>
  );
}

/** The host views' marks: the target under the drag, the selected and dragged chips. */
function useMarks() {
  useEffect(() => {
    const apply = () => {
      const marks: DropMark[] = [];
      const { active, selection } = useDnd.getState();
      if (selection) {
        const g = drawnIndexOf(selection.guestId);
        for (const v of selection.vcpus) marks.push({ id: `vCPU_${g}_${v}`, classes: ['dnd-selected'] });
      }
      if (active?.source.kind === 'vcpus') {
        const g = drawnIndexOf(active.source.guestId);
        for (const v of active.source.vcpus) marks.push({ id: `vCPU_${g}_${v}`, classes: ['dnd-source'] });
      }
      if (active?.target) marks.push({ id: targetId(active.target), classes: active.preview ? ['dnd-target', active.preview.ok ? 'dnd-ok' : 'dnd-bad'] : ['dnd-target'] });
      setDropMarks(marks);
    };
    let frame = 0;
    // the overlay redraws after a drop: mark again once it has
    const later = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(apply);
    };
    const offDnd = useDnd.subscribe((s, prev) => {
      if (s.active !== prev.active || s.selection !== prev.selection) apply();
    });
    const offApp = useApp.subscribe((s, prev) => {
      if (s.guests !== prev.guests) later();
    });
    return () => {
      cancelAnimationFrame(frame);
      offDnd();
      offApp();
      setDropMarks([]);
    };
  }, []);
}

function DropHint() {
  const active = useDnd((s) => s.active);
  const host = useApp((s) => s.host);
  const guests = useWorkspace((s) => s.guests);
  if (!active || !host) return null;
  const { source, target, preview } = active;
  let x = active.x;
  let y = active.y;
  if (active.via === 'keyboard' && target) {
    const r = hostBoxRect(targetId(target));
    if (r) {
      x = r.x + r.width;
      y = r.y + r.height;
    }
  }
  const lines: { text: string; cls?: string }[] = [];
  if (target?.node !== undefined && target.node !== null) {
    const room = nodeRoom(host, guests, target.node, source.guestId);
    lines.push({ text: `node ${room.node}: ${room.freeCpus} of ${room.onlineCpus} CPUs free${room.freeKiB !== null ? `, ${formatKiB(room.freeKiB)} memory free` : ''}`, cls: 'muted' });
  }
  if (target?.kind === 'pu' || target?.kind === 'core') {
    const cpus = target.kind === 'pu' ? [target.cpu] : (host.cores[target.core]?.cpus ?? []);
    for (const g of guests) {
      if (g.id === source.guestId || !g.layout) continue;
      const held = g.layout.pins.filter((p) => p.cpus.length === 1 && cpus.includes(p.cpus[0])).map((p) => p.cpus[0]);
      if (held.length > 0) lines.push({ text: `CPU ${formatIdList(held)} held by ${g.name}`, cls: 'bad' });
    }
  }
  if (target && !preview) lines.push({ text: 'asking the partitioner…', cls: 'muted' });
  if (preview && !preview.ok) lines.push({ text: `Refused: ${preview.refusal ?? 'not possible'}`, cls: 'bad' });
  if (preview?.ok) {
    for (const t of preview.explanation) lines.push({ text: t });
    for (const t of preview.warnings) lines.push({ text: t, cls: 'warn' });
    if (preview.explanation.length === 0 && preview.warnings.length === 0) lines.push({ text: 'nothing changes', cls: 'muted' });
  }
  return (
    <div
      className={`drop-hint${preview ? (preview.ok ? ' ok' : ' bad') : ''}`}
      data-testid="drop-hint"
      data-state={preview ? (preview.ok ? 'ok' : 'refused') : 'pending'}
      style={{ transform: `translate(${Math.round(x + 16)}px, ${Math.round(y + 16)}px)` }}
      aria-hidden="true"
    >
      <div className="drop-hint-title">
        {describeSource(source)} → {target ? describeTarget(target, host) : 'drop on a CPU, core or NUMA node'}
      </div>
      {lines.map((l, i) => (
        <div key={i} className={l.cls}>
          {l.text}
        </div>
      ))}
    </div>
  );
}

/**
 * The keyboard path of a drag source (a vCPU, cell or memory handle in the guest panel): Enter
 * or Space picks it up, arrows choose the target (with the same cost hint), Enter drops,
 * Escape cancels; each step is announced.
 */
export function keyboardDrag(source: DragSource, start: () => DropTarget | null) {
  return (e: ReactKeyboardEvent<HTMLElement>) => {
    const dnd = useDnd.getState();
    const host = useApp.getState().host;
    if (!host) return;
    const mine = dnd.active?.via === 'keyboard' && JSON.stringify(dnd.active.source) === JSON.stringify(source);
    if (!mine) {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      const r = e.currentTarget.getBoundingClientRect();
      dnd.begin(source, 'keyboard', r.right, r.bottom);
      dnd.setTarget(start());
      return;
    }
    if (e.key.startsWith('Arrow')) {
      e.preventDefault();
      dnd.setTarget(stepTarget(host, source, dnd.active?.target ?? null, e.key));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      void dnd.drop();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      dnd.cancel();
    } else if (e.key === 'Tab') {
      dnd.cancel();
    }
  };
}
