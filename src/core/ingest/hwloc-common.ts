/**
 * The hwloc object tree that hwloc XML, lstopo console text and hwloc synthetic strings all
 * describe, and the one walk that turns it into HostFacts. Each format only builds the tree;
 * sharing the walk is what makes the three agree on the same machine.
 */
import type { CacheFact, CacheRef, CacheType, CpuFact, GroupFact, HostFacts, HugepageFact, NodeFact, OsDeviceFact, PciFact } from '../host/facts.ts';
import { formatIdList, sortIds } from '../cpuset.ts';
import type { DiagnosticSink } from '../diagnostics.ts';

export type HwType =
  | 'Machine'
  | 'Package'
  | 'Die'
  | 'Group'
  | 'NUMANode'
  | 'MemCache'
  | 'Cache'
  | 'Core'
  | 'PU'
  | 'HostBridge'
  | 'PCIBridge'
  | 'PCIDev'
  | 'OSDev'
  | 'Misc';

export interface HwCache {
  level: number;
  type: CacheType;
  sizeKiB?: number;
  lineSize?: number;
  ways?: number;
}

export interface HwPci {
  /** Canonical BDF; absent for host bridges and for lstopo lines that do not print it. */
  bdf?: string;
  classCode?: string;
  className?: string;
  vendorId?: string;
  deviceId?: string;
  link?: string;
  /** Host bridge: "dddd:bb" of the root bus; PCI bridge: first bus behind it. */
  root?: string;
  secondaryBus?: number;
}

export interface HwObject {
  type: HwType;
  subtype?: string;
  /** OS index (P#) when the source prints it; otherwise ids are logical (DFS order, like L#). */
  osIndex?: number;
  memoryKiB?: number;
  hugepages?: HugepageFact[];
  cache?: HwCache;
  pci?: HwPci;
  /** OSDev kind ("Network", "Block", "CoProc" …) and name ("eth0"). */
  osdevKind?: string;
  name?: string;
  infos: Record<string, string>;
  children: HwObject[];
  line: number;
}

export interface CpuKind {
  cpus: number[];
  kind: string;
  maxMHz?: number;
}

/** What a source says besides the tree. */
export interface TreeExtras {
  /** PUs the source knows exist but are offline (hwloc: complete_cpuset minus cpuset). */
  offline?: number[];
  cpuKinds?: CpuKind[];
}

export function hwObject(type: HwType, line: number): HwObject {
  return { type, infos: {}, children: [], line };
}

/** Memory kinds that hwloc attaches next to a node with CPUs; such nodes never own the CPUs. */
/**
 * Deeper than any hwloc tree: a machine ⊃ groups ⊃ package ⊃ die ⊃ caches ⊃ core ⊃ PU with an
 * I/O tree below is about 20 levels. The walk below recurses once per level, so a text nesting
 * deeper is refused by its reader before it is built.
 */
export const MAX_TREE_DEPTH = 256;

const MEMORY_ONLY_SUBTYPES = /^(HBM|MCDRAM|NVM|SPM|GPUMemory|CXL.*|DAX|PMEM)$/i;

/**
 * A name for a CPU kind, from hwloc's own infos: "CoreType" (Intel hybrid), "CPUPart" (ARM),
 * else its position in hwloc's list (kinds are listed by increasing efficiency).
 */
export function cpuKindName(infos: Record<string, string>, index: number): string {
  return infos.CoreType ?? infos.CPUPart ?? `kind#${index}`;
}

/** "0.250000" / "7.88GB/s" → "0.25 GB/s"; 0 means hwloc did not know, so undefined. */
export function linkSpeed(text: string): string | undefined {
  const v = parseFloat(text);
  if (!Number.isFinite(v) || v <= 0) return undefined;
  return `${parseFloat(v.toFixed(2))} GB/s`;
}

/** hwloc's pci_type / lstopo's "id=8086:10c9 class=0200": "0200 [8086:10c9] [8086:a03c] 01". */
export function parsePciType(text: string, pci: HwPci): void {
  const m = /^\s*([0-9a-f]{4})\s+\[([0-9a-f]{4}):([0-9a-f]{4})\]/i.exec(text);
  if (!m) return;
  pci.classCode = m[1].toLowerCase();
  pci.vendorId = m[2].toLowerCase();
  pci.deviceId = m[3].toLowerCase();
}

