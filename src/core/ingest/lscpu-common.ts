/**
 * What the lscpu formats share: the summary fields of plain `lscpu` (text or `-J`) and the
 * per-CPU rows of `lscpu -e` / `-p` / `-e -J`. Each format only turns its syntax into
 * SummaryField or CpuRow values; the meaning of a label or a column lives here once.
 */
import { formatIdList, MAX_IDS, parseHexMask, parseIdList } from '../cpuset.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import type { CacheRef, CacheType, CountFacts, CpuFact, HostFacts } from '../host/facts.ts';
import { s390Groups, type S390Place } from './lscpu-groups.ts';
import { hostSizeToKiB } from '../units.ts';

/** One `Label: value` of plain lscpu, wherever it came from (text line or JSON object). */
export interface SummaryField {
  /** Without the trailing colon, e.g. "CPU(s)". */
  label: string;
  value: string;
  line: number;
}

/** A pasted shell prompt with the command, e.g. "$ lscpu -e" or "# LC_ALL=C lscpu". */
export const COMMAND_ECHO = /^\s*(?:\S*[#$>]\s*)?(?:sudo\s+)?(?:LC_ALL=C\s+|LANG=C\s+)*lscpu\b/;

/** At most this many lines of one kind of problem get their own diagnostic; the rest are counted. */
export const REPORTED_PER_KIND = 3;

const COUNT_LABELS: Record<string, keyof CountFacts> = {
  'CPU(s)': 'cpus',
  'Thread(s) per core': 'threadsPerCore',
  'Core(s) per socket': 'coresPerSocket',
  'Core(s) per cluster': 'coresPerCluster',
  'Socket(s)': 'sockets',
  'Cluster(s)': 'clusters',
  'Book(s)': 'books',
  'Drawer(s)': 'drawers',
  'NUMA node(s)': 'nodes',
};

/** Labels that only lscpu's English output has; with none of them the paste is localized or foreign. */
const STRUCTURAL_LABELS = new Set([
  'Architecture', 'CPU op-mode(s)', 'Byte Order', 'On-line CPU(s) list', 'On-line CPU(s) mask',
  'Vendor ID', 'Model name', 'Thread(s) per core', 'Core(s) per socket', 'Core(s) per cluster',
  'Socket(s)', 'NUMA node(s)', 'Caches (sum of all)', 'Vulnerabilities',
]);

const NODE_CPUS = /^NUMA node(\d+) CPU\(s\)$/;
/** `L1d cache` (flat output) or `L1d` (under `Caches (sum of all):`). */
const CACHE_LABEL = /^L(\d)([di]?)(?: cache)?$/;
/** `32K` (util-linux <= 2.33: one instance), `1.5 MiB (48 instances)`, `786432 (24 instances)` (-B). */
const CACHE_VALUE = /^(\d+(?:\.\d+)?\s*[KMGT]?(?:i?B)?)\s*(?:\((\d+) instances?\))?$/i;

export function cacheType(letter: string): CacheType {
  return letter === 'd' ? 'data' : letter === 'i' ? 'instruction' : 'unified';
}

/** Fill facts from plain lscpu's fields; returns how many labels were lscpu's own English ones. */
/**
 * How many CPUs the node lists of one lscpu may name together. A CPU is in one node, so a real
 * host's lists name at most MAX_IDS; a few times that leaves room for lists naming possible
 * CPUs (checkNodeCpus trims them), not for a thousand 10 KB lines of a million CPUs each.
 */
const NODE_LISTS_BUDGET = 4 * MAX_IDS;

export function applySummary(fields: readonly SummaryField[], facts: HostFacts, sink: DiagnosticSink): number {
  let structural = 0;
  let hexMasks = false;
  const nodeLines = new Map<number, number>();
  let nodeCpus = 0;
  const perDrawer: { booksPerDrawer?: number; socketsPerBook?: number } = {};
  const counts = new Map<keyof CountFacts, { n: number; line: number }[]>();
  for (const f of fields) {
    const value = f.value.trim();
    if (STRUCTURAL_LABELS.has(f.label)) structural++;
    const countKey = COUNT_LABELS[f.label];
    if (countKey !== undefined) {
      const n = countValue(f, sink);
      if (n !== undefined) (counts.get(countKey) ?? counts.set(countKey, []).get(countKey)!).push({ n, line: f.line });
      continue;
    }
    switch (f.label) {
      case 'Architecture':
        if (value !== '') facts.machine.arch = value;
        continue;
      case 'Vendor ID':
        if (value !== '' && value !== '-') facts.machine.vendor = value;
        continue;
      case 'Model name':
        if (value !== '' && value !== '-') facts.machine.model = value;
        continue;
      case 'On-line CPU(s) list':
      case 'Off-line CPU(s) list':
      case 'On-line CPU(s) mask':
      case 'Off-line CPU(s) mask': {
        const mask = f.label.endsWith('mask');
        hexMasks ||= mask;
        const ids = cpuSet(f, mask, sink);
        if (ids !== undefined) facts.counts[f.label.startsWith('On') ? 'online' : 'offline'] = ids;
        continue;
      }
      case 'Socket(s) per book':
      case 'Book(s) per drawer': {
        const n = countValue(f, sink);
        if (n !== undefined) perDrawer[f.label === 'Socket(s) per book' ? 'socketsPerBook' : 'booksPerDrawer'] = n;
        continue;
      }
    }
    const node = NODE_CPUS.exec(f.label);
    if (node) {
      const id = Number(node[1]);
      if (nodeLines.has(id)) {
        sink.warning(f.line, `${f.label} appears again (first at line ${nodeLines.get(id)}); the first one is kept`);
        continue;
      }
      // An empty list is a node without CPUs (memory-only, or all its CPUs offline).
      const cpus = value === '' ? [] : cpuSet(f, hexMasks, sink, Math.min(MAX_IDS, NODE_LISTS_BUDGET - nodeCpus));
      if (cpus !== undefined) {
        facts.nodes.push({ id, cpus });
        nodeLines.set(id, f.line);
        nodeCpus += cpus.length;
      }
      continue;
    }
    const cache = CACHE_LABEL.exec(f.label);
    if (cache) applyCache(f, Number(cache[1]), cacheType(cache[2]), facts, sink);
  }
  applyCounts(counts, facts.counts, sink);
  checkNodeCpus(facts, nodeLines, counts.get('cpus')?.[0]?.line, sink);
  // s390 prints the hierarchy per level ("Socket(s) per book: 3", "Book(s) per drawer: 2",
  // "Drawer(s): 4"): the machine-wide counts are exactly these products.
  const c = facts.counts;
  if (c.books === undefined && perDrawer.booksPerDrawer !== undefined && c.drawers !== undefined) {
    c.books = perDrawer.booksPerDrawer * c.drawers;
  }
  if (c.sockets === undefined && perDrawer.socketsPerBook !== undefined && c.books !== undefined) {
    c.sockets = perDrawer.socketsPerBook * c.books;
  }
  return structural;
}

/**
 * `CPU(s):` counts present CPUs, and the on-line and off-line lists split exactly those; a node's
 * list is the kernel's node cpumap, which may name possible CPUs that are not present (the
 * UltraSparc T1 dump: `CPU(s): 24`, `NUMA node0 CPU(s): 0-35`). Such CPUs do not exist: they are
 * left out of the node, said on the node's line.
 */
function checkNodeCpus(facts: HostFacts, nodeLines: ReadonlyMap<number, number>, countLine: number | undefined, sink: DiagnosticSink): void {
  const { cpus: count, online, offline } = facts.counts;
  const present = online ? new Set([...online, ...(offline ?? [])]) : undefined;
  if (present) {
    for (const node of facts.nodes) {
      const absent = (node.cpus ?? []).filter((id) => !present.has(id));
      if (absent.length === 0) continue;
      const said = count !== undefined ? `CPU(s) says ${count}${countLine !== undefined ? ` (line ${countLine})` : ''}, ` : '';
      sink.warning(
        nodeLines.get(node.id),
        `NUMA node${node.id} CPU(s) is ${formatIdList(node.cpus ?? [])} but ${said}on-line or off-line ${formatIdList([...present].sort((a, b) => a - b))}: ` +
          `CPUs ${formatIdList(absent)} are not present (the kernel's node map names possible CPUs) and are left out of node ${node.id}`,
      );
      node.cpus = (node.cpus ?? []).filter((id) => present.has(id));
    }
    return;
  }
  const named = new Set<number>();
  for (const n of facts.nodes) for (const id of n.cpus ?? []) named.add(id);
  if (count !== undefined && named.size > count) {
    const first = facts.nodes.find((n) => (n.cpus?.length ?? 0) > 0);
    sink.warning(first && nodeLines.get(first.id), `the NUMA node lists name ${named.size} CPUs, but CPU(s) says ${count}: some node CPUs are not present (paste the on-line CPU list to tell which)`);
  }
}

/**
 * On hybrid CPUs (big.LITTLE, P+E cores) lscpu prints one block per core type, each with its own
 * Thread(s) per core / Core(s) per socket / Socket(s). A per-type core or socket count is not
 * the machine's (the A510/A710/A715/X3 phone says "Socket(s): 1" four times; hwloc counts 3
 * packages), and differing values have no single answer: those are left unknown.
 */
function applyCounts(counts: Map<keyof CountFacts, { n: number; line: number }[]>, out: CountFacts, sink: DiagnosticSink): void {
  for (const [key, values] of counts) {
    const perType = values.length > 1 && (key === 'coresPerSocket' || key === 'coresPerCluster' || key === 'sockets' || values.some((v) => v.n !== values[0].n));
    if (!perType) {
      (out as Record<string, number>)[key] = values[0].n;
    } else {
      sink.info(values[1].line, `lscpu lists ${key} once per CPU type (${values.map((v) => v.n).join(', ')}); no single machine-wide value, so it is left unknown`);
    }
  }
}

function countValue(f: SummaryField, sink: DiagnosticSink): number | undefined {
  const value = f.value.trim();
  if (/^\d+$/.test(value)) return Number(value);
  if (value === '-' || value === '') {
    sink.info(f.line, `lscpu printed '${value}' for ${f.label}: it could not tell on this machine, so it is left unknown`);
  } else {
    sink.warning(f.line, `${f.label} should be a whole number, not '${value}'; ignored`);
  }
  return undefined;
}

function cpuSet(f: SummaryField, hex: boolean, sink: DiagnosticSink, maxIds = MAX_IDS): number[] | undefined {
  const r = hex ? parseHexMask(f.value) : parseIdList(f.value, maxIds);
  if (r.ok) return r.ids;
  sink.warning(f.line, `${f.label}: ${r.error}; ignored`);
  return undefined;
}

function applyCache(f: SummaryField, level: number, type: CacheType, facts: HostFacts, sink: DiagnosticSink): void {
  const value = f.value.trim();
  const m = CACHE_VALUE.exec(value);
  const kib = m ? hostSizeToKiB(m[1]) : undefined;
  if (!m || kib === undefined) {
    sink.warning(f.line, `${f.label}: '${value}' is not a cache size lscpu prints (like 32K or 1.5 MiB (48 instances)); ignored`);
    return;
  }
  const summary = { level, type } as HostFacts['cacheSummary'][number];
  if (m[2] !== undefined) {
    const instances = Number(m[2]);
    summary.instances = instances;
    summary.totalKiB = kib;
    if (instances > 0) summary.sizeKiB = Math.round(kib / instances);
  } else if (/^\d+[KMG]$/i.test(value)) {
    summary.sizeKiB = kib; // util-linux <= 2.33 printed one instance's size, "32K"
  } else {
    summary.totalKiB = kib; // util-linux 2.34-2.36 printed the sum without the instance count
  }
  facts.cacheSummary.push(summary);
}

// ---------------------------------------------------------------------------------------------
// Per-CPU rows: lscpu -e, -p and -e -J.

export type CpuColumn =
  | { kind: 'cpu' | 'core' | 'socket' | 'cluster' | 'node' | 'book' | 'drawer' | 'online' | 'maxmhz' }
  | { kind: 'caches'; levels: { level: number; type: CacheType }[] }
  /** A column lscpu prints that says nothing about topology (MHZ, ADDRESS, POLARIZATION …). */
  | { kind: 'other'; name: string };

const SIMPLE_COLUMNS = new Set(['cpu', 'core', 'socket', 'cluster', 'node', 'book', 'drawer', 'online', 'maxmhz']);
/** Every column lscpu -e/-p knows (util-linux 2.38 and later), for sniffing headers. */
const KNOWN_COLUMNS = new Set([
  ...SIMPLE_COLUMNS, 'bogomips', 'configured', 'polarization', 'address', 'mhz', 'minmhz', 'scalmhz%',
  'modelname', 'die',
]);
const CACHE_LEVEL = /^L(\d)([di]?)$/i;

/** Column from a header name: `CPU`, `Core`, `L1d:L1i:L2:L3` (-e), `L2` (-p), `l1d:l1i:l2:l3` (-J) … */
export function columnFromName(name: string): CpuColumn | undefined {
  const lower = name.trim().toLowerCase();
  if (SIMPLE_COLUMNS.has(lower)) return { kind: lower } as CpuColumn;
  if (KNOWN_COLUMNS.has(lower)) return { kind: 'other', name: lower };
  const levels = [];
  for (const part of lower.split(':')) {
    const m = CACHE_LEVEL.exec(part);
    if (!m) return undefined;
    levels.push({ level: Number(m[1]), type: cacheType(m[2]) });
  }
  return { kind: 'caches', levels };
}

export interface CpuRow {
  /** Cells in column order; undefined where the row is shorter than the header. */
  cells: (string | undefined)[];
  line: number;
}

/** Collects one kind of row problem: the first few get a diagnostic, the rest a summary count. */
class ProblemLog {
  private count = 0;
  constructor(private readonly sink: DiagnosticSink) {}
  add(line: number, message: string): void {
    if (this.count++ < REPORTED_PER_KIND) this.sink.warning(line, message);
  }
  flush(what: string): void {
    if (this.count > REPORTED_PER_KIND) this.sink.warning(undefined, `${this.count - REPORTED_PER_KIND} more ${what} not listed`);
  }
}

/** Turn table rows into facts.cpus; `-` or an empty cell means lscpu did not know. */
export function applyCpuRows(columns: readonly CpuColumn[], rows: readonly CpuRow[], facts: HostFacts, sink: DiagnosticSink): void {
  const cpuColumn = columns.findIndex((c) => c.kind === 'cpu');
  if (cpuColumn < 0) {
    sink.error(undefined, 'the table has no CPU column, so its rows cannot be matched to CPUs; add cpu to the column list (e.g. lscpu -e=cpu,node,socket,core)');
    return;
  }
  const bad = new ProblemLog(sink);
  const seen = new Set<number>();
  const placed: { cpu: CpuFact; place: S390Place }[] = [];
  let unnumbered = 0;
  let firstUnnumbered = 0;
  for (const row of rows) {
    const idText = row.cells[cpuColumn]?.trim() ?? '';
    if (idText === '-' || idText === '') {
      if (unnumbered++ === 0) firstUnnumbered = row.line;
      continue;
    }
    if (!/^\d+$/.test(idText)) {
      bad.add(row.line, `'${idText}' is not a CPU number; row ignored`);
      continue;
    }
    const cpu: CpuFact = { id: Number(idText) };
    if (seen.has(cpu.id)) {
      bad.add(row.line, `CPU ${cpu.id} appears twice; the later row is ignored`);
      continue;
    }
    seen.add(cpu.id);
    const groups: S390Place = {};
    for (let i = 0; i < columns.length; i++) {
      const cell = row.cells[i]?.trim();
      if (cell === undefined || cell === '' || cell === '-' || i === cpuColumn) continue;
      applyCell(cpu, groups, columns[i], cell, row.line, bad);
    }
    if (groups.drawer !== undefined || groups.book !== undefined) placed.push({ cpu, place: groups });
    facts.cpus.push(cpu);
  }
  const named = s390Groups(placed, facts.cpus);
  if (named.length > 0) facts.groups = named;
  if (unnumbered > 0) {
    sink.warning(firstUnnumbered, `${unnumbered} row(s) have '-' instead of a CPU number (lscpu could not read those CPUs); they are ignored`);
  }
  bad.flush('rows with problems');
  dropAssumedCaches(facts.cpus, sink);
}

/**
 * Where the kernel gives no cache sharing map (SPARC's l1_dcache_size files), lscpu assumes
 * every cache is private to one CPU ("send a patch", lscpu-topology.c read_sparc_onecache), so
 * the UltraSparc T1's four threads of one core show four L1s and four L2s. Threads of one core
 * always share its L1, so a table where CORE groups several CPUs yet no cache id names more
 * than one CPU states an assumption, not the hardware: its cache ids are dropped, or they
 * would split each core into its threads.
 */
function dropAssumedCaches(cpus: CpuFact[], sink: DiagnosticSink): void {
  const perCache = new Map<string, number>();
  const perCore = new Map<string, number>();
  for (const cpu of cpus) {
    for (const c of cpu.caches ?? []) {
      const key = `${c.level}${c.type}|${c.id}`;
      perCache.set(key, (perCache.get(key) ?? 0) + 1);
    }
    if (cpu.core !== undefined) {
      const key = `${cpu.groups?.join('.')}|${cpu.package}|${cpu.cluster}|${cpu.core}`;
      perCore.set(key, (perCore.get(key) ?? 0) + 1);
    }
  }
  if (perCache.size === 0 || [...perCache.values()].some((n) => n > 1)) return;
  let threads = 0;
  for (const n of perCore.values()) if (n > threads) threads = n;
  if (threads < 2) return;
  for (const cpu of cpus) delete cpu.caches;
  sink.info(
    undefined,
    `CORE puts up to ${threads} CPUs in one core, yet every cache id names a single CPU: lscpu assumes private caches where the kernel gives no sharing map (as on SPARC), so the cache ids are not used`,
  );
}

const ID_COLUMNS = new Set(['core', 'socket', 'cluster', 'node', 'book', 'drawer']);

function applyCell(cpu: CpuFact, groups: S390Place, col: CpuColumn, cell: string, line: number, bad: ProblemLog): void {
  // Not a closure: this runs for every cell of 4096-CPU tables.
  const id = /^\d+$/.test(cell) ? Number(cell) : undefined;
  if (id === undefined && ID_COLUMNS.has(col.kind)) {
    bad.add(line, `CPU ${cpu.id}: ${col.kind} '${cell}' is not a number; ignored`);
    return;
  }
  switch (col.kind) {
    case 'core': cpu.core = id; break;
    case 'socket': cpu.package = id; break;
    case 'cluster': cpu.cluster = id; break;
    case 'node': cpu.node = id; break;
    case 'book': groups.book = id; break;
    case 'drawer': groups.drawer = id; break;
    case 'online': {
      const v = cell.toLowerCase();
      if (v === 'yes' || v === 'y' || v === 'true') cpu.online = true;
      else if (v === 'no' || v === 'n' || v === 'false') cpu.online = false;
      else bad.add(line, `CPU ${cpu.id}: ONLINE should be yes or no, not '${cell}'; ignored`);
      break;
    }
    case 'maxmhz': {
      const mhz = Number(cell);
      if (Number.isFinite(mhz) && mhz > 0) cpu.maxMHz = mhz;
      else bad.add(line, `CPU ${cpu.id}: MAXMHZ '${cell}' is not a frequency; ignored`);
      break;
    }
    case 'caches': {
      // Offline CPUs list fewer levels ("0:0:0" under L1d:L1i:L2:L3): the missing ones are the last.
      const parts = cell.split(':');
      const refs: CacheRef[] = cpu.caches ?? [];
      for (let k = 0; k < parts.length && k < col.levels.length; k++) {
        const p = parts[k].trim();
        if (p === '' || p === '-') continue;
        if (!/^\d+$/.test(p)) {
          bad.add(line, `CPU ${cpu.id}: cache id '${p}' is not a number; ignored`);
          continue;
        }
        refs.push({ level: col.levels[k].level, type: col.levels[k].type, id: Number(p) });
      }
      if (refs.length > 0) cpu.caches = refs;
      break;
    }
    case 'cpu':
    case 'other':
      break;
  }
}


