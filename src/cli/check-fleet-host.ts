/**
 * One host of a fleet as `numascope check` reports it: read and audited (check-host.ts) in a
 * worker thread, and cut down to what a fleet line and `--json` need, so that only this small,
 * structured-clone-able summary crosses back to the main thread.
 */
import { FINDING_KINDS, type FindingKind } from '../core/audit/index.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { checkHost, checkJson, hostnameOf } from './check-host.ts';
import { readBundle } from './unpack.ts';

type CheckJson = ReturnType<typeof checkJson>;

export interface FleetHost {
  /** The archive or folder it was read from. */
  source: string;
  hostname: string;
  /** What the file was read as ('sosreport', 'sysfs', …). */
  kind: string;
  /** Nothing was read of the host: its diagnostics say why. */
  unread: boolean;
  host: { nodes: number; cpus: number };
  guests: CheckJson['guests'];
  findings: CheckJson['findings'];
  counts: { error: number; warning: number; info: number };
  /** Findings of each kind present. */
  kinds: Partial<Record<FindingKind, number>>;
  /** Warnings and errors only: a fleet's infos would drown the rest. */
  diagnostics: Diagnostic[];
}

export async function checkFleetHost(source: string): Promise<FleetHost> {
  const bundle = await readBundle(source);
  const check = checkHost(bundle);
  const json = checkJson(check);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of check.findings) counts[f.severity]++;
  const kinds: FleetHost['kinds'] = {};
  for (const kind of FINDING_KINDS) {
    const n = check.findings.filter((f) => f.kind === kind).length;
    if (n > 0) kinds[kind] = n;
  }
  return {
    source,
    hostname: hostnameOf(check.host, bundle),
    kind: bundle.kind,
    unread: check.unread,
    host: { nodes: check.host.nodes.length, cpus: check.host.cpus.length },
    guests: json.guests,
    findings: json.findings,
    counts,
    kinds,
    diagnostics: check.diagnostics.filter((d) => d.severity !== 'info'),
  };
}
