/**
 * `numascope check`: is what runs on this host placed right? Reads the host (any dump inspect
 * reads), its guests' domain XML and, where given, the runtime memory of their QEMU processes,
 * and prints the audit's findings (src/core/audit) — for people grouped by guest, or as JSON.
 * Exit status: 0 = no warning or error finding, 1 = at least one, 2 = usage error or unreadable input.
 */
import { readFileSync } from 'node:fs';
import { audit, guestNodes, hasProblems, readAuditGuest, type AuditGuest, type Finding } from '../core/audit/index.ts';
import { parseNumastat, qemuGuestNames, residentByGuest } from '../core/audit/numastat.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { hostToJson } from '../core/host/json.ts';
import type { Host } from '../core/host/model.ts';
import { ingest, type Paste } from '../core/ingest/index.ts';
import { checkInputOf } from './check-input.ts';
import { renderCheck } from './check-text.ts';
import { givenOptions } from './plan-args.ts';

export const CHECK_USAGE = `usage: numascope check [--host FILE …] [--guest FILE …] [FILE …] [--json]

Audits a host and the guests on it: pins two guests share, guests on SMT siblings of one core,
emulator threads on vCPUs, vCPUs away from their memory, unbound memory, guests spanning nodes
without NUMA cells, nodes whose memory or hugepages the guests overcommit, passthrough devices
on other nodes, pins on absent or offline CPUs, and memory numastat shows on the wrong node.
  --host FILE    a host dump (any format 'numascope inspect' reads; - reads standard input)
  --guest FILE   a guest's domain XML (virsh dumpxml); repeat for each guest
  FILE           a paste holding the host and its guests together: host dumps, 'virsh dumpxml'
                 of every domain, 'numastat -c qemu' and the QEMU command lines
                 ('ps -o pid,args -C qemu-kvm,qemu-system-x86_64') that name each process's guest
  --json         { host, guests, findings, diagnostics } for scripts
Exit status: 0 = no warning or error, 1 = at least one, 2 = usage error or unreadable input.
`;

interface CheckArgs {
  hosts: string[];
  guests: string[];
  files: string[];
  json: boolean;
}

function parseCheckArgs(argv: readonly string[]): CheckArgs | string {
  const args: CheckArgs = { hosts: [], guests: [], files: [], json: false };
  for (const { option, value, words } of givenOptions(argv)) {
    if (option === '--json') args.json = true;
    else if (option === '--host' || option === '--guest') {
      if (value === undefined) return `${option} needs a file`;
      args[option === '--host' ? 'hosts' : 'guests'].push(value);
    } else if (option === '-' || !option.startsWith('--')) args.files.push(...words);
    else return `unknown option '${option}'`;
  }
  if (args.hosts.length === 0 && args.files.length === 0) return 'name the host: --host FILE, or a FILE holding the host and its guests';
  return args;
}

const sourceName = (file: string) => (file === '-' ? 'stdin' : file);

export function check(argv: string[]): number {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(CHECK_USAGE);
    return 0;
  }
  const args = parseCheckArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`numascope check: ${args}\n${CHECK_USAGE}`);
    return 2;
  }
  const pastes: Paste[] = [];
  const domains: { source: string; text: string }[] = [];
  const runtime: string[] = [];
  try {
    for (const file of args.hosts) pastes.push({ name: sourceName(file), text: readFileSync(file === '-' ? 0 : file, 'utf8') });
    for (const file of args.guests) domains.push({ source: sourceName(file), text: readFileSync(file === '-' ? 0 : file, 'utf8') });
    for (const file of args.files) {
      const bare = checkInputOf(sourceName(file), readFileSync(file === '-' ? 0 : file));
      if (!bare.ok) {
        process.stderr.write(`numascope check: ${bare.reason}\n`);
        return 2;
      }
      pastes.push(...bare.input.pastes);
      domains.push(...bare.input.domains);
      runtime.push(...bare.input.runtime);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`numascope check: cannot read ${err.path ?? 'standard input'}: ${err.code ?? String(e)}\n`);
    return 2;
  }
  const { host } = ingest(pastes);
  if (host.cpus.length === 0 && host.nodes.length === 0) {
    for (const d of host.diagnostics) process.stderr.write(`${d.source}: ${d.severity}: ${d.message}\n`);
    process.stderr.write('numascope check: no host was read: give lscpu, numactl -H, lstopo, virsh capabilities … with --host FILE\n');
    return 2;
  }
  const diagnostics: Diagnostic[] = [...host.diagnostics];
  const guests: AuditGuest[] = [];
  for (const d of domains) {
    const read = readAuditGuest(d.text, d.source);
    diagnostics.push(...read.diagnostics);
    if (read.guest) guests.push(read.guest);
  }
  diagnostics.push(...withResidentMemory(guests, runtime));
  const findings = audit(host, guests);
  process.stdout.write(args.json ? JSON.stringify(checkJson(host, guests, findings, diagnostics), null, 2) + '\n' : renderCheck(host, guests, findings, diagnostics));
  return hasProblems(findings) ? 1 : 0;
}

/** Gives each guest the memory numastat shows for its QEMU process; the parse's own diagnostics are returned. */
function withResidentMemory(guests: AuditGuest[], runtime: readonly string[]): Diagnostic[] {
  if (runtime.length === 0) return [];
  const text = runtime.join('\n');
  const { processes, diagnostics } = parseNumastat(text, 'numastat');
  const resident = residentByGuest(processes, qemuGuestNames(text));
  for (const g of guests) {
    const memory = resident.get(g.name);
    if (memory) g.resident = memory;
  }
  return diagnostics;
}

/** The contract for scripts (README "Auditing a host"). */
export function checkJson(host: Host, guests: readonly AuditGuest[], findings: readonly Finding[], diagnostics: readonly Diagnostic[]) {
  return {
    host: hostToJson(host),
    guests: guests.map((g) => ({ name: g.name, source: g.source, vcpus: g.layout.vcpus, memoryKiB: g.layout.memoryKiB, nodes: guestNodes(host, g) })),
    findings: findings.map((f) => ({ severity: f.severity, kind: f.kind, guests: f.guests, cpus: f.cpus, nodes: f.nodes, message: f.message, fix: f.fix })),
    diagnostics,
  };
}
