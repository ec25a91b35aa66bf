/**
 * Node choice: the k-subset of eligible host nodes with the lowest pairwise distance cost
 * (Σ over node pairs of d − 10; the layout's distance cost is this times a constant, see
 * score.ts), ties broken by the caller's order. Branch and bound over subsets in id order,
 * seeded by greedy growth from every node plus one-swap descent. Exact when the search runs
 * to the end; with a step budget it stops early — deterministically, counting steps rather
 * than time — and reports a proven lower bound instead.
 */
import type { DistanceOf } from './distances.ts';

export interface NodeSearch {
  size: number;
  /** Nodes that may be chosen, ascending. */
  eligible: readonly number[];
  /** Nodes that must be chosen (device locality), a subset of eligible. */
  required: readonly number[];
  distance: DistanceOf;
  /** Exact feasibility of a whole subset (ascending ids). */
  accept: (nodes: readonly number[]) => boolean;
  /** Order among subsets of equal cost: negative when a is better. */
  tieBreak: (a: readonly number[], b: readonly number[]) => number;
  /** Undefined = no limit (exact). */
  stepBudget?: number;
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

export function searchNodes(s: NodeSearch): NodeSearchResult | undefined {
  const { size, eligible, required, distance, accept, tieBreak } = s;
  if (required.length > size || eligible.length < size || required.some((r) => !eligible.includes(r))) return undefined;
  const requiredSet = new Set(required);
  const optional = eligible.filter((n) => !requiredSet.has(n));
  const picks = size - required.length;
  const excess = (a: number, b: number) => Math.max(0, distance(a, b) - 10);
  const budget = s.stepBudget ?? Infinity;
  let steps = 0;
  let aborted = false;
  let best: { nodes: number[]; cost: number } | undefined;

  const consider = (nodes: number[], cost: number) => {
    if (best && (cost > best.cost || (cost === best.cost && tieBreak(nodes, best.nodes) >= 0))) return;
    if (accept(nodes)) best = { nodes, cost };
  };
  const costOf = (nodes: readonly number[]) => {
    let c = 0;
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) c += excess(nodes[i], nodes[j]);
    return c;
  };
  const baseCost = costOf(required);

  // halfPairs[j][r]: half the sum of j's r smallest distances to other optional nodes — the
  // least j can add through pairs among the picks still to come.
  const halfPairs = optional.map((a) => {
    const row = optional.filter((b) => b !== a).map((b) => excess(a, b)).sort((x, y) => x - y);
    const prefix = [0];
    for (let i = 0; i < Math.max(0, picks - 1); i++) prefix.push(prefix[i] + (row[i] ?? 0) / 2);
    return prefix;
  });
  const inc = optional.map((b) => required.reduce((sum, a) => sum + excess(a, b), 0));

  const boundFrom = (from: number, cost: number, remaining: number): number => {
    if (remaining === 0) return cost;
    const extra: number[] = [];
    for (let j = from; j < optional.length; j++) extra.push(inc[j] + halfPairs[j][remaining - 1]);
    if (extra.length < remaining) return Infinity;
    extra.sort((x, y) => x - y);
    let b = cost;
    for (let i = 0; i < remaining; i++) b += extra[i];
    return b;
  };
  const lowerBound = boundFrom(0, baseCost, picks);

  greedySeeds(optional, required, picks, excess, (nodes) => {
    steps++;
    consider(nodes, costOf(nodes));
  });
  if (best) descend();

  const chosen: number[] = [...required];
  const dfs = (from: number, cost: number) => {
    if (++steps > budget) {
      aborted = true;
      return;
    }
    const remaining = size - chosen.length;
    if (remaining === 0) {
      consider([...chosen].sort((a, b) => a - b), cost);
      return;
    }
    if (best && boundFrom(from, cost, remaining) > best.cost) return;
    for (let j = from; j <= optional.length - remaining && !aborted; j++) {
      const node = optional[j];
      for (let l = j + 1; l < optional.length; l++) inc[l] += excess(node, optional[l]);
      chosen.push(node);
      dfs(j + 1, cost + inc[j]);
      chosen.pop();
      for (let l = j + 1; l < optional.length; l++) inc[l] -= excess(node, optional[l]);
    }
  };
  dfs(0, baseCost);

  if (!best) return undefined;
  return {
    nodes: best.nodes,
    pairCost: best.cost,
    optimal: !aborted || best.cost <= lowerBound,
    lowerBound: aborted ? Math.min(best.cost, lowerBound) : best.cost,
    steps,
  };

  /** One-swap descent from the incumbent: trade a chosen optional node for an unchosen one. */
  function descend(): void {
    let improved = true;
    while (improved && best && steps < budget) {
      improved = false;
      const current = best.nodes;
      for (const out of current.filter((n) => !requiredSet.has(n))) {
        for (const into of optional) {
          if (current.includes(into)) continue;
          steps++;
          const next = current.map((n) => (n === out ? into : n)).sort((a, b) => a - b);
          const before: { nodes: number[]; cost: number } | undefined = best;
          consider(next, costOf(next));
          if (best !== before) {
            improved = true;
            break;
          }
        }
        if (improved || steps >= budget) break;
      }
    }
  }
}

/** Grow a subset from each optional node, adding the nearest node each time (ties: lower id). */
function greedySeeds(
  optional: readonly number[],
  required: readonly number[],
  picks: number,
  excess: (a: number, b: number) => number,
  visit: (nodes: number[]) => void,
): void {
  if (picks === 0) {
    visit([...required].sort((a, b) => a - b));
    return;
  }
  for (const seed of optional) {
    const set = [...required, seed];
    while (set.length < required.length + picks) {
      let bestNode = -1;
      let bestAdd = Infinity;
      for (const n of optional) {
        if (set.includes(n)) continue;
        let add = 0;
        for (const m of set) add += excess(m, n);
        if (add < bestAdd) {
          bestAdd = add;
          bestNode = n;
        }
      }
      set.push(bestNode);
    }
    visit(set.sort((a, b) => a - b));
  }
}
