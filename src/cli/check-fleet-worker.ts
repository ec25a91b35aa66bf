/**
 * A fleet worker thread (check-fleet.ts starts it): reads and audits the hosts it is sent, one
 * at a time, and answers each one's summary. Nothing it reads throws (readBundle never does);
 * an unexpected failure is answered as the message, so one bad host never stops the fleet.
 */
import { parentPort } from 'node:worker_threads';
import { checkFleetHost } from './check-fleet-host.ts';

export interface FleetJob {
  index: number;
  source: string;
}

export type FleetAnswer = { index: number; host: Awaited<ReturnType<typeof checkFleetHost>> } | { index: number; failure: string };

parentPort?.on('message', (job: FleetJob) => {
  checkFleetHost(job.source).then(
    (host) => parentPort?.postMessage({ index: job.index, host } satisfies FleetAnswer),
    (e: unknown) => parentPort?.postMessage({ index: job.index, failure: e instanceof Error ? e.message : String(e) } satisfies FleetAnswer),
  );
});
