/**
 * What each partition mode means (DESIGN.md §3), one record per mode, so that the solver, the
 * request's defaults, the app and the CLI read the same rules rather than testing the mode's
 * name each in their own way.
 */

/**
 * auto: the fewest host nodes that hold the guest, one cell per node (the default; VMware, Xen's
 * placement, Nova); host: the talk's mirror of the host's nodes; node: one cell floating on a node.
 */
export const PARTITION_MODES = ['auto', 'host', 'node'] as const;
export type PartitionMode = (typeof PARTITION_MODES)[number];
export const PINNINGS = ['1:1', 'node-float'] as const;
export type Pinning = (typeof PINNINGS)[number];

export interface ModeRule {
  /** The pinning a request of this mode gets when it names none. */
  pinning: Pinning;
  /**
   * Guest cells when the request gives no count: one per host node the guest spans, one per
   * node of the nodeset (or of the host) mirrored, or a single cell.
   */
  cells: 'per-node-spanned' | 'mirror' | 'one';
  /** One line for a person choosing the mode. */
  hint: string;
}

export const MODE_RULES: Readonly<Record<PartitionMode, ModeRule>> = {
  auto: { pinning: '1:1', cells: 'per-node-spanned', hint: 'the fewest nodes that hold the guest, one cell per node, 1:1 pins' },
  host: { pinning: '1:1', cells: 'mirror', hint: "the talk's: one cell per host node (or per node of the nodeset), 1:1 pins" },
  node: { pinning: 'node-float', cells: 'one', hint: 'one cell on the chosen node(s), vCPUs floating over the whole node' },
};
