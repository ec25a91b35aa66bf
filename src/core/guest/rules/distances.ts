/** <cell><distances>: the SLIT rules of virDomainNumaDefNodeDistanceParseXML, and agreement with the host. */
import type { Diagnostic } from '../../diagnostics.ts';
import type { Host } from '../../host/model.ts';
import { CELL_PATH, type LayoutRule, layoutDiagnostic } from './rule.ts';

/** ACPI SLIT: 10 is local, 255 unreachable; a remote cell can never be as near as local. */
const LOCAL_DISTANCE = 10;
const UNREACHABLE = 255;

const distancesPath = (id: number): string => `${CELL_PATH(id)}/distances`;

/** An empty row means "no <distances>": libvirt then uses 10 local and 20 remote. */
export const distanceValues: LayoutRule = (layout) => {
  const n = layout.cells.length;
  const out: Diagnostic[] = [];
  for (const cell of layout.cells) {
    cell.distances.forEach((value, sibling) => {
      if (sibling >= n) {
        out.push(
          layoutDiagnostic(
            'error',
            distancesPath(cell.id),
            `'sibling_id ${sibling}' does not refer to a valid cell within NUMA 'cell id ${cell.id}'`,
          ),
        );
        return;
      }
      const local = sibling === cell.id;
      const valid =
        Number.isInteger(value) &&
        value >= LOCAL_DISTANCE &&
        value <= UNREACHABLE &&
        (local ? value === LOCAL_DISTANCE : value !== LOCAL_DISTANCE);
      if (!valid)
        out.push(
          layoutDiagnostic(
            'error',
            distancesPath(cell.id),
            `'value ${value}' is invalid for 'sibling id ${sibling}' under NUMA 'cell id ${cell.id}'`,
          ),
        );
    });
  }
  return out;
};

export const distanceRowsComplete: LayoutRule = (layout) => {
  const n = layout.cells.length;
  return layout.cells
    .filter((cell) => cell.distances.length > 0 && cell.distances.length < n)
    .map((cell) =>
      layoutDiagnostic(
        'warning',
        distancesPath(cell.id),
        `cell ${cell.id} gives ${cell.distances.length} of ${n} distances; libvirt fills the rest with the mirrored value or 20`,
      ),
    );
};

/** libvirt and QEMU accept an asymmetric matrix; guests rarely expect one. */
export const distancesSymmetric: LayoutRule = (layout) => {
  const out: Diagnostic[] = [];
  for (const a of layout.cells)
    for (const b of layout.cells) {
      if (b.id <= a.id) continue;
      const ab = a.distances[b.id];
      const ba = b.distances[a.id];
      if (ab !== undefined && ba !== undefined && ab !== ba)
        out.push(
          layoutDiagnostic('info', distancesPath(a.id), `distance cell ${a.id} → cell ${b.id} is ${ab} but cell ${b.id} → cell ${a.id} is ${ba}`),
        );
    }
  return out;
};

/**
 * The distance the host's own matrix gives between two nodes, undefined when it gives none: a
 * rule must not warn about a value the host never stated (partition/distances.ts hostDistance,
 * by contrast, assumes libvirt's remote default so the solver can always rank nodes).
 */
export function reportedDistance(host: Host, from: number, to: number): number | undefined {
  const i = host.nodes.findIndex((n) => n.id === from);
  const j = host.nodes.findIndex((n) => n.id === to);
  if (i < 0 || j < 0) return undefined;
  return host.distances[i]?.[j];
}

/**
 * The guest should see the distances its memory really has: the host's between the cells' first
 * backing nodes, and 11 (any remote value) between two slices of one host node.
 */
export const distancesMatchHost: LayoutRule = (layout, host) => {
  if (!host || host.distances.length === 0) return [];
  const out: Diagnostic[] = [];
  for (const a of layout.cells)
    for (const b of layout.cells) {
      if (a.id === b.id || a.hostNodes.length === 0 || b.hostNodes.length === 0) continue;
      const guest = a.distances[b.id];
      const na = a.hostNodes[0];
      const nb = b.hostNodes[0];
      const expected = reportedDistance(host, na, nb);
      if (guest === undefined || expected === undefined || na === nb || guest === expected) continue;
      out.push(
        layoutDiagnostic(
          'warning',
          distancesPath(a.id),
          `distance cell ${a.id} → cell ${b.id} is ${guest} but their host nodes ${na} → ${nb} are ${expected} apart`,
        ),
      );
    }
  return out;
};
