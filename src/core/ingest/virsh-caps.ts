/**
 * `virsh capabilities` (libvirt formatcaps): the host's NUMA cells with memory, page pools,
 * SLIT distances and per-CPU socket/die/cluster/core/siblings, the host CPU model, and the
 * cache banks (host/cache/bank). Offline CPUs appear as a bare `<cpu id='N'/>`.
 */
import { parseIdList } from '../cpuset.ts';
import { diagnosticSink, type DiagnosticSink } from '../diagnostics.ts';
import { emptyFacts, type CacheType, type CpuFact, type HostFacts, type NodeFact } from '../host/facts.ts';
import { libvirtUnitToKiB } from '../units.ts';
import { childrenNamed, firstChild, parseXml, type XmlElement } from '../xml/tree.ts';
import { hugepagesOnly } from '../host/pages.ts';
import type { Format } from './format.ts';
import { countLines, headLines } from './text.ts';

const CACHE_TYPES: Record<string, CacheType> = { both: 'unified', code: 'instruction', data: 'data' };

export const virshCapsFormat: Format = {
  id: 'virsh-caps',
  label: 'virsh capabilities',
  sniff(text: string): number {
    const head = headLines(text, 6).join('\n');
    if (/<capabilities[\s>]/.test(head)) return 0.95;
    // Domain capabilities carry no host topology, but this parser says so clearly.
    if (/<domainCapabilities[\s>]/.test(head)) return 0.5;
    return 0;
  },
  parse: parseVirshCaps,
};

export function parseVirshCaps(text: string, source: string): HostFacts {
  const facts = emptyFacts('virsh-caps', source);
  const sink = diagnosticSink(source);
  facts.lines = countLines(text);
  const xml = parseXml(text, source);
  facts.diagnostics = [...xml.diagnostics];
  const caps = xml.roots.find((r) => r.name === 'capabilities');
  if (!caps) {
    const root = xml.roots[0];
    if (root?.name === 'domainCapabilities') {
      sink.warning(root.line, 'this is `virsh domcapabilities` (what a guest may use), which has no host NUMA topology; paste `virsh capabilities` instead', root.column);
    } else if (root) {
      sink.error(root.line, `not virsh capabilities XML: the root element is <${root.name}>, expected <capabilities>`, root.column);
    } else if (xml.diagnostics.length === 0) {
      sink.error(undefined, 'no <capabilities> element found');
    }
    for (const d of sink.list) facts.diagnostics.push(d);
    return facts;
  }
  for (const other of xml.roots) {
    if (other !== caps) sink.warning(other.line, `a second document <${other.name}> after <capabilities> is ignored; paste it separately`, other.column);
  }

  const host = firstChild(caps, 'host');
  const topology = host && firstChild(host, 'topology');
  const cells = topology && firstChild(topology, 'cells');
  if ((!host || !cells) && !xml.truncated) {
    sink.warning(
      (host ?? caps).line,
      'these capabilities have no <host><topology><cells>: no NUMA topology is in them (guest-only capabilities, or a hypervisor driver that does not report it)',
      (host ?? caps).column,
    );
  }
  if (host) readHostCpu(facts, host);
  if (cells) readCells(facts, cells, sink, xml.truncated);
  if (host) readCacheBanks(facts, host, sink);
  if (host) checkSockets(facts, host, sink);
  for (const d of sink.list) facts.diagnostics.push(d);
  return facts;
}


function int(element: XmlElement, attr: string, sink: DiagnosticSink): number | undefined {
  const raw = element.attrs[attr];
  if (raw === undefined) return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw);
  sink.warning(element.line, `<${element.name} ${attr}='${raw}'> is not a whole number`, element.column);
  return undefined;
}

function readHostCpu(facts: HostFacts, host: XmlElement): void {
  const cpu = firstChild(host, 'cpu');
  if (!cpu) return;
  const text = (name: string) => firstChild(cpu, name)?.text.trim() || undefined;
  const arch = text('arch');
  const model = text('model');
  const vendor = text('vendor');
  if (arch) facts.machine.arch = arch;
  if (model) facts.machine.model = model;
  if (vendor) facts.machine.vendor = vendor;
}

