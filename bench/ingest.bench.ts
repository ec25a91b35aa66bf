/**
 * Ingest benchmark: parse time of the largest corpus file and of generated 4096-PU hosts,
 * printed next to the budget of DESIGN.md §5 (< 50 ms) and, for hwloc XML, next to hwloc's own
 * lstopo reading the same file. Numbers are printed, never asserted: see them over time.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingest } from '../src/core/ingest/index.ts';
import { hwlocXml, lscpuExtended, SYNTHETIC_4096 } from './generate.ts';

const BUDGET_MS = 50;
const CORPUS = resolve(import.meta.dirname, '../../shared/corpus');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function time(fn: () => void, runs: number): { p50: number; p99: number } {
  for (let i = 0; i < 3; i++) fn(); // warm the JIT as a page that has parsed once would be
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

function peerMs(args: string[], runs = 5): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    execFileSync('lstopo-no-graphics', args, { stdio: ['ignore', 'ignore', 'ignore'] });
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

function largestCorpusFile(): string {
  let best = { path: '', size: 0 };
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) visit(path);
      else if (!/\.(tar\.(gz|bz2|xz)|md)$/.test(name) && st.size > best.size) best = { path, size: st.size };
    }
  };
  visit(CORPUS);
  return best.path;
}

function report(name: string, text: string, peer?: number): void {
  const { p50, p99 } = time(() => ingest([{ name, text }]), 30);
  const { host } = ingest([{ name, text }]);
  const verdict = p50 < BUDGET_MS ? 'within budget' : 'OVER BUDGET';
  const peerText = peer === undefined ? '' : ` lstopo_ms=${peer.toFixed(1)}`;
  console.log(
    `ingest case=${name} bytes=${text.length} pus=${host.cpus.length} ours_p50_ms=${p50.toFixed(2)} ours_p99_ms=${p99.toFixed(2)}${peerText} budget_ms=${BUDGET_MS} ${verdict}`,
  );
}

const largest = largestCorpusFile();
report(`corpus:${largest.slice(CORPUS.length + 1)}`, readFileSync(largest, 'utf8'), largest.endsWith('.xml') ? peerMs(['--input', largest, '--of', 'xml', '-']) : undefined);

const dir = mkdtempSync(join(tmpdir(), 'numascope-bench-'));
const xml = hwlocXml(SYNTHETIC_4096);
const xmlPath = join(dir, 'synthetic-4096.xml');
writeFileSync(xmlPath, xml);
report('synthetic-4096:hwloc-xml', xml, peerMs(['--input', xmlPath, '--of', 'xml', '-']));
report('synthetic-4096:lscpu-e', lscpuExtended(4, 2, 256, 2));
console.log('(lstopo_ms: hwloc 2.9 reading the same XML and writing it back, a whole process; our numbers are in-process Node, warm JIT, the same V8 as Chromium)');
