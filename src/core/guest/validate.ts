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
import { cellMemoryFitsNodes, cellMemoryWhole, hugepageAvailable, hugepageMultiple, memoryGiven, memorySumMatchesCells } from './rules/memory.ts';
import { memnodeCellExists, memnodeNodesetGiven, nodesetHasMemory, nodesetIdsValid, nodesetOnHost } from './rules/nodesets.ts';
import { onePinPerVcpu, oneToOnePinsDistinct, pinCpusetGiven, pinnedVcpuExists, pinsNearTheirMemory, pinsOnOnlineCpus } from './rules/pins.ts';
import type { LayoutRule } from './rules/rule.ts';
import { coreWithinOneCell, currentWithinMaximum, manyVcpusNeedEim, socketWithinOneCell, topologyMatchesVcpus } from './rules/topology.ts';

/** The rules that judge a layout against its host: what a new host can break in a layout that was fine. */
const HOST_RULE_LIST: readonly LayoutRule[] = [
  nodesetOnHost,
  nodesetHasMemory,
  cellMemoryFitsNodes,
  hugepageAvailable,
  pinsOnOnlineCpus,
  pinsNearTheirMemory,
  distancesMatchHost,
];
const HOST_RULES: ReadonlySet<LayoutRule> = new Set(HOST_RULE_LIST);

/** In the order libvirt meets them while parsing and validating a domain; the host's last. */
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
  ...HOST_RULE_LIST,
];

export function validate(layout: GuestLayout, host?: Host): Diagnostic[] {
  return RULES.flatMap((rule) => rule(layout, host));
}


/**
 * Where a layout does not fit `host`: the host rules' errors (absent or offline CPUs, missing
 * nodes, memory over a node's size, page sizes) and warnings (vCPUs away from their memory,
 * distances unlike the host's), in validate()'s order. Empty when the layout suits the host.
 */
export function misfits(layout: GuestLayout, host: Host): Diagnostic[] {
  return RULES.filter((rule) => HOST_RULES.has(rule))
    .flatMap((rule) => rule(layout, host))
    .filter((d) => d.severity !== 'info');
}
