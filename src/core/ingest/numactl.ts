/**
 * `numactl -H` / `numactl --hardware` (numactl.c hardware()):
 *
 *   available: 8 nodes (0-2,33-34,45,72-73)
 *   node 0 cpus: 0 1 2 3 4 5          ← space-separated ids; empty for a memory-only node
 *   node 0 size: 8189 MB              ← MB means MiB (numa_node_size64 >> 20)
 *   node 0 free: 7918 MB
 *   node distances:
 *   node   0   1   2  33 …            ← column labels are node ids, not indexes
 *     0:  10  16  16  22 …
 *   No NUMA available on this system  ← a kernel without NUMA
 *   node 0 size: <not available>      ← libnuma could not read the node's meminfo
 *   No distance information available. ← instead of the table, when sysfs has none
 *
 * numactl only shows ONLINE CPUs in `cpus:` (libnuma masks the node's cpumap with the online
 * set), so an offline CPU is simply absent here.
 */
import { formatIdList, parseIdList, parseIdWords, sortIds } from '../cpuset.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import type { HostFacts, NodeFact } from '../host/facts.ts';
import type { Format } from './format.ts';
import { exactKiB } from '../units.ts';
import { beginParse, headLines, nodeFactsById, unknownLineCounter } from './text.ts';

const AVAILABLE = /^available:\s*(\d+)\s+nodes?\s*(?:\(([^)]*)\))?\s*$/;
const NODE_LINE = /^node\s+(\d+)\s+(cpus|size|free):(.*)$/;
const SIZE = /^\s*(\d+)\s*MB\s*$/;
const NO_NUMA = /^No NUMA available on this system/;
const NO_DISTANCES = /^No distance information available\.?$/;
const NOT_AVAILABLE = /^\s*<not available>\s*$/;
/** A pasted shell prompt with the command, e.g. "# numactl --hardware" or "$ numactl -H". */
const COMMAND_ECHO = /^\s*(?:\S*[#$>]\s*)?(?:sudo\s+)?numactl\s+(?:-H|--hardware)\b/;

export const numactlFormat: Format = {
  id: 'numactl',
  label: 'numactl -H',
  sniff(text: string): number {
    let score = 0;
    for (const line of headLines(text, 8)) {
      const l = line.trim();
      if (AVAILABLE.test(l)) score = Math.max(score, 0.95);
      else if (/^node\s+\d+\s+cpus:/.test(l)) score = Math.max(score, 0.9);
      else if (NO_NUMA.test(l)) score = Math.max(score, 0.8);
    }
    return score;
  },
  parse: parseNumactl,
};

interface DistanceHeader {
  ids: number[];
  line: number;
}

export function parseNumactl(text: string, source: string): HostFacts {
  const { facts, sink, lines, binary } = beginParse('numactl', text, source, 'numactl -H');
  if (binary) return facts;

  const nodes = nodeFactsById();
  let available: { ids: number[] | undefined; line: number } | undefined;
  let header: DistanceHeader | undefined;
  let inDistances = false;
  const rows = new Map<number, { values: number[]; line: number }>();
  /** The node whose `cpus:` line came last: a terminal-wrapped CPU list continues it. */
  let cpusOf: NodeFact | undefined;
  /** Nodes whose CPU list went on over wrapped lines. */
  const wrapped = new Set<NodeFact>();
  const unknown = unknownLineCounter(facts, sink, 'numactl -H');

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    const line = raw.trim();
    if (line === '') continue;
    if (COMMAND_ECHO.test(line)) continue;

    const avail = AVAILABLE.exec(line);
    if (avail) {
      const count = Number(avail[1]);
      facts.counts.nodes = count;
      let ids: number[] | undefined;
      if (avail[2] !== undefined) {
        const list = parseIdList(avail[2]);
        if (list.ok) ids = list.ids;
        else sink.warning(lineNo, `node list '(${avail[2]})' is not readable: ${list.error}`);
        if (ids && ids.length !== count) sink.warning(lineNo, `'available:' says ${count} nodes but lists ${ids.length} (${avail[2]})`);
      }
      available = { ids, line: lineNo };
      cpusOf = undefined;
      continue;
    }
    if (NO_NUMA.test(line)) {
      sink.warning(lineNo, 'numactl says "No NUMA available on this system": the kernel exposes no NUMA nodes (non-NUMA kernel, or /sys not mounted in a container); paste lscpu or lstopo instead');
      continue;
    }
    const nodeLine = NODE_LINE.exec(line);
    if (nodeLine) {
      // A node exists once a readable cpus or size line names it: a stray `node 0 cpus: banana`
      // in other text is an error, not a NUMA node. free: only adds to a node so named.
      inDistances = false;
      const id = Number(nodeLine[1]);
      const value = nodeLine[3];
      cpusOf = undefined;
      if (nodeLine[2] === 'cpus') {
        const list = parseIdWords(value);
        if (list.ok) {
          const node = nodes.of(id);
          node.cpus = list.ids;
          cpusOf = node;
        } else sink.error(lineNo, `CPU list of node ${id} is not readable: ${list.error}`);
      } else {
        const size = SIZE.exec(value);
        if (NOT_AVAILABLE.test(value)) sink.info(lineNo, `numactl could not read the ${nodeLine[2] === 'size' ? 'memory size' : 'free memory'} of node ${id}: left unknown`);
        else if (!size) sink.error(lineNo, `node ${id} ${nodeLine[2]} '${value.trim()}' is not a size in MB`);
        else if (exactKiB(Number(size[1]) * 1024) === undefined) sink.error(lineNo, `node ${id} ${nodeLine[2]} of ${size[1].length > 24 ? `${size[1].slice(0, 20)}… (${size[1].length} digits)` : size[1]} MB is past 2^53 KiB (8 EiB), more memory than any host has; ignored`);
        else if (nodeLine[2] === 'size') nodes.of(id).memoryKiB = Number(size[1]) * 1024;
        else if (nodes.has(id)) nodes.of(id).freeKiB = Number(size[1]) * 1024;
        else sink.warning(lineNo, `node ${id} free memory without the node's cpus or size line before it; ignored`);
      }
      continue;
    }
    if (NO_DISTANCES.test(line)) {
      cpusOf = undefined;
      continue;
    }
    if (/^node\s+distances:\s*$/.test(line)) {
      inDistances = true;
      cpusOf = undefined;
      continue;
    }
    if (inDistances && /^node(\s+\d+)+$/.test(line)) {
      if (header) sink.warning(lineNo, 'a second distance table header; the first one is kept');
      else header = { ids: line.split(/\s+/).slice(1).map(Number), line: lineNo };
      continue;
    }
    const row = /^(\d+):((?:\s+\d+)*)$/.exec(line);
    if (inDistances && header && row) {
      const id = Number(row[1]);
      if (rows.has(id)) sink.warning(lineNo, `distance row for node ${id} appears twice; the first one is kept`);
      else rows.set(id, { values: row[2].trim() === '' ? [] : row[2].trim().split(/\s+/).map(Number), line: lineNo });
      continue;
    }
    if (cpusOf && /^\d+(\s+\d+)*$/.test(line)) {
      // A long `cpus:` line wrapped by a terminal or a mail client.
      const more = parseIdWords(line);
      if (more.ok) {
        // Appended now, sorted once at the end: re-sorting per line is quadratic in the lines.
        const cpus = (cpusOf.cpus ??= []);
        for (const id of more.ids) cpus.push(id);
        wrapped.add(cpusOf);
        continue;
      }
    }
    unknown(lineNo, raw);
  }

  for (const node of wrapped) node.cpus = sortIds(node.cpus ?? []);
  facts.nodes = nodes.sorted();
  checkNodes(facts, available, sink);
  if (header) {
    const distances = buildDistances(header, rows, sink);
    if (distances) facts.distances = distances;
  } else if (rows.size > 0) {
    sink.warning(undefined, 'distance rows without a "node 0 1 …" header line; distances ignored');
  }
  if (facts.nodes.length === 0 && !sink.list.some((d) => d.severity !== 'info')) {
    sink.error(undefined, 'no numactl -H output found: expected lines like "available: 2 nodes (0-1)" and "node 0 cpus: …"');
  }
  return facts;
}

function checkNodes(facts: HostFacts, available: { ids: number[] | undefined; line: number } | undefined, sink: DiagnosticSink): void {
  const seen = new Map<number, number>();
  for (const node of facts.nodes) {
    for (const cpu of node.cpus ?? []) {
      const other = seen.get(cpu);
      if (other !== undefined) sink.warning(undefined, `CPU ${cpu} is listed in node ${other} and node ${node.id}`);
      else seen.set(cpu, node.id);
    }
  }
  if (available?.ids && facts.nodes.length > 0) {
    const listed = new Set(available.ids);
    const printed = facts.nodes.map((n) => n.id);
    const isPrinted = new Set(printed);
    const missing = available.ids.filter((id) => !isPrinted.has(id));
    const extra = printed.filter((id) => !listed.has(id));
    if (missing.length > 0) sink.warning(available.line, `nodes ${formatIdList(missing, 3)} are announced but have no "node N …" lines (the paste may be cut short)`);
    if (extra.length > 0) sink.warning(available.line, `nodes ${formatIdList(extra, 3)} have lines but are not in the 'available:' list`);
  }
}

function buildDistances(
  header: DistanceHeader,
  rows: Map<number, { values: number[]; line: number }>,
  sink: DiagnosticSink,
): HostFacts['distances'] {
  const width = header.ids.length;
  if (new Set(header.ids).size !== width) {
    sink.error(header.line, 'the distance table header names a node twice; distances ignored');
    return undefined;
  }
  const values: number[][] = [];
  for (const id of header.ids) {
    const row = rows.get(id);
    if (!row) {
      sink.error(header.line, `distance table has no row for node ${id} (the paste may be cut short or wrapped); distances ignored`);
      return undefined;
    }
    if (row.values.length !== width) {
      sink.error(row.line, `distance row of node ${id} has ${row.values.length} values but the header names ${width} nodes (a wrapped line?); distances ignored`);
      return undefined;
    }
    values.push(row.values);
  }
  const named = new Set(header.ids);
  for (const id of rows.keys()) {
    if (!named.has(id)) sink.warning(rows.get(id)?.line, `distance row for node ${id}, which the header does not name; ignored`);
  }
  header.ids.forEach((id, i) => {
    if (values[i][i] !== 10) {
      sink.warning(rows.get(id)?.line, `distance from node ${id} to itself is ${values[i][i]}, not 10: numactl misreads the table when a node is offline or ids have holes; check /sys/devices/system/node/node${id}/distance`);
    }
  });
  return { nodes: header.ids, values, line: header.line };
}