/** In a truncated paste, cells and CPUs fewer than declared are what the cut took: reported once, by the XML reader. */
function readCells(facts: HostFacts, cellsEl: XmlElement, sink: DiagnosticSink, truncated: boolean): void {
  const cells = childrenNamed(cellsEl, 'cell');
  const declared = int(cellsEl, 'num', sink);
  if (declared !== undefined && declared !== cells.length && !(truncated && declared > cells.length)) {
    sink.warning(cellsEl.line, `<cells num='${declared}'> but ${cells.length} <cell> elements follow`, cellsEl.column);
  }
  const rows = new Map<number, { row: Map<number, number>; el: XmlElement }>();
  const cpus: CpuFact[] = [];
  for (const cell of cells) {
    const id = int(cell, 'id', sink);
    if (id === undefined) {
      sink.error(cell.line, '<cell> without a numeric id is skipped', cell.column);
      continue;
    }
    if (facts.nodes.some((n) => n.id === id)) {
      sink.error(cell.line, `a second <cell id='${id}'> is skipped`, cell.column);
      continue;
    }
    const node: NodeFact = { id };
    const memory = firstChild(cell, 'memory');
    if (memory) {
      const kib = /^\d+$/.test(memory.text.trim()) ? libvirtUnitToKiB(Number(memory.text.trim()), memory.attrs.unit ?? 'KiB') : undefined;
      if (kib === undefined) sink.warning(memory.line, `cell ${id} memory '${memory.text.trim()} ${memory.attrs.unit ?? ''}' is not readable`, memory.column);
      else node.memoryKiB = kib;
    }
    const pages = readPages(cell, sink);
    if (pages.length > 0) node.hugepages = pages;

    const distances = firstChild(cell, 'distances');
    if (distances) {
      const row = new Map<number, number>();
      for (const sibling of childrenNamed(distances, 'sibling')) {
        const to = int(sibling, 'id', sink);
        const value = int(sibling, 'value', sink);
        if (to !== undefined && value !== undefined) row.set(to, value);
      }
      rows.set(id, { row, el: distances });
    }

    const cpusEl = firstChild(cell, 'cpus');
    const cellCpus: number[] = [];
    for (const cpuEl of cpusEl ? childrenNamed(cpusEl, 'cpu') : []) {
      const cpu = readCpu(cpuEl, id, sink);
      if (cpu) {
        cpus.push(cpu);
        cellCpus.push(cpu.id);
      }
    }
    const num = cpusEl && int(cpusEl, 'num', sink);
    if (cpusEl && num !== undefined && num !== cellCpus.length && !(truncated && num > cellCpus.length)) {
      sink.warning(cpusEl.line, `cell ${id} says <cpus num='${num}'> but lists ${cellCpus.length} CPUs`, cpusEl.column);
    }
    // A memory-only cell (CXL, HBM) has <cpus num='0'/> or no <cpus> at all.
    node.cpus = cellCpus.sort((a, b) => a - b);
    facts.nodes.push(node);
  }
  facts.nodes.sort((a, b) => a.id - b.id);
  facts.cpus = cpus.sort((a, b) => a.id - b.id);
  facts.counts.nodes = facts.nodes.length;
  if (cpus.length > 0) {
    facts.counts.cpus = cpus.length;
    facts.counts.online = cpus.filter((c) => c.online).map((c) => c.id);
    facts.counts.offline = cpus.filter((c) => !c.online).map((c) => c.id);
  }
  if (rows.size > 0) facts.distances = buildDistances(facts.nodes.map((n) => n.id), rows, sink, truncated);
}

/** Hugepage pools per size (the base page pool is left out). */
function readPages(cell: XmlElement, sink: DiagnosticSink): { sizeKiB: number; total: number }[] {
  const pools: { sizeKiB: number; total: number }[] = [];
  for (const p of childrenNamed(cell, 'pages')) {
    const size = int(p, 'size', sink);
    const sizeKiB = size === undefined ? undefined : libvirtUnitToKiB(size, p.attrs.unit ?? 'KiB');
    const count = p.text.trim();
    if (sizeKiB === undefined || !/^\d+$/.test(count)) {
      sink.warning(p.line, `<pages> entry without a readable size and count is ignored`, p.column);
      continue;
    }
    pools.push({ sizeKiB, total: Number(count) });
  }
  return hugepagesOnly(pools);
}

/**
 * The most thread siblings one CPU's list may name: a core has at most 8 threads (POWER8's
 * SMT8); this is far above it, and keeps a thousand CPUs with a million siblings each from
 * becoming a billion ids.
 */
const MAX_THREAD_SIBLINGS = 1024;

