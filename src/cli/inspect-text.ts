/** The human-readable report of `numascope inspect`: what lstopo and numactl -H users scan for. */
import { formatIdList } from '../core/cpuset.ts';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { nodeCpusText } from '../core/host/locality.ts';
import type { Host } from '../core/host/model.ts';
import { formatKiB } from '../core/units.ts';

export function renderHost(host: Host): string {
  let out: string[] = [];
  const online = host.cpus.filter((c) => c.online).length;
  out.push(`Sources (${host.sources.length})`);
  for (const s of host.sources) {
    const problems = [s.errors && `${s.errors} error(s)`, s.warnings && `${s.warnings} warning(s)`, s.unknownLines && `${s.unknownLines} unknown line(s)`].filter(Boolean);
    out.push(`  ${s.name}  [${s.label}]  ${s.lines} lines${problems.length ? `, ${problems.join(', ')}` : ''}`);
  }
  const m = host.machine;
  if (m.model || m.arch || m.hostname) out.push('', `Machine: ${[m.hostname, m.model, m.arch && `(${m.arch})`].filter(Boolean).join(' ')}`);
  out.push(
    '',
    `${host.packages.length} package(s), ${host.nodes.length} NUMA node(s), ${host.cores.length} core(s), ${host.cpus.length} CPU(s) (${online} online)`,
  );
  if (host.packages.length > 0) {
    out.push('', 'Packages');
    for (const p of host.packages) out.push(`  P#${p.id}  CPUs ${formatIdList(p.cpus)}`);
  }
  if (host.nodes.length > 0) {
    out.push('', 'NUMA nodes');
    out = out.concat(table(
      ['node', 'kind', 'CPUs', 'memory', 'free', 'hugepages'],
      host.nodes.map((n) => [
        String(n.id),
        n.subtype ? `${n.kind} (${n.subtype})` : n.kind,
        nodeCpusText(host, n.id, '-'),
        n.memoryKiB === null ? '?' : formatKiB(n.memoryKiB),
        n.freeKiB === null ? '?' : formatKiB(n.freeKiB),
        n.hugepages.map((h) => `${h.total}×${formatKiB(h.sizeKiB)}${h.free !== undefined ? ` (${h.free} free)` : ''}`).join(', ') || '-',
      ]),
    ));
  }
  if (host.distances.length > 0) {
    out.push('', 'Node distances');
    out = out.concat(table(['node', ...host.nodes.map((n) => String(n.id))], host.distances.map((row, i) => [String(host.nodes[i].id), ...row.map(String)]), true));
  }
  if (host.pci.length > 0) {
    const local = host.pci.filter((p) => p.node !== null).length;
    out.push('', `PCI devices (${host.pci.length}, ${local} with a NUMA node)`);
    for (const p of host.pci) {
      const name = [p.className, [p.vendor, p.device].filter(Boolean).join(' ')].filter(Boolean).join(': ');
      out.push(`  ${p.bdf}  ${p.node === null ? 'node ?' : `node ${p.node}`}  ${name}`.trimEnd());
    }
  }
  if (host.conflicts.length > 0) {
    out.push('', 'Conflicts between pastes');
    for (const c of host.conflicts) {
      out.push(`  ${c.subject}:`);
      for (const claim of c.claims) out.push(`    ${claim.source} says ${claim.value}`);
      out.push(`    → ${c.resolution}`);
    }
  }
  if (host.diagnostics.length > 0) {
    out.push('', 'Diagnostics');
    for (const d of host.diagnostics) out.push(`  ${formatDiagnostic(d)}`);
  }
  return out.join('\n') + '\n';
}

/** Indented columns as wide as their widest cell, one line per row after the header (inspect and plan both print these). */
export function table(header: string[], rows: string[][], alignRight = false): string[] {
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (alignRight ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
