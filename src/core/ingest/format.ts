import type { FormatId, HostFacts } from '../host/facts.ts';

/**
 * One host-dump format. sniff() says how sure it is that a text is in this format (0 = not at
 * all, 1 = certain) by looking at its first lines only, so detection stays cheap on 10 MB pastes.
 * parse() never throws: everything it cannot use becomes a diagnostic in the facts.
 */
export interface Format {
  id: FormatId;
  /** What a person calls it: "lscpu", "numactl -H", "hwloc XML" … */
  label: string;
  sniff(text: string): number;
  parse(text: string, source: string): HostFacts;
}
