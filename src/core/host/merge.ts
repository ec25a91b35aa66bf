/**
 * Facts from several pastes → one Host. Each fact is taken from the paste that knows it best
 * (see priority.ts); where pastes disagree the Host lists a Conflict naming who said what,
 * and anything inferred rather than read is reported as an 'info' diagnostic.
 */
import { formatIdList, MAX_IDS, sortIds } from '../cpuset.ts';
import { diagnosticSink, type Diagnostic } from '../diagnostics.ts';
import type { CpuFact, FormatId, HostFacts, NodeFact } from './facts.ts';
import { findConflicts } from './conflicts.ts';
import { inferCaches } from './infer-caches.ts';
import { inferCoresFromCounts } from './infer-cores.ts';
import { inferPackages } from './infer-packages.ts';
import { localityByDistance } from './locality-by-distance.ts';
import { groupsOf } from './groups.ts';
import { withinNodeLimit } from './node-limit.ts';
import { withinPresentCpus } from './present-cpus.ts';
import { DEFAULT_REMOTE_DISTANCE, LOCAL_DISTANCE, type Cache, type Cluster, type Core, type Cpu, type Die, type Host, type NodeKind, type NumaNode, type Package, type PciDevice, type SourceSummary } from './model.ts';
import { pciClassName } from './pci-class.ts';
import { byRank, memoryRank, pciRank, topologyRank } from './priority.ts';

export function mergeFacts(given: readonly HostFacts[], labelOf: (format: FormatId) => string = (f) => f): Host {
  const notes = diagnosticSink(given.length === 1 ? given[0].source : 'numascope');
  const all = withinPresentCpus(given.map((f) => withinNodeLimit(f, notes.list)), notes.list);
  const ranked = byRank(all, topologyRank);

  const nodeOf = nodeOfCpu(ranked);
  const topology = pickTopology(ranked, nodeOf, notes);
  const cpus = mergeCpus(ranked, topology, nodeOf);
  const nodes = mergeNodes(all, cpus, notes);
  const { matrix: distances, gaps } = mergeDistances(all, nodes, notes);
  if (topology.packagesFromCounts) dropPackagesSplittingNodes(cpus, nodes, notes);
  if (!cpus.some((c) => c.package !== undefined)) placePackages(ranked, cpus, nodes, distances, gaps, notes);
  const cores = groupCores(cpus, topology);
  const packages = groupBy(cpus, (c) => c.package, (id, members): Package => ({ id, cpus: members }));
  const dies = groupPairs(cpus, (c) => c.die, (pkg, id, members): Die => ({ package: pkg, id, cpus: members }));
  const clusters = groupPairs(cpus, (c) => c.cluster, (pkg, id, members): Cluster => ({ package: pkg, id, cpus: members }));
  const caches = mergeCaches(ranked, topology, cpus, cores, packages, notes);
  attachCaches(cpus, caches);
  placeByDistance(nodes, distances, gaps, notes);
  const pci = mergePci(all);

  const host: Host = {
    machine: mergeMachine(ranked),
    packages,
    dies,
    clusters,
    // Subtypes from the paste the CPUs' group paths came from first: another may number its groups otherwise.
    ...(cpus.some((c) => c.groups) ? { groups: groupsOf(cpus, [topology.facts, ...ranked].flatMap((f) => f?.groups ?? [])) } : {}),
    cores,
    nodes,
    cpus,
    caches,
    distances,
    pci,
    sources: all.map((f) => summarise(f, labelOf)),
    conflicts: findConflicts(all, labelOf),
    diagnostics: [] as Diagnostic[],
  };
  host.diagnostics = [...all.flatMap((f) => f.diagnostics), ...notes.list];
  return host;
}

interface Topology {
  facts?: HostFacts;
  /** Per-CPU topology facts keyed by CPU id, from the best paste (or inferred). */
  byCpu: Map<number, CpuFact>;
  /** Packages guessed from lscpu's counts (cores fill sockets in order), not read. */
  packagesFromCounts?: boolean;
}

function hasTopology(f: HostFacts): boolean {
  return f.cpus.some((c) => c.core !== undefined || c.package !== undefined || (c.siblings?.length ?? 0) > 1);
}

