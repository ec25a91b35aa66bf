/**
 * numascope on the command line, over the same core as the app:
 *   numascope inspect FILE… [--json]     (FILE may be - for standard input)
 *   numascope plan --host FILE … --vcpus N --memory SIZE [options] [--json]
 *   numascope plan --host FILE … --from guest.xml [options] [--json]
 *   numascope check [--host FILE …] [--guest FILE …] [FILE …] [--json]
 * Exit status: 0 = done, 1 = diagnostics with errors, 2 = usage or unreadable file.
 */
import { hasErrors } from '../core/diagnostics.ts';
import { hostToJson } from '../core/host/json.ts';
import { bundleHost } from '../core/ingest/bundle.ts';
import { check } from './check.ts';
import { mergeBundles } from './check-host.ts';
import { readInput, whyUnreadable } from './check-input.ts';
import { renderHost } from './inspect-text.ts';
import { plan } from './plan.ts';

const USAGE = `usage: numascope inspect FILE… [--json]
       numascope plan --host FILE … --vcpus N --memory SIZE [options] [--json]   (numascope plan --help)
       numascope plan --host FILE … --from guest.xml [options] [--json]
       numascope check [--host FILE …] [--guest FILE …] [FILE …] [--json]   (numascope check --help)

Reads host dumps (lscpu, lscpu -e/-p/-J, numactl -H, lspci -tv/-vvv, lstopo text or
hwloc XML, hwloc synthetic strings, virsh capabilities, virsh nodedev-dumpxml, xl info -n),
several outputs per file allowed, sosreports (.tar.xz/.tar.gz/.tar.bz2/.tar or their folder),
tarballs of /sys/devices/system and the collector's output, and prints the merged host.
FILE - reads standard input.
  --json   print the host model as JSON (packages, nodes, cpus, distances, pci, diagnostics …)
`;

const COMMANDS: Record<string, (args: string[]) => number | Promise<number>> = { inspect, plan, check };

/**
 * The exit status; undefined when the command reads archives and runs on: it sets
 * process.exitCode itself when done (bin/numascope.js assigns what main returns, synchronously).
 */
export function main(argv: string[]): number | undefined {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`numascope: unknown command '${command}'\n${USAGE}`);
    return 2;
  }
  const status = run(rest);
  if (typeof status === 'number') return status;
  status.then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`numascope ${command}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
  return undefined;
}

async function inspect(rest: string[]): Promise<number> {
  const json = rest.includes('--json');
  const unknownFlag = rest.find((a) => a.startsWith('--') && a !== '--json');
  if (unknownFlag) {
    process.stderr.write(`numascope inspect: unknown option '${unknownFlag}'\n${USAGE}`);
    return 2;
  }
  const files = rest.filter((a) => a === '-' || !a.startsWith('--'));
  if (files.length === 0) {
    process.stderr.write(`numascope inspect: name at least one file\n${USAGE}`);
    return 2;
  }
  const bundles = await Promise.all(files.map(readInput));
  const unreadable = bundles.find((b) => b.kind === 'unreadable');
  if (unreadable) {
    process.stderr.write(`numascope inspect: ${whyUnreadable(unreadable)}\n`);
    return 2;
  }
  const { host } = bundleHost(mergeBundles(bundles));
  process.stdout.write(json ? JSON.stringify(hostToJson(host), null, 2) + '\n' : renderHost(host));
  return hasErrors(host.diagnostics) ? 1 : 0;
}
