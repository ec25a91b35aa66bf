/**
 * `numascope plan`'s output for people: the guest's topology, cells, pins, emulator pin, score,
 * why, the diagnostics, what to try instead when the request was refused, and the domain XML.
 */
import { formatIdList } from '../core/cpuset.ts';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics.ts';
import type { LayoutResult } from '../core/guest/model.ts';
import { formatKiB } from '../core/units.ts';
import { table } from './inspect-text.ts';
import { shellWord } from './plan-suggest.ts';

/** A suggestion as the person can act on it: its sentence and the whole command line to run. */
export interface TryLine {
  text: string;
  argv: string[];
}

export function tryLines(suggestions: readonly TryLine[]): string[] {
  return suggestions.flatMap((s) => [`  ${s.text}`, `    try: numascope plan ${s.argv.map(shellWord).join(' ')}`]);
}

/** vCPU→pCPU pins, compact: 1:1 pins one by one, vCPUs sharing one cpuset grouped. */
function formatPins(pins: LayoutResult['layout']['pins']): string[] {
  const groups: { vcpus: number[]; cpus: number[] }[] = [];
  for (const p of pins) {
    const last = groups[groups.length - 1];
    if (last && p.cpus.length > 1 && formatIdList(last.cpus) === formatIdList(p.cpus)) last.vcpus.push(p.vcpu);
    else groups.push({ vcpus: [p.vcpu], cpus: p.cpus });
  }
  const items = groups.map((g) => `${formatIdList(g.vcpus)}→${formatIdList(g.cpus)}`);
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += 8) lines.push(`  ${items.slice(i, i + 8).join('  ')}`);
  return lines;
}

/** `result` is null when there was nothing to lay out (a --from document that reads with errors). */
export function renderPlan(result: LayoutResult | null, xml: string | null, diagnostics: Diagnostic[], suggestions: readonly TryLine[]): string {
  const out: string[] = [];
  const layout = result?.layout;
  if (result && layout && (layout.cells.length > 0 || layout.pins.length > 0)) {
    const { score } = result;
    const t = layout.topology;
    out.push(
      `Guest: ${layout.vcpus} vCPU(s), ${formatKiB(layout.memoryKiB)}, topology sockets=${t.sockets} dies=${t.dies} clusters=${t.clusters} cores=${t.cores} threads=${t.threads}`,
      '',
      'Cells',
      ...table(
        ['cell', 'vCPUs', 'memory', 'host nodes', 'mode', 'distances'],
        layout.cells.map((c) => [String(c.id), formatIdList(c.vcpus) || '-', formatKiB(c.memoryKiB), formatIdList(c.hostNodes), c.memoryMode, c.distances.join(' ')]),
      ),
    );
    if (layout.pins.length > 0) out.push('', 'Pins (vCPU→host CPU)', ...formatPins(layout.pins));
    out.push('', `Emulator pin: ${layout.emulatorpin.length > 0 ? formatIdList(layout.emulatorpin) : 'not pinned'}`);
    out.push(
      '',
      `Score: ${score.nodes} host node(s), distance cost ${score.distanceCost}, SMT shared ${score.smtShared}, ${score.optimal ? 'optimal' : `gap ≤ ${score.gap}`}`,
    );
  } else {
    out.push('No layout.');
  }
  if (result && result.explanation.length > 0) out.push('', 'Why', ...result.explanation.map((s) => `  ${s}`));
  if (diagnostics.length > 0) out.push('', 'Diagnostics', ...diagnostics.map((d) => `  ${formatDiagnostic(d)}`));
  if (suggestions.length > 0) out.push('', 'Suggestions', ...tryLines(suggestions));
  if (xml !== null) out.push('', 'Domain XML', xml.trimEnd());
  return out.join('\n') + '\n';
}