/** CPU → node from the node lists of the pastes, the best-ranked paste first. */
function nodeOfCpu(ranked: readonly HostFacts[]): Map<number, number> {
  const nodeOf = new Map<number, number>();
  for (const f of ranked) for (const n of f.nodes) for (const id of n.cpus ?? []) if (!nodeOf.has(id)) nodeOf.set(id, n.id);
  return nodeOf;
}

function pickTopology(ranked: readonly HostFacts[], nodeOf: ReadonlyMap<number, number>, notes: ReturnType<typeof diagnosticSink>): Topology {
  const best = ranked.find(hasTopology);
  if (best) return { facts: best, byCpu: new Map(best.cpus.map((c) => [c.id, c])) };
  for (const f of ranked) {
    const inferred = inferCoresFromCounts(f.counts, cpuIdsOf(f), nodeOf);
    if (inferred) {
      notes.info(undefined, inferred.explanation);
      return { facts: f, byCpu: new Map(inferred.cpus.map((c) => [c.id, c])), packagesFromCounts: true };
    }
  }
  // Without SMT a core is a CPU, whatever the numbering; packages are placed later, from the nodes.
  const single = ranked.find((f) => f.counts.threadsPerCore === 1);
  if (single) {
    const ids = sortIds(ranked.flatMap(cpuIdsOf));
    if (ids.length > 0) {
      notes.info(undefined, "lscpu says 1 thread per core: each CPU is a core of its own; paste `lscpu -e` for the real mapping");
      return { facts: single, byCpu: new Map(ids.map((id) => [id, { id, siblings: [id] }])) };
    }
  }
  return { byCpu: new Map() };
}

/**
 * Cores filling sockets in order is how most firmware numbers CPUs, not all: some Intel hosts
 * deal CPUs to sockets in turn (CPU 0 to socket 0, 1 to socket 1 …; hwloc's memorysidecaches
 * dump). A node never spans sockets there, so a guess that splits one is wrong and dropped;
 * placePackages then reads packages from the nodes.
 */
function dropPackagesSplittingNodes(cpus: Cpu[], nodes: readonly NumaNode[], notes: ReturnType<typeof diagnosticSink>): void {
  const packageOf = new Map(cpus.map((c) => [c.id, c.package]));
  const split = nodes.find((n) => new Set(n.cpus.map((id) => packageOf.get(id))).size > 1);
  if (!split) return;
  for (const cpu of cpus) delete cpu.package;
  notes.info(undefined, `filling sockets in CPU order would split node ${split.id} across sockets, so that part of the inference is not used: this host numbers its CPUs another way`);
}

/**
 * Packages from lscpu's socket count and the nodes (infer-packages.ts), when no paste placed
 * any CPU in a package: said as an info either way, since a host drawn without packages
 * otherwise reads "0 package(s)" with no reason given.
 */
function placePackages(
  ranked: readonly HostFacts[],
  cpus: Cpu[],
  nodes: readonly NumaNode[],
  distances: readonly number[][],
  gaps: ReadonlySet<number>,
  notes: ReturnType<typeof diagnosticSink>,
): void {
  const counts = ranked.find((f) => f.counts.sockets !== undefined)?.counts;
  const sockets = counts?.sockets;
  if (sockets === undefined || sockets < 1 || cpus.length === 0) return;
  const placed = inferPackages({ ...counts, sockets }, cpus.map((c) => c.id), nodes, distances, (i) => distances.length > i && !gaps.has(i));
  if (placed.packages === undefined) {
    notes.info(undefined, placed.reason);
    return;
  }
  const byId = new Map(cpus.map((c) => [c.id, c]));
  placed.packages.forEach((members, pkg) => {
    for (const id of members) {
      const cpu = byId.get(id);
      if (cpu) cpu.package = pkg;
    }
  });
  notes.info(undefined, placed.explanation);
}

/** Every CPU id one paste mentions, in any form. */
function cpuIdsOf(f: HostFacts): number[] {
  // Pushed one by one: a spread of a 200,000-CPU list overflows the call stack.
  const ids: number[] = f.cpus.map((c) => c.id);
  for (const n of f.nodes) for (const id of n.cpus ?? []) ids.push(id);
  for (const id of f.counts.online ?? []) ids.push(id);
  for (const id of f.counts.offline ?? []) ids.push(id);
  if (ids.length === 0 && f.counts.cpus) for (let i = 0; i < Math.min(f.counts.cpus, MAX_IDS); i++) ids.push(i);
  return sortIds(ids);
}

