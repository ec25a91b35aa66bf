/**
 * The production build of the app, served on loopback and opened in Debian's Chromium, for the
 * browser benchmarks. `run` gets the page once the app has its host, and everything is torn
 * down afterwards, the preview server included.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');
/** Debian's Chromium, headless in a container: no sandbox, no GPU, none of its own network chatter. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function withAppInChromium(port: number, run: (page: Page) => Promise<void>): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'numascope-bench-'));
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = spawn('npx', ['vite', 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // The preview server needs a moment to listen.
    for (let i = 0; ; i++) {
      try {
        await page.goto(`http://127.0.0.1:${port}/`);
        break;
      } catch (err) {
        if (i > 50) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await page.waitForFunction(() => (window as unknown as { numascope?: { getState(): { host: unknown } } }).numascope?.getState().host != null);
    await run(page);
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

/** A Chromium trace event, as much of it as the benchmarks read. */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: what this page made the thread do, whatever else the machine ran. */
  tdur?: number;
  args: { name?: string; data?: { functionName?: string; url?: string; type?: string } };
}

/** Runs fn under a Chromium trace of these categories and returns its events. */
export async function traced(page: Page, categories: string, fn: () => Promise<void>): Promise<TraceEvent[]> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
  await fn();
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  return events;
}