/** hwloc's bridge_pci / lstopo's buses= "0000:[04-04]" → domain, first bus. */
export function parseBusRange(text: string): { domain: string; bus: string } | undefined {
  const m = /^([0-9a-f]{4,8}):\[([0-9a-f]{2})-([0-9a-f]{2})\]$/i.exec(text.trim());
  return m ? { domain: m[1].toLowerCase(), bus: m[2].toLowerCase() } : undefined;
}

const isIo = (t: HwType) => t === 'HostBridge' || t === 'PCIBridge' || t === 'PCIDev' || t === 'OSDev';
const isMemory = (t: HwType) => t === 'NUMANode' || t === 'MemCache';

/** The NUMA nodes hwloc attached to an object as memory children (through MemCaches too). */
function attachedNodes(obj: HwObject, out: HwObject[] = []): HwObject[] {
  for (const c of obj.children) {
    if (c.type === 'NUMANode') out.push(c);
    else if (c.type === 'MemCache') attachedNodes(c, out);
  }
  return out;
}

/** Of several nodes attached at one place, the one the CPUs belong to: plain DRAM first. */
function primaryNode(nodes: HwObject[]): HwObject | undefined {
  return nodes.find((n) => n.subtype === undefined || /^DRAM$/i.test(n.subtype)) ?? nodes.find((n) => !MEMORY_ONLY_SUBTYPES.test(n.subtype ?? ''));
}

interface PendingPci {
  fact: PciFact;
  /** PU ranges [start, end) of the non-I/O ancestors, outermost first; the nearest with CPUs counts. */
  locality: [number, number][];
}

/**
 * Walk the tree once, depth first, carrying the enclosing package/die/cluster/core/caches and the
 * node that owns the CPUs at this point. Ids of objects without an OS index are per-type counters
 * in walk order, which is hwloc's logical (L#) order.
 */
