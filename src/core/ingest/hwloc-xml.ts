/**
 * hwloc XML (`lstopo --of xml`, hwloc-gather-topology): v1 (hwloc 1.x), v2 and v3 (hwloc 3.0).
 * The XML becomes the shared hwloc object tree (hwloc-common.ts); distances, CPU kinds and offline
 * CPUs come from the elements around it.
 */
import type { CacheType, CpuFact, DistanceFact, HostFacts } from '../host/facts.ts';
import { hugepagesOnly } from '../host/pages.ts';
import type { Format } from './format.ts';
import { emptyFacts } from '../host/facts.ts';
import { diagnosticSink, type DiagnosticSink } from '../diagnostics.ts';
import { parseXml, type XmlElement } from '../xml/tree.ts';
import { difference, parseHexMask } from '../cpuset.ts';
import { bytesToKiB } from '../units.ts';
import { canonicalBdf, countLines, headLines } from './text.ts';
import {
  cpuKindName,
  disallowedNote,
  factsFromTree,
  hwObject,
  linkSpeed,
  machineFromInfos,
  machineFromTree,
  parseBusRange,
  parsePciType,
  type CpuKind,
  type HwObject,
  type HwType,
} from './hwloc-common.ts';

const CACHE_TYPES: CacheType[] = ['unified', 'data', 'instruction'];
const OSDEV_V2 = ['Block', 'GPU', 'Network', 'OpenFabrics', 'DMA', 'CoProc', 'Memory'];
const OSDEV_V3 = ['Block', 'Memory', 'GPU', 'CoProc', 'Network', 'OpenFabrics', 'DMA'];

interface Ctx {
  sink: DiagnosticSink;
  major: number;
  /** gp_index → os_index of NUMA nodes, for distances indexed by gp. */
  gpToOs: Map<number, number>;
  numaInOrder: XmlElement[];
  numaDepth?: number;
  unknownTypes: Set<string>;
  /** The XML ends early (already reported): a distance matrix may lack what the cut took. */
  truncated: boolean;
}