function mergeCpus(ranked: readonly HostFacts[], topology: Topology, nodeOf: ReadonlyMap<number, number>): Cpu[] {
  const ids = sortIds(ranked.flatMap(cpuIdsOf));
  const cpuFacts = new Map<number, CpuFact[]>();
  for (const f of ranked) {
    for (const c of f.cpus) {
      const facts = cpuFacts.get(c.id);
      if (facts) facts.push(c);
      else cpuFacts.set(c.id, [c]);
    }
  }
  const listed = onlineLists(ranked);

  return ids.map((id) => {
    // Undefined for a CPU only node lists or counts name.
    const facts = cpuFacts.get(id);
    const topo = topology.byCpu.get(id);
    const first = <K extends keyof CpuFact>(key: K): CpuFact[K] | undefined =>
      topo?.[key] !== undefined ? topo[key] : facts?.find((c) => c[key] !== undefined)?.[key];
    const cpu: Cpu = { id, online: isOnline(id, facts, listed), siblings: [id], caches: [] };
    const pkg = first('package');
    if (pkg !== undefined) cpu.package = pkg;
    const die = first('die');
    if (die !== undefined) cpu.die = die;
    const cluster = first('cluster');
    if (cluster !== undefined) cpu.cluster = cluster;
    const groups = first('groups');
    if (groups?.length) cpu.groups = [...groups];
    const node = first('node') ?? nodeOf.get(id);
    if (node !== undefined) cpu.node = node;
    const kind = first('kind');
    if (kind !== undefined) cpu.kind = kind;
    return cpu;
  });
}

/** Each paste's online/offline lists as sets, best-ranked first: looked up once per CPU. */
function onlineLists(ranked: readonly HostFacts[]): { online?: Set<number>; offline?: Set<number> }[] {
  return ranked.map((f) => ({
    ...(f.counts.online ? { online: new Set(f.counts.online) } : {}),
    ...(f.counts.offline ? { offline: new Set(f.counts.offline) } : {}),
  }));
}

function isOnline(id: number, facts: readonly CpuFact[] | undefined, listed: ReturnType<typeof onlineLists>): boolean {
  const said = facts?.find((c) => c.online !== undefined);
  if (said) return said.online!;
  for (const { online, offline } of listed) {
    if (offline?.has(id)) return false;
    if (online) return online.has(id);
  }
  return true;
}

function groupCores(cpus: Cpu[], topology: Topology): Core[] {
  // The CPUs come in id order, so cores are met, and numbered, in order of their first CPU.
  const byKey = new Map<string, { members: Cpu[]; osId?: number }>();
  for (const cpu of cpus) {
    const t = topology.byCpu.get(cpu.id);
    if (t === undefined) continue;
    // A sibling list names a core exactly; core ids alone repeat across dies, clusters and
    // books on some hosts (hwloc's s390 and Magny-Cours dumps, lscpu -e on ARM clusters), and
    // the threads of one core always share its L2 (even AMD's CMT modules), so that id keeps
    // such cores apart.
    let key: string;
    if (t.siblings?.length) key = `siblings|${t.siblings.reduce((min, s) => Math.min(min, s), Infinity)}`;
    else if (t.core !== undefined) key = `${cpu.package}|${cpu.die}|${cpu.cluster}|${t.core}|${l2Id(t)}`;
    else continue;
    let core = byKey.get(key);
    if (!core) byKey.set(key, (core = { members: [], osId: t.core }));
    core.members.push(cpu);
  }
  const cores: Core[] = [];
  for (const { members, osId } of byKey.values()) {
    const head = members[0];
    const core: Core = { index: cores.length, cpus: members.map((c) => c.id) };
    if (head.package !== undefined) core.package = head.package;
    if (head.die !== undefined) core.die = head.die;
    if (head.cluster !== undefined) core.cluster = head.cluster;
    if (osId !== undefined) core.osId = osId;
    if (head.kind !== undefined) core.kind = head.kind;
    for (const cpu of members) {
      cpu.core = core.index;
      cpu.siblings = core.cpus;
    }
    cores.push(core);
  }
  return cores;
}

