/** <memory>, per-cell memory and hugepage backing. */
import type { Diagnostic } from '../../diagnostics.ts';
import { formatKiB } from '../../units.ts';
import { formatIdList } from '../../cpuset.ts';
import { CELL_PATH, MEMNODE_PATH, type LayoutRule, layoutDiagnostic } from './rule.ts';

const MEMORY_PATH = '/domain/memory';
const SMALL_PAGE_KIB = 4;

/** virDomainDefPostParseMemory: with cells, a new define recomputes <memory> as their sum. */
export const memorySumMatchesCells: LayoutRule = (layout) => {
  if (layout.cells.length === 0) return [];
  const sum = layout.cells.reduce((s, c) => s + c.memoryKiB, 0);
  if (sum === layout.memoryKiB) return [];
  return [
    layoutDiagnostic(
      'warning',
      MEMORY_PATH,
      `<memory> is ${layout.memoryKiB} KiB but the NUMA cells hold ${sum} KiB; libvirt replaces <memory> with the cells' sum`,
    ),
  ];
};

export const memoryGiven: LayoutRule = (layout) => {
  const total = layout.cells.length > 0 ? layout.cells.reduce((s, c) => s + c.memoryKiB, 0) : layout.memoryKiB;
  if (total > 0) return [];
  return [layoutDiagnostic('error', MEMORY_PATH, 'Memory size must be specified via <memory> or in the <numa> configuration')];
};

export const cellMemoryWhole: LayoutRule = (layout) =>
  layout.cells
    .filter((c) => !Number.isInteger(c.memoryKiB) || c.memoryKiB < 0)
    .map((c) => layoutDiagnostic('error', CELL_PATH(c.id), `cell ${c.id} memory ${c.memoryKiB} KiB is not a whole, non-negative number of KiB`));

function isPageSize(kib: number): boolean {
  return Number.isInteger(kib) && kib >= SMALL_PAGE_KIB && (kib & (kib - 1)) === 0;
}

/** QEMU maps each cell's backend in whole pages: a cell must be a whole number of its hugepages. */
export const hugepageMultiple: LayoutRule = (layout) => {
  const out: Diagnostic[] = [];
  for (const cell of layout.cells) {
    const size = cell.hugepageSizeKiB;
    if (size === undefined) continue;
    if (!isPageSize(size)) {
      out.push(layoutDiagnostic('error', '/domain/memoryBacking/hugepages/page', `hugepage size ${size} KiB of cell ${cell.id} is not a page size`));
    } else if (cell.memoryKiB % size !== 0) {
      out.push(
        layoutDiagnostic(
          'error',
          CELL_PATH(cell.id),
          `cell ${cell.id} memory ${cell.memoryKiB} KiB is not a multiple of its ${formatKiB(size)} hugepages`,
        ),
      );
    }
  }
  return out;
};

/** The QEMU driver's virNumaGetPageInfo text; it fails at start when a node lacks the size. */
export const hugepageAvailable: LayoutRule = (layout, host) => {
  if (!host) return [];
  const out: Diagnostic[] = [];
  for (const cell of layout.cells) {
    const size = cell.hugepageSizeKiB;
    if (size === undefined || !isPageSize(size)) continue;
    for (const nodeId of cell.hostNodes) {
      const node = host.nodes.find((n) => n.id === nodeId);
      if (!node || node.hugepages.length === 0) continue; // unknown nodes are nodesets.ts's; no page facts = nothing to say
      if (!node.hugepages.some((p) => p.sizeKiB === size))
        out.push(layoutDiagnostic('error', CELL_PATH(cell.id), `page size ${size} is not available on node ${nodeId}`));
    }
  }
  return out;
};

/**
 * A cell bound (strict or restrictive) to host nodes smaller than it cannot be backed there: the
 * QEMU process is killed or fails to start once the nodes run out ("cannot allocate memory").
 * Preferred and interleave fall back to other nodes, so those are only warned about. Node sizes
 * the pastes did not give, and nodes the host lacks (nodesets.ts's), are not judged.
 */
export const cellMemoryFitsNodes: LayoutRule = (layout, host) => {
  if (!host) return [];
  const out: Diagnostic[] = [];
  for (const cell of layout.cells) {
    const nodes = cell.hostNodes.map((id) => host.nodes.find((n) => n.id === id));
    if (nodes.length === 0 || nodes.some((n) => !n || n.memoryKiB === null)) continue;
    const size = nodes.reduce((s, n) => s + (n?.memoryKiB ?? 0), 0);
    if (cell.memoryKiB <= size) continue;
    const binding = cell.memoryMode === 'strict' || cell.memoryMode === 'restrictive';
    const where = cell.hostNodes.length === 1 ? `host node ${cell.hostNodes[0]} holds` : `host nodes ${formatIdList(cell.hostNodes)} hold`;
    out.push(
      layoutDiagnostic(
        binding ? 'error' : 'warning',
        MEMNODE_PATH(cell.id),
        `cell ${cell.id} needs ${formatKiB(cell.memoryKiB)} of memory but ${where} ${formatKiB(size)}`,
      ),
    );
  }
  return out;
};
