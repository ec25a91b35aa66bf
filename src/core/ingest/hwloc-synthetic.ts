/**
 * hwloc synthetic topology strings ("pack:2 [numa] l3:2 core:8 pu:2"), as `lstopo --input` takes
 * them, optionally followed by a NUMA distance matrix:
 *
 *   pack:2 [numa(memory=64GiB)] l3:1(size=30MB) core:8 pu:2
 *   distances:
 *   10 21
 *   21 10
 *
 * Rows are in node order (0, 1, …), an optional "N:" label is allowed; a numactl-style table
 * ("node distances:" / "node 0 1" / "0: 10 21") works too. As in hwloc: levels are
 * `type:count(attrs)`, `[numa(attrs)]` attaches a memory node to every object of the level before
 * it (the machine when first), a plain `numa:N` level becomes N groups each with its own node
 * (a group level hwloc merges away, as in `pack:2 numa:1`, is left out here too), a
 * string without any NUMA gets one node 0 for the whole machine, and objects are numbered
 * 0..n-1 in order unless `indexes=` says otherwise (hwloc-synthetic-indexes.ts). A second
 * `[numa]` on one level is a memory-only node beside the first (CXL, HBM): attached nodes are
 * numbered together, after everything below their object, and one `indexes=` on any `[numa]`
 * lists them all, so "CPU nodes 0-1, CXL nodes 2-3" is `[numa] [numa(indexes=0,2,1,3)]`.
 * Sizes: kB/MB/GB are decimal (hwloc's rule), KiB/MiB/GiB binary, a bare number is bytes.
 */
import type { CacheType, HostFacts } from '../host/facts.ts';
import type { Format } from './format.ts';
import { emptyFacts } from '../host/facts.ts';
import { diagnosticSink, type DiagnosticSink } from '../diagnostics.ts';
import { headLines, splitLines } from './text.ts';
import { factsFromTree, hwObject, type HwObject, type HwType } from './hwloc-common.ts';
import { readIndexes, type IndexedLevel } from './hwloc-synthetic-indexes.ts';

interface Level {
  /** The type word as written, for messages. */
  word: string;
  type: HwType;
  cache?: { level: number; type: CacheType };
  count: number;
  attrs: Record<string, string>;
  /** Memory nodes attached to every object of this level. */
  memory: Record<string, string>[];
}

const MAX_PUS = 1 << 18;
/** hwloc's own bound (HWLOC_SYNTHETIC_MAX_DEPTH in synthetic.c, "Too many synthetic levels"). */
const HWLOC_SYNTHETIC_MAX_DEPTH = 128;
const TOKEN = /^([A-Za-z][A-Za-z0-9]*)(?::(\d+))?(?:\(([^)]*)\))?$/;
const MEMORY = /^\[([A-Za-z][A-Za-z0-9]*)(?:\(([^)]*)\))?\]$/;

function levelType(word: string): Pick<Level, 'type' | 'cache'> | undefined {
  const w = word.toLowerCase();
  const cache = /^l(\d)([diu]?)(?:cache)?$/.exec(w);
  if (cache) return { type: 'Cache', cache: { level: Number(cache[1]), type: cache[2] === 'd' ? 'data' : cache[2] === 'i' ? 'instruction' : 'unified' } };
  if (/^(pack|package|socket)$/.test(w)) return { type: 'Package' };
  if (w === 'die') return { type: 'Die' };
  if (/^group\d*$/.test(w)) return { type: 'Group' };
  if (/^(numa|node|numanode)$/.test(w)) return { type: 'NUMANode' };
  if (w === 'core') return { type: 'Core' };
  if (w === 'pu') return { type: 'PU' };
  return undefined;
}

function attrsOf(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).toLowerCase()] = part.slice(eq + 1);
  }
  return out;
}