function readCpu(el: XmlElement, node: number, sink: DiagnosticSink): CpuFact | undefined {
  const id = int(el, 'id', sink);
  if (id === undefined) {
    sink.error(el.line, '<cpu> without a numeric id is skipped', el.column);
    return undefined;
  }
  const cpu: CpuFact = { id, node };
  const socket = int(el, 'socket_id', sink);
  // libvirt lists an offline CPU by id alone: it cannot read its topology.
  cpu.online = socket !== undefined;
  if (socket !== undefined) cpu.package = socket;
  const die = int(el, 'die_id', sink);
  if (die !== undefined) cpu.die = die;
  const cluster = int(el, 'cluster_id', sink);
  if (cluster !== undefined) cpu.cluster = cluster;
  const core = int(el, 'core_id', sink);
  if (core !== undefined) cpu.core = core;
  if (el.attrs.siblings !== undefined) {
    const list = parseIdList(el.attrs.siblings, MAX_THREAD_SIBLINGS);
    if (list.ok) cpu.siblings = list.ids;
    else sink.warning(el.line, `CPU ${id} siblings: ${list.error}`, el.column);
  }
  return cpu;
}

/** A matrix with holes is not used; in a truncated paste the holes are the cut's, reported once already. */
function buildDistances(ids: number[], rows: Map<number, { row: Map<number, number>; el: XmlElement }>, sink: DiagnosticSink, truncated: boolean): HostFacts['distances'] {
  const values: number[][] = [];
  for (const id of ids) {
    const entry = rows.get(id);
    if (!entry) {
      if (truncated) return undefined;
      sink.warning(undefined, `cell ${id} has no <distances> while other cells do; distances ignored`);
      return undefined;
    }
    const missing = ids.find((to) => !entry.row.has(to));
    if (missing !== undefined) {
      if (truncated) return undefined;
      sink.warning(entry.el.line, `cell ${id} has no <sibling id='${missing}'>; distances ignored`, entry.el.column);
      return undefined;
    }
    values.push(ids.map((to) => entry.row.get(to) ?? 0));
  }
  const first = rows.get(ids[0]);
  return first ? { nodes: ids, values, line: first.el.line } : { nodes: ids, values };
}

function readCacheBanks(facts: HostFacts, host: XmlElement, sink: DiagnosticSink): void {
  const cache = firstChild(host, 'cache');
  if (!cache) return;
  for (const bank of childrenNamed(cache, 'bank')) {
    const level = int(bank, 'level', sink);
    const type = CACHE_TYPES[bank.attrs.type ?? ''];
    const cpus = parseIdList(bank.attrs.cpus ?? '');
    if (level === undefined || !type || !cpus.ok) {
      sink.warning(bank.line, `cache <bank> needs level, type (both|code|data) and cpus; ignored`, bank.column);
      continue;
    }
    const size = bank.attrs.size !== undefined && /^\d+$/.test(bank.attrs.size) ? libvirtUnitToKiB(Number(bank.attrs.size), bank.attrs.unit ?? 'B') : undefined;
    const fact: HostFacts['caches'][number] = { level, type, cpus: cpus.ids };
    if (size !== undefined) fact.sizeKiB = size;
    const id = int(bank, 'id', sink);
    if (id !== undefined) fact.id = id;
    facts.caches.push(fact);
  }
}

/**
 * host/cpu/topology is coarse: older libvirt filled `sockets` from virNodeInfo, where it means
 * sockets PER NUMA NODE. It only goes into counts where the cells' socket ids agree with it.
 */
function checkSockets(facts: HostFacts, host: XmlElement, sink: DiagnosticSink): void {
  const cpu = firstChild(host, 'cpu');
  const topo = cpu && firstChild(cpu, 'topology');
  if (!topo) return;
  const cores = int(topo, 'cores', sink);
  const threads = int(topo, 'threads', sink);
  const dies = int(topo, 'dies', sink);
  const sockets = int(topo, 'sockets', sink);
  if (cores !== undefined) facts.counts.coresPerSocket = cores;
  if (threads !== undefined) facts.counts.threadsPerCore = threads;
  if (dies !== undefined) facts.counts.diesPerSocket = dies;
  if (sockets === undefined) return;
  const online = facts.cpus.filter((c) => c.package !== undefined);
  const distinct = new Set(online.map((c) => c.package)).size;
  if (online.length === 0) {
    sink.info(topo.line, `host CPU topology says sockets='${sockets}', but no cell lists socket ids to confirm it; libvirt reports sockets per NUMA node on some versions, so it is not used`, topo.column);
  } else if (distinct === sockets) {
    facts.counts.sockets = sockets;
  } else {
    sink.info(topo.line, `host CPU topology says sockets='${sockets}' but the cells name ${distinct} distinct socket ids; libvirt counts sockets per NUMA node here, so it is not used (the cells' socket ids are the real sockets)`, topo.column);
  }
}
