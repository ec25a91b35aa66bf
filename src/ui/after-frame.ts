/**
 * A value that follows its source one painted frame late. The views a person is not acting on
 * (the other renderings of the XML, the problems list, the explanation, the history) read the
 * guest through it, so the frame that shows a drop holds only what the drop is about: the
 * diagram, the XML and the affinity map. Their own update is painted in the frame after.
 */
import { useEffect, useRef, useState } from 'react';

export function useAfterFrame<T>(value: T): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  latest.current = value;
  const scheduled = useRef<{ frame: number; timer?: ReturnType<typeof setTimeout> } | null>(null);
  useEffect(() => {
    if (Object.is(value, shown) || scheduled.current) return;
    // An animation frame callback runs before its frame is painted; a task queued from it, after.
    // Values that change meanwhile are caught up with then: the latest one is shown.
    const s: { frame: number; timer?: ReturnType<typeof setTimeout> } = {
      frame: requestAnimationFrame(() => {
        s.timer = setTimeout(() => {
          scheduled.current = null;
          setShown(() => latest.current);
        }, 0);
      }),
    };
    scheduled.current = s;
  }, [value, shown]);
  useEffect(
    () => () => {
      const s = scheduled.current;
      scheduled.current = null;
      if (s) {
        cancelAnimationFrame(s.frame);
        clearTimeout(s.timer);
      }
    },
    [],
  );
  return shown;
}
