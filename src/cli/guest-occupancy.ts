/**
 * What other guests already hold on the host, read from their libvirt domain XML for
 * `numascope plan --guest`: the `<cputune><vcpupin>` CPU sets and the `<numatune>` memory
 * bindings (`<memnode>` per cell, sized by the matching `<cpu><numa><cell>`; the domain-wide
 * `<memory nodeset>` for what no memnode binds). This is a stop-gap until the domain-XML
 * layer can read a whole GuestLayout; it moves there then, and this file goes away.
 */
import { parseIdList } from '../core/cpuset.ts';
import { diagnosticSink, type Diagnostic } from '../core/diagnostics.ts';
import type { OccupyingGuest } from '../core/partition/request.ts';
import { libvirtUnitToKiB } from '../core/units.ts';
import { childrenNamed, firstChild, parseXml, type XmlElement } from '../core/xml/tree.ts';

export interface GuestOccupancyResult {
  guest: OccupyingGuest | null;
  diagnostics: Diagnostic[];
}

export function guestOccupancy(text: string, source: string): GuestOccupancyResult {
  const parsed = parseXml(text, source);
  const sink = diagnosticSink(source);
  const domain = parsed.roots.find((r) => r.name === 'domain');
  if (!domain) {
    sink.error(parsed.roots[0]?.line, 'expected a libvirt domain XML (<domain>) for --guest');
    return { guest: null, diagnostics: [...parsed.diagnostics, ...sink.list] };
  }
  const guest: OccupyingGuest = {
    name: firstChild(domain, 'name')?.text.trim() || source,
    pinnedCpus: [],
    floatingCpus: [],
    floatingVcpus: 0,
    memory: [],
    hugepages: [],
  };

  const cputune = firstChild(domain, 'cputune');
  const pinned = new Set<number>();
  const floating = new Set<number>();
  for (const pin of cputune ? childrenNamed(cputune, 'vcpupin') : []) {
    const cpus = idList(pin, 'cpuset', sink);
    if (!cpus) continue;
    if (cpus.length === 1) pinned.add(cpus[0]);
    else {
      for (const c of cpus) floating.add(c);
      guest.floatingVcpus++;
    }
  }
  guest.pinnedCpus = [...pinned].sort((a, b) => a - b);
  guest.floatingCpus = [...floating].sort((a, b) => a - b);

  // Each cell's memory sits on its <memnode> nodeset, or on the domain-wide <memory nodeset>
  // when the cell has no memnode (or when the guest has no cells at all).
  const cellMemory = cellMemoryKiB(domain, sink);
  const numatune = firstChild(domain, 'numatune');
  const domainMemory = numatune ? firstChild(numatune, 'memory') : undefined;
  const domainNodes = domainMemory?.attrs.nodeset !== undefined ? idList(domainMemory, 'nodeset', sink) : null;
  const cellNodes = new Map<number, number[]>();
  for (const memnode of numatune ? childrenNamed(numatune, 'memnode') : []) {
    const cellid = Number(memnode.attrs.cellid);
    const nodes = idList(memnode, 'nodeset', sink);
    if (!nodes) continue;
    if (!cellMemory.has(cellid)) {
      sink.warning(memnode.line, `memnode cellid ${memnode.attrs.cellid ?? '?'} has no <cpu><numa><cell> with that id: its memory is not counted`);
      continue;
    }
    cellNodes.set(cellid, nodes);
  }
  const byNode = new Map<number, number>();
  const bind = (kib: number, nodes: readonly number[] | null | undefined) => {
    if (!nodes || nodes.length === 0) return;
    // Memory bound to several nodes is counted as spread evenly over them.
    const share = Math.floor(kib / nodes.length);
    for (const node of nodes) byNode.set(node, (byNode.get(node) ?? 0) + share);
  };
  for (const [cell, kib] of cellMemory) bind(kib, cellNodes.get(cell) ?? domainNodes);
  if (cellMemory.size === 0) {
    const memory = firstChild(domain, 'memory');
    const kib = memory ? libvirtUnitToKiB(Number(memory.text.trim()), memory.attrs.unit ?? 'KiB') : undefined;
    if (kib !== undefined && Number.isFinite(kib)) bind(kib, domainNodes);
  }
  guest.memory = [...byNode].sort((a, b) => a[0] - b[0]).map(([node, kib]) => ({ node, kib }));
  return { guest, diagnostics: [...parsed.diagnostics, ...sink.list] };
}

function idList(element: XmlElement, attr: string, sink: ReturnType<typeof diagnosticSink>): number[] | null {
  const text = element.attrs[attr];
  if (text === undefined) {
    sink.error(element.line, `missing ${attr} attribute on <${element.name}>`);
    return null;
  }
  const list = parseIdList(text);
  if (!list.ok) {
    sink.error(element.line, `Failed to parse bitmap '${text}'`, element.column);
    return null;
  }
  return list.ids;
}

function cellMemoryKiB(domain: XmlElement, sink: ReturnType<typeof diagnosticSink>): Map<number, number> {
  const cells = new Map<number, number>();
  const numa = firstChild(firstChild(domain, 'cpu') ?? domain, 'numa');
  for (const cell of numa ? childrenNamed(numa, 'cell') : []) {
    const kib = libvirtUnitToKiB(Number(cell.attrs.memory), cell.attrs.unit ?? 'KiB');
    if (kib === undefined || !Number.isFinite(kib)) {
      sink.warning(cell.line, `cannot read memory '${cell.attrs.memory ?? ''}' of NUMA cell ${cell.attrs.id ?? '?'}`);
      continue;
    }
    cells.set(Number(cell.attrs.id ?? cells.size), kib);
  }
  return cells;
}
