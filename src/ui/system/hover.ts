/**
 * Hover, tooltip and highlight for large drawings without one listener per element: pointer
 * events are delegated to the root and resolved to a key by the caller — the nearest element
 * carrying a data key, or a hit test over the drawing's geometry where boxes have no element
 * (a canvas) — and enter/leave fire only when that key changes. Highlights toggle classes on
 * the few elements concerned instead of re-rendering the drawing.
 */
export interface HoverOptions {
  /** What the pointer is over, or null for nothing of interest. */
  resolve(e: PointerEvent): string | null;
  onEnter(key: string, e: PointerEvent): void;
  onLeave(key: string): void;
  onMove?(e: PointerEvent): void;
}

export function createHover(root: Element, opts: HoverOptions): { destroy(): void } {
  let current: string | null = null;
  const move = (e: Event) => {
    const ev = e as PointerEvent;
    // A drag pans the view: the boxes sliding under the pointer are not being pointed at.
    if (ev.buttons !== 0) return;
    const key = opts.resolve(ev);
    if (key !== current) {
      if (current !== null) opts.onLeave(current);
      current = key;
      if (key !== null) opts.onEnter(key, ev);
    }
    opts.onMove?.(ev);
  };
  const leave = () => {
    if (current !== null) opts.onLeave(current);
    current = null;
  };
  root.addEventListener('pointermove', move);
  root.addEventListener('pointerleave', leave);
  return {
    destroy() {
      root.removeEventListener('pointermove', move);
      root.removeEventListener('pointerleave', leave);
    },
  };
}

/** The value of the attribute on the nearest element around an event's target that carries it. */
export function keyOfTarget(e: Event, attribute: string): string | null {
  const el = (e.target as Element | null)?.closest?.(`[${attribute}]`) ?? null;
  return el?.getAttribute(attribute) ?? null;
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

/**
 * One floating tooltip element for a whole view, positioned next to the pointer. Nothing is
 * measured while the pointer moves from box to box: the container's rectangle is read once when
 * the pointer enters it (and after a scroll or resize), and the tooltip flips to the left of the
 * pointer with a CSS translate instead of measuring its own width, so a hover never forces a
 * layout of the page.
 */
export function createTooltip(container: HTMLElement): { show(lines: readonly string[], e: { clientX: number; clientY: number }): void; move(e: { clientX: number; clientY: number }): void; hide(): void; destroy(): void } {
  const tip = document.createElement('div');
  tip.className = 'tooltip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  container.appendChild(tip);
  /** Widest a tooltip gets (its CSS max-width): past this from the right edge it flips. */
  const TIP_MAX = 340;
  let box: { left: number; top: number; width: number } | null = null;
  const forget = () => {
    box = null;
  };
  container.addEventListener('pointerenter', forget);
  window.addEventListener('scroll', forget, { capture: true, passive: true });
  window.addEventListener('resize', forget);
  const position = (e: { clientX: number; clientY: number }) => {
    if (!box) {
      const r = container.getBoundingClientRect();
      box = { left: r.left, top: r.top, width: r.width };
    }
    const x = e.clientX - box.left;
    const y = e.clientY - box.top + 14;
    tip.style.transform = x + 14 + TIP_MAX > box.width ? `translate(${x - 10}px, ${y}px) translateX(-100%)` : `translate(${x + 14}px, ${y}px)`;
  };
  return {
    show(lines, e) {
      tip.replaceChildren(
        ...lines.map((l, i) => {
          const div = document.createElement('div');
          if (i === 0) div.className = 'tooltip-title';
          div.textContent = l;
          return div;
        }),
      );
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
      container.removeEventListener('pointerenter', forget);
      window.removeEventListener('scroll', forget, { capture: true });
      window.removeEventListener('resize', forget);
      tip.remove();
    },
  };
}
