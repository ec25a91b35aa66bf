/**
 * The parts of a layout's score a person can read (LayoutScore): vCPUs running away from their
 * memory and how far, and cores split between cells. The all-to-all distance cost alone would
 * reward moving one vCPU of a guest core into a bigger cell (66 → 65.3 on the talk host), so
 * layouts are ranked by these parts first (compareScores).
 */
import type { GuestCell, GuestLayout, LayoutScore } from '../guest/model.ts';
import type { Cpu, Host } from '../host/model.ts';
import { LOCAL_DISTANCE as LOCAL } from '../host/model.ts';
import { memoryHomes } from '../host/memory-home.ts';
import { hostDistance } from '../host/distance.ts';

export type ScoreParts = Pick<LayoutScore, 'remoteVcpus' | 'remoteDistance' | 'splitCores'>;

/** CPUs by id, per host: a host is read-only once built, and every solve and edit scores. */
const cpusOf = new WeakMap<Host, Map<number, Cpu>>();

export function scoreParts(layout: GuestLayout, host: Host): ScoreParts {
  const distance = hostDistance(host);
  // A memoryless node's vCPUs are as near their memory as they can be at its home.
  const homes = memoryHomes(host);
  let cpus = cpusOf.get(host);
  if (!cpus) cpusOf.set(host, (cpus = new Map(host.cpus.map((c) => [c.id, c]))));
  const cellOf = new Map<number, GuestCell>();
  for (const cell of layout.cells) for (const v of cell.vcpus) cellOf.set(v, cell);
  let remoteVcpus = 0;
  let remoteDistance = LOCAL;
  const cellsOnCore = new Map<number, Set<number>>();
  for (const pin of layout.pins) {
    const cell = cellOf.get(pin.vcpu);
    if (!cell) continue;
    const memory = cell.hostNodes;
    let far = LOCAL;
    for (const id of pin.cpus) {
      const node = cpus.get(id)?.node;
      if (node === undefined || memory.length === 0 || memory.includes(homes.get(node) ?? node)) continue;
      far = Math.max(far, Math.min(...memory.map((m) => distance(node, m))));
    }
    if (far > LOCAL) {
      remoteVcpus++;
      remoteDistance = Math.max(remoteDistance, far);
    }
    const core = pin.cpus.length === 1 ? cpus.get(pin.cpus[0])?.core : undefined;
    if (core !== undefined) cellsOnCore.set(core, (cellsOnCore.get(core) ?? new Set()).add(cell.id));
  }
  let splitCores = [...cellsOnCore.values()].filter((cells) => cells.size > 1).length;
  // Guest cores (QEMU numbers threads of a core consecutively) whose threads sit in two cells.
  const t = Math.max(1, layout.topology.threads);
  for (let v = 0; v < layout.vcpus; v += t) {
    const cells = new Set(Array.from({ length: t }, (_, i) => cellOf.get(v + i)?.id).filter((c) => c !== undefined));
    if (cells.size > 1) splitCores++;
  }
  return { remoteVcpus, remoteDistance, splitCores };
}

/** Ranks layouts: fewer remote vCPUs, nearer memory, fewer split and shared cores, then distance cost. */
export function compareScores(a: LayoutScore, b: LayoutScore): number {
  return (
    a.remoteVcpus - b.remoteVcpus ||
    a.remoteDistance - b.remoteDistance ||
    a.splitCores - b.splitCores ||
    a.smtShared - b.smtShared ||
    a.distanceCost - b.distanceCost
  );
}

/**
 * What an edit did to the score, part by part, then a verdict ranked by compareScores: the
 * distance cost alone would call a split core an improvement.
 */
export function scoreChanges(before: LayoutScore, after: LayoutScore): string[] {
  const out: string[] = [];
  const part = (what: string, a: number, b: number) => {
    if (a !== b) out.push(`${what} ${a} → ${b}`);
  };
  part('vCPUs away from their memory', before.remoteVcpus, after.remoteVcpus);
  part('farthest from its memory', before.remoteDistance, after.remoteDistance);
  part('cores split between cells', before.splitCores, after.splitCores);
  part('cores shared with other guests', before.smtShared, after.smtShared);
  part('distance cost', before.distanceCost, after.distanceCost);
  // Every part compareScores ranks by is told above: a verdict comes only with a change.
  const verdict = compareScores(after, before);
  if (verdict < 0) out.push('a better layout');
  else if (verdict > 0) out.push('a worse layout');
  return out;
}
