/**
 * Hover, tooltip and highlight for large drawings without one listener per element: pointer
 * events are delegated to the root and resolved to the nearest element carrying a data key;
 * highlights toggle classes on the few elements concerned instead of re-rendering the drawing.
 */
export interface HoverOptions {
  /** Attribute naming what the pointer is over, e.g. "data-box". */
  attribute: string;
  onEnter(key: string, el: Element, e: PointerEvent): void;
  onLeave(key: string): void;
  onMove?(e: PointerEvent): void;
}

export function createHover(root: Element, opts: HoverOptions): { destroy(): void } {
  let current: string | null = null;
  const selector = `[${opts.attribute}]`;
  const over = (e: Event) => {
    const ev = e as PointerEvent;
    const el = (ev.target as Element | null)?.closest?.(selector) ?? null;
    const key = el?.getAttribute(opts.attribute) ?? null;
    if (key === current) return;
    if (current !== null) opts.onLeave(current);
    current = key;
    if (key !== null && el) opts.onEnter(key, el, ev);
  };
  const move = (e: Event) => opts.onMove?.(e as PointerEvent);
  const leave = () => {
    if (current !== null) opts.onLeave(current);
    current = null;
  };
  root.addEventListener('pointerover', over);
  root.addEventListener('pointermove', move);
  root.addEventListener('pointerleave', leave);
  return {
    destroy() {
      root.removeEventListener('pointerover', over);
      root.removeEventListener('pointermove', move);
      root.removeEventListener('pointerleave', leave);
    },
  };
}

/** Marks elements (by DOM id, looked up inside root) with a class; set() replaces the marks. */
export function createHighlighter(root: Element | Document, className: string): { set(ids: readonly string[]): void } {
  let marked: Element[] = [];
  return {
    set(ids) {
      for (const el of marked) el.classList.remove(className);
      marked = [];
      for (const id of ids) {
        const el = root instanceof Document ? root.getElementById(id) : root.querySelector(`#${CSS.escape(id)}`);
        if (el) {
          el.classList.add(className);
          marked.push(el);
        }
      }
    },
  };
}

/** One floating tooltip element for a whole view, positioned next to the pointer. */
export function createTooltip(container: HTMLElement): { show(lines: readonly string[], e: { clientX: number; clientY: number }): void; move(e: { clientX: number; clientY: number }): void; hide(): void; destroy(): void } {
  const tip = document.createElement('div');
  tip.className = 'tooltip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  container.appendChild(tip);
  const position = (e: { clientX: number; clientY: number }) => {
    const r = container.getBoundingClientRect();
    let x = e.clientX - r.left + 14;
    const y = e.clientY - r.top + 14;
    if (x + tip.offsetWidth > r.width) x = Math.max(0, e.clientX - r.left - tip.offsetWidth - 10);
    tip.style.transform = `translate(${x}px, ${y}px)`;
  };
  return {
    show(lines, e) {
      tip.replaceChildren(...lines.map((l, i) => {
        const div = document.createElement('div');
        if (i === 0) div.className = 'tooltip-title';
        div.textContent = l;
        return div;
      }));
      tip.hidden = false;
      position(e);
    },
    move(e) {
      if (!tip.hidden) position(e);
    },
    hide() {
      tip.hidden = true;
    },
    destroy() {
      tip.remove();
    },
  };
}
