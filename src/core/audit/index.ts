/**
 * audit(host, guests): is what runs on this host placed right? Every rule looks at the host and
 * all its guests together and answers findings (finding.ts); rules live in rules/<topic>.ts, one
 * AuditRule per kind. Guests come from domain XML (read-guest.ts), with the runtime memory of
 * their QEMU processes where numastat or numa_maps was given (ingest/runtime.ts).
 */
import type { Host } from '../host/model.ts';
import type { AuditGuest, AuditRule, Finding } from './finding.ts';
import { hugepagesShort, nodeMemoryOvercommit } from './rules/capacity.ts';
import { absentCpu, offlineCpu } from './rules/cpus.ts';
import { deviceRemote } from './rules/devices.ts';
import { remoteMemory, spansWithoutVnuma, unboundMemory } from './rules/memory.ts';
import { memoryMisplaced } from './rules/runtime.ts';
import { emulatorOnVcpus, pinOverlap, smtShared } from './rules/sharing.ts';

export type { AuditGuest, AuditRule, DomainPlacement, Finding, FindingEdit, FindingKind, NodeKiB } from './finding.ts';
export { FINDING_KINDS } from './finding.ts';
export { readAuditGuest } from './read-guest.ts';
export { guestNodes, placedLayout } from './placed.ts';

/** Errors first within each topic, in the order of kinds. */
export const RULES: readonly AuditRule[] = [
  absentCpu,
  offlineCpu,
  pinOverlap,
  smtShared,
  emulatorOnVcpus,
  remoteMemory,
  unboundMemory,
  spansWithoutVnuma,
  nodeMemoryOvercommit,
  hugepagesShort,
  deviceRemote,
  memoryMisplaced,
];

export function audit(host: Host, guests: readonly AuditGuest[]): Finding[] {
  return RULES.flatMap((rule) => rule(host, guests));
}

/** A layout is judged clean when nothing worse than information is found. */
export function hasProblems(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity !== 'info');
}