export function factsFromTree(roots: HwObject[], facts: HostFacts, extras: TreeExtras = {}, notes?: DiagnosticSink): void {
  const packagesByPosition = sharedPackageIndexes(roots, notes);
  const counters = new Map<string, number>();
  const nextId = (key: string, osIndex: number | undefined): number => {
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    return key === 'Package' && packagesByPosition ? n : osIndex ?? n;
  };
  const pus = puCounter();
  const named: GroupFact[] = [];
  const enterGroup = (here: Ctx, id: number, subtype: string | undefined) => {
    here.groups = [...here.groups, id];
    if (subtype !== undefined) named.push({ path: here.groups, subtype });
  };
  const puOrder: CpuFact[] = [];
  const puNode: (HwObject | undefined)[] = [];
  const nodeIds = new Map<HwObject, number>();
  const nodeFacts = new Map<HwObject, NodeFact>();
  /** The object each node is attached to: a CPU-less node's locality is that object's PUs. */
  const attachedTo = new Map<HwObject, HwObject>();
  const pending: PendingPci[] = [];

  interface Ctx {
    package?: number;
    die?: number;
    cluster?: number;
    groups: number[];
    caches: CacheRef[];
    node?: HwObject;
    /** Start of the PU range of the nearest ancestor with CPUs, resolved later. */
    locality: HwObject[];
    pciParent?: string | null;
    pciRoot?: string;
  }
  const ranges = new Map<HwObject, [number, number]>();

  const addNode = (obj: HwObject) => {
    if (nodeIds.has(obj)) return;
    const id = nextId('NUMANode', obj.osIndex);
    nodeIds.set(obj, id);
    const fact: NodeFact = { id, cpus: [] };
    if (obj.memoryKiB !== undefined) fact.memoryKiB = obj.memoryKiB;
    if (obj.hugepages && obj.hugepages.length > 0) fact.hugepages = obj.hugepages;
    if (obj.subtype !== undefined) fact.subtype = obj.subtype;
    nodeFacts.set(obj, fact);
  };

  const visit = (obj: HwObject, ctx: Ctx): void => {
    const here: Ctx = { ...ctx };
    const start = puOrder.length;
    let ownCache: CacheFact | undefined;
    switch (obj.type) {
      case 'Package':
        here.package = nextId('Package', obj.osIndex);
        break;
      case 'Die':
        here.die = nextId('Die', obj.osIndex);
        break;
      case 'Group':
        if (/^Cluster$/i.test(obj.subtype ?? '')) here.cluster = nextId(`Group:${obj.subtype}`, obj.osIndex);
        // A group anywhere, above packages or inside them (Cluster-on-Die, SNC): where it sits
        // among packages, dies, caches and nodes follows from the CPUs it holds (host/tree.ts).
        // Its path holds groups only, so groups are numbered machine-wide in walk order, not by
        // P#: one inside a package may repeat the P# of one in the next package.
        else enterGroup(here, nextId('Group', undefined), obj.subtype);
        break;
      case 'Cache':
        if (obj.cache) {
          const key = `L${obj.cache.level}${obj.cache.type}`;
          const id = nextId(key, obj.osIndex);
          here.caches = [...here.caches, { level: obj.cache.level, type: obj.cache.type, id }];
          ownCache = cacheFact(obj.cache, id);
          facts.caches.push(ownCache);
        }
        break;
      case 'NUMANode':
        addNode(obj);
        // hwloc 1.x: a NUMANode is a normal parent of the CPUs it owns. hwloc 2 reads it as a
        // Group holding the node's memory and those CPUs, kept where the group adds a level.
        if (obj.children.some(isNormal)) {
          here.node = obj;
          const parent = here.locality[here.locality.length - 1];
          if (addsLevel(obj, parent, pus)) enterGroup(here, nextId('Group', undefined), undefined);
        }
        break;
      case 'HostBridge':
        here.pciParent = null;
        here.pciRoot = obj.pci?.root;
        break;
      case 'PCIBridge':
      case 'PCIDev':
        if (obj.pci?.bdf !== undefined) {
          const fact = pciFact(obj, here);
          pending.push({ fact, locality: here.locality.map((o) => ranges.get(o)).filter((r): r is [number, number] => r !== undefined) });
          facts.pci.push(fact);
          here.pciParent = obj.type === 'PCIBridge' ? obj.pci.bdf : here.pciParent;
        } else {
          here.pciParent = undefined;
        }
        break;
      default:
        break;
    }
    if (!isIo(obj.type) && !isMemory(obj.type)) {
      const attached = attachedNodes(obj);
      for (const n of attached) {
        addNode(n);
        attachedTo.set(n, obj);
      }
      const primary = primaryNode(attached);
      if (primary) here.node = primary;
    }
    if (!isIo(obj.type)) {
      here.locality = [...here.locality, obj];
      ranges.set(obj, [start, start]);
    }
    if (obj.type === 'PU') {
      const cpu: CpuFact = { id: nextId('PU', obj.osIndex), online: true };
      if (here.package !== undefined) cpu.package = here.package;
      if (here.die !== undefined) cpu.die = here.die;
      if (here.cluster !== undefined) cpu.cluster = here.cluster;
      if (here.groups.length > 0) cpu.groups = here.groups;
      if (here.caches.length > 0) cpu.caches = here.caches;
      puOrder.push(cpu);
      puNode.push(here.node);
    }
    if (obj.type === 'Core') {
      const core = nextId('Core', obj.osIndex);
      for (const c of obj.children) visit(c, here);
      const threads = puOrder.slice(start);
      const siblings = sortIds(threads.map((t) => t.id));
      for (const t of threads) {
        t.core = core;
        t.siblings = siblings;
      }
    } else {
      for (const c of obj.children) visit(c, here);
    }
    const range = ranges.get(obj);
    if (range) range[1] = puOrder.length;
    if (ownCache) ownCache.cpus = sortIds(puOrder.slice(start).map((t) => t.id));
  };

  for (const root of roots) visit(root, { groups: [], caches: [], locality: [] });

  puOrder.forEach((cpu, i) => {
    const node = puNode[i];
    if (node === undefined) return;
    cpu.node = nodeIds.get(node);
    nodeFacts.get(node)?.cpus?.push(cpu.id);
  });
  for (const [node, fact] of nodeFacts) {
    const range = ranges.get(attachedTo.get(node) ?? node);
    if ((fact.cpus?.length ?? 0) > 0 || !range || range[1] <= range[0]) continue;
    fact.localCpus = sortIds(puOrder.slice(range[0], range[1]).map((c) => c.id));
  }
  for (const p of pending) {
    const range = [...p.locality].reverse().find(([s, e]) => e > s);
    if (!range) continue;
    const [s, e] = range;
    const nodes = new Set<number>();
    for (let i = s; i < e; i++) {
      const n = puOrder[i].node;
      if (n !== undefined) nodes.add(n);
    }
    // A device hwloc could only attach above several nodes has no single node: unknown.
    if (nodes.size === 1) p.fact.node = [...nodes][0];
  }
  if (extras.cpuKinds) {
    const byId = new Map(puOrder.map((c) => [c.id, c]));
    for (const k of extras.cpuKinds) {
      for (const id of k.cpus) {
        const cpu = byId.get(id);
        if (!cpu) continue;
        cpu.kind = k.kind;
        if (k.maxMHz !== undefined) cpu.maxMHz = k.maxMHz;
      }
    }
  }
  const known = new Set(puOrder.map((c) => c.id));
  const offline = (extras.offline ?? []).filter((id) => !known.has(id)).map((id): CpuFact => ({ id, online: false }));
  facts.cpus = [...puOrder, ...offline].sort((a, b) => a.id - b.id);
  facts.nodes = [...nodeFacts.values()].map((n) => ({ ...n, cpus: sortIds(n.cpus ?? []) })).sort((a, b) => a.id - b.id);
  facts.caches = facts.caches.filter((c) => c.cpus.length > 0 || c.sizeKiB !== undefined);
  if (offline.length > 0) facts.counts.offline = offline.map((c) => c.id);
  if (named.length > 0) facts.groups = named;
}