function l2Id(cpu: CpuFact): number | undefined {
  return cpu.caches?.find((c) => c.level === 2)?.id;
}

function groupBy<T>(cpus: readonly Cpu[], keyOf: (c: Cpu) => number | undefined, make: (id: number, members: number[]) => T): T[] {
  const groups = new Map<number, number[]>();
  for (const cpu of cpus) {
    const key = keyOf(cpu);
    if (key === undefined) continue;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(cpu.id);
  }
  return [...groups].sort((a, b) => a[0] - b[0]).map(([id, members]) => make(id, members));
}

/** Dies and clusters are numbered within their package. */
function groupPairs<T>(cpus: readonly Cpu[], keyOf: (c: Cpu) => number | undefined, make: (pkg: number, id: number, members: number[]) => T): T[] {
  const groups = new Map<string, { pkg: number; id: number; members: number[] }>();
  for (const cpu of cpus) {
    const id = keyOf(cpu);
    if (id === undefined) continue;
    const pkg = cpu.package ?? 0;
    const key = `${pkg}|${id}`;
    (groups.get(key) ?? groups.set(key, { pkg, id, members: [] }).get(key)!).members.push(cpu.id);
  }
  return [...groups.values()].sort((a, b) => a.pkg - b.pkg || a.id - b.id).map((g) => make(g.pkg, g.id, g.members));
}

function mergeCaches(
  ranked: readonly HostFacts[],
  topology: Topology,
  cpus: readonly Cpu[],
  cores: readonly Core[],
  packages: readonly Package[],
  notes: ReturnType<typeof diagnosticSink>,
): Cache[] {
  const summary = ranked.find((f) => f.cacheSummary.length > 0)?.cacheSummary ?? [];
  const sizeOf = (level: number, type: string) => summary.find((s) => s.level === level && s.type === type)?.sizeKiB;

  const withSets = ranked.find((f) => f.caches.length > 0);
  if (withSets) {
    return withSets.caches.map((c, index) => {
      const cache: Cache = { index, level: c.level, type: c.type, cpus: sortIds(c.cpus) };
      const size = c.sizeKiB ?? sizeOf(c.level, c.type);
      if (size !== undefined) cache.sizeKiB = size;
      return cache;
    });
  }

  // Grouped by (level, type), then by the source's cache id: a handful of slots, not a string key per instance.
  const bySlot = new Map<string, Map<number, { level: number; type: Cache['type']; cpus: number[] }>>();
  for (const cpu of cpus) {
    for (const ref of topology.byCpu.get(cpu.id)?.caches ?? []) {
      const slot = `${ref.level} ${ref.type}`;
      let instances = bySlot.get(slot);
      if (!instances) bySlot.set(slot, (instances = new Map()));
      let group = instances.get(ref.id);
      if (!group) instances.set(ref.id, (group = { level: ref.level, type: ref.type, cpus: [] }));
      group.cpus.push(cpu.id);
    }
  }
  if (bySlot.size > 0) {
    return [...bySlot.values()]
      .flatMap((instances) => [...instances.values()])
      // Stable: the instances of one level and type stay in order of their first CPU, as met.
      .sort((a, b) => b.level - a.level || innermostType(a, b))
      .map((g, index) => {
        const cache: Cache = { index, level: g.level, type: g.type, cpus: g.cpus };
        const size = sizeOf(g.level, g.type);
        if (size !== undefined) cache.sizeKiB = size;
        return cache;
      });
  }

  const inferred = inferCaches(summary, cores, packages);
  if (inferred && inferred.length > 0) notes.info(undefined, 'cache sharing inferred from lscpu (L1/L2 per core, L3 per socket); paste `lscpu -e` or hwloc XML for the real layout');
  return inferred ?? [];
}

function attachCaches(cpus: Cpu[], caches: readonly Cache[]): void {
  const byId = new Map(cpus.map((c) => [c.id, c]));
  const innermostFirst = [...caches].sort((a, b) => a.level - b.level || innermostType(a, b));
  for (const cache of innermostFirst) for (const id of cache.cpus) byId.get(id)?.caches.push(cache.index);
}

/** One level's caches as lscpu and hwloc list them: data, instruction, then unified. */
const INNERMOST_TYPES: readonly Cache['type'][] = ['data', 'instruction', 'unified'];

