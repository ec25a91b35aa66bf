/**
 * `numascope plan`: lay a guest out on a host from the command line, over the same partition
 * core as the app. Reads host dumps (any format inspect reads) and, optionally, other guests'
 * domain XML for what they already hold; prints the layout and its domain XML, just the XML
 * (--xml), or a stable JSON contract (--json).
 */
import { readFileSync } from 'node:fs';
import { formatIdList, parseIdList } from '../core/cpuset.ts';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import { domainNameOf, parseDomainDocument, readLayout, writeLayout } from '../core/domain-xml/index.ts';
import type { LayoutResult } from '../core/guest/model.ts';
import { ingest, type Paste } from '../core/ingest/index.ts';
import { canonicalBdf } from '../core/ingest/text.ts';
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
  type DeviceRequest,
  type PartitionRequest,
} from '../core/partition/request.ts';
import { formatKiB, libvirtUnitToKiB } from '../core/units.ts';
import { table } from './inspect-text.ts';

const PLAN_USAGE = `usage: numascope plan --host FILE [--host FILE …] --vcpus N --memory SIZE [options]

Lays a guest out on the host described by the dumps (any format 'numascope inspect' reads;
- reads standard input) and prints the layout: guest topology, cells, vCPU pins, emulator
pin, score, why these nodes, diagnostics, and the libvirt domain XML for it.
  --vcpus N                 guest vCPUs (default ${DEFAULT_REQUEST.vcpus})
  --memory SIZE             guest memory: 32GiB, 32G, 32768MiB, 8388608KiB (default 32GiB)
  --mode ${PARTITION_MODES.join('|')}          host: one cell per chosen node, 1:1 pins; node: one cell on the node(s)
  --distribution ${DISTRIBUTIONS.join('|')}
  --nodeset LIST            host nodes allowed, libvirt syntax ("0-3,^2"); default: the core chooses
  --cells N                 guest NUMA cells (default: nodes chosen in mode host, 1 in mode node)
  --pinning ${PINNINGS.join('|')}  one host thread per vCPU, or float over the cell's node(s)
                            (default 1:1 in mode host, node-float in mode node)
  --reserve ${RESERVE_KEYWORDS.join('|')}|LIST   host CPUs kept for the host (default first-core)
  --thread-policy ${THREAD_POLICIES.join('|')}
  --hugepages SIZE          back memory with hugepages of this size (2M, 1G)
  --tier-memory SIZE        put this much of the memory on memory-only nodes (CXL, HBM) as CPU-less cells
  --device BDF[${DEVICE_POLICIES.map((p) => `:${p}`).join('|')}]   a PCI device the guest must (or should) sit next to
  --guest FILE              another guest's domain XML: the CPUs its <vcpupin>s take and the
                            memory its cells bind are not given again; repeat for each guest
  --xml                     print only the domain XML (nothing when no layout fits)
  --json                    print { layout, score, xml, diagnostics } as JSON; "xml" is the
                            domain XML text, null when no layout fits
Exit status: 0 = laid out, 1 = diagnostics with errors (e.g. no layout fits), 2 = usage or
unreadable file.
`;

class UsageError extends Error {}

interface PlanArgs {
  hosts: string[];
  guests: string[];
  json: boolean;
  xml: boolean;
  request: PartitionRequest;
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')}, not '${value}'`);
}

