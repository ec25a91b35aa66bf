/**
 * Guests that get in each other's way on CPUs: pin-overlap (two guests on one host CPU, at least
 * one of them one-to-one: a Kata bug measured 0.53× throughput), smt-shared (two guests on the
 * SMT siblings of one core: XenServer measured 40–75 % loss) and emulator-on-vcpus (QEMU's
 * emulator or iothreads on CPUs a vCPU holds one-to-one). What each guest holds is the partition
 * core's own accounting (occupancyOf): single-CPU pins are dedicated, wider ones float.
 */
import { difference, formatIdList, intersect, sortIds, union } from '../../cpuset.ts';
import type { Host } from '../../host/model.ts';
import type { EditOp } from '../../partition/edit.ts';
import type { OccupyingGuest } from '../../partition/request.ts';
import type { AuditGuest, AuditRule, Finding } from '../finding.ts';
import { guestNodes, nodeOfCpu, nodesOf, occupancyOfGuests, placedLayout, vcpuCpus } from '../placed.ts';
import { cpusWord, names, nodesWord, quoted, vcpusWord } from '../words.ts';

const runsOn = (g: OccupyingGuest): number[] => union(g.pinnedCpus, g.floatingCpus);

/**
 * Ops moving the guest's one-to-one vCPUs on `cpus` to threads of cores on the same node that no
 * guest touches (no vCPU, emulator or iothread there), filled core by core so that vCPUs which
 * shared a host core share one again. No edit when the node has too few such threads.
 */
function moveOff(host: Host, guests: readonly AuditGuest[], guest: AuditGuest, cpus: readonly number[]): { vcpus: number[]; ops: EditOp[] } {
  const nodeOf = nodeOfCpu(host);
  const on = new Set(cpus);
  const pins = placedLayout(guest).pins.filter((p) => p.cpus.length === 1 && on.has(p.cpus[0]) && nodeOf.has(p.cpus[0]));
  const vcpus = pins.map((p) => p.vcpu);
  const touched = new Set(
    guests.flatMap((g) => {
      const l = placedLayout(g);
      return [...vcpuCpus(l), ...l.emulatorpin, ...l.iothreadpins.flatMap((p) => p.cpus)];
    }),
  );
  const online = new Set(host.cpus.filter((c) => c.online).map((c) => c.id));
  const spare = new Map<number, number[]>();
  for (const core of host.cores) {
    if (!core.cpus.every((c) => online.has(c) && !touched.has(c))) continue;
    const node = nodeOf.get(core.cpus[0]);
    if (node !== undefined) spare.set(node, [...(spare.get(node) ?? []), ...core.cpus]);
  }
  const ops: EditOp[] = [];
  for (const p of pins) {
    const thread = spare.get(nodeOf.get(p.cpus[0])!)?.shift();
    if (thread === undefined) return { vcpus, ops: [] };
    ops.push({ kind: 'pin-vcpu', vcpu: p.vcpu, target: { thread } });
  }
  return { vcpus, ops };
}

/** Pairs of items, each once, in the order given, with their indexes. */
function pairs<T>(list: readonly T[]): [T, T, number, number][] {
  const out: [T, T, number, number][] = [];
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) out.push([list[i], list[j], i, j]);
  return out;
}

export const pinOverlap: AuditRule = (host, guests) => {
  const held = occupancyOfGuests(guests, host).guests;
  return pairs(held).flatMap(([a, b, , j]): Finding[] => {
    const shared = union(intersect(a.pinnedCpus, runsOn(b)), intersect(b.pinnedCpus, a.floatingCpus));
    if (shared.length === 0) return [];
    // Both one-to-one: the later guest's vCPUs move to free CPUs. One floating: its cpuset is what to narrow.
    const both = intersect(a.pinnedCpus, b.pinnedCpus);
    const floater = intersect(b.pinnedCpus, a.floatingCpus).length > 0 ? a : intersect(a.pinnedCpus, b.floatingCpus).length > 0 ? b : undefined;
    const moved = moveOff(host, guests, guests[j], both);
    const finding: Finding = {
      severity: 'error',
      kind: 'pin-overlap',
      guests: [a.name, b.name],
      cpus: shared,
      nodes: nodesOf(host, shared),
      message: `${names([a.name, b.name])} are both pinned to ${cpusWord(shared)}, at least one of them one-to-one, so their vCPUs take turns there.`,
      fix:
        both.length > 0
          ? `Pin ${vcpusWord(moved.vcpus)} of ${quoted(b.name)} to CPUs no other guest is pinned to.`
          : `Take ${cpusWord(shared)} out of the floating cpuset of ${quoted(floater!.name)}, or pin the other guest elsewhere.`,
    };
    if (moved.ops.length > 0 && both.length > 0) finding.edit = { guest: guests[j].name, ops: moved.ops };
    return [finding];
  });
};