/** hwloc synthetic sizes: "64GB" = 64e9 bytes, "64GiB" = 64·2^30, "1000000" bytes → KiB. */
export function syntheticSizeToKiB(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(?:([kKmMgGtTpP])(i?)B)?$/.exec(text.trim());
  if (!m) return undefined;
  const exp = m[2] ? 'kmgtp'.indexOf(m[2].toLowerCase()) + 1 : 0;
  const bytes = Number(m[1]) * (m[3] === 'i' ? 1024 : 1000) ** exp;
  return Math.round(bytes / 1024);
}

/** Words split on blanks outside parentheses and brackets. */
function words(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let depth = 0;
  // By character code and slices: a 10 MB line must not cost a string per character.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28 || c === 0x5b) depth++;
    else if (c === 0x29 || c === 0x5d) depth--;
    else if (depth <= 0 && (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0)) {
      if (i > start) out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.length > start) out.push(text.slice(start));
  return out;
}

interface ParsedString {
  levels: Level[];
  /** Memory nodes attached to the machine ([numa] before the first level). */
  machineMemory: Record<string, string>[];
}

function parseLevels(text: string, line: number, sink: DiagnosticSink): ParsedString | undefined {
  const levels: Level[] = [];
  const machineMemory: Record<string, string>[] = [];
  for (const w of words(text)) {
    const mem = MEMORY.exec(w);
    if (mem) {
      if (!/^(numa|node|numanode)$/i.test(mem[1])) {
        sink.warning(line, `memory object '[${mem[1]}]' is not supported; only [numa] nodes are read`);
        continue;
      }
      (levels.length > 0 ? levels[levels.length - 1].memory : machineMemory).push(attrsOf(mem[2]));
      continue;
    }
    const m = TOKEN.exec(w);
    const kind = m ? levelType(m[1]) : undefined;
    if (!m || !kind) {
      sink.error(line, `'${w}' is not a synthetic level: write type:count such as pack:2, numa:2, l3:1, core:8 or pu:2`);
      return undefined;
    }
    const count = m[2] !== undefined ? Number(m[2]) : 1;
    if (count < 1) {
      sink.error(line, `level '${w}' must have at least one object`);
      return undefined;
    }
    // Checked level by level, so that 10,000 levels stop at the 128th, not after all are read.
    if (levels.length + 1 >= HWLOC_SYNTHETIC_MAX_DEPTH) {
      sink.error(line, `the string has more levels than hwloc's limit of ${HWLOC_SYNTHETIC_MAX_DEPTH - 1}; no host nests this deep`);
      return undefined;
    }
    levels.push({ word: m[1], ...kind, count, attrs: attrsOf(m[3]), memory: [] });
  }
  if (levels.length === 0 || levels[levels.length - 1].type !== 'PU') {
    sink.error(line, "a synthetic topology must end with a pu:N level (e.g. 'pack:2 core:8 pu:2')");
    return undefined;
  }
  const pus = levels.reduce((n, l) => n * l.count, 1);
  if (pus > MAX_PUS) {
    sink.error(line, `the string describes ${Number.isFinite(pus) ? pus : 'more'} PUs${Number.isFinite(pus) ? '' : ' than a number holds'}; numascope stops at ${MAX_PUS}`);
    return undefined;
  }
  return { levels, machineMemory };
}

function memoryNode(attrs: Record<string, string>, line: number, sink: DiagnosticSink): HwObject {
  const node = hwObject('NUMANode', line);
  if (attrs.memory !== undefined) {
    const kib = syntheticSizeToKiB(attrs.memory);
    if (kib === undefined) sink.warning(line, `memory=${attrs.memory} is not a size (e.g. 64GiB)`);
    else node.memoryKiB = kib;
  }
  return node;
}

