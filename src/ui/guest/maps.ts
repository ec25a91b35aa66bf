/**
 * The guests' affinity maps as the views draw them: computed once per host and guest list for
 * every view (host overlay, affinity panel), and with the rows a change left as they were kept
 * as the very same objects, so that a view drawing one row per vCPU redraws only the rows a
 * drop moved.
 */
import { sameIds } from '../../core/cpuset.ts';
import { affinityMap, type AffinityGroup, type AffinityMap, type AffinityRow } from '../../core/emit/affinity.ts';
import type { GuestLayout } from '../../core/guest/model.ts';
import type { Host } from '../../core/host/model.ts';

let last: { host: Host; guests: readonly GuestLayout[]; maps: AffinityMap[] } | null = null;

export function guestMaps(host: Host, guests: readonly GuestLayout[]): AffinityMap[] {
  if (last && last.host === host && last.guests === guests) return last.maps;
  const before = last?.host === host ? last.maps : [];
  const maps = guests.map((g, i) => keepUnchanged(affinityMap(host, g), before[i]));
  last = { host, guests, maps };
  return maps;
}

function keepUnchanged(map: AffinityMap, before: AffinityMap | undefined): AffinityMap {
  if (!before) return map;
  const groups = sameGroups(map.groups, before.groups) ? before.groups : map.groups;
  const rows = map.rows.map((r, i) => (before.rows[i] && sameRow(r, before.rows[i]) ? before.rows[i] : r));
  return { ...map, groups, rows };
}

function sameGroups(a: readonly AffinityGroup[], b: readonly AffinityGroup[]): boolean {
  return a.length === b.length && a.every((g, i) => g.node === b[i].node && sameIds(g.cpus, b[i].cpus));
}

function sameRow(a: AffinityRow, b: AffinityRow): boolean {
  return (
    a.vcpu === b.vcpu &&
    a.cell === b.cell &&
    a.pinning === b.pinning &&
    a.current === b.current &&
    a.distance === b.distance &&
    a.online === b.online &&
    sameIds(a.cpus, b.cpus) &&
    sameIds(a.cpuNodes, b.cpuNodes) &&
    sameIds(a.memoryNodes, b.memoryNodes)
  );
}
