/** <cpu><numa><cell>: ids and vCPU sets, as virDomainNumaDefParseXML and virDomainDefValidate check them. */
import { difference, formatIdList, intersect } from '../../cpuset.ts';
import type { Diagnostic } from '../../diagnostics.ts';
import { CELL_PATH, type LayoutRule, layoutDiagnostic } from './rule.ts';

const NUMA_PATH = '/domain/cpu/numa';

/** Cells are numbered 0..n-1, each id once; the XML lists them in layout order. */
export const cellIdsContiguous: LayoutRule = (layout) => {
  const n = layout.cells.length;
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  for (const cell of layout.cells) {
    if (!Number.isInteger(cell.id) || cell.id < 0 || cell.id >= n) {
      out.push(
        layoutDiagnostic(
          'error',
          CELL_PATH(cell.id),
          "Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not starting from 0 are not allowed",
        ),
      );
    } else if (seen.has(cell.id)) {
      out.push(layoutDiagnostic('error', CELL_PATH(cell.id), `Duplicate NUMA cell info for cell id '${cell.id}'`));
    }
    seen.add(cell.id);
  }
  return out;
};

/** libvirt names the cell being parsed first, then the lowest earlier cell it overlaps. */
export const cellsDisjoint: LayoutRule = (layout) => {
  const out: Diagnostic[] = [];
  layout.cells.forEach((cell, i) => {
    const earlier = layout.cells
      .slice(0, i)
      .filter((other) => intersect(other.vcpus, cell.vcpus).length > 0)
      .map((other) => other.id)
      .sort((a, b) => a - b);
    if (earlier.length > 0)
      out.push(layoutDiagnostic('error', CELL_PATH(cell.id), `NUMA cells ${cell.id} and ${earlier[0]} have overlapping vCPU ids`));
  });
  return out;
};

/** More listed vCPUs than <vcpu> is reported before ids beyond it, as virDomainDefValidate does. */
export const cellVcpusWithinCount: LayoutRule = (layout) => {
  const listed = layout.cells.flatMap((c) => c.vcpus);
  if (listed.length > layout.vcpus)
    return [layoutDiagnostic('error', NUMA_PATH, 'Number of CPUs in <numa> exceeds the <vcpu> count')];
  if (listed.some((v) => v >= layout.vcpus))
    return [layoutDiagnostic('error', NUMA_PATH, 'CPU IDs in <numa> exceed the <vcpu> count')];
  return [];
};

/** Accepted by libvirt (since 6.5.0 the QEMU driver puts them in cell 0), but rarely meant. */
export const everyVcpuInACell: LayoutRule = (layout) => {
  if (layout.cells.length === 0) return [];
  const all = Array.from({ length: Math.max(0, layout.vcpus) }, (_, v) => v);
  const missing = difference(all, layout.cells.flatMap((c) => c.vcpus));
  if (missing.length === 0) return [];
  return [
    layoutDiagnostic(
      'warning',
      NUMA_PATH,
      `vCPUs ${formatIdList(missing)} are in no NUMA cell; libvirt's QEMU driver adds them to cell 0`,
    ),
  ];
};
