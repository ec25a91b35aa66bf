/**
 * Keyboard bindings the lstopo way (+ - 1 F i f), on the window, ignored while the user types
 * in a field so a paste box still receives every key.
 */
export type KeyMap = Record<string, (e: KeyboardEvent) => void>;

export function createKeyBindings(target: Window | HTMLElement, keys: KeyMap): { destroy(): void } {
  const onKey = (e: Event) => {
    const ev = e as KeyboardEvent;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    if (isEditable(ev.target)) return;
    const handler = keys[ev.key];
    if (!handler) return;
    ev.preventDefault();
    handler(ev);
  };
  target.addEventListener('keydown', onKey);
  return { destroy: () => target.removeEventListener('keydown', onKey) };
}

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || !!t.closest('[contenteditable="true"], .monaco-editor');
}