function buildTree(parsed: ParsedString, line: number, sink: DiagnosticSink): HwObject | undefined {
  const { levels, machineMemory } = parsed;
  const numaLevel = levels.some((l) => l.type === 'NUMANode');
  const attachedAnywhere = machineMemory.length > 0 || levels.some((l) => l.memory.length > 0);
  if (numaLevel && attachedAnywhere) {
    sink.error(line, 'a synthetic string cannot have NUMA nodes both as a level (numa:N) and attached ([numa]); hwloc refuses it too');
    return undefined;
  }
  const machine = hwObject('Machine', line);
  const widths: number[] = [];
  levels.reduce((n, l) => {
    widths.push(n * l.count);
    return n * l.count;
  }, 1);
  const indexed: IndexedLevel[] = levels.slice(0, -1).map((l, i) => ({ type: l.type, cache: l.cache, width: widths[i] }));
  const indexes = levels.map((l, i) => (l.attrs.indexes === undefined ? undefined : readIndexes(l.attrs.indexes, widths[i], indexed, levelType, `${widths[i]} ${l.word} objects`, line, sink)));

  // Attached nodes share one numbering across the whole string (hwloc's numa_attached_indexes):
  // an indexes= on any [numa] lists every attached node, the last such attribute wins.
  // hwloc gives a topology without NUMA information one node for the whole machine.
  const machineNodes = numaLevel || attachedAnywhere ? machineMemory : [{}];
  const attachedTotal = machineNodes.length + levels.reduce((n, l, i) => n + l.memory.length * widths[i], 0);
  const withIndexes = [...levels.flatMap((l) => l.memory), ...machineMemory].filter((m) => m.indexes !== undefined);
  if (withIndexes.length > 1) sink.info(line, `indexes= is given on ${withIndexes.length} attached [numa]; as in hwloc, the last one numbers every attached node`);
  const lastIndexes = withIndexes[withIndexes.length - 1]?.indexes;
  const attachedIndexes = lastIndexes === undefined ? undefined : readIndexes(lastIndexes, attachedTotal, indexed, levelType, `${attachedTotal} attached NUMA nodes`, line, sink);
  let attached = 0;
  // hwloc creates an object's attached nodes after everything below it and numbers them in that
  // order; its tree then lists them by OS index, which decides the node that owns the CPUs.
  const attach = (obj: HwObject, memory: readonly Record<string, string>[]) => {
    const nodes = memory.map((attrs) => {
      const node = memoryNode(attrs, line, sink);
      node.osIndex = attachedIndexes?.[attached] ?? attached;
      attached++;
      return node;
    });
    obj.children = [...nodes.sort((a, b) => (a.osIndex ?? 0) - (b.osIndex ?? 0)), ...obj.children];
  };

  const seen = levels.map(() => 0);
  const build = (parent: HwObject, depth: number): void => {
    const level = levels[depth];
    for (let k = 0; k < level.count; k++) {
      const logical = seen[depth]++;
      const os = indexes[depth]?.[logical] ?? logical;
      // A plain numa level is a group of CPUs with its node attached, as hwloc builds it.
      const obj = hwObject(level.type === 'NUMANode' ? 'Group' : level.type, line);
      if (level.type === 'NUMANode') {
        const node = memoryNode(level.attrs, line, sink);
        node.osIndex = os;
        obj.children.push(node);
      } else {
        obj.osIndex = os;
      }
      if (level.cache) {
        obj.cache = { ...level.cache };
        if (level.attrs.size !== undefined) obj.cache.sizeKiB = syntheticSizeToKiB(level.attrs.size);
      }
      if (depth + 1 < levels.length) build(obj, depth + 1);
      attach(obj, level.memory);
      parent.children.push(...(obj.type === 'Group' ? groupAsHwlocKeepsIt(obj, level.count, levels[depth + 1]?.count) : [obj]));
    }
  };
  build(machine, 0);
  attach(machine, machineNodes);
  return machine;
}

/**
 * hwloc keeps a Group only where it adds a level: one per parent ("pack:2 numa:1") has the
 * parent's CPUs, one over a single child ("numa:2 pack:1") the child's, and hwloc merges both
 * away. What the group held then goes to that parent or child, its memory too.
 */
