/**
 * What guests already laid out hold on the host, from their layouts: single-CPU pins are
 * dedicated, wider pins float and count toward overcommit, and a guest placed under thread
 * policy isolate also keeps its cores' other threads idle.
 */
import type { GuestLayout, VcpuPin } from '../guest/model.ts';
import type { Host } from '../host/model.ts';
import { sortIds } from '../cpuset.ts';
import type { Occupancy, OccupyingGuest, ThreadPolicy } from './request.ts';
import { memoryGranule, splitMemory } from './memory.ts';

export interface NamedLayout {
  name: string;
  layout: GuestLayout;
  /** The thread policy it was placed with; isolate needs the host to find the idle siblings. */
  threadPolicy?: ThreadPolicy;
}

export function occupancyOf(layouts: readonly NamedLayout[], host?: Host): Occupancy {
  return {
    guests: layouts.map(({ name, layout, threadPolicy }) => {
      const guest = occupyingGuest(name, layout);
      if (threadPolicy === 'isolate' && host) guest.isolatedCpus = idleSiblings(host, guest.pinnedCpus);
      return guest;
    }),
  };
}

/** The SMT siblings of `pinned` that `pinned` does not include: what isolate keeps idle. */
function idleSiblings(host: Host, pinned: readonly number[]): number[] {
  const mine = new Set(pinned);
  const siblingsOf = new Map(host.cpus.map((c) => [c.id, c.siblings]));
  const idle = new Set<number>();
  for (const cpu of pinned) for (const s of siblingsOf.get(cpu) ?? []) if (!mine.has(s)) idle.add(s);
  return sortIds([...idle]);
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
    pinnedCpus: cpusOf(pinned),
    floatingCpus: cpusOf(floating),
    floatingVcpus: floating.length,
    emulatorCpus: sortIds([...new Set([...layout.emulatorpin, ...layout.iothreadpins.flatMap((p) => p.cpus)])]),
    memory: [...memory].sort((a, b) => a[0] - b[0]).map(([node, kib]) => ({ node, kib })),
    hugepages: [...pages.values()].sort((a, b) => a.node - b.node || a.sizeKiB - b.sizeKiB),
  };
}

/**
 * The CPUs of pins, once each. Pins read from the same cpuset text share one list
 * (domain-xml/read.ts): each list is gone through once, so 4096 vCPUs floating over 16384 CPUs
 * cost 16384 steps, not 64M.
 */
function cpusOf(pins: readonly VcpuPin[]): number[] {
  const lists = new Set<readonly number[]>();
  const cpus = new Set<number>();
  for (const p of pins) {
    if (lists.has(p.cpus)) continue;
    lists.add(p.cpus);
    for (const cpu of p.cpus) cpus.add(cpu);
  }
  return sortIds([...cpus]);
}