function num(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

function infosOf(el: XmlElement): Record<string, string> {
  const infos: Record<string, string> = {};
  for (const c of el.children) if (c.name === 'info' && c.attrs.name !== undefined) infos[c.attrs.name] = c.attrs.value ?? '';
  return infos;
}

function objectType(el: XmlElement, ctx: Ctx): { type: HwType; level?: number; cacheType?: CacheType } | undefined {
  const t = el.attrs.type ?? '';
  const cache = /^L(\d)(i?)Cache$/.exec(t);
  if (cache) {
    const ct = num(el.attrs.cache_type);
    return { type: 'Cache', level: Number(cache[1]), cacheType: cache[2] === 'i' ? 'instruction' : CACHE_TYPES[ct ?? 0] ?? 'unified' };
  }
  switch (t) {
    case 'Machine':
    case 'System':
      return { type: 'Machine' };
    case 'Package':
    case 'Socket':
      return { type: 'Package' };
    case 'Cache':
      return { type: 'Cache', level: num(el.attrs.cache_level) ?? num(el.attrs.depth) ?? 0, cacheType: CACHE_TYPES[num(el.attrs.cache_type) ?? 0] ?? 'unified' };
    case 'Bridge':
      return { type: (el.attrs.bridge_type ?? '').startsWith('0') ? 'HostBridge' : 'PCIBridge' };
    case 'Cluster':
      return { type: 'Group' };
    case 'Die':
    case 'Group':
    case 'NUMANode':
    case 'MemCache':
    case 'Core':
    case 'PU':
    case 'PCIDev':
    case 'OSDev':
    case 'Misc':
      return { type: t };
    default:
      if (!ctx.unknownTypes.has(t)) {
        ctx.unknownTypes.add(t);
        ctx.sink.warning(el.line, `unknown hwloc object type '${t}'; its children are read, it is not`, el.column);
      }
      return undefined;
  }
}

function toObject(el: XmlElement, ctx: Ctx, depth: number, parentOut: HwObject[]): void {
  const kind = objectType(el, ctx);
  if (!kind) {
    for (const c of el.children) if (c.name === 'object') toObject(c, ctx, depth, parentOut);
    return;
  }
  const obj = hwObject(kind.type, el.line);
  const a = el.attrs;
  const os = num(a.os_index);
  // hwloc writes os_index -1 (as 4294967295 in some versions) for "none".
  if (os !== undefined && os >= 0 && os < 0xffffffff) obj.osIndex = os;
  if (a.subtype) obj.subtype = a.subtype;
  if (a.name) obj.name = a.name;
  obj.infos = infosOf(el);
  // hwloc 1.x kept the subtype in a Type info (s390's Book and Drawer groups); hwloc 2 reads it so.
  if (ctx.major < 2 && obj.subtype === undefined && obj.infos.Type) obj.subtype = obj.infos.Type;
  if (kind.type === 'Group' && a.type === 'Cluster') obj.subtype = 'Cluster';
  if (kind.type === 'NUMANode') {
    const mem = num(a.local_memory);
    if (mem !== undefined) obj.memoryKiB = bytesToKiB(mem);
    const pages = el.children.filter((c) => c.name === 'page_type');
    const hp = hugepagesOnly(
      pages
        .map((p) => ({ size: num(p.attrs.size), count: num(p.attrs.count) }))
      .filter((p): p is { size: number; count: number } => p.size !== undefined && p.count !== undefined)
        .map((p) => ({ sizeKiB: bytesToKiB(p.size), total: p.count })),
    );
    if (hp.length > 0) obj.hugepages = hp;
    if (obj.subtype === undefined && obj.infos.MemoryType) obj.subtype = obj.infos.MemoryType;
    ctx.numaInOrder.push(el);
    if (ctx.numaDepth === undefined) ctx.numaDepth = depth;
    const gp = num(a.gp_index);
    if (gp !== undefined && obj.osIndex !== undefined) ctx.gpToOs.set(gp, obj.osIndex);
  }
  if (kind.type === 'Cache' || kind.type === 'MemCache') {
    const size = num(a.cache_size);
    obj.cache = { level: kind.level ?? num(a.depth) ?? 0, type: kind.cacheType ?? 'unified' };
    if (size !== undefined) obj.cache.sizeKiB = bytesToKiB(size);
    const line = num(a.cache_linesize);
    if (line !== undefined) obj.cache.lineSize = line;
    const ways = num(a.cache_associativity);
    if (ways !== undefined) obj.cache.ways = ways;
  }
  if (kind.type === 'HostBridge' || kind.type === 'PCIBridge' || kind.type === 'PCIDev') {
    obj.pci = {};
    if (a.pci_busid !== undefined) {
      const bdf = canonicalBdf(a.pci_busid);
      if (bdf) obj.pci.bdf = bdf;
      else ctx.sink.warning(el.line, `pci_busid '${a.pci_busid}' is not a PCI address`, el.column);
    }
    if (a.pci_type !== undefined) parsePciType(a.pci_type, obj.pci);
    if (a.pci_link_speed !== undefined) {
      const link = linkSpeed(a.pci_link_speed);
      if (link) obj.pci.link = link;
    }
    const range = a.bridge_pci !== undefined ? parseBusRange(a.bridge_pci) : undefined;
    if (range && kind.type === 'HostBridge') obj.pci.root = `${range.domain.padStart(4, '0')}:${range.bus}`;
    if (range && kind.type === 'PCIBridge') obj.pci.secondaryBus = parseInt(range.bus, 16);
  }
  if (kind.type === 'OSDev') {
    const t = num(a.osdev_type);
    if (t !== undefined) {
      const names = ctx.major >= 3 ? OSDEV_V3.filter((_, i) => (t & (1 << i)) !== 0) : [OSDEV_V2[t]].filter(Boolean);
      if (names.length > 0) obj.osdevKind = names.join('+');
    }
  }
  parentOut.push(obj);
  for (const c of el.children) if (c.name === 'object') toObject(c, ctx, depth + 1, obj.children);
}

function mask(el: XmlElement, attr: string, sink: DiagnosticSink): number[] | undefined {
  const text = el.attrs[attr];
  if (text === undefined) return undefined;
  const r = parseHexMask(text);
  if (!r.ok) {
    sink.warning(el.line, `${attr}: ${r.error}`, el.column);
    return undefined;
  }
  return r.ids;
}

function numbersOf(els: XmlElement[]): number[] {
  const out: number[] = [];
  for (const e of els) for (const w of e.text.trim().split(/\s+/)) if (w !== '') out.push(Number(w));
  return out;
}

/** hwloc 2/3 distances2: prefer the OS-provided NUMA latency matrix. */
function distances2(topology: XmlElement, ctx: Ctx): DistanceFact | undefined {
  const candidates = topology.children.filter((c) => c.name === 'distances2' && c.attrs.type === 'NUMANode');
  const best = candidates.find((c) => c.attrs.name === 'NUMALatency') ?? candidates[0];
  if (!best) return undefined;
  const n = num(best.attrs.nbobjs) ?? 0;
  const indexes = numbersOf(best.children.filter((c) => c.name === 'indexes'));
  const values = numbersOf(best.children.filter((c) => c.name === 'u64values'));
  if (indexes.length !== n || values.length !== n * n || values.some((v) => !Number.isFinite(v))) {
    if (ctx.truncated) return undefined;
    ctx.sink.warning(best.line, `distances2 matrix of ${n} nodes has ${indexes.length} indexes and ${values.length} values (expected ${n} and ${n * n}); ignored`, best.column);
    return undefined;
  }
  const byGp = best.attrs.indexing === 'gp';
  const nodes = indexes.map((i) => (byGp ? ctx.gpToOs.get(i) ?? -1 : i));
  if (nodes.includes(-1)) {
    ctx.sink.warning(best.line, 'distances2 names objects by gp_index that are not NUMA nodes; ignored', best.column);
    return undefined;
  }
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(values.slice(i * n, (i + 1) * n));
  return { nodes, values: rows, line: best.line };
}

/** hwloc 1.x: `<distances nbobjs relative_depth latency_base><latency value/>…` by logical index. */
function distances1(root: XmlElement, ctx: Ctx): DistanceFact | undefined {
  const d = root.children.find((c) => c.name === 'distances' && num(c.attrs.relative_depth) === ctx.numaDepth);
  if (!d) return undefined;
  const n = num(d.attrs.nbobjs) ?? 0;
  const base = num(d.attrs.latency_base) ?? 1;
  const lat = d.children.filter((c) => c.name === 'latency').map((c) => num(c.attrs.value) ?? NaN);
  const nodes = ctx.numaInOrder.map((e) => num(e.attrs.os_index) ?? -1);
  if (lat.length !== n * n || nodes.length !== n || lat.some((v) => !Number.isFinite(v))) {
    if (ctx.truncated && nodes.length < n) return undefined;
    ctx.sink.warning(d.line, `distances matrix of ${n} objects does not match the ${nodes.length} NUMA nodes or has ${lat.length} values; ignored`, d.column);
    return undefined;
  }
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(lat.slice(i * n, (i + 1) * n).map((v) => Math.round(v * base)));
  return { nodes, values: rows, line: d.line };
}

function cpuKinds(topology: XmlElement, sink: DiagnosticSink): CpuKind[] {
  const kinds: CpuKind[] = [];
  topology.children
    .filter((c) => c.name === 'cpukind')
    .forEach((el, i) => {
      const cpus = mask(el, 'cpuset', sink);
      if (!cpus) return;
      const infos = infosOf(el);
      const k: CpuKind = { cpus, kind: cpuKindName(infos, i) };
      const mhz = num(infos.FrequencyMaxMHz);
      if (mhz !== undefined) k.maxMHz = mhz;
      kinds.push(k);
    });
  return kinds;
}

/** Says once how many online CPUs lstopo's own process was not allowed to use; they stay online. */
function noteDisallowed(cpus: readonly CpuFact[], allowed: number[], machine: XmlElement, sink: DiagnosticSink): void {
  const allowedSet = new Set(allowed);
  const outside = cpus.filter((c) => c.online !== false && !allowedSet.has(c.id)).map((c) => c.id);
  if (outside.length === 0) return;
  sink.info(
    machine.line,
    disallowedNote(outside),
    machine.column,
  );
}

export function parseHwlocXml(text: string, source: string): HostFacts {
  const facts = emptyFacts('hwloc-xml', source);
  const sink = diagnosticSink(source);
  facts.lines = countLines(text);
  try {
    const xml = parseXml(text, source);
    for (const d of xml.diagnostics) sink.list.push(d);
    const topology = xml.roots.find((r) => r.name === 'topology');
    if (!topology) {
      if (xml.roots.length > 0) sink.error(xml.roots[0].line, `this is XML with root <${xml.roots[0].name}>, not an hwloc topology (<topology>); paste the output of 'lstopo --of xml'`, xml.roots[0].column);
      facts.diagnostics = sink.list;
      return facts;
    }
    const version = topology.attrs.version ?? '1.0';
    const major = Number.parseInt(version, 10) || 1;
    if (major > 3) sink.warning(topology.line, `hwloc XML version ${version} is newer than numascope knows (1.x–3.0); reading it as 3.0`, topology.column);
    const ctx: Ctx = { sink, major, gpToOs: new Map(), numaInOrder: [], unknownTypes: new Set(), truncated: xml.truncated };
    const roots: HwObject[] = [];
    const rootEls = topology.children.filter((c) => c.name === 'object');
    for (const el of rootEls) toObject(el, ctx, 0, roots);
    if (roots.length === 0) {
      if (!xml.truncated) sink.error(topology.line, 'the <topology> holds no <object>: the dump is empty', topology.column);
      facts.diagnostics = sink.list;
      return facts;
    }
    const machine = rootEls[0];
    const present = mask(machine, 'cpuset', sink) ?? [];
    const complete = mask(machine, 'complete_cpuset', sink) ?? present;
    factsFromTree(roots, facts, { offline: difference(complete, present), cpuKinds: cpuKinds(topology, sink) }, sink);
    // hwloc 1.x marks PUs that exist but are offline with online_cpuset (2.x writes none: its
    // offline CPUs have no PU). allowed_cpuset is the cpuset cgroup of the process that ran lstopo,
    // not the host's: a collector in a container still sees every PU with --whole-system.
    const online = mask(machine, 'online_cpuset', sink);
    if (online) {
      const onlineSet = new Set(online);
      for (const c of facts.cpus) if (!onlineSet.has(c.id)) c.online = false;
    }
    const allowed = mask(machine, 'allowed_cpuset', sink);
    if (allowed) noteDisallowed(facts.cpus, allowed, machine, sink);
    machineFromInfos(facts, infosOf(topology));
    machineFromTree(facts, roots);
    const dist = major >= 2 ? distances2(topology, ctx) : distances1(machine, ctx);
    if (dist) facts.distances = dist;
    if (facts.cpus.length === 0 && !xml.truncated) sink.warning(topology.line, 'the topology has no PU (CPU) objects', topology.column);
  } catch (e) {
    sink.error(undefined, `internal error while reading hwloc XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  facts.diagnostics = sink.list;
  return facts;
}

export const hwlocXmlFormat: Format = {
  id: 'hwloc-xml',
  label: 'hwloc XML',
  sniff(text: string): number {
    const head = headLines(text, 6).join('\n');
    if (/<topology[\s>]/.test(head) && /<object\s+type=/.test(head)) return 1;
    if (/<!DOCTYPE\s+topology/.test(head) || /<topology[\s>]/.test(head)) return 0.9;
    return 0;
  },
  parse: parseHwlocXml,
};
