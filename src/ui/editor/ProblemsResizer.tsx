/**
 * The handle above the problems list: drag it (or focus it and press ↑/↓) to give the list more
 * or less of the editor's fixed height; Monaco takes the rest (its automaticLayout follows). The
 * height is the person's, kept for the page's life, never the list's content: a drop that adds a
 * problem must not resize the editor.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/** Room Monaco keeps, and the least the list shrinks to (its head and one problem). */
const EDITOR_MIN_PX = 192;
const LIST_MIN_PX = 56;
const KEY_STEP_PX = 24;

export function ProblemsResizer({ height, onResize }: { height: number; onResize(px: number): void }) {
  const drag = useRef<{ y: number; height: number; max: number } | null>(null);
  const maxOf = (el: HTMLElement) => Math.max(LIST_MIN_PX, (el.parentElement?.clientHeight ?? height + EDITOR_MIN_PX) - EDITOR_MIN_PX);
  const clamp = (px: number, max: number) => Math.round(Math.min(max, Math.max(LIST_MIN_PX, px)));
  const down = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { y: e.clientY, height, max: maxOf(e.currentTarget) };
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d) onResize(clamp(d.height - (e.clientY - d.y), d.max));
  };
  const up = () => {
    drag.current = null;
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowUp' ? KEY_STEP_PX : e.key === 'ArrowDown' ? -KEY_STEP_PX : 0;
    if (step === 0) return;
    e.preventDefault();
    onResize(clamp(height + step, maxOf(e.currentTarget)));
  };
  return (
    <div
      className="problems-resizer"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Height of the problems list (drag, or ↑ and ↓)"
      aria-valuenow={height}
      tabIndex={0}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      onKeyDown={key}
      data-testid="problems-resizer"
    />
  );
}
