/**
 * Hostile-input benchmark: one line per class of tests/hostile/fixtures.ts, the time ingest()
 * takes on it and the peak memory of doing so (`class=numactl-repeat-1600 ms=… peak_mb=…`).
 * Each class runs in a process of its own, so its peak is its own: the peak resident set
 * (getrusage's maxrss) minus what the process held before the ingest. Printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ingest } from '../src/core/ingest/index.ts';
import { HOSTILE } from '../tests/hostile/fixtures.ts';

/** A class past this is a hang, reported as such rather than waited for. */
const HANG_MS = 120_000;

function measure(name: string): void {
  const c = HOSTILE.find((h) => h.name === name);
  if (!c) throw new Error(`no hostile class '${name}'`);
  const text = c.text();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const { host } = ingest([{ name, text }]);
  const ms = performance.now() - t0;
  const peakMb = (process.resourceUsage().maxRSS * 1024 - rssBefore) / 2 ** 20;
  const input = (text.length / 2 ** 20).toFixed(2);
  console.log(`class=${name} input_mb=${input} ms=${ms.toFixed(0)} peak_mb=${Math.max(0, peakMb).toFixed(0)} diagnostics=${host.diagnostics.length}`);
}

function main(): void {
  const one = process.argv[2];
  if (one) return measure(one);
  const self = fileURLToPath(import.meta.url);
  for (const c of HOSTILE) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, c.name], { encoding: 'utf8', timeout: HANG_MS, maxBuffer: 16 << 20 });
    if (r.error) console.log(`class=${c.name} ms=hang(>${HANG_MS}) peak_mb=?`);
    else if (r.status !== 0) console.log(`class=${c.name} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    else process.stdout.write(r.stdout);
  }
}

main();
