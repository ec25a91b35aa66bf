/**
 * Node choice: the k-subset of eligible host nodes with the lowest pairwise distance cost
 * (Σ over node pairs of d − 10; the layout's distance cost is this times a constant, see
 * score.ts), then the most nodes local to preferred devices, then the most free memory, then
 * the lowest ids. Branch and bound over subsets in id order, seeded by greedy growth from every
 * node plus one-swap descent. Exact when the search runs to the end; with a step budget it
 * stops early — deterministically, counting steps rather than time — and reports a proven lower
 * bound instead. Everything inside works on indexes into `eligible` and flat typed arrays: the
 * search visits up to thousands of subsets per solve and must not allocate per visit.
 */
import type { DistanceOf } from '../host/distance.ts';

export interface NodeSearch {
  size: number;
  /** Nodes that may be chosen, ascending. */
  eligible: readonly number[];
  /** Nodes that must be chosen (device locality), a subset of eligible. */
  required: readonly number[];
  distance: DistanceOf;
  /** Per eligible node, same order: free memory (tie-break, more is better). */
  free: readonly number[];
  /** Per eligible node, same order: a preferred device is local to it (tie-break). */
  preferred: readonly boolean[];
  /** Exact feasibility of a whole subset (ascending ids); per-node room is the caller's filter. */
  accept: (nodes: readonly number[]) => boolean;
  /** Undefined = no limit (exact). */
  stepBudget?: number;
  /** Only subsets whose pair cost is at most this are wanted. */
  ceiling?: number;
}

export interface NodeSearchResult {
  nodes: number[];
  /** Σ over chosen pairs of (distance − 10). */
  pairCost: number;
  /** The search proved no subset costs less. */
  optimal: boolean;
  /** Proven lower bound on pairCost over all subsets. */
  lowerBound: number;
  steps: number;
}

const EPS = 1e-9;

interface Incumbent {
  /** Optional-node positions (indexes into `optional`), ascending. */
  picks: number[];
  cost: number;
  preferred: number;
  free: number;
}

