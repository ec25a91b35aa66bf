/**
 * The kernel's own files under /sys/devices/system, as a tarball keeps them (hwloc-gather-topology's
 * dumps, a sosreport's sys/ folder, `tar c /sys/devices/system/{cpu,node}`). These are what lscpu,
 * numactl and hwloc read, so nothing is lost in a tool's printing:
 *
 *   cpu/{present,online}                      "0-23", "4-20"      which CPUs exist, which run
 *   cpu/cpuN/online                           "0"                 per CPU, when the list is absent
 *   cpu/cpuN/topology/physical_package_id     "1"                 -1 where the firmware says nothing
 *   cpu/cpuN/topology/package_cpus_list       "0-23"              core_siblings_list before Linux 5.9
 *   cpu/cpuN/topology/{die,cluster,core}_id   "3"
 *   cpu/cpuN/topology/{drawer,book}_id        "2"                 s390
 *   cpu/cpuN/topology/{drawer,book}_siblings_list  "0-12"         the CPUs in that drawer or book
 *   cpu/cpuN/topology/thread_siblings_list    "0,48"              the CPU's SMT siblings, itself included
 *   cpu/cpuN/cache/indexK/{level,type,size,shared_cpu_list,…}
 *   node/nodeN/cpulist                        "0-5,48-53"         empty on a memory-only node
 *   node/nodeN/meminfo                        "Node 0 MemTotal:  16747124 kB"
 *   node/nodeN/distance                       "10 21"             one column per online node, by id
 *   node/nodeN/hugepages/hugepages-2048kB/{nr,free}_hugepages
 *
 * Each problem's source is the file it is in. A node's cpulist is kept as the kernel wrote it
 * (it may name offline CPUs); which CPUs are online is said once, on the CPUs.
 */
import { parseHexMask, parseIdList, sortIds, type ListResult } from '../cpuset.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { emptyFacts, type CacheFact, type CacheType, type CpuFact, type HostFacts, type HugepageFact, type NodeFact } from '../host/facts.ts';
import { s390Groups, type S390Place } from './lscpu-groups.ts';
import { emptyReading, fileValue, type FileTree, type TreeFormat, type TreeReading } from './tree.ts';

const SYSTEM = 'sys/devices/system/';
const CPU_DIR = /^cpu\/cpu(\d+)\//;
const NODE_DIR = /^node\/node(\d+)\//;
const HUGEPAGES = /^node\/node(\d+)\/hugepages\/hugepages-(\d+)kB\/nr_hugepages$/;
const CACHE_INDEX = /^cpu\/cpu(\d+)\/cache\/(index\d+)\/level$/;
const CACHE_TYPES: Record<string, CacheType> = { Data: 'data', Instruction: 'instruction', Unified: 'unified' };