export const smtShared: AuditRule = (host, guests) => {
  const held = occupancyOfGuests(guests, host).guests;
  // Each core is looked at once, with only the guests that run on it: hosts carry many guests.
  const runners = new Map<number, Set<number>>();
  held.forEach((g, k) => {
    for (const c of runsOn(g)) runners.set(c, (runners.get(c) ?? new Set()).add(k));
  });
  const shared = new Map<string, { i: number; j: number; cores: number; cpus: Set<number> }>();
  for (const core of host.cores) {
    if (core.cpus.length < 2) continue;
    const here = sortIds(new Set(core.cpus.flatMap((c) => [...(runners.get(c) ?? [])])));
    for (const [i, j] of pairs(here)) {
      const hit = sharedCore(core.cpus, held[i], held[j]) ?? sharedCore(core.cpus, held[j], held[i]);
      if (!hit) continue;
      const pair = shared.get(`${i}/${j}`) ?? { i, j, cores: 0, cpus: new Set<number>() };
      pair.cores++;
      for (const c of hit) pair.cpus.add(c);
      shared.set(`${i}/${j}`, pair);
    }
  }
  return [...shared.values()]
    .sort((x, y) => x.i - y.i || x.j - y.j)
    .map(({ i, j, cores, cpus }): Finding => {
      const [a, b] = [held[i], held[j]];
      const list = sortIds(cpus);
      // The later guest's one-to-one vCPUs move; if it only floats there, the earlier guest's do.
      const mover = moveOff(host, guests, guests[j], list).vcpus.length > 0 ? guests[j] : guests[i];
      const moved = moveOff(host, guests, mover, list);
      const finding: Finding = {
        severity: 'warning',
        kind: 'smt-shared',
        guests: [a.name, b.name],
        cpus: list,
        nodes: nodesOf(host, list),
        message: `${names([a.name, b.name])} run on SMT siblings of ${cores === 1 ? 'one host core' : `${cores} host cores`} (${cpusWord(list)}), so each slows the other down.`,
        fix: `Pin ${moved.vcpus.length > 0 ? `${vcpusWord(moved.vcpus)} of ` : ''}${quoted(mover.name)} to whole cores no other guest runs on.`,
      };
      if (moved.ops.length > 0) finding.edit = { guest: mover.name, ops: moved.ops };
      return finding;
    });
};

/**
 * The CPUs of `core` where `one` alone holds a CPU one-to-one and `other` alone runs on another
 * thread of it. CPUs both run on are pin-overlap's (or two guests floating together), not a
 * sibling's.
 */
function sharedCore(core: readonly number[], one: OccupyingGuest, other: OccupyingGuest): number[] | undefined {
  const mine = difference(intersect(core, one.pinnedCpus), runsOn(other));
  const theirs = difference(intersect(core, runsOn(other)), runsOn(one));
  return mine.length > 0 && theirs.length > 0 ? union(mine, theirs) : undefined;
}

export const emulatorOnVcpus: AuditRule = (host, guests) => {
  const held = occupancyOfGuests(guests, host).guests;
  const owners = new Map<number, string[]>();
  for (const g of held) for (const c of g.pinnedCpus) owners.set(c, [...(owners.get(c) ?? []), g.name]);
  const pinned = sortIds(owners.keys());
  const online = new Set(host.cpus.filter((c) => c.online).map((c) => c.id));
  return guests.flatMap((guest): Finding[] => {
    const layout = placedLayout(guest);
    const helpers = sortIds(layout.emulatorpin.concat(layout.iothreadpins.flatMap((p) => p.cpus)));
    const hit = intersect(helpers, pinned);
    if (hit.length === 0) return [];
    const involved = [guest.name, ...new Set(hit.flatMap((c) => owners.get(c) ?? []))].filter((n, k, all) => all.indexOf(n) === k);
    // Iothreads as one list: a domain may pin thousands of them, and a sentence naming each is megabytes.
    const iothreads = sortIds(layout.iothreadpins.filter((p) => intersect(p.cpus, hit).length > 0).map((p) => p.iothread));
    const what = [intersect(layout.emulatorpin, hit).length > 0 ? 'emulator' : '', iothreads.length === 0 ? '' : `iothread${iothreads.length > 1 ? 's' : ''} ${formatIdList(iothreads)}`].filter(Boolean);
    const nodes = guestNodes(host, guest);
    const nodeOf = nodeOfCpu(host);
    const spare = difference(
      sortIds([...online].filter((c) => nodes.includes(nodeOf.get(c) ?? -1))),
      sortIds(pinned.concat(held.flatMap((g) => g.floatingCpus))),
    );
    return [
      {
        severity: 'warning',
        kind: 'emulator-on-vcpus',
        guests: involved,
        cpus: hit,
        nodes: nodesOf(host, hit),
        message: `The ${what.join(' and ')} of ${quoted(guest.name)} ${what.length === 1 && iothreads.length <= 1 ? 'runs' : 'run'} on ${cpusWord(hit)}, which ${hit.length === 1 ? 'a vCPU holds' : 'vCPUs hold'} one-to-one, so the vCPUs lose time to QEMU's own threads.`,
        fix:
          spare.length > 0
            ? `Pin the ${what.join(' and ')} of ${quoted(guest.name)} to CPUs no vCPU holds, such as ${cpusWord(spare)} on ${nodesWord(nodesOf(host, spare))}.`
            : `Pin the ${what.join(' and ')} of ${quoted(guest.name)} to CPUs no vCPU holds, keeping a core of its nodes for them.`,
      },
    ];
  });
};
