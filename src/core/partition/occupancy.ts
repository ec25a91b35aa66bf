/**
 * What guests already laid out hold on the host, from their layouts: single-CPU pins are
 * dedicated, wider pins float and count toward overcommit.
 */
import type { GuestLayout } from '../guest/model.ts';
import { sortIds } from '../cpuset.ts';
import type { Occupancy, OccupyingGuest } from './request.ts';
import { memoryGranule, splitMemory } from './memory.ts';

export interface NamedLayout {
  name: string;
  layout: GuestLayout;
}

export function occupancyOf(layouts: readonly NamedLayout[]): Occupancy {
  return { guests: layouts.map(({ name, layout }) => occupyingGuest(name, layout)) };
}

function occupyingGuest(name: string, layout: GuestLayout): OccupyingGuest {
  const pinned = layout.pins.filter((p) => p.cpus.length === 1);
  const floating = layout.pins.filter((p) => p.cpus.length > 1);
  const memory = new Map<number, number>();
  const pages = new Map<string, { node: number; sizeKiB: number; pages: number }>();
  for (const cell of layout.cells) {
    const shares = splitMemory(cell.memoryKiB, Math.max(1, cell.hostNodes.length), memoryGranule(cell.hugepageSizeKiB));
    cell.hostNodes.forEach((node, i) => {
      memory.set(node, (memory.get(node) ?? 0) + shares[i]);
      if (cell.hugepageSizeKiB) {
        const key = `${node}/${cell.hugepageSizeKiB}`;
        const held = pages.get(key) ?? { node, sizeKiB: cell.hugepageSizeKiB, pages: 0 };
        held.pages += Math.floor(shares[i] / cell.hugepageSizeKiB);
        pages.set(key, held);
      }
    });
  }
  return {
    name,
    pinnedCpus: sortIds(pinned.flatMap((p) => p.cpus)),
    floatingCpus: sortIds(floating.flatMap((p) => p.cpus)),
    floatingVcpus: floating.length,
    memory: [...memory].sort((a, b) => a[0] - b[0]).map(([node, kib]) => ({ node, kib })),
    hugepages: [...pages.values()].sort((a, b) => a.node - b.node || a.sizeKiB - b.sizeKiB),
  };
}
