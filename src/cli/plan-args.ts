/**
 * The command line of `numascope plan`, read into what the flags say: files to read, the output
 * chosen, and the request fields the person gave. Fields left out are not filled here: the
 * partition core's defaults (DEFAULT_REQUEST, pinningOf, reserveOf) and, with --from, the domain
 * document supply them. The words are kept as options too, so that a refusal's suggestion can be
 * printed as the same command line with only the changed flags replaced (plan-suggest.ts).
 */
import { parseIdList } from '../core/cpuset.ts';
import { canonicalBdf } from '../core/ingest/text.ts';
import {
  DEVICE_POLICIES,
  DISTRIBUTIONS,
  PARTITION_MODES,
  PINNINGS,
  RESERVE_KEYWORDS,
  THREAD_POLICIES,
  type DeviceRequest,
  type PartitionRequest,
} from '../core/partition/request.ts';
import { libvirtUnitToKiB } from '../core/units.ts';

export class UsageError extends Error {}

/** Options that take no value; every other option takes one (`--vcpus 8` or `--vcpus=8`). */
const SWITCHES = ['--json', '--xml'] as const;

/** `--hugepages none`, `--device none`: no hugepages, no devices, whatever the --from document says. */
export const NONE = 'none';

/** One option as given: its name, its value, and the words it took (for reprinting the command line). */
export interface GivenOption {
  option: string;
  value?: string;
  words: string[];
}

export interface PlanArgs {
  hosts: string[];
  guests: string[];
  /** The domain XML to lay out again (--from), when given. */
  from?: string;
  json: boolean;
  xml: boolean;
  /** The request fields the flags set; `devices` only when a --device was given. */
  flags: Partial<PartitionRequest>;
  /** The options in the order given. */
  options: GivenOption[];
}

/** The words of a command line, option by option; a word that is no option is an option of its own (refused later). */
export function givenOptions(argv: readonly string[]): GivenOption[] {
  const out: GivenOption[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) out.push({ option: arg.slice(0, eq), value: arg.slice(eq + 1), words: [arg] });
    else if (!arg.startsWith('--') || (SWITCHES as readonly string[]).includes(arg) || i + 1 >= argv.length) out.push({ option: arg, words: [arg] });
    else out.push({ option: arg, value: argv[i + 1], words: [arg, argv[++i]] });
  }
  return out;
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')}, not '${value}'`);
}

function wholeNumber(option: string, value: string, least: number): number {
  if (!/^\d+$/.test(value) || Number(value) < least) throw new UsageError(`${option} needs a whole number${least > 0 ? ' above 0' : ''}, not '${value}'`);
  return Number(value);
}

/** libvirt's scaled units, KiB when none is given (as in <memory>): 32GiB, 32G, 32768MiB … */
export function sizeToKiB(option: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(value.trim());
  const kib = m ? libvirtUnitToKiB(Number(m[1]), m[2] || 'KiB') : undefined;
  if (kib === undefined || kib <= 0) throw new UsageError(`${option} needs a size such as 32GiB, 32G, 32768MiB or 8388608KiB, not '${value}'`);
  return kib;
}

/** A comma-separated list, one item per cell: `1,2` or `1GiB,3GiB`. */
function perCell<T>(option: string, value: string, item: (text: string) => T): T[] {
  if (value.trim() === '') throw new UsageError(`${option} needs one value per guest cell, separated by commas, such as ${option === '--cell-vcpus' ? '1,2' : '1GiB,3GiB'}`);
  return value.split(',').map((text) => item(text.trim()));
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
  if (!bdf) throw new UsageError(`--device needs a PCI address such as 0000:3b:00.0, optionally ${DEVICE_POLICIES.map((p) => `:${p}`).join(' or ')}, or '${NONE}', not '${value}'`);
  return { bdf, policy: policy as DeviceRequest['policy'] };
}

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

