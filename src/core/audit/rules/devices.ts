/**
 * device-remote: a passthrough PCI device whose host node is not among the guest's nodes (its DMA
 * and interrupts cross the interconnect), or not the node of the guest cell whose expander bus it
 * hangs from (the guest's own NUMA view of the device is wrong).
 */
import { canonicalBdf } from '../../ingest/text.ts';
import type { AuditRule, Finding } from '../finding.ts';
import { boundNodes, guestNodes, placedLayout } from '../placed.ts';
import { nodesWord, quoted } from '../words.ts';

export const deviceRemote: AuditRule = (host, guests) => {
  const nodeOfDevice = new Map(host.pci.map((d) => [canonicalBdf(d.bdf) ?? d.bdf, d.node]));
  return guests.flatMap((guest) => {
    const layout = placedLayout(guest);
    const bound = boundNodes(layout);
    const nodes = bound.length > 0 ? bound : guestNodes(host, guest);
    if (nodes.length === 0) return [];
    return layout.devices.flatMap((device): Finding[] => {
      const bdf = canonicalBdf(device.bdf) ?? device.bdf;
      const node = nodeOfDevice.get(bdf);
      if (node === undefined || node === null) return [];
      const base = { severity: 'warning' as const, kind: 'device-remote' as const, guests: [guest.name], cpus: [] };
      if (!nodes.includes(node)) {
        const only = guest.layout.cells.length === 1 && host.nodes.some((n) => n.id === node && n.cpus.length > 0);
        const finding: Finding = {
          ...base,
          nodes: [...new Set([node, ...nodes])].sort((a, b) => a - b),
          message: `Device ${bdf} of ${quoted(guest.name)} sits on host node ${node}, but the guest is on ${nodesWord(nodes)}.`,
          fix: only
            ? `Move ${quoted(guest.name)} to host node ${node}, or give it a device on ${nodesWord(nodes)}.`
            : `Give ${quoted(guest.name)} a cell on host node ${node} for this device, or a device on ${nodesWord(nodes)}.`,
        };
        if (only) finding.edit = { guest: guest.name, ops: [{ kind: 'move-cell', cell: guest.layout.cells[0].id, node }] };
        return [finding];
      }
      const cell = device.cell === null ? undefined : layout.cells.find((c) => c.id === device.cell);
      if (!cell || cell.hostNodes.length === 0 || cell.hostNodes.includes(node)) return [];
      const local = layout.cells.find((c) => c.hostNodes.includes(node));
      return [
        {
          ...base,
          nodes: [...new Set([node, ...cell.hostNodes])].sort((a, b) => a - b),
          message: `Device ${bdf} of ${quoted(guest.name)} sits on host node ${node} but hangs from the expander bus of guest cell ${cell.id}, whose memory is on ${nodesWord(cell.hostNodes)}.`,
          fix: local
            ? `Attach device ${bdf} to an expander bus of guest cell ${local.id}, which is on host node ${node}.`
            : `Attach device ${bdf} to an expander bus of a guest cell on host node ${node}.`,
        },
      ];
    });
  });
};
