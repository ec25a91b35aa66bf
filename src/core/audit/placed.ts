/**
 * A guest as libvirt runs it: its layout with what the domain says outside the layout's elements
 * folded in — vCPUs without a <vcpupin> run on `<vcpu cpuset>`, and a guest without NUMA cells
 * whose <numatune><memory> binds it gets that binding as one cell holding every vCPU, so that
 * the partition core's own accounting (occupancyOf, score parts) reads it like any other guest.
 */
import { sortIds } from '../cpuset.ts';
import type { GuestLayout } from '../guest/model.ts';
import type { Host } from '../host/model.ts';
import { occupancyOf, type NamedLayout } from '../partition/occupancy.ts';
import type { Occupancy } from '../partition/request.ts';
import type { AuditGuest } from './finding.ts';

export function placedLayout(guest: AuditGuest): GuestLayout {
  const { layout, placement } = guest;
  let placed = layout;
  const cpuset = placement?.cpuset;
  if (cpuset && cpuset.length > 0 && layout.pins.length < layout.vcpus) {
    const pinned = new Set(layout.pins.map((p) => p.vcpu));
    const defaults = Array.from({ length: layout.vcpus }, (_, vcpu) => vcpu)
      .filter((v) => !pinned.has(v))
      .map((vcpu) => ({ vcpu, cpus: cpuset }));
    placed = { ...placed, pins: [...layout.pins, ...defaults].sort((a, b) => a.vcpu - b.vcpu) };
  }
  const memory = placement?.memory;
  if (layout.cells.length === 0 && memory && memory.nodes.length > 0) {
    const vcpus = Array.from({ length: layout.vcpus }, (_, v) => v);
    placed = { ...placed, cells: [{ id: 0, vcpus, memoryKiB: layout.memoryKiB, hostNodes: memory.nodes, memoryMode: memory.mode, distances: [10] }] };
  }
  return placed;
}

const placedGuests = (guests: readonly AuditGuest[]): NamedLayout[] => guests.map((g) => ({ name: g.name, layout: placedLayout(g) }));

/**
 * Occupancies and CPU maps already worked out, by the guests and host they were worked out for:
 * every rule of one audit() asks for the same ones (on 4096 PUs and 17 guests, a tenth of the
 * audit each). Guests and hosts are never changed in place, so the same objects give the same
 * answer; new ones are worked out anew and the old ones go with their objects.
 */
const occupancies = new WeakMap<readonly AuditGuest[], { host: Host; occupancy: Occupancy }>();
const cpuNodes = new WeakMap<Host, Map<number, number>>();

/** What every guest holds, by the partition core's accounting. */
export function occupancyOfGuests(guests: readonly AuditGuest[], host: Host): Occupancy {
  const known = occupancies.get(guests);
  if (known?.host === host) return known.occupancy;
  const occupancy = occupancyOf(placedGuests(guests), host);
  occupancies.set(guests, { host, occupancy });
  return occupancy;
}

/** CPU → its node; the map is shared: read it, never change it. */
export function nodeOfCpu(host: Host): ReadonlyMap<number, number> {
  let map = cpuNodes.get(host);
  if (!map) {
    map = new Map<number, number>();
    for (const c of host.cpus) if (c.node !== undefined) map.set(c.id, c.node);
    cpuNodes.set(host, map);
  }
  return map;
}

/** Host nodes the guest's memory is bound to (empty: unbound). */
export function boundNodes(layout: GuestLayout): number[] {
  return sortIds(layout.cells.flatMap((c) => c.hostNodes));
}

/** Every host CPU a vCPU of the layout may run on. */
export function vcpuCpus(layout: GuestLayout): number[] {
  // The vCPUs placedLayout puts on <vcpu cpuset> share one list: flattened per vCPU, 4096 of them
  // over libvirt's 16384 CPUs would be 64 million ids.
  return sortIds([...new Set(layout.pins.map((p) => p.cpus))].flat());
}

/** Host nodes these host CPUs belong to, ascending (CPUs the host lacks have none). */
export function nodesOf(host: Host, cpus: readonly number[]): number[] {
  const nodeOf = nodeOfCpu(host);
  return sortIds(new Set(cpus.flatMap((c) => (nodeOf.has(c) ? [nodeOf.get(c)!] : []))));
}

/** Host nodes a guest uses: where its memory is bound and where its vCPUs run. */
export function guestNodes(host: Host, guest: AuditGuest): number[] {
  const layout = placedLayout(guest);
  return sortIds(new Set([...boundNodes(layout), ...nodesOf(host, vcpuCpus(layout))]));
}
