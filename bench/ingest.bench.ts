/**
 * Ingest benchmark: parse time of the largest corpus file and of generated 4096-PU hosts, in
 * Node and in Debian's Chromium (the budget of DESIGN.md §5 is for Chromium: < 50 ms), next to
 * hwloc's own lstopo reading the same XML. Numbers are printed, never asserted: compare runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { ingest } from '../src/core/ingest/index.ts';
import { CORPUS } from '../tests/support/corpus.ts';
import { CHROMIUM_ARGS } from './app-in-chromium.ts';
import { pct } from './stats.ts';
import { hwlocXml, lscpuExtended, SYNTHETIC_4096 } from './generate.ts';

const BUDGET_MS = 50;
const RUNS = 30;

interface Case {
  name: string;
  text: string;
  /** lstopo-no-graphics reading the same file, where hwloc is the peer. */
  peerArgs?: string[];
}

function percentiles(samples: number[]): { p50: number; p99: number } {
  return { p50: pct(samples, 50), p99: pct(samples, 99) };
}

/** Warm runs first, as a page that has parsed once would be. */
function timeInNode(text: string): number[] {
  for (let i = 0; i < 3; i++) ingest([{ name: 'bench', text }]);
  return Array.from({ length: RUNS }, () => {
    const t0 = performance.now();
    ingest([{ name: 'bench', text }]);
    return performance.now() - t0;
  });
}

async function timeInChromium(cases: Case[]): Promise<Map<string, number[]>> {
  const bundle = await build({
    entryPoints: [resolve(import.meta.dirname, '../src/core/ingest/index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'numascope',
    write: false,
    target: 'es2022',
    minify: true,
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>numascope ingest bench</title>');
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const results = new Map<string, number[]>();
    for (const c of cases) {
      const samples = await page.evaluate(
        ({ text, runs }) => {
          const api = (globalThis as unknown as { numascope: { ingest: typeof ingest } }).numascope;
          for (let i = 0; i < 3; i++) api.ingest([{ name: 'bench', text }]);
          return Array.from({ length: runs }, () => {
            const t0 = performance.now();
            api.ingest([{ name: 'bench', text }]);
            return performance.now() - t0;
          });
        },
        { text: c.text, runs: RUNS },
      );
      results.set(c.name, samples);
    }
    return results;
  } finally {
    await browser.close();
  }
}

function peerMs(args: string[], runs = 5): number {
  const samples = Array.from({ length: runs }, () => {
    const t0 = performance.now();
    execFileSync('lstopo-no-graphics', args, { stdio: ['ignore', 'ignore', 'ignore'] });
    return performance.now() - t0;
  });
  return percentiles(samples).p50;
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

const dir = mkdtempSync(join(tmpdir(), 'numascope-bench-'));
const largest = largestCorpusFile();
const xml = hwlocXml(SYNTHETIC_4096);
const xmlPath = join(dir, 'synthetic-4096.xml');
writeFileSync(xmlPath, xml);
const cases: Case[] = [
  { name: `corpus:${largest.slice(CORPUS.length + 1)}`, text: readFileSync(largest, 'utf8'), peerArgs: largest.endsWith('.xml') ? ['--input', largest, '--of', 'xml', '-'] : undefined },
  { name: 'synthetic-4096:hwloc-xml', text: xml, peerArgs: ['--input', xmlPath, '--of', 'xml', '-'] },
  { name: 'synthetic-4096:lscpu-e', text: lscpuExtended(4, 2, 256, 2) },
];

const browserTimes = await timeInChromium(cases);
for (const c of cases) {
  const pus = ingest([{ name: 'bench', text: c.text }]).host.cpus.length;
  const node = percentiles(timeInNode(c.text));
  const browser = percentiles(browserTimes.get(c.name)!);
  const peer = c.peerArgs ? ` lstopo_ms=${peerMs(c.peerArgs).toFixed(1)}` : '';
  const verdict = browser.p50 < BUDGET_MS ? 'within budget' : 'OVER BUDGET';
  console.log(
    `ingest case=${c.name} bytes=${c.text.length} pus=${pus} chromium_p50_ms=${browser.p50.toFixed(2)} chromium_p99_ms=${browser.p99.toFixed(2)} ` +
      `node_p50_ms=${node.p50.toFixed(2)} node_p99_ms=${node.p99.toFixed(2)}${peer} budget_ms=${BUDGET_MS} ${verdict}`,
  );
}
console.log('(lstopo_ms: hwloc 2.9 reading the same XML and writing it back, as a whole process; ours: in-process, warm, budget judged on Chromium p50)');