/** The folders that hold sys/devices/system in a tree: "" for a bare dump, "host/" for one inside a folder. */
export function sysfsRoots(paths: Iterable<string>): string[] {
  const roots = new Set<string>();
  for (const path of paths) {
    const at = path.indexOf(SYSTEM);
    if (at >= 0 && (at === 0 || path[at - 1] === '/') && /^(cpu|node)\//.test(path.slice(at + SYSTEM.length))) roots.add(path.slice(0, at));
  }
  return [...roots].sort((a, b) => a.length - b.length);
}

export const sysfsFormat: TreeFormat = {
  id: 'sysfs',
  label: 'sysfs tree (/sys/devices/system)',
  sniff: (paths) => (sysfsRoots(paths).length > 0 ? 0.9 : 0),
  parse(tree, source) {
    const reading: TreeReading = emptyReading();
    const [root] = sysfsRoots(tree.keys());
    if (root === undefined) {
      reading.diagnostics.push({ severity: 'error', source, message: 'no sys/devices/system/cpu or sys/devices/system/node in this archive' });
      return reading;
    }
    reading.facts.push(readSysfs(tree, root, source));
    return reading;
  },
};

/** Read the sysfs tree under `root` (a folder holding sys/devices/system) into facts. */
export function readSysfs(tree: FileTree, root: string, source: string): HostFacts {
  const base = `${root}${SYSTEM}`;
  const files = new Map<string, string>();
  for (const [path, text] of tree) if (path.startsWith(base)) files.set(path.slice(base.length), text);
  const facts = emptyFacts('sysfs', source);
  const reader = fileReader(files, base, facts.diagnostics);
  facts.cpus = readCpus(files, reader);
  const groups = s390Groups(readS390Places(facts.cpus, reader), facts.cpus);
  if (groups.length > 0) facts.groups = groups;
  facts.nodes = readNodes(files, reader);
  facts.caches = readCaches(files, reader);
  const distances = readDistances(facts.nodes, reader);
  if (distances) facts.distances = distances;
  const online = facts.cpus.filter((c) => c.online !== false).map((c) => c.id);
  const onlineSet = new Set(online);
  const cpuById = new Map(facts.cpus.map((c) => [c.id, c]));
  for (const node of facts.nodes) for (const id of node.cpus ?? []) {
    const cpu = cpuById.get(id);
    if (cpu) cpu.node = node.id;
  }
  facts.counts = {
    cpus: facts.cpus.length,
    online,
    offline: facts.cpus.filter((c) => !onlineSet.has(c.id)).map((c) => c.id),
  };
  if (facts.nodes.length > 0) facts.counts.nodes = facts.nodes.length;
  // A tree has no lines: the source summary counts the files read and those not understood.
  facts.lines = reader.read;
  facts.unknownLines = reader.unreadable;
  return facts;
}

interface FileReader {
  text(path: string): string | undefined;
  int(path: string): number | undefined;
  list(path: string): number[] | undefined;
  mask(path: string): number[] | undefined;
  read: number;
  unreadable: number;
}

function fileReader(files: FileTree, base: string, diagnostics: Diagnostic[]): FileReader {
  const reader: FileReader = {
    read: 0,
    unreadable: 0,
    text(path) {
      const value = fileValue(files, path);
      if (value !== undefined) reader.read++;
      return value;
    },
    int(path) {
      const value = reader.text(path);
      if (value === undefined) return undefined;
      if (/^-?\d+$/.test(value)) return Number(value);
      complain(path, `'${value}' is not a number`);
      return undefined;
    },
    list: (path) => ids(path, parseIdList),
    mask: (path) => ids(path, parseHexMask),
  };
  function ids(path: string, parse: (text: string) => ListResult): number[] | undefined {
    const value = reader.text(path);
    if (value === undefined) return undefined;
    const result = parse(value);
    if (result.ok) return result.ids;
    complain(path, result.error);
    return undefined;
  }
  function complain(path: string, message: string) {
    reader.unreadable++;
    diagnostics.push({ severity: 'warning', source: `${base}${path}`, message: `${message}; the file is ignored` });
  }
  return reader;
}

/** Ids of the folders matching `dir` (cpuN, nodeN) that the tree has files in. */
function dirIds(files: FileTree, dir: RegExp): number[] {
  const ids = new Set<number>();
  for (const path of files.keys()) {
    const m = dir.exec(path);
    if (m) ids.add(Number(m[1]));
  }
  return sortIds(ids);
}

function readCpus(files: FileTree, read: FileReader): CpuFact[] {
  // `present` is what the machine has; cpuN folders may also exist for possible-but-absent CPUs.
  const ids = read.list('cpu/present') ?? dirIds(files, CPU_DIR);
  const onlineList = read.list('cpu/online');
  const onlineSet = onlineList && new Set(onlineList);
  // Where the firmware gives no package id (-1 on POWER, s390 LPARs), the kernel still lists
  // each package's CPUs, as hwloc uses them: such packages are numbered 0, 1 … by their first CPU.
  const packageIds = new Map<string, number>();
  const packageByCpus = (cpus: number[] | undefined) => {
    if (!cpus || cpus.length === 0) return undefined;
    const key = cpus.join(',');
    if (!packageIds.has(key)) packageIds.set(key, packageIds.size);
    return packageIds.get(key);
  };
  return ids.map((id) => {
    const dir = `cpu/cpu${id}/`;
    const cpu: CpuFact = { id, online: onlineSet ? onlineSet.has(id) : read.text(`${dir}online`) !== '0' };
    const topo = `${dir}topology/`;
    const optional = (name: string) => {
      const value = read.int(`${topo}${name}`);
      // -1 (and die/cluster ids of 65535 on some kernels) mean the firmware did not say.
      return value === undefined || value < 0 || value === 0xffff ? undefined : value;
    };
    const pkg = optional('physical_package_id') ?? packageByCpus(read.list(`${topo}package_cpus_list`) ?? read.list(`${topo}core_siblings_list`));
    if (pkg !== undefined) cpu.package = pkg;
    const die = optional('die_id');
    if (die !== undefined) cpu.die = die;
    const cluster = optional('cluster_id');
    if (cluster !== undefined) cpu.cluster = cluster;
    const core = optional('core_id');
    if (core !== undefined) cpu.core = core;
    const siblings = read.list(`${topo}thread_siblings_list`) ?? read.mask(`${topo}thread_siblings`);
    if (siblings && siblings.length > 0) cpu.siblings = siblings;
    const maxKHz = read.int(`${dir}cpufreq/cpuinfo_max_freq`);
    if (maxKHz !== undefined && maxKHz > 0) cpu.maxMHz = maxKHz / 1000;
    return cpu;
  });
}

/**
 * Each CPU's s390 drawer and book. A drawer or book is the CPUs its *_siblings list names, as
 * hwloc's Linux backend builds it: z/VM writes book_id 0 on every CPU yet gives each CPU a book
 * of its own, so where one id names several sibling sets, the sets are numbered by first CPU
 * instead (as lscpu numbers them).
 */
function readS390Places(cpus: readonly CpuFact[], read: FileReader): { cpu: CpuFact; place: S390Place }[] {
  const places = new Map<CpuFact, S390Place>();
  for (const level of ['drawer', 'book'] as const) {
    const sets = new Map<string, { id: number; cpus: CpuFact[] }>();
    for (const cpu of cpus) {
      const topo = `cpu/cpu${cpu.id}/topology/`;
      const id = read.int(`${topo}${level}_id`);
      if (id === undefined || id < 0) continue;
      const siblings = read.list(`${topo}${level}_siblings_list`) ?? read.mask(`${topo}${level}_siblings`);
      const key = siblings ? siblings.join(',') : `id ${id}`;
      (sets.get(key) ?? sets.set(key, { id, cpus: [] }).get(key)!).cpus.push(cpu);
    }
    const byId = new Set([...sets.values()].map((s) => s.id)).size === sets.size;
    [...sets.values()].forEach((set, i) => {
      for (const cpu of set.cpus) places.set(cpu, { ...places.get(cpu), [level]: byId ? set.id : i });
    });
  }
  return [...places].map(([cpu, place]) => ({ cpu, place }));
}

function readNodes(files: FileTree, read: FileReader): NodeFact[] {
  const onlineList = read.list('node/online');
  const hugepageSizes = new Map<number, number[]>();
  for (const path of files.keys()) {
    const m = HUGEPAGES.exec(path);
    if (m) hugepageSizes.set(Number(m[1]), [...(hugepageSizes.get(Number(m[1])) ?? []), Number(m[2])]);
  }
  return dirIds(files, NODE_DIR).map((id) => {
    const dir = `node/node${id}/`;
    const node: NodeFact = { id };
    const cpus = read.list(`${dir}cpulist`) ?? read.mask(`${dir}cpumap`);
    if (cpus) node.cpus = cpus;
    const meminfo = read.text(`${dir}meminfo`);
    if (meminfo !== undefined) {
      const memTotal = meminfoKiB(meminfo, 'MemTotal');
      if (memTotal !== undefined) node.memoryKiB = memTotal;
      const memFree = meminfoKiB(meminfo, 'MemFree');
      if (memFree !== undefined) node.freeKiB = memFree;
    }
    const sizes = (hugepageSizes.get(id) ?? []).sort((a, b) => a - b);
    if (sizes.length > 0) {
      node.hugepages = sizes.map((sizeKiB): HugepageFact => {
        const pages = `${dir}hugepages/hugepages-${sizeKiB}kB/`;
        const fact: HugepageFact = { sizeKiB, total: read.int(`${pages}nr_hugepages`) ?? 0 };
        const free = read.int(`${pages}free_hugepages`);
        if (free !== undefined) fact.free = free;
        return fact;
      });
    }
    if (onlineList) node.online = onlineList.includes(id);
    return node;
  });
}

/** "Node 0 MemTotal:       16747124 kB" → 16747124. */
function meminfoKiB(meminfo: string, key: string): number | undefined {
  const m = new RegExp(`^Node\\s+\\d+\\s+${key}:\\s*(\\d+)\\s*kB`, 'm').exec(meminfo);
  return m ? Number(m[1]) : undefined;
}

/**
 * Each node's distance file has one column per node the kernel had online, in id order. The
 * columns are labelled by node/online, the node folders, or node/possible — whichever has as
 * many ids as the rows have values — so a dump taken with a node offline still reads right.
 */
function readDistances(nodes: readonly NodeFact[], read: FileReader): HostFacts['distances'] {
  if (nodes.length < 2) return undefined;
  const rows = new Map<number, number[]>();
  for (const node of nodes) {
    const text = read.text(`node/node${node.id}/distance`);
    if (text === undefined) continue;
    const values = text.split(/\s+/).map(Number);
    if (values.some((v) => !Number.isInteger(v))) continue;
    rows.set(node.id, values);
  }
  if (rows.size !== nodes.length) return undefined;
  const width = rows.get(nodes[0].id)?.length ?? 0;
  const ids = nodes.map((n) => n.id);
  const labels = [read.list('node/online'), ids, read.list('node/possible')].find((l) => l?.length === width);
  if (!labels || ids.some((id) => !labels.includes(id))) return undefined;
  return {
    nodes: ids,
    values: ids.map((from) => ids.map((to) => rows.get(from)?.[labels.indexOf(to)] ?? Number.NaN)),
  };
}

/** One fact per cache instance: the CPUs that share it, found on every CPU that lists it. */
function readCaches(files: FileTree, read: FileReader): CacheFact[] {
  const seen = new Map<string, CacheFact>();
  for (const path of files.keys()) {
    const m = CACHE_INDEX.exec(path);
    if (!m) continue;
    const dir = `cpu/cpu${m[1]}/cache/${m[2]}/`;
    const level = read.int(`${dir}level`);
    const type = CACHE_TYPES[read.text(`${dir}type`) ?? ''];
    const cpus = read.list(`${dir}shared_cpu_list`) ?? read.mask(`${dir}shared_cpu_map`);
    if (level === undefined || !type || !cpus || cpus.length === 0) continue;
    const key = `${level}${type}:${cpus.join(',')}`;
    if (seen.has(key)) continue;
    const cache: CacheFact = { level, type, cpus };
    const size = cacheSizeKiB(read.text(`${dir}size`));
    if (size !== undefined) cache.sizeKiB = size;
    const lineSize = read.int(`${dir}coherency_line_size`);
    if (lineSize !== undefined && lineSize > 0) cache.lineSize = lineSize;
    const ways = read.int(`${dir}ways_of_associativity`);
    if (ways !== undefined && ways > 0) cache.ways = ways;
    const id = read.int(`${dir}id`);
    if (id !== undefined && id >= 0) cache.id = id;
    seen.set(key, cache);
  }
  return [...seen.values()].sort((a, b) => a.level - b.level || a.type.localeCompare(b.type) || a.cpus[0] - b.cpus[0]);
}

/** sysfs prints cache sizes as "32K", "1024K", "8M". */
function cacheSizeKiB(text: string | undefined): number | undefined {
  const m = /^(\d+)\s*([KMG]?)$/i.exec(text ?? '');
  if (!m) return undefined;
  const scale = { '': 1 / 1024, K: 1, M: 1024, G: 1024 * 1024 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * scale;
}
