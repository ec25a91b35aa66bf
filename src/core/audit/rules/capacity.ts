/**
 * Memory bound to a node by all guests together, against what the node has: node-memory-overcommit
 * (more than its size: a strict binding gets the QEMU process killed once the node runs out) and
 * hugepages-short (more pages of a size than the node has free: QEMU fails to start). What each
 * guest binds is the partition core's accounting (occupancyOf), which solve() plans with.
 */
import type { OccupyingGuest } from '../../partition/request.ts';
import { formatKiB } from '../../units.ts';
import type { AuditRule, Finding } from '../finding.ts';
import { occupancyOfGuests } from '../placed.ts';
import { names, quoted } from '../words.ts';

const boundTo = (g: OccupyingGuest, node: number) => g.memory.find((m) => m.node === node)?.kib ?? 0;

export const nodeMemoryOvercommit: AuditRule = (host, guests) => {
  const held = occupancyOfGuests(guests, host).guests;
  const bound = (node: number) => held.reduce((s, g) => s + boundTo(g, node), 0);
  const room = new Map(host.nodes.map((n) => [n.id, n.memoryKiB === null ? null : n.memoryKiB - bound(n.id)]));
  return host.nodes.flatMap((node): Finding[] => {
    const over = -(room.get(node.id) ?? 0);
    if (node.memoryKiB === null || over <= 0) return [];
    const binders = held.filter((g) => boundTo(g, node.id) > 0);
    const finding: Finding = {
      severity: 'error',
      kind: 'node-memory-overcommit',
      guests: binders.map((g) => g.name),
      cpus: [],
      nodes: [node.id],
      message: `${names(binders.map((g) => g.name))} bind ${formatKiB(bound(node.id))} of memory to host node ${node.id}, which has ${formatKiB(node.memoryKiB)}.`,
      fix: `Move at least ${formatKiB(over)} of that memory to other nodes with room, or shrink a guest.`,
    };
    // A whole cell moves (vCPUs with it, so they stay near their memory) to the node with the most room that holds it.
    for (const g of [...binders].reverse()) {
      const guest = guests.find((x) => x.name === g.name);
      const cell = guest?.layout.cells.filter((c) => c.hostNodes.length === 1 && c.hostNodes[0] === node.id).sort((a, b) => a.memoryKiB - b.memoryKiB)[0];
      if (!guest || !cell) continue;
      const target = host.nodes
        .filter((n) => n.id !== node.id && (cell.vcpus.length === 0 || n.cpus.length > 0) && (room.get(n.id) ?? 0) >= cell.memoryKiB)
        .sort((a, b) => (room.get(b.id) ?? 0) - (room.get(a.id) ?? 0) || a.id - b.id)[0];
      if (!target) continue;
      finding.fix = `Move cell ${cell.id} of ${quoted(guest.name)} (${formatKiB(cell.memoryKiB)}) to host node ${target.id}, which has ${formatKiB(room.get(target.id) ?? 0)} unbound.`;
      finding.edit = { guest: guest.name, ops: [{ kind: 'move-cell', cell: cell.id, node: target.id }] };
      break;
    }
    return [finding];
  });
};

export const hugepagesShort: AuditRule = (host, guests) => {
  const held = occupancyOfGuests(guests, host).guests;
  const wanted = new Map<string, { node: number; sizeKiB: number; pages: number; guests: string[] }>();
  for (const g of held)
    for (const h of g.hugepages) {
      const key = `${h.node}/${h.sizeKiB}`;
      const w = wanted.get(key) ?? { node: h.node, sizeKiB: h.sizeKiB, pages: 0, guests: [] };
      w.pages += h.pages;
      if (!w.guests.includes(g.name)) w.guests.push(g.name);
      wanted.set(key, w);
    }
  return [...wanted.values()]
    .sort((a, b) => a.node - b.node || a.sizeKiB - b.sizeKiB)
    .flatMap((w): Finding[] => {
      const node = host.nodes.find((n) => n.id === w.node);
      // No page facts for the node: nothing to judge (validate's hugepageAvailable says when a size is missing).
      if (!node || node.hugepages.length === 0) return [];
      const fact = node.hugepages.find((h) => h.sizeKiB === w.sizeKiB);
      const free = fact ? (fact.free ?? fact.total) : 0;
      if (w.pages <= free) return [];
      const size = formatKiB(w.sizeKiB);
      const total = (fact?.total ?? 0) + (w.pages - free);
      return [
        {
          severity: 'error',
          kind: 'hugepages-short',
          guests: w.guests,
          cpus: [],
          nodes: [w.node],
          message: `${names(w.guests)} need ${w.pages} ${size} hugepages on host node ${w.node}, which has ${free} free.`,
          fix: `Reserve ${w.pages - free} more ${size} pages on node ${w.node} (echo ${total} > /sys/devices/system/node/node${w.node}/hugepages/hugepages-${w.sizeKiB}kB/nr_hugepages), or move a cell to a node with free pages.`,
        },
      ];
    });
};
