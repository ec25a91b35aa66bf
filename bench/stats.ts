/** Statistics the benchmarks print; no browser or build here, so Node-only benchmarks stay light. */

/** The p-th percentile (nearest rank) of some samples; NaN for none. */
export function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
