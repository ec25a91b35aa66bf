/**
 * absent-cpu and offline-cpu: pins (vCPUs, emulator, iothreads, `<vcpu cpuset>`) on host CPUs the
 * host does not have, or has offline. libvirt refuses to start a guest whose whole affinity is
 * offline and the kernel silently drops the offline part of a wider one (validate's
 * pinsOnOnlineCpus says the same of one layout; here each guest of the host is named).
 */
import { formatIdList, sortIds } from '../../cpuset.ts';
import type { Host } from '../../host/model.ts';
import type { EditOp } from '../../partition/edit.ts';
import type { AuditGuest, AuditRule, Finding } from '../finding.ts';
import { nodesOf, placedLayout } from '../placed.ts';
import { cpusWord, nodesWord, quoted, vcpusWord } from '../words.ts';

type Lack = 'absent' | 'offline';

function lacking(host: Host, lack: Lack): (cpu: number) => boolean {
  const known = new Map(host.cpus.map((c) => [c.id, c.online]));
  return lack === 'absent' ? (cpu) => !known.has(cpu) : (cpu) => known.get(cpu) === false;
}

function cpuFinding(host: Host, guest: AuditGuest, lack: Lack): Finding | undefined {
  const layout = placedLayout(guest);
  const bad = lacking(host, lack);
  const cpus = new Set<number>();
  const vcpus: number[] = [];
  // vCPUs on <vcpu cpuset> share one list, of up to 16384 CPUs: it is looked through once, not once per vCPU.
  const hits = new Map<readonly number[], number[]>();
  for (const p of layout.pins) {
    let hit = hits.get(p.cpus);
    if (!hit) {
      hit = p.cpus.filter(bad);
      hits.set(p.cpus, hit);
      for (const c of hit) cpus.add(c);
    }
    if (hit.length > 0) vcpus.push(p.vcpu);
  }
  const others: string[] = [];
  const emulator = layout.emulatorpin.filter(bad);
  if (emulator.length > 0) others.push('the emulator');
  for (const c of emulator) cpus.add(c);
  const iothreads: number[] = [];
  for (const p of layout.iothreadpins) {
    const hit = p.cpus.filter(bad);
    if (hit.length > 0) iothreads.push(p.iothread);
    for (const c of hit) cpus.add(c);
  }
  // One list, not a name per iothread: a domain may pin thousands of them.
  if (iothreads.length > 0) others.push(`iothread${iothreads.length > 1 ? 's' : ''} ${formatIdList(sortIds(iothreads))}`);
  if (cpus.size === 0) return undefined;
  const list = sortIds(cpus);
  const who = [...(vcpus.length > 0 ? [vcpusWord(vcpus)] : []), ...others].join(', ');
  const what = lack === 'absent' ? 'which this host does not have' : 'which are offline on this host';
  // Each vCPU goes back to the node its cell's memory is on, where edit() finds it a free CPU.
  const ops: EditOp[] = [];
  const homes = new Set<number>();
  for (const v of vcpus) {
    const home = guest.layout.cells.find((c) => c.vcpus.includes(v))?.hostNodes[0];
    if (home === undefined) continue;
    ops.push({ kind: 'pin-vcpu', vcpu: v, target: { node: home } });
    homes.add(home);
  }
  const finding: Finding = {
    severity: 'error',
    kind: lack === 'absent' ? 'absent-cpu' : 'offline-cpu',
    guests: [guest.name],
    cpus: list,
    nodes: nodesOf(host, list),
    message: `${quoted(guest.name)} pins ${who} to ${cpusWord(list)}, ${what}.`,
    fix: `Pin ${who} of ${quoted(guest.name)} to online CPUs of ${homes.size > 0 ? `${nodesWord(sortIds(homes))}, where its memory is` : 'this host'} instead.`,
  };
  if (ops.length === vcpus.length && ops.length > 0) finding.edit = { guest: guest.name, ops };
  return finding;
}

const cpuRule =
  (lack: Lack): AuditRule =>
  (host, guests) =>
    // A host no paste described CPUs of has nothing to judge pins against.
    host.cpus.length === 0 ? [] : guests.flatMap((g) => cpuFinding(host, g, lack) ?? []);

export const absentCpu: AuditRule = cpuRule('absent');
export const offlineCpu: AuditRule = cpuRule('offline');
