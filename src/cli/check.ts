/**
 * `numascope check`: is what runs on this host placed right? Reads the host and its guests — a
 * sosreport, a sysfs tarball, the collector's output, or host dumps and domain XML given apart —
 * with the runtime memory of their QEMU processes where the input has it, and prints the audit's
 * findings (src/core/audit): for people grouped by guest, or as JSON. A fleet of sosreports is
 * check-fleet.ts's.
 * Exit status: 0 = no warning or error finding, 1 = at least one, 2 = usage error or unreadable input.
 */
import { readFileSync } from 'node:fs';
import { hasProblems } from '../core/audit/index.ts';
import { checkFleet, fleetStatus, renderFleet } from './check-fleet.ts';
import { checkHost, checkJson, mergeBundles } from './check-host.ts';
import { fleetOf, readInput, whyUnreadable } from './check-input.ts';
import { renderCheck } from './check-text.ts';
import { givenOptions } from './plan-args.ts';

export const CHECK_USAGE = `usage: numascope check [--host FILE …] [--guest FILE …] [FILE …] [--json]

Audits a host and the guests on it: pins two guests share, guests on SMT siblings of one core,
emulator threads on vCPUs, vCPUs away from their memory, unbound memory, guests spanning nodes
without NUMA cells, nodes whose memory or hugepages the guests overcommit, passthrough devices
on other nodes, pins on absent or offline CPUs, and memory numastat shows on the wrong node.
  --host FILE    a host dump (any format 'numascope inspect' reads; - reads standard input)
  --guest FILE   a guest's domain XML (virsh dumpxml); repeat for each guest
  FILE           the host and its guests together: a sosreport (.tar.xz/.tar.gz/.tar.bz2/.tar
                 or its folder), a tarball of /sys/devices/system, or the collector's output
                 (host dumps, 'virsh dumpxml' of every domain, libvirt's QEMU pid files and
                 'numastat -c qemu'; see README "Collecting a host")
  --json         { host, guests, findings, diagnostics } for scripts
A folder of sosreports, or several archives, is a fleet: read in parallel, one line per host and
a summary (--json: an array, one object per host).
Exit status: 0 = no warning or error, 1 = at least one (on any host of a fleet), 2 = usage
error or unreadable input (any host of a fleet unreadable).
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
    } else if (option === '-' || !option.startsWith('--')) {
      // `numascope check $(ls reports)` can name more files than push(...) takes arguments.
      for (const word of words) args.files.push(word);
    } else return `unknown option '${option}'`;
  }
  if (args.hosts.length === 0 && args.files.length === 0) return 'name the host: --host FILE, or a FILE holding the host and its guests';
  return args;
}

const sourceName = (file: string) => (file === '-' ? 'stdin' : file);

export async function check(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(CHECK_USAGE);
    return 0;
  }
  const args = parseCheckArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`numascope check: ${args}\n${CHECK_USAGE}`);
    return 2;
  }
  const fleet = args.hosts.length === 0 && args.guests.length === 0 ? await fleetOf(args.files) : undefined;
  if (fleet) return checkFleetOf(args.files, fleet, args.json);
  const domains: { source: string; text: string }[] = [];
  try {
    for (const file of args.guests) domains.push({ source: sourceName(file), text: readFileSync(file === '-' ? 0 : file, 'utf8') });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`numascope check: cannot read ${err.path ?? 'standard input'}: ${err.code ?? String(e)}\n`);
    return 2;
  }
  const bundles = await Promise.all([...args.hosts, ...args.files].map(readInput));
  const unreadable = bundles.find((b) => b.kind === 'unreadable');
  if (unreadable) {
    process.stderr.write(`numascope check: ${whyUnreadable(unreadable)}\n`);
    return 2;
  }
  const checked = checkHost(mergeBundles(bundles), domains);
  if (checked.unread) {
    for (const d of checked.host.diagnostics) process.stderr.write(`${d.source}: ${d.severity}: ${d.message}\n`);
    process.stderr.write('numascope check: no host was read: give a sosreport, a sysfs tarball, the collector\'s output, or lscpu, numactl -H, lstopo, virsh capabilities … with --host FILE\n');
    return 2;
  }
  const { host, guests, findings, diagnostics } = checked;
  process.stdout.write(args.json ? JSON.stringify(checkJson(checked), null, 2) + '\n' : renderCheck(host, guests, findings, diagnostics));
  return hasProblems(findings) ? 1 : 0;
}

async function checkFleetOf(files: readonly string[], sources: readonly string[], json: boolean): Promise<number> {
  if (sources.length === 0) {
    process.stderr.write(`numascope check: ${files.join(' ')} holds no sosreport, sysfs tarball or unpacked dump\n`);
    return 2;
  }
  const hosts = await checkFleet(sources);
  process.stdout.write(json ? JSON.stringify(hosts, null, 2) + '\n' : renderFleet(hosts));
  return fleetStatus(hosts);
}
