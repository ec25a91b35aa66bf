/**
 * A refused request's suggestions as flags: the change a suggestion makes to the request
 * (Suggestion.change, see partition/request.ts) written as the `numascope plan` options that
 * make it, and the person's own command line with those options replaced — "try: numascope plan
 * …" is something to paste, not to work out. Pure: words in, words out.
 */
import { formatIdList } from '../core/cpuset.ts';
import type { PartitionRequest } from '../core/partition/request.ts';
import { NONE, type GivenOption } from './plan-args.ts';

/** One option of a change: its values, one per occurrence; none = the option is to go. */
export interface FlagChange {
  option: string;
  values: string[];
  /** The change takes the field out of the request (written as the option gone, or as 'none'). */
  removes?: true;
}

/** A size in the largest libvirt unit that writes it whole, as --memory reads it back. */
export function sizeFlag(kib: number): string {
  if (kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)}GiB`;
  if (kib % 1024 === 0) return `${kib / 1024}MiB`;
  return `${kib}KiB`;
}

/**
 * How each request field is written as options, every field listed (the type insists), in the
 * order the options are printed. A value of undefined is the field removed: its option goes, or,
 * for what --from may also fill in (hugepages, devices, iothreads), the option saying "none".
 */
const FIELD_FLAGS: { [K in keyof Required<PartitionRequest>]: (value: PartitionRequest[K] | undefined) => FlagChange } = {
  mode: (v) => ({ option: '--mode', values: v === undefined ? [] : [v] }),
  vcpus: (v) => ({ option: '--vcpus', values: v === undefined ? [] : [String(v)] }),
  memoryKiB: (v) => ({ option: '--memory', values: v === undefined ? [] : [sizeFlag(v)] }),
  nodeset: (v) => ({ option: '--nodeset', values: v === undefined ? [] : [v] }),
  cells: (v) => ({ option: '--cells', values: v === undefined ? [] : [String(v)] }),
  cellVcpus: (v) => ({ option: '--cell-vcpus', values: v === undefined ? [] : [v.join(',')] }),
  cellMemoryKiB: (v) => ({ option: '--cell-memory', values: v === undefined ? [] : [v.map(sizeFlag).join(',')] }),
  distribution: (v) => ({ option: '--distribution', values: v === undefined ? [] : [v] }),
  pinning: (v) => ({ option: '--pinning', values: v === undefined ? [] : [v] }),
  reserve: (v) => ({ option: '--reserve', values: v === undefined ? [] : [typeof v === 'string' ? v : formatIdList(v)] }),
  threadPolicy: (v) => ({ option: '--thread-policy', values: v === undefined ? [] : [v] }),
  hugepageSizeKiB: (v) => ({ option: '--hugepages', values: [v === undefined ? NONE : sizeFlag(v)] }),
  tierMemoryKiB: (v) => ({ option: '--tier-memory', values: v === undefined ? [] : [sizeFlag(v)] }),
  iothreads: (v) => ({ option: '--iothreads', values: [String(v ?? 0)] }),
  devices: (v) => ({ option: '--device', values: v === undefined || v.length === 0 ? [NONE] : v.map((d) => `${d.bdf}:${d.policy}`) }),
};

/** The options that make a change, in FIELD_FLAGS' order. */
export function changeFlags(change: Partial<PartitionRequest>): FlagChange[] {
  const out: FlagChange[] = [];
  for (const key of Object.keys(FIELD_FLAGS) as (keyof PartitionRequest)[]) {
    if (!Object.hasOwn(change, key)) continue;
    const flags = FIELD_FLAGS[key] as (value: unknown) => FlagChange;
    const value = change[key];
    const removes = value === undefined || (Array.isArray(value) && value.length === 0);
    out.push(removes ? { ...flags(value), removes } : flags(value));
  }
  // Cell memory sizes are meaningless without the cells' vCPUs: when those go, so do they.
  if (Object.hasOwn(change, 'cellVcpus') && change.cellVcpus === undefined && !Object.hasOwn(change, 'cellMemoryKiB')) out.push({ option: '--cell-memory', values: [], removes: true });
  return out;
}

/**
 * The changes that change something for this command line: taking out a field nothing set is
 * no change — nothing set it when the option was not given and no --from document could have.
 */
export function changesFor(options: readonly GivenOption[], changes: readonly FlagChange[]): FlagChange[] {
  const given = new Set(options.map((o) => o.option));
  return changes.filter((c) => !c.removes || given.has(c.option) || (given.has('--from') && c.values.length > 0));
}

/** A word as a POSIX shell reads it back: bare when it holds nothing the shell would interpret. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./^-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The change for people and scripts: "--mode auto --cells 2", "without --cells". */
export function flagsText(changes: readonly FlagChange[]): string {
  return changes
    .map((c) => (c.values.length === 0 ? `without ${c.option}` : c.values.map((v) => `${c.option} ${shellWord(v)}`).join(' ')))
    .join(' ');
}

/**
 * The command line given with a change applied: an option changed keeps its place (its first
 * occurrence; later ones go), an option removed goes, a new one is added at the end.
 */
export function withChange(options: readonly GivenOption[], changes: readonly FlagChange[]): string[] {
  const byOption = new Map(changes.map((c) => [c.option, c]));
  const placed = new Set<string>();
  const words: string[] = [];
  for (const o of options) {
    const change = byOption.get(o.option);
    if (!change) {
      words.push(...o.words);
      continue;
    }
    if (placed.has(o.option)) continue;
    placed.add(o.option);
    for (const v of change.values) words.push(o.option, v);
  }
  for (const c of changes) if (!placed.has(c.option)) for (const v of c.values) words.push(c.option, v);
  return words;
}
