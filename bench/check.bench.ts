/**
 * Fleet benchmark: sosreports per second `numascope check` reads and audits over a folder of N
 * copies of real sosreports (made by Debian's sos with scripts/make-sosreport.sh over two corpus
 * hosts, guests defined), in its worker-thread pool and in one worker, for comparison.
 * Numbers are printed, never asserted: compare runs. BENCH_SOSREPORTS=N sets the copies (24).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { checkFleet, fleetParallelism } from '../src/cli/check-fleet.ts';
import { dumpRoot } from '../tests/support/corpus.ts';
import { writeGuests, type GuestSpec } from '../tests/ingest/host-dump-support.ts';

const SCRIPT = resolve(import.meta.dirname, '../scripts/make-sosreport.sh');
const COPIES = Number(process.env.BENCH_SOSREPORTS ?? 24);
const HOSTS: { tarball: string; guests: GuestSpec[] }[] = [
  {
    tarball: '32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2',
    guests: [
      { name: 'web', cpus: [1, 2, 3, 4], node: 0 },
      { name: 'clash', cpus: [3, 4, 5, 6], node: 0 },
    ],
  },
  { tarball: '48amd64-4pa2n6c-sparse.tar.bz2', guests: [{ name: 'batch', cpus: [18, 19, 20], node: 33 }] },
];

function makeReports(dir: string): string[] {
  return HOSTS.map((h, i) => {
    const out = join(dir, `host${i}`);
    mkdirSync(out);
    const guests = writeGuests(out, h.guests);
    return execFileSync('bash', [SCRIPT, join(out, 'report'), dumpRoot('hwloc-linux', h.tarball), ...guests], { encoding: 'utf8' }).trim();
  });
}

async function timeFleet(sources: string[], parallelism: number): Promise<number> {
  const t0 = performance.now();
  const hosts = await checkFleet(sources, parallelism);
  const seconds = (performance.now() - t0) / 1000;
  const unread = hosts.filter((h) => h.unread).length;
  if (unread > 0) throw new Error(`${unread} of the sosreports were not read`);
  return seconds;
}

async function main(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v sos']).status !== 0 || process.getuid?.() !== 0) {
    console.log('check bench skipped: needs root and sos (scripts/setup.sh installs sosreport)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'numascope-check-bench-'));
  try {
    const reports = makeReports(dir);
    const fleet = join(dir, 'fleet');
    mkdirSync(fleet);
    const sources = Array.from({ length: COPIES }, (_, i) => {
      const report = reports[i % reports.length];
      const copy = join(fleet, `${String(i).padStart(4, '0')}-${basename(report)}`);
      copyFileSync(report, copy);
      return copy;
    });
    const kib = sources.reduce((sum, s) => sum + statSync(s).size, 0) / 1024 / sources.length;
    console.log(`numascope check over ${COPIES} sosreports (${kib.toFixed(0)} KiB each, xz)`);
    await timeFleet(sources.slice(0, 2), 1); // warm: the first worker compiles the sources
    for (const parallelism of [...new Set([fleetParallelism(COPIES), 1])]) {
      const seconds = await timeFleet(sources, parallelism);
      console.log(`  ${parallelism} worker(s): ${(COPIES / seconds).toFixed(1)} sosreports/s (${seconds.toFixed(2)} s)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