/** Objects of the CPU tree: not memory, not I/O, not Misc. */
function isNormal(obj: HwObject): boolean {
  return !isMemory(obj.type) && !isIo(obj.type) && obj.type !== 'Misc';
}

/** PUs under an object (a 1.x NUMANode's included), counted once per object. */
function puCounter(): (obj: HwObject) => number {
  const known = new Map<HwObject, number>();
  const count = (obj: HwObject): number => {
    let n = known.get(obj);
    if (n === undefined) {
      n = obj.type === 'PU' ? 1 : 0;
      for (const c of obj.children) if (!isIo(c.type)) n += count(c);
      known.set(obj, n);
    }
    return n;
  };
  return count;
}

/**
 * Whether hwloc 2 keeps the Group it makes of a hwloc 1.x NUMANode: not when the group has the
 * PUs of its parent or of a child (a node per package), which hwloc merges as adding nothing.
 */
function addsLevel(node: HwObject, parent: HwObject | undefined, pus: (obj: HwObject) => number): boolean {
  const n = pus(node);
  if (parent && pus(parent) === n) return false;
  return !node.children.some((c) => pus(c) === n);
}

/**
 * Packages are one per P# on most hosts, but not on all: hwloc's 16ia64-8n2s dump has two
 * Packages with each physical_package_id (0, 512 …), told apart by their core_siblings. Keyed
 * by P#, each pair would merge into one package; then every package is numbered by its place
 * in the tree (L#), as hwloc does, and said so. True when that is the case.
 */
function sharedPackageIndexes(roots: readonly HwObject[], notes: DiagnosticSink | undefined): boolean {
  const byIndex = new Map<number, HwObject[]>();
  let total = 0;
  const stack = [...roots];
  while (stack.length > 0) {
    const obj = stack.pop() as HwObject;
    if (obj.type === 'Package') {
      total++;
      if (obj.osIndex !== undefined) (byIndex.get(obj.osIndex) ?? byIndex.set(obj.osIndex, []).get(obj.osIndex)!).push(obj);
    }
    if (!isIo(obj.type)) for (const child of obj.children) stack.push(child);
  }
  const shared = [...byIndex].filter(([, objs]) => objs.length > 1).sort((a, b) => a[0] - b[0]);
  if (shared.length === 0) return false;
  const named = shared.slice(0, 4).map(([os, objs]) => `P#${os} ×${objs.length}`).join(', ') + (shared.length > 4 ? ` and ${shared.length - 4} more` : '');
  const line = shared[0][1].reduce((min, o) => Math.min(min, o.line), Infinity);
  notes?.info(line, `${total} packages but only ${byIndex.size} distinct P# (${named}): hwloc keeps packages with one P# apart, so packages are numbered by their order (L#0–L#${total - 1}) instead`);
  return true;
}

