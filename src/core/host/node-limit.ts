/**
 * The most NUMA nodes a host has, and the step that holds pastes to it. The merged Host carries
 * a node × node distance matrix, so a paste naming a million nodes (`node 999999 cpus:` lines,
 * a hostile XML) must stop before the merge, with one diagnostic, rather than allocate a
 * trillion distances.
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { DistanceFact, HostFacts } from './facts.ts';

/** Node ids run below this: Linux's MAX_NUMNODES is at most 1024 (CONFIG_NODES_SHIFT 10 on x86 and arm64). */
export const MAX_NODES = 1024;

/** The facts with every node id past MAX_NODES left out, and a diagnostic saying so; the facts themselves when none is. */
export function withinNodeLimit(f: HostFacts, notes: Diagnostic[]): HostFacts {
  const past = (id: number | undefined) => id !== undefined && !(id >= 0 && id < MAX_NODES);
  const over = new Set<number>();
  for (const n of f.nodes) if (past(n.id)) over.add(n.id);
  for (const id of f.distances?.nodes ?? []) if (past(id)) over.add(id);
  for (const c of f.cpus) if (past(c.node)) over.add(c.node!);
  if (over.size === 0) return f;
  const shown = [...over].slice(0, 3).join(', ') + (over.size > 3 ? ` and ${over.size - 3} more` : '');
  notes.push({
    severity: 'error',
    source: f.source,
    message: `node id${over.size === 1 ? '' : 's'} ${shown} ${over.size === 1 ? 'is' : 'are'} past ${MAX_NODES - 1}, more nodes than Linux supports; ${over.size === 1 ? 'it is' : 'they are'} left out`,
  });
  const bounded: HostFacts = {
    ...f,
    nodes: f.nodes.filter((n) => !past(n.id)),
    cpus: f.cpus.map((c) => {
      if (!past(c.node)) return c;
      const copy = { ...c };
      delete copy.node;
      return copy;
    }),
  };
  const distances = f.distances && keepNodes(f.distances, (id) => !past(id));
  if (distances) bounded.distances = distances;
  else delete bounded.distances;
  return bounded;
}

function keepNodes(d: DistanceFact, keep: (id: number) => boolean): DistanceFact | undefined {
  const rows = d.nodes.map((id, i) => (keep(id) ? i : -1)).filter((i) => i >= 0);
  if (rows.length === 0) return undefined;
  // Holes stay holes: a distance the paste did not give is not made up here.
  const values = rows.map((i) => {
    const row: number[] = [];
    rows.forEach((j, k) => {
      const v = d.values[i]?.[j];
      if (v !== undefined) row[k] = v;
    });
    return row;
  });
  return { ...d, nodes: rows.map((i) => d.nodes[i]), values };
}
