/**
 * `numascope check` over a fleet: a folder of sosreports (or several archives), each another host,
 * read and audited in parallel worker threads — a pool of availableParallelism() − 1 (at least
 * one), so a support team can run it over hundreds of hosts while the main thread only prints.
 * For people: one line per host, then a summary; `--json`: an array, one summary per host.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FINDING_KINDS } from '../core/audit/index.ts';
import type { FleetHost } from './check-fleet-host.ts';
import type { FleetAnswer, FleetJob } from './check-fleet-worker.ts';

/** How many hosts are read at once: every core but the one printing. */
export const fleetParallelism = (hosts: number) => Math.max(1, Math.min(hosts, availableParallelism() - 1));

/**
 * The worker runs the TypeScript sources as the bin does: tsx is registered in the thread first
 * (Node does not carry a thread's module hooks into the workers it starts).
 */
function startWorker(): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./check-fleet-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

/** Read and audit every host, in parallel; the answers are in the order of `sources`. */
export async function checkFleet(sources: readonly string[], parallelism = fleetParallelism(sources.length)): Promise<FleetHost[]> {
  const answers: FleetHost[] = new Array(sources.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(parallelism, sources.length) }, startWorker);
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((done, fail) => {
            const send = () => {
              if (next >= sources.length) return done();
              const job: FleetJob = { index: next, source: sources[next] };
              next++;
              worker.postMessage(job);
            };
            worker.on('message', (answer: FleetAnswer) => {
              answers[answer.index] = 'host' in answer ? answer.host : unreadHost(sources[answer.index], answer.failure);
              send();
            });
            worker.on('error', fail);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return answers;
}

function unreadHost(source: string, failure: string): FleetHost {
  return {
    source,
    hostname: source,
    kind: 'unreadable',
    unread: true,
    host: { nodes: 0, cpus: 0 },
    guests: [],
    findings: [],
    counts: { error: 0, warning: 0, info: 0 },
    kinds: {},
    diagnostics: [{ severity: 'error', source, message: `reading it failed: ${failure}` }],
  };
}

const hasProblems = (h: FleetHost) => h.counts.error + h.counts.warning > 0;

/** Exit status of a fleet: 2 when some host could not be read, else 1 when some host has a warning or error. */
export function fleetStatus(hosts: readonly FleetHost[]): number {
  if (hosts.some((h) => h.unread)) return 2;
  return hosts.some(hasProblems) ? 1 : 0;
}

function hostLine(h: FleetHost, width: number): string {
  const name = h.hostname.padEnd(width);
  if (h.unread) return `${name}  unreadable: ${h.diagnostics.find((d) => d.severity === 'error')?.message ?? 'no host read'}  (${h.source})`;
  const kinds = Object.entries(h.kinds).map(([kind, n]) => `${kind}×${n}`);
  const verdict = `${h.counts.error} error(s), ${h.counts.warning} warning(s)${kinds.length > 0 ? `: ${kinds.join(', ')}` : ''}`;
  return `${name}  ${h.host.nodes} node(s), ${h.host.cpus} CPU(s), ${h.guests.length} guest(s)  ${verdict}  (${h.source})`;
}

/** One line per host, then how many hosts have errors, warnings only, or nothing, and the kinds across the fleet. */
export function renderFleet(hosts: readonly FleetHost[]): string {
  const width = hosts.reduce((w, h) => Math.max(w, h.hostname.length), 0);
  const read = hosts.filter((h) => !h.unread);
  const withErrors = read.filter((h) => h.counts.error > 0).length;
  const withWarnings = read.filter((h) => h.counts.error === 0 && h.counts.warning > 0).length;
  const guests = read.reduce((n, h) => n + h.guests.length, 0);
  const kinds = FINDING_KINDS.flatMap((kind) => {
    const n = read.reduce((sum, h) => sum + (h.kinds[kind] ?? 0), 0);
    return n > 0 ? [`${kind}×${n}`] : [];
  });
  const unread = hosts.length - read.length;
  const summary = [
    `${hosts.length} host(s), ${guests} guest(s): ${withErrors} with errors, ${withWarnings} with warnings only, ${read.length - withErrors - withWarnings} clean${unread > 0 ? `, ${unread} unreadable` : ''}`,
    ...(kinds.length > 0 ? [`findings: ${kinds.join(', ')}`] : []),
  ];
  return [...hosts.map((h) => hostLine(h, width)), '', ...summary].join('\n') + '\n';
}
