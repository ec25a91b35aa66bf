/**
 * Where an element's content box is on screen, measured once and again only after something
 * may have moved it (a scroll, a resize, the pointer coming back in): reading it on every
 * pointer move would force a layout of the page whenever a tooltip or a hint had just changed.
 */
export interface ClientOrigin {
  /** Client coordinates of the element's padding box's top-left corner. */
  left: number;
  top: number;
}

export function createClientOrigin(el: HTMLElement): { get(): ClientOrigin; destroy(): void } {
  let origin: ClientOrigin | null = null;
  const forget = () => {
    origin = null;
  };
  const observer = new ResizeObserver(forget);
  observer.observe(el);
  el.addEventListener('pointerenter', forget);
  window.addEventListener('scroll', forget, { capture: true, passive: true });
  window.addEventListener('resize', forget);
  return {
    get() {
      if (!origin) {
        const r = el.getBoundingClientRect();
        origin = { left: r.left + el.clientLeft, top: r.top + el.clientTop };
      }
      return origin;
    },
    destroy() {
      observer.disconnect();
      el.removeEventListener('pointerenter', forget);
      window.removeEventListener('scroll', forget, { capture: true });
      window.removeEventListener('resize', forget);
    },
  };
}
