/**
 * `numascope plan`: lay a guest out on a host from the command line, over the same partition
 * core as the app. Reads host dumps (any format inspect reads), optionally other guests' domain
 * XML for what they already hold and a domain to lay out again (--from); prints the layout and
 * its domain XML, just the XML (--xml), or a stable JSON contract (--json). A refusal comes with
 * the command lines that would work instead.
 */
import { readFileSync } from 'node:fs';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import { domainNameOf, parseDomainDocument, readLayout, writeLayout } from '../core/domain-xml/index.ts';
import type { LayoutResult } from '../core/guest/model.ts';
import { ingest, type Paste } from '../core/ingest/index.ts';
import { occupancyOf, solve } from '../core/partition/index.ts';
import type { NamedLayout } from '../core/partition/occupancy.ts';
import {
  DEFAULT_REQUEST,
  DEVICE_POLICIES,
  DISTRIBUTIONS,
  PARTITION_MODES,
  PINNINGS,
  RESERVE_KEYWORDS,
  THREAD_POLICIES,
  type PartitionRequest,
  type SolveResult,
  type Suggestion,
} from '../core/partition/request.ts';
import { NONE, parsePlanArgs, UsageError, type PlanArgs } from './plan-args.ts';
import { readFrom, relaidDocument, requestFromDocument, unsizedHugepages, type FromRead } from './plan-from.ts';
import { changeFlags, changesFor, flagsText, withChange } from './plan-suggest.ts';
import { renderPlan, tryLines, type TryLine } from './plan-text.ts';

const PLAN_USAGE = `usage: numascope plan --host FILE [--host FILE …] --vcpus N --memory SIZE [options]
       numascope plan --host FILE … --from guest.xml [options]

Lays a guest out on the host described by the dumps (any format 'numascope inspect' reads;
- reads standard input) and prints the layout: guest topology, cells, vCPU pins, emulator
pin, score, why these nodes, diagnostics, and the libvirt domain XML for it.
  --vcpus N                 guest vCPUs (default ${DEFAULT_REQUEST.vcpus}; the sum of --cell-vcpus when given)
  --memory SIZE             guest memory: 32GiB, 32G, 32768MiB, 8388608KiB (default 32GiB;
                            the sum of --cell-memory when given)
  --mode ${PARTITION_MODES.join('|')}     auto (default): the fewest host nodes that hold the guest,
                            inside one package when one can, one cell per node, 1:1 pins;
                            host: one cell per chosen node, 1:1 pins (numascope before 'auto');
                            node: one cell on the chosen node(s), vCPUs floating over them
  --distribution ${DISTRIBUTIONS.join('|')}
  --nodeset LIST            host nodes allowed, libvirt syntax ("0-3,^2"); default: the core chooses
  --cells N                 guest NUMA cells (default: one per chosen node in modes auto and
                            host, 1 in mode node)
  --cell-vcpus N,N…         vCPUs of each guest cell, in cell order (Nova's hw:numa_cpus.N)
  --cell-memory SIZE,SIZE…  memory of each guest cell (Nova's hw:numa_mem.N); needs --cell-vcpus
  --pinning ${PINNINGS.join('|')}  one host thread per vCPU, or float over the cell's node(s)
                            (default 1:1 in modes auto and host, node-float in mode node)
  --reserve ${RESERVE_KEYWORDS.join('|')}|LIST   host CPUs kept for the host (default first-core for
                            1:1 pinning, none when vCPUs float)
  --thread-policy ${THREAD_POLICIES.join('|')}
  --hugepages SIZE|${NONE}     back memory with hugepages of this size (2M, 1G), or not at all
  --tier-memory SIZE        put this much of the memory on memory-only nodes (CXL, HBM) as CPU-less cells
  --iothreads N             iothreads to pin beside the emulator, on the reserved CPUs
  --device BDF[${DEVICE_POLICIES.map((p) => `:${p}`).join('|')}]|${NONE}   a PCI device the guest must (or should) sit next
                            to; repeat for each; '${NONE}': no devices
  --guest FILE              another guest's domain XML: the CPUs its <vcpupin>s take and the
                            memory its cells bind are not given again; repeat for each guest
  --from FILE               lay out again the domain this XML describes: its vCPUs, memory,
                            hugepage size, pinned iothreads and PCI passthrough devices (as
                            preferred) are the defaults, the options above override them
                            (--device replaces its devices); the output is that same document
                            with only the layout's elements changed. A document that reads with
                            errors is not rewritten.
  --xml                     print only the domain XML (nothing when no layout fits)
  --json                    print { layout, score, xml, diagnostics, suggestions } as JSON;
                            "xml" is the domain XML text, null when no layout fits
When a request is refused, each suggestion is printed as the command line to try instead.
Exit status: 0 = laid out, 1 = diagnostics with errors (e.g. no layout fits), 2 = usage or
unreadable file.
`;

function readText(file: string): string {
  return readFileSync(file === '-' ? 0 : file, 'utf8');
}

/** The request: the core's defaults, then the --from document's, then the flags'; a field set to undefined is left out. */
export function composeRequest(...layers: Partial<PartitionRequest>[]): PartitionRequest {
  const out: Partial<PartitionRequest> = { ...DEFAULT_REQUEST, devices: [] };
  for (const layer of layers) Object.assign(out, layer);
  for (const key of Object.keys(out) as (keyof PartitionRequest)[]) if (out[key] === undefined) delete out[key];
  return out as PartitionRequest;
}