/** Explicit cell sizes agree with each other and with --vcpus, --memory and --cells, and fill in the totals left out. */
function settleCellSizes(f: Partial<PartitionRequest>): void {
  if (f.cellMemoryKiB && !f.cellVcpus) throw new UsageError('--cell-memory needs --cell-vcpus: give the vCPUs of each cell too');
  if (!f.cellVcpus) return;
  const cells = f.cellVcpus.length;
  if (f.cellMemoryKiB && f.cellMemoryKiB.length !== cells) throw new UsageError(`--cell-memory gives ${f.cellMemoryKiB.length} size(s) for the ${cells} cell(s) of --cell-vcpus`);
  if (f.cells !== undefined && f.cells !== cells) throw new UsageError(`--cells ${f.cells} and the ${cells} cell(s) of --cell-vcpus disagree`);
  const vcpus = sum(f.cellVcpus);
  if (f.vcpus !== undefined && f.vcpus !== vcpus) throw new UsageError(`--cell-vcpus adds up to ${vcpus} vCPUs, not the ${f.vcpus} of --vcpus`);
  f.vcpus = vcpus;
  if (!f.cellMemoryKiB) return;
  const kib = sum(f.cellMemoryKiB);
  if (f.memoryKiB !== undefined && f.memoryKiB !== kib) throw new UsageError(`--cell-memory adds up to ${kib} KiB, not the ${f.memoryKiB} KiB of --memory`);
  f.memoryKiB = kib;
}

export function parsePlanArgs(argv: readonly string[]): PlanArgs {
  const options = givenOptions(argv);
  const args: PlanArgs = { hosts: [], guests: [], json: false, xml: false, flags: {}, options };
  const f = args.flags;
  for (const { option, value: given, words } of options) {
    if (option === '--json' || option === '--xml') {
      args[option === '--json' ? 'json' : 'xml'] = true;
      continue;
    }
    if (!option.startsWith('--')) throw new UsageError(`unexpected argument '${words[0]}' (hosts are given with --host FILE)`);
    const value = (): string => {
      if (given === undefined) throw new UsageError(`${option} needs a value`);
      return given;
    };
    switch (option) {
      case '--host': args.hosts.push(value()); break;
      case '--guest': args.guests.push(value()); break;
      case '--from': {
        if (args.from !== undefined) throw new UsageError('--from names the one domain to lay out again; give it once');
        args.from = value();
        break;
      }
      case '--vcpus': f.vcpus = wholeNumber(option, value(), 1); break;
      case '--memory': f.memoryKiB = sizeToKiB(option, value()); break;
      case '--mode': f.mode = oneOf(option, value(), PARTITION_MODES); break;
      case '--distribution': f.distribution = oneOf(option, value(), DISTRIBUTIONS); break;
      case '--nodeset': {
        const v = value();
        idList(option, v);
        f.nodeset = v;
        break;
      }
      case '--cells': f.cells = wholeNumber(option, value(), 1); break;
      case '--cell-vcpus': f.cellVcpus = perCell(option, value(), (v) => wholeNumber(option, v, 1)); break;
      case '--cell-memory': f.cellMemoryKiB = perCell(option, value(), (v) => sizeToKiB(option, v)); break;
      case '--pinning': f.pinning = oneOf(option, value(), PINNINGS); break;
      case '--reserve': {
        const v = value();
        f.reserve = RESERVE_KEYWORDS.find((k) => k === v) ?? idList(option, v);
        break;
      }
      case '--thread-policy': f.threadPolicy = oneOf(option, value(), THREAD_POLICIES); break;
      case '--hugepages': {
        const v = value();
        f.hugepageSizeKiB = v === NONE ? undefined : sizeToKiB(option, v);
        break;
      }
      case '--tier-memory': f.tierMemoryKiB = sizeToKiB(option, value()); break;
      case '--iothreads': {
        const n = wholeNumber(option, value(), 0);
        f.iothreads = n === 0 ? undefined : n;
        break;
      }
      case '--device': {
        const v = value();
        f.devices = v === NONE ? [] : [...(f.devices ?? []), device(v)];
        break;
      }
      default:
        throw new UsageError(`unknown option '${option}'`);
    }
  }
  if (args.hosts.length === 0) throw new UsageError('name the host with --host FILE');
  if (args.json && args.xml) throw new UsageError('--json and --xml each choose the output; give one');
  settleCellSizes(f);
  return args;
}
