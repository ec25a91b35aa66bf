/**
 * Xen `xl info -n` (tools/xl/xl_info.c print_info): `key : value` lines from physinfo, then
 * with -n three tables:
 *
 *   cpu_topology           :
 *   cpu:    core    socket     node        ← one row per valid (online) pCPU
 *     0:       0        0        0
 *   device topology        :
 *   device           node                  ← PCI devices with a known node
 *   0000:00:01.0      0                       (or "No device topology data available")
 *   numa_info              :
 *   node:    memsize    memfree    distances
 *      0:     67584      60672      10,21   ← MiB; distances to node 0,1,… by id
 *
 * total_memory/free_memory and memsize/memfree are MiB. Xen node ids are 0..nr_nodes-1; rows of
 * invalid nodes are left out by xl, but every row's distance list still covers all ids.
 */
import type { DiagnosticSink } from '../diagnostics.ts';
import type { CpuFact, HostFacts } from '../host/facts.ts';
import type { Format } from './format.ts';
import { beginParse, canonicalBdf, headLines, nodeFactsById, unknownLineCounter } from './text.ts';

const KEY_VALUE = /^([a-z][a-z0-9_]*)\s*:\s?(.*)$/;
const CPU_HEADER = /^cpu:\s+core\s+socket\s+node\s*$/;
const CPU_ROW = /^(\d+):\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*$/;
const DEVICE_HEADER = /^device\s+node\s*$/;
const DEVICE_ROW = /^([0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])\s+(-?\d+)\s*$/i;
const NUMA_HEADER = /^node:\s+memsize\s+memfree\s+distances\s*$/;
const NUMA_ROW = /^(\d+):\s+(\d+)\s+(\d+)\s+(\d+(?:,\d+)*)\s*$/;
const COMMAND_ECHO = /^\s*(?:\S*[#$>]\s*)?(?:sudo\s+)?xl\s+info\b/;
/** "..." or "[...]": someone cut lines out of the paste. */
/** physinfo and version keys xl prints (xen_* and cc_* are matched by prefix). */
const KNOWN_KEYS = new Set([
  'host', 'release', 'version', 'machine', 'nr_cpus', 'max_cpu_id', 'nr_nodes', 'max_node_id', 'cores_per_socket',
  'threads_per_core', 'cpu_mhz', 'hw_caps', 'virt_caps', 'total_memory', 'free_memory', 'sharing_freed_memory',
  'sharing_used_memory', 'outstanding_claims', 'free_cpus', 'platform_params', 'build_id', 'xend_config_format',
  'node_to_cpu', 'node_to_memory', 'node_to_dma32_mem', 'cpu_topology', 'numa_info',
]);
const ELISION = /^\[?(?:\.\.\.|…)\]?$/;

type Table = 'cpu' | 'device' | 'numa' | undefined;

export const xlInfoFormat: Format = {
  id: 'xl-info',
  label: 'xl info -n',
  sniff(text: string): number {
    let score = 0;
    for (const line of headLines(text, 40)) {
      const l = line.trim();
      if (CPU_HEADER.test(l) || NUMA_HEADER.test(l) || /^(cpu_topology|numa_info)\s+:\s*$/.test(l)) score = Math.max(score, 0.9);
      else if (/^(xen_major|xen_caps|xen_version|xen_scheduler|xend_config_format)\s+:/.test(l)) score = Math.max(score, 0.9);
      else if (/^(nr_cpus|nr_nodes|max_cpu_id|threads_per_core|cores_per_socket)\s+:\s*\d+\s*$/.test(l)) score = Math.max(score, 0.6);
    }
    return score;
  },
  parse: parseXlInfo,
};

export function parseXlInfo(text: string, source: string): HostFacts {
  const { facts, sink, lines, binary } = beginParse('xl-info', text, source, 'xl info');
  if (binary) return facts;

  const values = new Map<string, { value: string; line: number }>();
  const nodes = nodeFactsById();
  const cpus: CpuFact[] = [];
  const distanceRows: { id: number; values: number[]; line: number }[] = [];
  let table: Table;
  let sawTable = false;
  const unknown = unknownLineCounter(facts, sink, 'xl info -n');

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    const line = raw.trim();
    if (line === '' || COMMAND_ECHO.test(line) || ELISION.test(line)) continue;

    if (CPU_HEADER.test(line)) {
      table = 'cpu';
      sawTable = true;
      continue;
    }
    if (DEVICE_HEADER.test(line)) {
      table = 'device';
      sawTable = true;
      continue;
    }
    if (NUMA_HEADER.test(line)) {
      table = 'numa';
      sawTable = true;
      continue;
    }
    if (line === 'No device topology data available') continue;

    if (table === 'cpu') {
      const m = CPU_ROW.exec(line);
      if (m) {
        const cpu: CpuFact = { id: Number(m[1]), core: Number(m[2]), package: Number(m[3]) };
        const node = Number(m[4]);
        if (node >= 0) cpu.node = node;
        cpus.push(cpu);
        continue;
      }
    } else if (table === 'device') {
      const m = DEVICE_ROW.exec(line);
      const bdf = m ? canonicalBdf(m[1]) : undefined;
      if (m && bdf) {
        const node = Number(m[2]);
        facts.pci.push({ bdf, node: node >= 0 ? node : null, line: lineNo });
        continue;
      }
    } else if (table === 'numa') {
      const m = NUMA_ROW.exec(line);
      if (m) {
        const node = nodes.of(Number(m[1]));
        node.memoryKiB = Number(m[2]) * 1024;
        node.freeKiB = Number(m[3]) * 1024;
        distanceRows.push({ id: node.id, values: m[4].split(',').map(Number), line: lineNo });
        continue;
      }
    }

    if (/^device topology\s*:\s*$/.test(line)) {
      table = undefined;
      continue;
    }
    const kv = KEY_VALUE.exec(line);
    if (kv && (KNOWN_KEYS.has(kv[1]) || /^(xen|cc)_/.test(kv[1]))) {
      table = undefined;
      const [, key, value] = kv;
      if (key === 'cpu_topology' || key === 'numa_info') continue;
      if (values.has(key)) sink.warning(lineNo, `'${key}' appears twice; the first value is kept (two pastes in one?)`);
      else values.set(key, { value: value.trim(), line: lineNo });
      continue;
    }
    unknown(lineNo, raw);
  }

  readHeader(facts, values, sink);
  facts.cpus = cpus;
  for (const cpu of cpus) {
    if (cpu.node === undefined) continue;
    const node = nodes.of(cpu.node);
    (node.cpus ??= []).push(cpu.id);
  }
  facts.nodes = nodes.sorted();
  for (const node of facts.nodes) node.cpus?.sort((a, b) => a - b);
  if (distanceRows.length > 0) facts.distances = buildDistances(distanceRows, sink);
  crossCheck(facts, values, distanceRows.length, sink);

  if (values.size === 0 && !sawTable) {
    sink.error(undefined, 'no xl info output found: expected lines like "nr_cpus                : 8" and the tables of xl info -n');
  } else if (!sawTable && facts.nodes.length === 0) {
    sink.warning(undefined, 'this is plain `xl info`: it has no per-CPU or NUMA tables. Paste `xl info -n` to see nodes, CPUs and distances');
  }
  return facts;
}

function readHeader(facts: HostFacts, values: Map<string, { value: string; line: number }>, sink: DiagnosticSink): void {
  const int = (key: string): number | undefined => {
    const v = values.get(key);
    if (!v) return undefined;
    if (/^\d+$/.test(v.value)) return Number(v.value);
    sink.warning(v.line, `${key} '${v.value}' is not a whole number`);
    return undefined;
  };
  const host = values.get('host')?.value;
  if (host) facts.machine.hostname = host;
  const arch = values.get('machine')?.value;
  if (arch) facts.machine.arch = arch;
  const nrCpus = int('nr_cpus');
  if (nrCpus !== undefined) facts.counts.cpus = nrCpus;
  const nrNodes = int('nr_nodes');
  if (nrNodes !== undefined) facts.counts.nodes = nrNodes;
  const cores = int('cores_per_socket');
  if (cores !== undefined) facts.counts.coresPerSocket = cores;
  const threads = int('threads_per_core');
  if (threads !== undefined) facts.counts.threadsPerCore = threads;
}

function buildDistances(rows: { id: number; values: number[]; line: number }[], sink: DiagnosticSink): HostFacts['distances'] {
  const ids = rows.map((r) => r.id);
  const values: number[][] = [];
  for (const row of rows) {
    const missing = ids.find((id) => id >= row.values.length);
    if (missing !== undefined) {
      sink.error(row.line, `node ${row.id} has ${row.values.length} distances, too few to reach node ${missing}; distances ignored`);
      return undefined;
    }
    values.push(ids.map((id) => row.values[id]));
    if (row.values[row.id] !== 10) sink.warning(row.line, `distance from node ${row.id} to itself is ${row.values[row.id]}, not 10`);
  }
  return { nodes: ids, values, line: rows[0].line };
}

function crossCheck(facts: HostFacts, values: Map<string, { value: string; line: number }>, numaRows: number, sink: DiagnosticSink): void {
  const nrCpus = facts.counts.cpus;
  if (nrCpus !== undefined && facts.cpus.length > 0 && facts.cpus.length !== nrCpus) {
    sink.warning(values.get('nr_cpus')?.line, `nr_cpus is ${nrCpus} but cpu_topology lists ${facts.cpus.length} CPUs (the paste may be cut short)`);
  }
  const nrNodes = facts.counts.nodes;
  if (nrNodes !== undefined && numaRows > 0 && numaRows !== nrNodes) {
    sink.warning(values.get('nr_nodes')?.line, `nr_nodes is ${nrNodes} but numa_info lists ${numaRows} nodes`);
  }
  const total = values.get('total_memory');
  if (total && /^\d+$/.test(total.value) && numaRows > 0) {
    const sumMiB = facts.nodes.reduce((s, n) => s + (n.memoryKiB ?? 0), 0) / 1024;
    const totalMiB = Number(total.value);
    // Xen's memsize counts the node's spanned range (holes included), so it is often larger.
    if (sumMiB < totalMiB) sink.warning(total.line, `total_memory is ${totalMiB} MiB but the nodes' memsize adds up to only ${sumMiB} MiB`);
    else if (sumMiB > totalMiB * 1.02) sink.info(total.line, `the nodes' memsize adds up to ${sumMiB} MiB, more than total_memory ${totalMiB} MiB: Xen counts memory holes in memsize`);
  }
}
