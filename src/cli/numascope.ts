/**
 * numascope on the command line, over the same core as the app:
 *   numascope inspect FILE… [--json]     (FILE may be - for standard input)
 *   numascope plan --host FILE … --vcpus N --memory SIZE [options] [--json]
 *   numascope plan --host FILE … --from guest.xml [options] [--json]
 *   numascope check [--host FILE …] [--guest FILE …] [FILE …] [--json]
 * Exit status: 0 = done, 1 = diagnostics with errors, 2 = usage or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { hasErrors } from '../core/diagnostics.ts';
import { hostToJson } from '../core/host/json.ts';
import { ingest, type Paste } from '../core/ingest/index.ts';
import { check } from './check.ts';
import { renderHost } from './inspect-text.ts';
import { plan } from './plan.ts';

const USAGE = `usage: numascope inspect FILE… [--json]
       numascope plan --host FILE … --vcpus N --memory SIZE [options] [--json]   (numascope plan --help)
       numascope plan --host FILE … --from guest.xml [options] [--json]
       numascope check [--host FILE …] [--guest FILE …] [FILE …] [--json]   (numascope check --help)

Reads host dumps (lscpu, lscpu -e/-p/-J, numactl -H, lspci -tv/-vvv, lstopo text or
hwloc XML, hwloc synthetic strings, virsh capabilities, virsh nodedev-dumpxml, xl info -n),
several outputs per file allowed, and prints the merged host. FILE - reads standard input.
  --json   print the host model as JSON (packages, nodes, cpus, distances, pci, diagnostics …)
`;

const COMMANDS: Record<string, (args: string[]) => number> = { inspect, plan, check };

export function main(argv: string[]): number {
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
  return run(rest);
}

function inspect(rest: string[]): number {
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
  const pastes: Paste[] = [];
  for (const file of files) {
    try {
      pastes.push({ name: file === '-' ? 'stdin' : file, text: readFileSync(file === '-' ? 0 : file, 'utf8') });
    } catch (e) {
      process.stderr.write(`numascope inspect: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 2;
    }
  }
  const { host } = ingest(pastes);
  process.stdout.write(json ? JSON.stringify(hostToJson(host), null, 2) + '\n' : renderHost(host));
  return hasErrors(host.diagnostics) ? 1 : 0;
}