function cacheFact(cache: HwCache, id: number): CacheFact {
  const f: CacheFact = { level: cache.level, type: cache.type, cpus: [], id };
  if (cache.sizeKiB !== undefined) f.sizeKiB = cache.sizeKiB;
  if (cache.lineSize !== undefined && cache.lineSize > 0) f.lineSize = cache.lineSize;
  if (cache.ways !== undefined && cache.ways > 0) f.ways = cache.ways;
  return f;
}

function pciFact(obj: HwObject, ctx: { pciParent?: string | null; pciRoot?: string }): PciFact {
  const pci = obj.pci ?? {};
  const fact: PciFact = { bdf: pci.bdf ?? '', line: obj.line };
  if (ctx.pciParent !== undefined) fact.parent = ctx.pciParent;
  if (ctx.pciRoot !== undefined) fact.root = ctx.pciRoot;
  if (pci.classCode !== undefined) fact.classCode = pci.classCode;
  if (pci.className !== undefined) fact.className = pci.className;
  if (pci.vendorId !== undefined) fact.vendorId = pci.vendorId;
  if (pci.deviceId !== undefined) fact.deviceId = pci.deviceId;
  if (obj.infos.PCIVendor) fact.vendor = obj.infos.PCIVendor;
  if (obj.infos.PCIDevice) fact.device = obj.infos.PCIDevice;
  if (pci.link !== undefined) fact.link = pci.link;
  fact.isBridge = obj.type === 'PCIBridge';
  if (pci.secondaryBus !== undefined) fact.secondaryBus = pci.secondaryBus;
  const osDevices: OsDeviceFact[] = [];
  for (const c of obj.children) {
    if (c.type !== 'OSDev' || c.name === undefined) continue;
    const d: OsDeviceFact = { name: c.name };
    const kind = c.subtype ? `${c.osdevKind ?? 'OSDev'}(${c.subtype})` : c.osdevKind;
    if (kind !== undefined) d.kind = kind;
    osDevices.push(d);
  }
  if (osDevices.length > 0) fact.osDevices = osDevices;
  return fact;
}

/** Machine infos hwloc records on the root object (and CPU model on packages). */
export function machineFromInfos(facts: HostFacts, infos: Record<string, string>): void {
  if (infos.Architecture && !facts.machine.arch) facts.machine.arch = infos.Architecture;
  if (infos.HostName && !facts.machine.hostname) facts.machine.hostname = infos.HostName;
  if (infos.CPUVendor && !facts.machine.vendor) facts.machine.vendor = infos.CPUVendor;
  if (infos.CPUModel && !facts.machine.model) facts.machine.model = infos.CPUModel;
}

/** Machine infos from the root and the first package, wherever hwloc put them. */
export function machineFromTree(facts: HostFacts, roots: HwObject[]): void {
  const stack = [...roots];
  let seen = 0;
  while (stack.length > 0 && seen < 64) {
    const o = stack.shift() as HwObject;
    seen++;
    machineFromInfos(facts, o.infos);
    if (o.type === 'Machine' || o.type === 'Group' || o.type === 'NUMANode') for (const c of o.children) if (c.type !== 'PU') stack.push(c);
  }
}

/**
 * What lstopo says of CPUs its own process could not use (a cgroup or container: hwloc's
 * allowed_cpuset, lstopo's "(disallowed)"): they are the host's all the same, and read online.
 */
export function disallowedNote(cpus: readonly number[]): string {
  return `${cpus.length} CPU(s) (${formatIdList(cpus)}) were outside the allowed set of the process that ran lstopo (allowed_cpuset, its cgroup or container); they are host CPUs and read as online`;
}
