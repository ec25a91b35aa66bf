/**
 * The hostile tier's one check: an entry point given a hostile input returns (never throws),
 * within HANG_MS, and its heap grows by less than the largest host's worth. A hang is caught by
 * the per-test timeout (and, as a test cannot interrupt synchronous code, by the elapsed time of
 * each input), a blow-up by the heap delta. The bounds are minutes-apart from normal: hang and
 * blow-up detectors, not timing assertions.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostics.ts';

// A collection before an input when the heap is already large, so that what one input left
// behind is not charged to the next (on a small heap it would only cost time).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Generous for a 2-core machine shared by everyone: a hang runs for minutes, not seconds. */
export const HANG_MS = 20_000;

/**
 * A real host's parse stays under tens of MB; the blow-ups of issue 18 took 1.3–2.5 GB. The
 * largest host numascope models (2^20 CPUs, cpuset.ts's MAX_IDS, which a 10 KB list can name)
 * takes about 450 MB as a Host, so the budget sits just above it.
 */
const HEAP_BUDGET_MB = 640;

export function survive<T>(run: () => T): T {
  if (process.memoryUsage().heapUsed > 128 * 2 ** 20) collect();
  const before = process.memoryUsage().heapUsed;
  let result: T | undefined;
  const started = performance.now();
  expect(() => (result = run())).not.toThrow();
  const ms = performance.now() - started;
  expect(ms, `took ${ms.toFixed(0)} ms`).toBeLessThan(HANG_MS);
  const grown = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  expect(grown, `heap grew by ${grown.toFixed(0)} MB`).toBeLessThan(HEAP_BUDGET_MB);
  return result as T;
}

/** "internal error" is a bug report: no input may reach the nets that print it. */
export function expectNoInternalError(diagnostics: readonly Diagnostic[]): void {
  const internal = diagnostics.filter((d) => /internal error|reader failed on this paste/.test(d.message));
  expect(internal.map((d) => d.message)).toEqual([]);
}
