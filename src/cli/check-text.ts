/**
 * `numascope check`'s report for people: each guest with where it sits and what is wrong with
 * it (a finding about several guests is listed under the first it names), then the diagnostics
 * of the inputs and a one-line verdict.
 */
import { formatIdList } from '../core/cpuset.ts';
import { guestNodes, type AuditGuest, type Finding } from '../core/audit/index.ts';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics.ts';
import type { Host } from '../core/host/model.ts';
import { formatKiB } from '../core/units.ts';

function findingLines(f: Finding): string[] {
  return [`  ${f.severity} ${f.kind}: ${f.message}`, `    fix: ${f.fix}`];
}

export function renderCheck(host: Host, guests: readonly AuditGuest[], findings: readonly Finding[], diagnostics: readonly Diagnostic[]): string {
  const out: string[] = [];
  // Appended line by line, not push(...): a host's diagnostics and findings are as many as its input makes.
  const add = (lines: readonly string[]) => {
    for (const line of lines) out.push(line);
  };
  const online = host.cpus.filter((c) => c.online).length;
  out.push(`Host: ${host.nodes.length} NUMA node(s), ${host.cpus.length} CPU(s) (${online} online), ${guests.length} guest(s)`);
  for (const g of guests) {
    const nodes = guestNodes(host, g);
    const mine = findings.filter((f) => f.guests[0] === g.name);
    out.push('', `${g.name} (${g.source}): ${g.layout.vcpus} vCPU(s), ${formatKiB(g.layout.memoryKiB)}, ${nodes.length > 0 ? `host node(s) ${formatIdList(nodes)}` : 'no host node pinned or bound'}`);
    add(mine.length > 0 ? mine.flatMap(findingLines) : ['  no findings']);
  }
  const hostOnly = findings.filter((f) => f.guests.length === 0 || !guests.some((g) => g.name === f.guests[0]));
  if (hostOnly.length > 0) add(['', 'Host', ...hostOnly.flatMap(findingLines)]);
  const shown = diagnostics.filter((d) => d.severity !== 'info');
  if (shown.length > 0) add(['', 'Diagnostics', ...shown.map((d) => `  ${formatDiagnostic(d)}`)]);
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  out.push('', `${count('error')} error(s), ${count('warning')} warning(s)${count('info') > 0 ? `, ${count('info')} note(s)` : ''}`);
  return out.join('\n') + '\n';
}
