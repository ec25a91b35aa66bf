/**
 * One host's audit from what was read of it: the Bundle (a sosreport, a sysfs tarball, a
 * collector paste, or several of these merged) gives the host, the guests defined there and their
 * QEMU processes' memory; domain XML given on its own (--guest) joins those guests. Shared by
 * `numascope check` for one host and by each fleet worker, so both judge a host the same way.
 */
import { basename } from 'node:path';
import { audit, guestNodes, readAuditGuest, type AuditGuest, type Finding, type NodeKiB } from '../core/audit/index.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { hostToJson } from '../core/host/json.ts';
import type { Host } from '../core/host/model.ts';
import { bundleHost, type Bundle } from '../core/ingest/bundle.ts';
import type { ProcessMemory } from '../core/ingest/runtime.ts';

export interface HostCheck {
  host: Host;
  guests: AuditGuest[];
  findings: Finding[];
  /** The host's diagnostics first, then the guests'. */
  diagnostics: Diagnostic[];
  /** Nothing was read of the host (no CPU, no node): the audit is meaningless. */
  unread: boolean;
}

/** Several inputs about one host (--host files, a sysfs tarball beside a collector paste) as one bundle. */
export function mergeBundles(bundles: readonly Bundle[]): Bundle {
  if (bundles.length === 1) return bundles[0];
  const hostname = bundles.find((b) => b.hostname)?.hostname;
  return {
    name: bundles.map((b) => b.name).join(' + '),
    kind: bundles.every((b) => b.kind === bundles[0]?.kind) ? (bundles[0]?.kind ?? 'paste') : 'mixed',
    facts: bundles.flatMap((b) => b.facts),
    pastes: bundles.flatMap((b) => b.pastes),
    guests: bundles.flatMap((b) => b.guests),
    numaMaps: bundles.flatMap((b) => b.numaMaps),
    memory: bundles.flatMap((b) => b.memory),
    diagnostics: bundles.flatMap((b) => b.diagnostics),
    ...(hostname ? { hostname } : {}),
  };
}

export function checkHost(bundle: Bundle, domains: readonly { source: string; text: string }[] = []): HostCheck {
  const { host } = bundleHost(bundle);
  const diagnostics: Diagnostic[] = [...host.diagnostics];
  const guests: AuditGuest[] = [];
  for (const d of [...bundle.guests.map((g) => ({ source: g.source, text: g.xml })), ...domains]) {
    const read = readAuditGuest(d.text, d.source);
    for (const diagnostic of read.diagnostics) diagnostics.push(diagnostic);
    if (read.guest) guests.push(read.guest);
  }
  const resident = residentByGuest(bundle.memory);
  for (const g of guests) {
    const memory = resident.get(g.name);
    if (memory) g.resident = memory;
  }
  return { host, guests, findings: audit(host, guests), diagnostics, unread: host.cpus.length === 0 && host.nodes.length === 0 };
}

/** Each guest's resident memory per node: its QEMU processes (numastat rows, numa_maps) added up. */
function residentByGuest(memory: readonly ProcessMemory[]): Map<string, NodeKiB[]> {
  const byGuest = new Map<string, Map<number, number>>();
  for (const process of memory) {
    if (process.guest === undefined) continue;
    const nodes = byGuest.get(process.guest) ?? new Map<number, number>();
    for (const n of process.nodes) nodes.set(n.node, (nodes.get(n.node) ?? 0) + n.kib);
    byGuest.set(process.guest, nodes);
  }
  return new Map([...byGuest].map(([name, nodes]) => [name, [...nodes].sort((a, b) => a[0] - b[0]).map(([node, kib]) => ({ node, kib }))]));
}

/** sos names its report `sosreport-HOST[-LABEL]-YYYY-MM-DD-RANDOM`. */
const SOSREPORT_NAME = /^sosreport-(.+)-\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:\.tar(?:\.[a-z0-9]+)?)?$/;

/**
 * The host's name for a fleet line: the one its dumps state, else the one in the name sos gave
 * the report's folder (or the archive's, if renamed), which also carries sos's --label or
 * --case-id when one was given: the name alone cannot tell them apart; else the file's own name.
 */
export function hostnameOf(host: Host, bundle: Bundle): string {
  if (host.machine.hostname) return host.machine.hostname;
  const sos = [...bundle.pastes.map((p) => p.name), ...bundle.guests.map((g) => g.source), bundle.name]
    .map((path) => SOSREPORT_NAME.exec(basename(path.split('/').find((part) => part.startsWith('sosreport-')) ?? path)))
    .find((m) => m !== null);
  return sos ? sos[1] : basename(bundle.name);
}

/** The contract for scripts (README "Auditing a host"). */
export function checkJson(check: HostCheck) {
  const { host, guests, findings, diagnostics } = check;
  return {
    host: hostToJson(host),
    guests: guests.map((g) => ({ name: g.name, source: g.source, vcpus: g.layout.vcpus, memoryKiB: g.layout.memoryKiB, nodes: guestNodes(host, g) })),
    findings: findings.map((f) => ({ severity: f.severity, kind: f.kind, guests: f.guests, cpus: f.cpus, nodes: f.nodes, message: f.message, fix: f.fix })),
    diagnostics,
  };
}