function innermostType(a: { type: Cache['type'] }, b: { type: Cache['type'] }): number {
  return INNERMOST_TYPES.indexOf(a.type) - INNERMOST_TYPES.indexOf(b.type);
}

function mergeNodes(all: readonly HostFacts[], cpus: readonly Cpu[], notes: ReturnType<typeof diagnosticSink>): NumaNode[] {
  const ids = new Set<number>();
  for (const f of all) {
    for (const n of f.nodes) ids.add(n.id);
    for (const n of f.distances?.nodes ?? []) ids.add(n);
  }
  for (const cpu of cpus) if (cpu.node !== undefined) ids.add(cpu.node);
  if (ids.size === 0 && cpus.length > 0) {
    notes.info(undefined, 'no paste named NUMA nodes: all CPUs are shown in one node 0, as Linux does without NUMA');
    ids.add(0);
    for (const cpu of cpus) cpu.node = 0;
  }
  // Grouped once by node: looking every node up in every paste and every CPU is quadratic.
  const factsOf = new Map<number, NodeFact[]>();
  for (const f of byRank(all, memoryRank)) {
    for (const n of f.nodes) {
      const facts = factsOf.get(n.id);
      if (facts) facts.push(n);
      else factsOf.set(n.id, [n]);
    }
  }
  const cpusOf = new Map<number, number[]>();
  for (const c of cpus) if (c.node !== undefined) (cpusOf.get(c.node) ?? cpusOf.set(c.node, []).get(c.node)!).push(c.id);
  return sortIds(ids).map((id) => {
    // Undefined for a node only CPUs or a distance matrix name.
    const facts = factsOf.get(id);
    const nodeCpus = cpusOf.get(id) ?? [];
    const memoryKiB = facts?.find((n) => n.memoryKiB !== undefined)?.memoryKiB ?? null;
    const node: NumaNode = {
      id,
      cpus: nodeCpus,
      memoryKiB,
      freeKiB: facts?.find((n) => n.freeKiB !== undefined)?.freeKiB ?? null,
      hugepages: facts?.find((n) => n.hugepages?.length)?.hugepages ?? [],
      kind: nodeKind(nodeCpus.length, memoryKiB),
    };
    const subtype = facts?.find((n) => n.subtype !== undefined)?.subtype;
    if (subtype !== undefined) node.subtype = subtype;
    const localCpus = nodeCpus.length === 0 ? facts?.find((n) => n.localCpus !== undefined)?.localCpus : undefined;
    if (localCpus !== undefined) node.localCpus = localCpus;
    return node;
  });
}

function nodeKind(cpuCount: number, memoryKiB: number | null): NodeKind {
  if (cpuCount > 0) return memoryKiB === 0 ? 'cpu-only' : 'cpu+memory';
  return memoryKiB === 0 ? 'empty' : 'memory-only';
}

/** The merged matrix, and the indexes of the nodes whose row no paste gave in full. */
function mergeDistances(all: readonly HostFacts[], nodes: readonly NumaNode[], notes: ReturnType<typeof diagnosticSink>): { matrix: number[][]; gaps: Set<number> } {
  const sources = byRank(all, (f) => (f === 'virsh-caps' ? 0 : f === 'hwloc-xml' ? 1 : f === 'numactl' ? 2 : 3)).filter((f) => f.distances);
  const gaps = new Set<number>();
  if (sources.length === 0) return { matrix: nodes.length === 1 ? [[LOCAL_DISTANCE]] : [], gaps };
  const lookups = sources.map((f) => {
    const d = f.distances!;
    const index = new Map(d.nodes.map((n, i) => [n, i]));
    // A node this paste does not name has no row or column in it: index -1 finds nothing.
    return (a: number, b: number): number | undefined => d.values[index.get(a) ?? -1]?.[index.get(b) ?? -1];
  });
  // The first few gaps are named and the rest counted: a host of 1,024 nodes without distances has a million.
  const missing: string[] = [];
  let missingCount = 0;
  const matrix = nodes.map((a, i) =>
    nodes.map((b) => {
      for (const lookup of lookups) {
        const v = lookup(a.id, b.id);
        if (v !== undefined && Number.isFinite(v)) return v;
      }
      if (a.id === b.id) return LOCAL_DISTANCE;
      gaps.add(i);
      if (missingCount++ < 6) missing.push(`${a.id}→${b.id}`);
      return DEFAULT_REMOTE_DISTANCE;
    }),
  );
  if (missingCount > 0) {
    const shown = missing.join(', ') + (missingCount > 6 ? ` and ${missingCount - 6} more` : '');
    notes.warning(undefined, `no paste gives the distance ${shown}; shown as ${DEFAULT_REMOTE_DISTANCE}, Linux's default remote distance`);
  }
  return { matrix, gaps };
}

