/**
 * Where vCPUs run against where memory is: remote-memory (vCPUs pinned outside the nodes their
 * cell's memory is bound to pay the remote distance on every access), unbound-memory (a guest
 * pinned to some nodes of a multi-node host whose memory the kernel may put anywhere) and
 * spans-without-vnuma (pins over several host nodes, but a guest that sees one flat node and
 * cannot keep its threads near its memory).
 */
import { formatIdList, sortIds } from '../../cpuset.ts';
import { minOf } from '../../extremes.ts';
import type { GuestLayout } from '../../guest/model.ts';
import type { Host } from '../../host/model.ts';
import type { EditOp } from '../../partition/edit.ts';
import { hostDistance } from '../../host/distance.ts';
import type { AuditRule, Finding } from '../finding.ts';
import { boundNodes, nodeOfCpu, nodesOf, placedLayout, vcpuCpus } from '../placed.ts';
import { cpusWord, nodesWord, quoted, vcpusWord } from '../words.ts';
import { memoryHomes } from '../../host/memory-home.ts';

/** Host nodes the layout's vCPUs run on. */
function runNodes(host: Host, layout: GuestLayout): number[] {
  return nodesOf(host, vcpuCpus(layout));
}

export const remoteMemory: AuditRule = (host, guests) => {
  const nodeOf = nodeOfCpu(host);
  const distance = hostDistance(host);
  // A memoryless node's memory is its home's: bound there, its vCPUs are as near as they can be.
  const homes = memoryHomes(host);
  return guests.flatMap((guest): Finding[] => {
    const layout = placedLayout(guest);
    const vcpus: number[] = [];
    const cpus = new Set<number>();
    const nodes = new Set<number>();
    const ops: EditOp[] = [];
    let farthest = 10;
    for (const pin of layout.pins) {
      const cell = layout.cells.find((c) => c.vcpus.includes(pin.vcpu));
      if (!cell || cell.hostNodes.length === 0) continue;
      const far = pin.cpus.filter((c) => nodeOf.has(c) && !cell.hostNodes.includes(homes.get(nodeOf.get(c)!) ?? nodeOf.get(c)!));
      if (far.length === 0) continue;
      vcpus.push(pin.vcpu);
      for (const c of far) {
        cpus.add(c);
        nodes.add(nodeOf.get(c)!);
        farthest = Math.max(farthest, minOf(cell.hostNodes.map((m) => distance(nodeOf.get(c)!, m))));
      }
      for (const m of cell.hostNodes) nodes.add(m);
      ops.push({ kind: 'pin-vcpu', vcpu: pin.vcpu, target: { node: cell.hostNodes[0] } });
    }
    if (vcpus.length === 0) return [];
    const list = sortIds(cpus);
    return [
      {
        severity: 'warning',
        kind: 'remote-memory',
        guests: [guest.name],
        cpus: list,
        nodes: sortIds(nodes),
        message: `${vcpusWord(vcpus)} of ${quoted(guest.name)} run on ${cpusWord(list)}, outside the nodes their cell's memory is bound to (distance up to ${farthest}).`,
        fix: `Pin ${vcpusWord(vcpus)} of ${quoted(guest.name)} to CPUs of the nodes their cell's memory is on, or move that memory to where they run.`,
        edit: { guest: guest.name, ops },
      },
    ];
  });
};

/** Nodes that hold memory: what the kernel may spread an unbound guest over. */
const memoryNodes = (host: Host) => host.nodes.filter((n) => n.kind !== 'cpu-only' && n.kind !== 'empty');

export const unboundMemory: AuditRule = (host, guests) => {
  if (memoryNodes(host).length < 2) return [];
  const cpuNodes = host.nodes.filter((n) => n.cpus.length > 0).length;
  return guests.flatMap((guest): Finding[] => {
    const layout = placedLayout(guest);
    // Only a guest whose every vCPU is pinned chose where it runs; numad (placement auto) binds at start.
    if (guest.placement?.automatic || layout.pins.length < layout.vcpus || boundNodes(layout).length > 0) return [];
    const nodes = runNodes(host, layout);
    if (nodes.length === 0 || nodes.length >= cpuNodes) return [];
    const nodeOf = nodeOfCpu(host);
    // Each cell's memory goes where most of its vCPUs run.
    const ops: EditOp[] = guest.layout.cells.flatMap((cell): EditOp[] => {
      const count = new Map<number, number>();
      for (const p of layout.pins) if (cell.vcpus.includes(p.vcpu)) for (const c of p.cpus) if (nodeOf.has(c)) count.set(nodeOf.get(c)!, (count.get(nodeOf.get(c)!) ?? 0) + 1);
      const node = [...count].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
      return node === undefined ? [] : [{ kind: 'move-memory', cell: cell.id, node }];
    });
    const finding: Finding = {
      severity: 'warning',
      kind: 'unbound-memory',
      guests: [guest.name],
      cpus: vcpuCpus(layout),
      nodes,
      message: `${quoted(guest.name)} runs only on ${nodesWord(nodes)} but has no <numatune>, so its memory may come from any node of this host.`,
      fix: `Bind the memory of ${quoted(guest.name)} to ${nodesWord(nodes)} with <numatune> (mode strict)${guest.layout.cells.length > 0 ? ', each cell to the node its vCPUs run on' : ''}.`,
    };
    if (ops.length > 0) finding.edit = { guest: guest.name, ops };
    return [finding];
  });
};

export const spansWithoutVnuma: AuditRule = (host, guests) =>
  guests.flatMap((guest): Finding[] => {
    if (guest.layout.cells.length > 0) return [];
    const layout = placedLayout(guest);
    const nodes = runNodes(host, layout);
    if (nodes.length < 2) return [];
    return [
      {
        severity: 'warning',
        kind: 'spans-without-vnuma',
        guests: [guest.name],
        cpus: vcpuCpus(layout),
        nodes,
        message: `${quoted(guest.name)} is pinned across ${nodesWord(nodes)} but has no guest NUMA cells, so it cannot keep its threads near their memory.`,
        fix: `Give ${quoted(guest.name)} ${nodes.length} NUMA cells, one per host node it runs on (${formatIdList(nodes)}), each with its vCPUs pinned and its memory bound there.`,
      },
    ];
  });