/** A suggestion as `plan` answers it: the change as flags, and the given command line with them applied. */
interface PlanSuggestion extends TryLine {
  change: Partial<PartitionRequest>;
  flags: string;
}

export function planSuggestions(suggestions: readonly Suggestion[], options: PlanArgs['options']): PlanSuggestion[] {
  return suggestions.map((s) => {
    const changes = changesFor(options, changeFlags(s.change));
    return { text: s.text, change: s.change, flags: flagsText(changes), argv: withChange(options, changes) };
  });
}

/** A change for JSON: a field to remove is null there (JSON has no undefined). */
function changeJson(change: Partial<PartitionRequest>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(change).map(([k, v]) => [k, v === undefined ? null : v]));
}

/**
 * The JSON contract of `plan --json`: only these keys, in this order. `layout` and `score` are
 * null only when there was nothing to lay out (a --from document that reads with errors).
 */
export function planJson(result: LayoutResult | null, xml: string | null, diagnostics: Diagnostic[], suggestions: readonly PlanSuggestion[] = []) {
  const layout = result?.layout;
  const t = layout?.topology;
  return {
    layout:
      layout && t
        ? {
            vcpus: layout.vcpus,
            topology: { sockets: t.sockets, dies: t.dies, clusters: t.clusters, cores: t.cores, threads: t.threads },
            cells: layout.cells.map((c) => ({ id: c.id, vcpus: c.vcpus, memoryKiB: c.memoryKiB, hostNodes: c.hostNodes, memoryMode: c.memoryMode })),
            pins: layout.pins.map((p) => ({ vcpu: p.vcpu, cpus: p.cpus })),
            emulatorpin: layout.emulatorpin,
          }
        : null,
    score: result ? { nodes: result.score.nodes, distanceCost: result.score.distanceCost } : null,
    xml,
    diagnostics,
    suggestions: suggestions.map((s) => ({ text: s.text, change: changeJson(s.change), flags: s.flags })),
  };
}

function print(args: PlanArgs, result: LayoutResult | null, xml: string | null, diagnostics: Diagnostic[], suggestions: readonly PlanSuggestion[]): void {
  if (args.json) process.stdout.write(JSON.stringify(planJson(result, xml, diagnostics, suggestions), null, 2) + '\n');
  else if (!args.xml) process.stdout.write(renderPlan(result, xml, diagnostics, suggestions));
  else {
    if (xml !== null) process.stdout.write(xml.endsWith('\n') ? xml : `${xml}\n`);
    for (const d of diagnostics) if (d.severity !== 'info') process.stderr.write(`${formatDiagnostic(d)}\n`);
    for (const line of tryLines(suggestions)) process.stderr.write(`${line.trim()}\n`);
  }
}

export function plan(argv: string[]): number {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(PLAN_USAGE);
    return 0;
  }
  let args: PlanArgs;
  try {
    args = parsePlanArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`numascope plan: ${e.message}\n${PLAN_USAGE}`);
    return 2;
  }
  const pastes: Paste[] = [];
  const guests: NamedLayout[] = [];
  const diagnostics: Diagnostic[] = [];
  let from: FromRead | undefined;
  try {
    for (const file of args.hosts) pastes.push({ name: file === '-' ? 'stdin' : file, text: readText(file) });
    if (args.from !== undefined) from = readFrom(readText(args.from), args.from === '-' ? 'stdin' : args.from);
    for (const file of args.guests) {
      const read = readGuest(readText(file), file);
      diagnostics.push(...read.diagnostics);
      if (!read.guest) continue;
      // The domain being laid out again holds its old place only until it moves: not counted.
      if (from?.ok && from.name !== null && read.guest.name === from.name) continue;
      guests.push(read.guest);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`numascope plan: cannot read ${err.path ?? 'standard input'}: ${err.code ?? String(e)}\n`);
    return 2;
  }
  if (from && !from.ok) {
    print(args, null, null, from.diagnostics, []);
    return 1;
  }
  const { host } = ingest(pastes);
  const request = composeRequest(from?.ok ? requestFromDocument(from.layout) : {}, args.flags);
  if (from?.ok) diagnostics.push(...from.diagnostics, ...unsizedHugepages(from.doc, from.layout, request));
  const result: SolveResult = solve(host, request, occupancyOf(guests, host));
  const laidOut = !hasErrors(result.diagnostics) && result.layout.cells.length > 0;
  const written = !laidOut ? null : from?.ok ? relaidDocument(from.doc, from.layout, result.layout) : writeLayout(null, result.layout);
  const all = [...host.diagnostics, ...diagnostics, ...result.diagnostics, ...(written?.diagnostics ?? [])];
  const suggestions = planSuggestions(result.suggestions ?? [], args.options);
  print(args, result, written && !hasErrors(written.diagnostics) ? written.text : null, all, suggestions);
  return hasErrors(all) ? 1 : 0;
}

/** Another guest's domain XML, read by the same layer the editor uses, named by its <name>. */
export function readGuest(text: string, source: string): { guest: NamedLayout | null; diagnostics: Diagnostic[] } {
  const doc = parseDomainDocument(text, source);
  const read = readLayout(doc);
  if (!read.layout) return { guest: null, diagnostics: read.diagnostics };
  return { guest: { name: domainNameOf(doc) ?? source, layout: read.layout }, diagnostics: read.diagnostics };
}
