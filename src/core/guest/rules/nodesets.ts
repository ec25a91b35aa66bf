/** <numatune><memnode>: one per existing cell, a non-empty nodeset of host nodes that exist. */
import type { Diagnostic } from '../../diagnostics.ts';
import { MEMNODE_PATH, type LayoutRule, layoutDiagnostic } from './rule.ts';

/** Cells whose id is out of range would be written as memnodes naming no cell. */
export const memnodeCellExists: LayoutRule = (layout) => {
  const n = layout.cells.length;
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  for (const cell of layout.cells) {
    if (cell.hostNodes.length === 0) continue;
    if (!Number.isInteger(cell.id) || cell.id < 0 || cell.id >= n)
      out.push(
        layoutDiagnostic('error', MEMNODE_PATH(cell.id), "Argument 'cellid' in memnode element must correspond to existing guest's NUMA cell"),
      );
    else if (seen.has(cell.id)) out.push(layoutDiagnostic('error', MEMNODE_PATH(cell.id), `Multiple memnode elements with cellid ${cell.id}`));
    seen.add(cell.id);
  }
  return out;
};

/**
 * An empty hostNodes means "no <memnode>": the cell's memory is not bound, which is legal but
 * defeats the point of a vNUMA layout.
 */
export const memnodeNodesetGiven: LayoutRule = (layout) =>
  layout.cells
    .filter((c) => c.hostNodes.length === 0)
    .map((c) =>
      layoutDiagnostic('warning', MEMNODE_PATH(c.id), `cell ${c.id} has no host nodes: its memory is not bound to any host node`),
    );

export const nodesetIdsValid: LayoutRule = (layout) =>
  layout.cells
    .filter((c) => c.hostNodes.some((n) => !Number.isInteger(n) || n < 0))
    .map((c) => layoutDiagnostic('error', MEMNODE_PATH(c.id), `Failed to parse bitmap '${c.hostNodes.join(',')}'`));

/** virNumaNodesetIsAvailable's text: the QEMU driver refuses to start on a node the host lacks. */
export const nodesetOnHost: LayoutRule = (layout, host) => {
  if (!host) return [];
  const known = new Set(host.nodes.map((n) => n.id));
  const out: Diagnostic[] = [];
  for (const cell of layout.cells)
    for (const node of cell.hostNodes)
      if (Number.isInteger(node) && node >= 0 && !known.has(node))
        out.push(layoutDiagnostic('error', MEMNODE_PATH(cell.id), `NUMA node ${node} is not available`));
  return out;
};

export const nodesetHasMemory: LayoutRule = (layout, host) => {
  if (!host) return [];
  const out: Diagnostic[] = [];
  for (const cell of layout.cells)
    for (const id of cell.hostNodes) {
      const node = host.nodes.find((n) => n.id === id);
      if (node && (node.memoryKiB === 0 || node.kind === 'cpu-only'))
        out.push(layoutDiagnostic('warning', MEMNODE_PATH(cell.id), `host node ${id} backing cell ${cell.id} has no memory`));
    }
  return out;
};