export function searchNodes(s: NodeSearch): NodeSearchResult | undefined {
  const { size, eligible, required, accept } = s;
  const m = eligible.length;
  const position = new Map(eligible.map((n, i) => [n, i]));
  if (required.length > size || m < size || required.some((r) => !position.has(r))) return undefined;
  const requiredIdx = required.map((r) => position.get(r) as number);
  const isRequired = new Uint8Array(m);
  for (const r of requiredIdx) isRequired[r] = 1;
  const optional: number[] = [];
  for (let i = 0; i < m; i++) if (!isRequired[i]) optional.push(i);
  const o = optional.length;
  const picks = size - required.length;

  // excess[a * o + b] between optional positions; fromRequired[a]: a's excess to every required node.
  const excess = new Float64Array(o * o);
  for (let a = 0; a < o; a++) {
    for (let b = a + 1; b < o; b++) {
      const d = Math.max(0, s.distance(eligible[optional[a]], eligible[optional[b]]) - 10);
      excess[a * o + b] = d;
      excess[b * o + a] = d;
    }
  }
  const fromRequired = new Float64Array(o);
  let baseCost = 0;
  for (let i = 0; i < requiredIdx.length; i++) {
    for (let j = i + 1; j < requiredIdx.length; j++) baseCost += Math.max(0, s.distance(eligible[requiredIdx[i]], eligible[requiredIdx[j]]) - 10);
    for (let a = 0; a < o; a++) fromRequired[a] += Math.max(0, s.distance(eligible[requiredIdx[i]], eligible[optional[a]]) - 10);
  }
  const freeOpt = optional.map((i) => s.free[i]);
  const prefOpt = optional.map((i) => (s.preferred[i] ? 1 : 0));
  const baseFree = requiredIdx.reduce((sum, i) => sum + s.free[i], 0);
  const basePref = requiredIdx.reduce((sum, i) => sum + (s.preferred[i] ? 1 : 0), 0);
  const budget = s.stepBudget ?? Infinity;
  const ceiling = s.ceiling ?? Infinity;
  let steps = 0;
  let aborted = false;
  let best: Incumbent | undefined;

  const nodesOf = (p: readonly number[]): number[] => {
    const ids = requiredIdx.concat(p.map((a) => optional[a]));
    ids.sort((x, y) => x - y);
    return ids.map((i) => eligible[i]);
  };
  const better = (p: readonly number[], cost: number, pref: number, free: number): boolean => {
    if (cost > ceiling + EPS) return false;
    if (!best) return true;
    if (cost < best.cost - EPS) return true;
    if (cost > best.cost + EPS) return false;
    if (pref !== best.preferred) return pref > best.preferred;
    if (free !== best.free) return free > best.free;
    for (let i = 0; i < p.length; i++) if (p[i] !== best.picks[i]) return p[i] < best.picks[i];
    return false;
  };
  const consider = (p: number[], cost: number): void => {
    let pref = basePref;
    let free = baseFree;
    for (const a of p) {
      pref += prefOpt[a];
      free += freeOpt[a];
    }
    if (better(p, cost, pref, free) && accept(nodesOf(p))) best = { picks: p, cost, preferred: pref, free };
  };

  // halfPairs[a * picks + r]: half the sum of a's r smallest excesses to other optional nodes —
  // the least a can add through pairs among the picks still to come.
  const stride = Math.max(1, picks);
  const halfPairs = new Float64Array(o * stride);
  const row = new Float64Array(Math.max(0, o - 1));
  for (let a = 0; a < o; a++) {
    let k = 0;
    for (let b = 0; b < o; b++) if (b !== a) row[k++] = excess[a * o + b];
    row.sort();
    for (let r = 1; r < picks; r++) halfPairs[a * stride + r] = halfPairs[a * stride + r - 1] + (row[r - 1] ?? 0) / 2;
  }
  // Largest free memory and preferred count reachable from position `from` with r picks.
  const topFree = (from: number, r: number): number => {
    const rest = freeOpt.slice(from).sort((x, y) => y - x);
    let sum = 0;
    for (let i = 0; i < r && i < rest.length; i++) sum += rest[i];
    return sum;
  };
  const prefFrom = new Int32Array(o + 1);
  for (let a = o - 1; a >= 0; a--) prefFrom[a] = prefFrom[a + 1] + prefOpt[a];

  const inc = new Float64Array(o);
  inc.set(fromRequired);
  const extra = new Float64Array(o);
  const boundFrom = (from: number, cost: number, remaining: number): number => {
    if (remaining === 0) return cost;
    if (o - from < remaining) return Infinity;
    let k = 0;
    for (let j = from; j < o; j++) extra[k++] = inc[j] + halfPairs[j * stride + remaining - 1];
    const part = extra.subarray(0, k).sort();
    let b = cost;
    for (let i = 0; i < remaining; i++) b += part[i];
    return b;
  };
  const lowerBound = boundFrom(0, baseCost, picks);

  if (picks === 0) {
    steps++;
    consider([], baseCost);
  } else if (picks === 1) {
    // One more node: every choice is a leaf, the scan is the whole search.
    for (let a = 0; a < o; a++) {
      steps++;
      consider([a], baseCost + inc[a]);
    }
  } else {
    greedySeeds();
    if (best) descend();
    const chosen: number[] = [];
    let chosenFree = 0;
    let chosenPref = 0;
    const dfs = (from: number, cost: number): void => {
      if (++steps > budget) {
        aborted = true;
        return;
      }
      const remaining = picks - chosen.length;
      if (remaining === 0) {
        consider([...chosen], cost);
        return;
      }
      if (best && !worthExploring(from, cost, remaining)) return;
      for (let j = from; j <= o - remaining && !aborted; j++) {
        for (let l = j + 1; l < o; l++) inc[l] += excess[j * o + l];
        chosen.push(j);
        chosenFree += freeOpt[j];
        chosenPref += prefOpt[j];
        dfs(j + 1, cost + inc[j]);
        chosen.pop();
        chosenFree -= freeOpt[j];
        chosenPref -= prefOpt[j];
        for (let l = j + 1; l < o; l++) inc[l] -= excess[j * o + l];
      }
    };
    /** Could a completion of `chosen` beat the incumbent on cost, or tie it and win a tie-break? */
    const worthExploring = (from: number, cost: number, remaining: number): boolean => {
      const incumbent = best as Incumbent;
      const bound = boundFrom(from, cost, remaining);
      if (bound > Math.min(incumbent.cost, ceiling) + EPS) return false;
      if (bound < incumbent.cost - EPS) return true;
      const pref = basePref + chosenPref + Math.min(remaining, prefFrom[from]);
      if (pref !== incumbent.preferred) return pref > incumbent.preferred;
      const free = baseFree + chosenFree + topFree(from, remaining);
      if (free !== incumbent.free) return free > incumbent.free;
      // A full tie goes to the lower ids: hopeless once this prefix sorts after the incumbent's.
      for (let i = 0; i < chosen.length; i++) if (chosen[i] !== incumbent.picks[i]) return chosen[i] < incumbent.picks[i];
      return true;
    };
    dfs(0, baseCost);
  }

  if (!best) return undefined;
  const found: Incumbent = best;
  return {
    nodes: nodesOf(found.picks),
    pairCost: found.cost,
    optimal: !aborted || found.cost <= lowerBound + EPS,
    lowerBound: aborted ? Math.min(found.cost, lowerBound) : found.cost,
    steps,
  };

  /** Grow a subset from each optional node, adding the nearest node each time (ties: lower id). */
  function greedySeeds(): void {
    const add = new Float64Array(o);
    const inSet = new Uint8Array(o);
    for (let seed = 0; seed < o && steps < budget; seed++) {
      add.set(fromRequired);
      inSet.fill(0);
      const set = [seed];
      inSet[seed] = 1;
      let cost = baseCost + fromRequired[seed];
      for (let l = 0; l < o; l++) add[l] += excess[seed * o + l];
      while (set.length < picks) {
        let next = -1;
        for (let l = 0; l < o; l++) if (!inSet[l] && (next < 0 || add[l] < add[next])) next = l;
        cost += add[next];
        set.push(next);
        inSet[next] = 1;
        for (let l = 0; l < o; l++) add[l] += excess[next * o + l];
      }
      steps++;
      consider(set.sort((x, y) => x - y), cost);
    }
  }

  /** One-swap descent from the incumbent: trade a chosen optional node for an unchosen one. */
  function descend(): void {
    const contrib = new Float64Array(o);
    let improved = true;
    while (improved && best && steps < budget) {
      improved = false;
      const current = best.picks;
      contrib.set(fromRequired);
      for (const a of current) for (let l = 0; l < o; l++) contrib[l] += excess[a * o + l];
      for (const out of current) {
        for (let into = 0; into < o && steps < budget; into++) {
          if (current.includes(into)) continue;
          steps++;
          const cost = best.cost - contrib[out] + contrib[into] - excess[out * o + into];
          const next = current.map((a) => (a === out ? into : a)).sort((x, y) => x - y);
          const before: Incumbent | undefined = best;
          consider(next, cost);
          if (best !== before) {
            improved = true;
            break;
          }
        }
        if (improved) break;
      }
    }
  }
}