/** CPU-less nodes no paste placed go beside the nodes nearest to them, said as an inference. */
function placeByDistance(nodes: NumaNode[], distances: readonly number[][], gaps: ReadonlySet<number>, notes: ReturnType<typeof diagnosticSink>): void {
  const placed = localityByDistance(nodes, distances, (i) => !gaps.has(i));
  for (const node of nodes) {
    const near = placed.get(node.id);
    if (near === undefined) continue;
    node.localCpus = near;
    node.localCpusFrom = 'distances';
    const local = new Set(near);
    const beside = nodes.filter((n) => n.cpus.some((c) => local.has(c))).map((n) => n.id);
    notes.info(undefined, `no paste says where CPU-less node ${node.id} sits: shown beside node ${formatIdList(beside)}, its nearest by distance, as hwloc places it`);
  }
}

function mergePci(all: readonly HostFacts[]): PciDevice[] {
  const merged = new Map<string, { device: PciDevice; settled: Set<keyof PciDevice> }>();
  for (const f of byRank(all, pciRank)) {
    for (const p of f.pci) {
      let entry = merged.get(p.bdf);
      if (!entry) {
        entry = { device: { bdf: p.bdf, node: null, parent: null, isBridge: false, virtfns: [], osDevices: [] }, settled: new Set() };
        merged.set(p.bdf, entry);
      }
      fillPci(entry.device, p, entry.settled);
    }
  }
  for (const { device } of merged.values()) {
    if (device.className === undefined && device.classCode !== undefined) {
      const name = pciClassName(device.classCode);
      if (name !== undefined) device.className = name;
    }
  }
  // Bus addresses are the map's keys, so no two are equal.
  return [...merged.values()].map((e) => e.device).sort((a, b) => (a.bdf < b.bdf ? -1 : 1));
}

const PCI_SCALARS = ['parent', 'root', 'classCode', 'className', 'vendorId', 'vendor', 'deviceId', 'device', 'link', 'iommuGroup', 'physfn', 'driver'] as const;

/** Better-ranked sources come first and win field by field; `settled` remembers which fields they set. */
function fillPci(d: PciDevice, p: HostFacts['pci'][number], settled: Set<keyof PciDevice>): void {
  const take = <K extends keyof PciDevice>(key: K, value: PciDevice[K] | undefined) => {
    if (value === undefined || settled.has(key)) return;
    d[key] = value;
    settled.add(key);
  };
  // A node number beats "no locality": one paste may know what another could not.
  if (typeof p.node === 'number' && d.node === null) {
    d.node = p.node;
    settled.add('node');
  } else take('node', p.node);
  for (const key of PCI_SCALARS) take(key, p[key]);
  if (p.isBridge) d.isBridge = true;
  if (p.virtfns) d.virtfns = [...new Set([...d.virtfns, ...p.virtfns])].sort();
  for (const os of p.osDevices ?? []) if (!d.osDevices.some((o) => o.name === os.name)) d.osDevices.push(os);
}

function mergeMachine(ranked: readonly HostFacts[]): Host['machine'] {
  const machine: Host['machine'] = {};
  for (const key of ['arch', 'vendor', 'model', 'hostname'] as const) {
    const value = ranked.find((f) => f.machine[key])?.machine[key];
    if (value) machine[key] = value;
  }
  return machine;
}

function summarise(f: HostFacts, labelOf: (format: FormatId) => string): SourceSummary {
  return {
    name: f.source,
    format: f.format,
    label: labelOf(f.format),
    lines: f.lines,
    unknownLines: f.unknownLines,
    errors: f.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: f.diagnostics.filter((d) => d.severity === 'warning').length,
  };
}