function groupAsHwlocKeepsIt(group: HwObject, count: number, childCount: number | undefined): HwObject[] {
  if (count !== 1 && childCount !== 1) return [group];
  const memory = group.children.filter((c) => c.type === 'NUMANode');
  const inner = group.children.filter((c) => c.type !== 'NUMANode');
  if (count === 1 || inner.length !== 1) return [...memory, ...inner];
  inner[0].children = [...memory, ...inner[0].children];
  return inner;
}

function readDistances(lines: string[], first: number, facts: HostFacts, sink: DiagnosticSink): void {
  let header: number[] | undefined;
  const rows: { label?: number; values: number[]; line: number }[] = [];
  let startLine = first + 1;
  for (let i = first; i < lines.length; i++) {
    const t = lines[i].trim();
    const n = i + 1;
    if (t === '') continue;
    if (/^(node\s+)?distances\s*:?$/i.test(t)) {
      startLine = n;
      continue;
    }
    const head = /^node((?:\s+\d+)+)\s*$/i.exec(t);
    if (head) {
      header = head[1].trim().split(/\s+/).map(Number);
      continue;
    }
    const row = /^(?:(\d+)\s*:)?\s*(\d+(?:\s+\d+)*)$/.exec(t);
    if (row) {
      rows.push({ label: row[1] !== undefined ? Number(row[1]) : undefined, values: row[2].split(/\s+/).map(Number), line: n });
      continue;
    }
    facts.unknownLines++;
    if (facts.unknownLines <= 3) sink.info(n, `line not understood after the synthetic string: '${t.slice(0, 60)}'`);
  }
  if (rows.length === 0) return;
  const nodes = header ?? (rows.every((r) => r.label !== undefined) ? rows.map((r) => r.label as number) : facts.nodes.map((n) => n.id));
  if (rows.length !== nodes.length || rows.some((r) => r.values.length !== nodes.length)) {
    sink.warning(startLine, `the distance matrix must be ${nodes.length}×${nodes.length} (one row and one column per NUMA node); it is ignored`);
    return;
  }
  const known = new Set(facts.nodes.map((n) => n.id));
  const stray = nodes.filter((id) => !known.has(id));
  if (stray.length > 0) sink.warning(startLine, `the distance matrix names node(s) ${stray.join(', ')} that the synthetic string does not have`);
  facts.distances = { nodes, values: rows.map((r) => r.values), line: startLine };
}

export function parseHwlocSynthetic(text: string, source: string): HostFacts {
  const facts = emptyFacts('hwloc-synthetic', source);
  const sink = diagnosticSink(source);
  const lines = splitLines(text);
  facts.lines = lines.length;
  try {
    const first = lines.findIndex((l) => l.trim() !== '');
    if (first < 0) {
      sink.error(undefined, "the paste is empty; write a synthetic topology such as 'pack:2 [numa] core:8 pu:2'");
    } else {
      const parsed = parseLevels(lines[first].trim().replace(/^"|"$/g, ''), first + 1, sink);
      if (parsed) {
        const machine = buildTree(parsed, first + 1, sink);
        if (machine) {
          factsFromTree([machine], facts);
          readDistances(lines, first + 1, facts, sink);
        }
      }
    }
  } catch (e) {
    sink.error(undefined, `internal error while reading the synthetic topology: ${e instanceof Error ? e.message : String(e)}`);
  }
  facts.diagnostics = sink.list;
  return facts;
}

export const hwlocSyntheticFormat: Format = {
  id: 'hwloc-synthetic',
  label: 'hwloc synthetic',
  sniff(text: string): number {
    const head = headLines(text, 1)[0]?.trim().replace(/^"|"$/g, '');
    if (!head) return 0;
    const ws = words(head);
    const ok = ws.every((w) => MEMORY.test(w) || (TOKEN.test(w) && /:\d+/.test(w) && levelType(w.split(':')[0]) !== undefined));
    return ok && /(^|\s)pu:\d+/i.test(head) ? 0.95 : 0;
  },
  parse: parseHwlocSynthetic,
};
