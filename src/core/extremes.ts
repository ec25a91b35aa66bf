/**
 * The largest and smallest of a list of any length. Math.max(...list) passes every value as an
 * argument and throws a RangeError past some 10^5 of them, which a hostile host or request
 * reaches (issue 18).
 */

export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let best = empty;
  for (const v of values) if (v > best) best = v;
  return best;
}

export function minOf(values: Iterable<number>, empty = Infinity): number {
  let best = empty;
  for (const v of values) if (v < best) best = v;
  return best;
}
