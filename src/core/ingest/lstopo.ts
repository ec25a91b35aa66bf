/**
 * `lstopo-no-graphics -` console text, plain and verbose (-v, --whole-io), hwloc 1.x to 3.0.
 * The indentation tree becomes the shared hwloc object tree (hwloc-common.ts); the trailer
 * (depth summary, latency matrices, CPU kinds, offline CPUs, topology infos) is read after it.
 * Plain lstopo prints no OS index for packages and cores: they get their logical index (L#).
 */
import type { CacheType, DistanceFact, HostFacts } from '../host/facts.ts';
import type { Format } from './format.ts';
import { emptyFacts } from '../host/facts.ts';
import { diagnosticSink, type DiagnosticSink } from '../diagnostics.ts';
import { parseHexMask } from '../cpuset.ts';
import { hostSizeToKiB } from '../units.ts';
import { canonicalBdf, headLines, splitLines } from './text.ts';
import {
  cpuKindName,
  disallowedNote,
  factsFromTree,
  hwObject,
  linkSpeed,
  machineFromInfos,
  machineFromTree,
  MAX_TREE_DEPTH,
  parseBusRange,
  type CpuKind,
  type HwObject,
  type HwType,
} from './hwloc-common.ts';

const OBJECT =
  /^([A-Za-z][A-Za-z0-9-]*)(?:\[([^\]]*)\])?(?:\(([^)]*)\))?(?:\s+(Host->PCI|PCI->PCI))?(?:\s+L#(\d+))?(?:\s+((?:[0-9a-f]{4,8}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]|[0-9a-f]{4}:[0-9a-f]{4}))?(?:\s+\((.*)\))?(?:\s+"([^"]*)")?\s*$/i;
const CACHE = /^L(\d)([diu]?)(?:Cache)?$/;
const OSDEV_WORDS: Record<string, string> = {
  Net: 'Network',
  Network: 'Network',
  OpenFabrics: 'OpenFabrics',
  Block: 'Block',
  Storage: 'Block',
  GPU: 'GPU',
  CoProc: 'CoProc',
  'Co-Processor': 'CoProc',
  DMA: 'DMA',
  Memory: 'Memory',
};
const TRAILER = /^(Relative .*matrix|.*latency matrix|Memory attribute|CPU kind|depth -?\d|Special depth|Topology |\d+ processors? (?:not )?represented)/;
/**
 * What `--whole-system` prints after an object the process running lstopo may not use (its
 * cgroup or container): the object is the host's all the same.
 */
const DISALLOWED = /\s+\(disallowed\)$/;

interface Parsed {
  type: HwType;
  obj: HwObject;
  logical?: number;
}

function typeOf(word: string, bracket: string | undefined, dir: string | undefined): { type: HwType; cache?: { level: number; type: CacheType }; osdev?: string } | undefined {
  const c = CACHE.exec(word);
  if (c) return { type: 'Cache', cache: { level: Number(c[1]), type: c[2] === 'd' ? 'data' : c[2] === 'i' ? 'instruction' : 'unified' } };
  if (/^Group\d*$/.test(word)) return { type: 'Group' };
  if (word === 'OSDev') return { type: 'OSDev', osdev: OSDEV_WORDS[bracket ?? ''] ?? bracket };
  if (OSDEV_WORDS[word]) return { type: 'OSDev', osdev: OSDEV_WORDS[word] };
  switch (word) {
    case 'Machine':
    case 'System':
      return { type: 'Machine' };
    case 'Package':
    case 'Socket':
      return { type: 'Package' };
    case 'Cluster':
      return { type: 'Group' };
    case 'Bridge':
      return { type: dir === 'Host->PCI' ? 'HostBridge' : 'PCIBridge' };
    case 'PCI':
    case 'PCIDev':
      return { type: 'PCIDev' };
    case 'Die':
    case 'NUMANode':
    case 'MemCache':
    case 'Core':
    case 'PU':
    case 'HostBridge':
    case 'PCIBridge':
    case 'Misc':
      return { type: word };
    default:
      return undefined;
  }
}

/** Split "a=b c=\"d e\" 12GB" on spaces outside quotes and parentheses. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = false;
  let paren = 0;
  for (const ch of text) {
    if (ch === '"') quote = !quote;
    else if (!quote && ch === '(') paren++;
    else if (!quote && ch === ')') paren--;
    if (ch === ' ' && !quote && paren <= 0) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** Split "L2 L#0 (256KB) + L1d L#0 (32KB) + Core L#0" on " + " outside quotes and parentheses. */
function chain(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quote = false;
  let paren = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quote = !quote;
    else if (!quote && ch === '(') paren++;
    else if (!quote && ch === ')') paren--;
    else if (!quote && paren <= 0 && ch === ' ' && text.startsWith(' + ', i)) {
      out.push(text.slice(start, i));
      start = i + 3;
      i += 2;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * lstopo folds identical PCI functions into one line: "3 x { PCI 0b:00.1-3 (Ethernet) }" or
 * "3 x { PCI L#3-5 (busid=0b:00.1-3 …) }". Unfold them into one object text per function.
 */
function collapsed(body: string): string[] | undefined {
  const m = /^(\d+) x \{ (.*) \}$/.exec(body);
  if (!m) return undefined;
  const count = Number(m[1]);
  const range = /((?:[0-9a-f]{4,8}:)?[0-9a-f]{2}:[0-9a-f]{2})\.([0-7])-([0-7])/i.exec(m[2]);
  if (!range || Number(range[3]) - Number(range[2]) + 1 !== count) return undefined;
  const logical = /L#(\d+)-\d+/.exec(m[2]);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let t = m[2].replace(range[0], `${range[1]}.${Number(range[2]) + k}`);
    if (logical) t = t.replace(logical[0], `L#${Number(logical[1]) + k}`);
    out.push(t);
  }
  return out;
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function parseObject(text: string, line: number): Parsed | undefined {
  const m = OBJECT.exec(text.trim().replace(DISALLOWED, ''));
  if (!m) return undefined;
  const [, word, bracket, sub, dir, logical, busword, attrText, name] = m;
  const kind = typeOf(word, bracket, dir);
  if (!kind) return undefined;
  const obj = hwObject(kind.type, line);
  if (sub !== undefined && sub !== '') obj.subtype = sub;
  if (kind.type === 'Group' && word === 'Cluster') obj.subtype = 'Cluster';
  if (name !== undefined) obj.name = name;
  if (kind.osdev !== undefined) obj.osdevKind = kind.osdev;
  if (kind.cache) obj.cache = { ...kind.cache };
  const isPci = kind.type === 'PCIDev' || kind.type === 'PCIBridge' || kind.type === 'HostBridge';
  if (isPci) obj.pci = {};
  if (busword !== undefined && obj.pci) {
    const bdf = canonicalBdf(busword);
    if (bdf) obj.pci.bdf = bdf;
  }
  let sizeKiB: number | undefined;
  for (const tok of tokens(attrText ?? '')) {
    const p = /^P#(\d+)$/.exec(tok);
    if (p) {
      obj.osIndex = Number(p[1]);
      continue;
    }
    const eq = tok.indexOf('=');
    if (eq < 0) {
      const size = hostSizeToKiB(tok);
      if (size !== undefined) sizeKiB = size;
      else if (obj.pci && tok !== 'total') obj.pci.className = tok;
      continue;
    }
    const key = tok.slice(0, eq);
    const value = unquote(tok.slice(eq + 1));
    switch (key) {
      case 'local':
        if (kind.type === 'NUMANode') obj.memoryKiB = hostSizeToKiB(value);
        break;
      case 'size':
        if (obj.cache) obj.cache.sizeKiB = hostSizeToKiB(value);
        break;
      case 'linesize':
        if (obj.cache) obj.cache.lineSize = Number(value);
        break;
      case 'ways':
        if (obj.cache) obj.cache.ways = Number(value);
        break;
      case 'busid':
        if (obj.pci) obj.pci.bdf = canonicalBdf(value);
        break;
      case 'id': {
        const ids = /^([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(value);
        if (obj.pci && ids) {
          obj.pci.vendorId = ids[1].toLowerCase();
          obj.pci.deviceId = ids[2].toLowerCase();
        }
        break;
      }
      case 'class': {
        const cls = /^([0-9a-f]{4})(?:\((.*)\))?$/i.exec(value);
        if (obj.pci && cls) {
          obj.pci.classCode = cls[1].toLowerCase();
          if (cls[2]) obj.pci.className = cls[2];
        }
        break;
      }
      case 'link':
        if (obj.pci) obj.pci.link = linkSpeed(value);
        break;
      case 'buses': {
        const r = parseBusRange(value);
        if (r && obj.pci && kind.type === 'HostBridge') obj.pci.root = `${r.domain.padStart(4, '0')}:${r.bus}`;
        if (r && obj.pci && kind.type === 'PCIBridge') obj.pci.secondaryBus = parseInt(r.bus, 16);
        break;
      }
      default:
        obj.infos[key] = value;
    }
  }
  if (sizeKiB !== undefined) {
    if (kind.type === 'NUMANode' && obj.memoryKiB === undefined) obj.memoryKiB = sizeKiB;
    if (obj.cache && obj.cache.sizeKiB === undefined) obj.cache.sizeKiB = sizeKiB;
  }
  if (obj.pci) for (const k of Object.keys(obj.pci) as (keyof typeof obj.pci)[]) if (obj.pci[k] === undefined) delete obj.pci[k];
  if (kind.type === 'MemCache') delete obj.cache;
  return { type: kind.type, obj, logical: logical !== undefined ? Number(logical) : undefined };
}

interface Matrix {
  line: number;
  byOs: boolean;
  scale: number;
  size: number;
  header?: number[];
  rows: { label: number; values: number[] }[];
}

export function parseLstopo(text: string, source: string): HostFacts {
  const facts = emptyFacts('lstopo', source);
  const sink = diagnosticSink(source);
  const lines = splitLines(text);
  facts.lines = lines.length;
  try {
    read(lines, facts, sink);
  } catch (e) {
    sink.error(undefined, `internal error while reading lstopo text: ${e instanceof Error ? e.message : String(e)}`);
  }
  facts.diagnostics = sink.list;
  return facts;
}

function read(lines: string[], facts: HostFacts, sink: DiagnosticSink): void {
  const roots: HwObject[] = [];
  const stack: { indent: number; obj: HwObject; depth: number }[] = [];
  const numaLogical = new Map<number, number>();
  const kinds: CpuKind[] = [];
  let kindInfos: Record<string, string> | undefined;
  let offline: number[] = [];
  let inTrailer = false;
  let matrix: Matrix | undefined;
  let numaMatrix: Matrix | undefined;
  let skippedPci = 0;
  const unknown = (n: number, why: string) => {
    facts.unknownLines++;
    if (facts.unknownLines <= 3) sink.info(n, why);
  };
  const closeKind = () => {
    const last = kinds[kinds.length - 1];
    if (kindInfos && last) {
      last.kind = cpuKindName(kindInfos, kinds.length - 1);
      const mhz = Number(kindInfos.FrequencyMaxMHz);
      if (Number.isFinite(mhz) && kindInfos.FrequencyMaxMHz !== undefined) last.maxMHz = mhz;
    }
    kindInfos = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\t/g, '        ');
    const n = i + 1;
    if (raw.trim() === '') continue;
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (!inTrailer && indent === 0 && TRAILER.test(body)) inTrailer = true;
    if (inTrailer) {
      if (indent === 0 && TRAILER.test(body)) {
        closeKind();
        matrix = undefined;
        const mh = /^(?:Relative )?latency matrix (?:\(name (\S+) kind \d+\) )?between (\d+ )?NUMANodes \(depth -?\d+\) by (logical|OS|physical) indexes:/i.exec(body);
        if (mh) {
          matrix = { line: n, byOs: mh[3] !== 'logical', scale: 1, size: mh[2] ? Number(mh[2]) : 0, rows: [] };
          if (!numaMatrix || mh[1] === 'NUMALatency') numaMatrix = matrix;
          continue;
        }
        const kh = /^CPU kind #(\d+) efficiency -?\d+ cpuset (\S+)/.exec(body);
        if (kh) {
          const r = parseHexMask(kh[2]);
          if (r.ok) {
            kinds.push({ cpus: r.ids, kind: `kind#${kinds.length}` });
            kindInfos = {};
          }
          continue;
        }
        const off = /^\d+ processors? not represented in topology: (\S+)/.exec(body);
        if (off) {
          const r = parseHexMask(off[1]);
          if (r.ok) offline = r.ids;
          continue;
        }
        const disallowed = /^\d+ processors? represented but not allowed: (\S+)/.exec(body);
        if (disallowed) {
          const r = parseHexMask(disallowed[1]);
          if (r.ok && r.ids.length > 0) {
            sink.info(n, disallowedNote(r.ids));
          }
          continue;
        }
        const infos = /^Topology infos: (.*)$/.exec(body);
        if (infos) {
          const rec: Record<string, string> = {};
          for (const t of tokens(infos[1])) {
            const eq = t.indexOf('=');
            if (eq > 0) rec[t.slice(0, eq)] = unquote(t.slice(eq + 1));
          }
          machineFromInfos(facts, rec);
        }
        continue;
      }
      if (kindInfos) {
        const kv = /^(\w+) = (.*)$/.exec(body);
        if (kv) {
          kindInfos[kv[1]] = kv[2];
          continue;
        }
      }
      if (matrix) {
        const words = body.split(/\s+/);
        if (words[0] === 'index') {
          matrix.header = words.slice(1).map(Number);
          continue;
        }
        const values = words.slice(1).map(Number);
        if (/^\d+$/.test(words[0]) && values.every(Number.isFinite)) {
          matrix.rows.push({ label: Number(words[0]), values });
          continue;
        }
      }
      // Rows of other matrices and memory attributes: known shapes, not needed.
      if (indent > 0 || /^\S+(\s+[-\d.]+)+$/.test(body)) continue;
      unknown(n, `line not understood in the lstopo summary: '${body.slice(0, 60)}'`);
      continue;
    }
    // Folded PCI functions are siblings; " + " chains nest each part in the previous one.
    const folded = collapsed(body);
    const siblings = folded !== undefined;
    const parts = folded ?? chain(body);
    const parsed = parts.map((p) => parseObject(p, n));
    if (parsed.some((p) => p === undefined)) {
      unknown(n, `not an lstopo object line: '${body.slice(0, 60)}'`);
      continue;
    }
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    let parent = stack.length > 0 ? stack[stack.length - 1].obj : undefined;
    const depth = (stack.length > 0 ? stack[stack.length - 1].depth : 0) + (siblings ? 1 : parsed.length);
    if (depth > MAX_TREE_DEPTH) {
      sink.error(n, `objects nest ${depth} deep here, deeper than any hwloc tree (${MAX_TREE_DEPTH}); the rest of the paste is not read`);
      return;
    }
    for (const p of parsed as Parsed[]) {
      if (p.type === 'PCIDev' && p.obj.pci?.bdf === undefined) skippedPci++;
      if (p.type === 'NUMANode' && p.logical !== undefined && p.obj.osIndex !== undefined) numaLogical.set(p.logical, p.obj.osIndex);
      if (parent) parent.children.push(p.obj);
      else roots.push(p.obj);
      if (!siblings) parent = p.obj;
    }
    if (parent && !siblings) stack.push({ indent, obj: parent, depth });
  }
  closeKind();
  if (roots.length === 0) {
    sink.error(undefined, "no lstopo object lines found (expected 'Machine (…)', 'Package L#0', 'PU L#0 (P#0)' …); paste the output of 'lstopo-no-graphics -'");
    return;
  }
  if (skippedPci > 0) sink.info(undefined, `${skippedPci} PCI device(s) have no bus address in this output (hwloc 1.x prints vendor:device only) and are left out; 'lstopo -v' prints busid=`);
  factsFromTree(roots, facts, { offline, cpuKinds: kinds }, sink);
  machineFromTree(facts, roots);
  if (facts.cpus.length === 0) sink.warning(undefined, 'no PU lines found: this lstopo output lists no CPUs');
  if (numaMatrix) {
    const dist = matrixFact(numaMatrix, numaLogical, sink);
    if (dist) facts.distances = dist;
  }
}

function matrixFact(m: Matrix, numaLogical: Map<number, number>, sink: DiagnosticSink): DistanceFact | undefined {
  const labels = m.header ?? m.rows.map((r) => r.label);
  const n = labels.length;
  if (n === 0 || m.rows.length !== n || m.rows.some((r) => r.values.length !== n)) {
    sink.warning(m.line, `the NUMA latency matrix is incomplete (${m.rows.length} rows for ${n} columns); distances ignored`);
    return undefined;
  }
  const nodes = labels.map((l) => (m.byOs ? l : numaLogical.get(l) ?? -1));
  if (nodes.includes(-1)) {
    sink.warning(m.line, 'the NUMA latency matrix names nodes (by logical index) that the tree does not list; distances ignored');
    return undefined;
  }
  const values = m.rows.map((r) => r.values);
  // hwloc 1.x printed latencies relative to the local one (1.000, 2.100); SLIT writes them ×10.
  const relative = values.every((row, i) => row[i] === 1);
  return { nodes, values: relative ? values.map((row) => row.map((v) => Math.round(v * 10))) : values, line: m.line };
}

export const lstopoFormat: Format = {
  id: 'lstopo',
  label: 'lstopo',
  sniff(text: string): number {
    const head = headLines(text, 12);
    if (head.length === 0) return 0;
    if (/^(Machine|System) \(.*\)\s*$/.test(head[0]) && head.slice(1).some((l) => /^\s+(Package|Socket|NUMANode|Group\d*|Core|PU|L\d)\b.*L#\d+/.test(l))) return 1;
    const hits = head.filter((l) => /^\s*(Package|Socket|NUMANode|Core|PU|L\d\w*) L#\d+/.test(l)).length;
    return hits >= 2 ? 0.8 : 0;
  },
  parse: parseLstopo,
};
