/**
 * validate(layout, host?): every rule libvirt and QEMU enforce on the elements a layout owns
 * (DESIGN.md §4), plus the placement sanity checks RHEL's guides ask for. Each rule lives in
 * rules/ and reports with libvirt's own text where libvirt has one; host-dependent rules run
 * only when a host is given. Diagnostics carry an XPath-like `path`, never a line.
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { Host } from '../host/model.ts';
import type { GuestLayout } from './model.ts';
import { cellIdsContiguous, cellsDisjoint, cellVcpusWithinCount, everyVcpuInACell } from './rules/cells.ts';
import { distanceRowsComplete, distanceValues, distancesMatchHost, distancesSymmetric } from './rules/distances.ts';
import { cellMemoryWhole, hugepageAvailable, hugepageMultiple, memoryGiven, memorySumMatchesCells } from './rules/memory.ts';
import { memnodeCellExists, memnodeNodesetGiven, nodesetHasMemory, nodesetIdsValid, nodesetOnHost } from './rules/nodesets.ts';
import { onePinPerVcpu, oneToOnePinsDistinct, pinCpusetGiven, pinnedVcpuExists, pinsNearTheirMemory, pinsOnOnlineCpus } from './rules/pins.ts';
import type { LayoutRule } from './rules/rule.ts';
import { coreWithinOneCell, currentWithinMaximum, manyVcpusNeedEim, socketWithinOneCell, topologyMatchesVcpus } from './rules/topology.ts';

/** In the order libvirt meets them while parsing and validating a domain. */
const RULES: readonly LayoutRule[] = [
  currentWithinMaximum,
  cellIdsContiguous,
  cellsDisjoint,
  cellMemoryWhole,
  distanceValues,
  distanceRowsComplete,
  distancesSymmetric,
  pinCpusetGiven,
  onePinPerVcpu,
  pinnedVcpuExists,
  memnodeCellExists,
  nodesetIdsValid,
  memnodeNodesetGiven,
  memoryGiven,
  memorySumMatchesCells,
  cellVcpusWithinCount,
  everyVcpuInACell,
  topologyMatchesVcpus,
  manyVcpusNeedEim,
  socketWithinOneCell,
  coreWithinOneCell,
  hugepageMultiple,
  oneToOnePinsDistinct,
  nodesetOnHost,
  nodesetHasMemory,
  hugepageAvailable,
  pinsOnOnlineCpus,
  pinsNearTheirMemory,
  distancesMatchHost,
];

export function validate(layout: GuestLayout, host?: Host): Diagnostic[] {
  return RULES.flatMap((rule) => rule(layout, host));
}