function positiveInt(option: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${option} needs a whole number above 0, not '${value}'`);
  return Number(value);
}

/** libvirt's scaled units, KiB when none is given (as in <memory>): 32GiB, 32G, 32768MiB … */
export function sizeToKiB(option: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(value.trim());
  const kib = m ? libvirtUnitToKiB(Number(m[1]), m[2] || 'KiB') : undefined;
  if (kib === undefined || kib <= 0) throw new UsageError(`${option} needs a size such as 32GiB, 32G, 32768MiB or 8388608KiB, not '${value}'`);
  return kib;
}

function idList(option: string, value: string): number[] {
  const list = parseIdList(value);
  if (!list.ok) throw new UsageError(`${option}: ${list.error}`);
  return list.ids;
}

function device(value: string): DeviceRequest {
  const [, address, policy = 'required'] = new RegExp(`^(.*?)(?::(${DEVICE_POLICIES.join('|')}))?$`).exec(value) ?? [];
  // The same reading of an address as the host's lspci and sysfs dumps get, so the two match.
  const bdf = canonicalBdf(address ?? '');
  if (!bdf) throw new UsageError(`--device needs a PCI address such as 0000:3b:00.0, optionally ${DEVICE_POLICIES.map((p) => `:${p}`).join(' or ')}, not '${value}'`);
  return { bdf, policy: policy as DeviceRequest['policy'] };
}

export function parsePlanArgs(argv: string[]): PlanArgs {
  const args: PlanArgs = { hosts: [], guests: [], json: false, xml: false, request: { ...DEFAULT_REQUEST, devices: [] } };
  const r = args.request;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const option = eq > 0 ? arg.slice(0, eq) : arg;
    if (option === '--json' || option === '--xml') {
      args[option === '--json' ? 'json' : 'xml'] = true;
      continue;
    }
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${option} needs a value`);
      return next;
    };
    switch (option) {
      case '--host': args.hosts.push(value()); break;
      case '--guest': args.guests.push(value()); break;
      case '--vcpus': r.vcpus = positiveInt(option, value()); break;
      case '--memory': r.memoryKiB = sizeToKiB(option, value()); break;
      case '--mode': r.mode = oneOf(option, value(), PARTITION_MODES); break;
      case '--distribution': r.distribution = oneOf(option, value(), DISTRIBUTIONS); break;
      case '--nodeset': {
        const v = value();
        idList(option, v);
        r.nodeset = v;
        break;
      }
      case '--cells': r.cells = positiveInt(option, value()); break;
      case '--pinning': r.pinning = oneOf(option, value(), PINNINGS); break;
      case '--reserve': {
        const v = value();
        r.reserve = RESERVE_KEYWORDS.find((k) => k === v) ?? idList(option, v);
        break;
      }
      case '--thread-policy': r.threadPolicy = oneOf(option, value(), THREAD_POLICIES); break;
      case '--hugepages': r.hugepageSizeKiB = sizeToKiB(option, value()); break;
      case '--tier-memory': r.tierMemoryKiB = sizeToKiB(option, value()); break;
      case '--device': r.devices.push(device(value())); break;
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option '${arg}'` : `unexpected argument '${arg}' (hosts are given with --host FILE)`);
    }
  }
  if (args.hosts.length === 0) throw new UsageError('name the host with --host FILE');
  if (args.json && args.xml) throw new UsageError('--json and --xml each choose the output; give one');
  return args;
}

function readText(file: string): string {
  return readFileSync(file === '-' ? 0 : file, 'utf8');
}

/** The JSON contract of `plan --json`: only these keys, in this order. */
export function planJson(result: LayoutResult, xml: string | null, diagnostics: Diagnostic[]) {
  const { layout, score } = result;
  const t = layout.topology;
  return {
    layout: {
      vcpus: layout.vcpus,
      topology: { sockets: t.sockets, dies: t.dies, clusters: t.clusters, cores: t.cores, threads: t.threads },
      cells: layout.cells.map((c) => ({ id: c.id, vcpus: c.vcpus, memoryKiB: c.memoryKiB, hostNodes: c.hostNodes, memoryMode: c.memoryMode })),
      pins: layout.pins.map((p) => ({ vcpu: p.vcpu, cpus: p.cpus })),
      emulatorpin: layout.emulatorpin,
    },
    score: { nodes: score.nodes, distanceCost: score.distanceCost },
    xml,
    diagnostics,
  };
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

function renderPlan(result: LayoutResult, xml: string | null, diagnostics: Diagnostic[]): string {
  const { layout, score } = result;
  const t = layout.topology;
  const out: string[] = [];
  if (layout.cells.length > 0 || layout.pins.length > 0) {
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
  if (result.explanation.length > 0) out.push('', 'Why', ...result.explanation.map((s) => `  ${s}`));
  if (diagnostics.length > 0) out.push('', 'Diagnostics', ...diagnostics.map((d) => `  ${formatDiagnostic(d)}`));
  if (xml !== null) out.push('', 'Domain XML', xml.trimEnd());
  return out.join('\n') + '\n';
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
  try {
    for (const file of args.hosts) pastes.push({ name: file === '-' ? 'stdin' : file, text: readText(file) });
    for (const file of args.guests) {
      const read = readGuest(readText(file), file);
      diagnostics.push(...read.diagnostics);
      if (read.guest) guests.push(read.guest);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`numascope plan: cannot read ${err.path ?? 'standard input'}: ${err.code ?? String(e)}\n`);
    return 2;
  }
  const { host } = ingest(pastes);
  const result = solve(host, args.request, occupancyOf(guests, host));
  const written = hasErrors(result.diagnostics) || result.layout.cells.length === 0 ? null : writeLayout(null, result.layout);
  const all = [...host.diagnostics, ...diagnostics, ...result.diagnostics, ...(written?.diagnostics ?? [])];
  const xml = written?.text ?? null;
  if (args.xml) {
    if (xml !== null) process.stdout.write(xml.endsWith('\n') ? xml : `${xml}\n`);
    for (const d of all) if (d.severity !== 'info') process.stderr.write(`${formatDiagnostic(d)}\n`);
  } else process.stdout.write(args.json ? JSON.stringify(planJson(result, xml, all), null, 2) + '\n' : renderPlan(result, xml, all));
  return hasErrors(all) ? 1 : 0;
}

/** Another guest's domain XML, read by the same layer the editor uses, named by its <name>. */
export function readGuest(text: string, source: string): { guest: NamedLayout | null; diagnostics: Diagnostic[] } {
  const doc = parseDomainDocument(text, source);
  const read = readLayout(doc);
  if (!read.layout) return { guest: null, diagnostics: read.diagnostics };
  return { guest: { name: domainNameOf(doc) ?? source, layout: read.layout }, diagnostics: read.diagnostics };
}
