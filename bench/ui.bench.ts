/**
 * Drawing benchmark in Debian's Chromium (DESIGN.md §5: first draw < 300 ms, pan/zoom/hover at
 * 60 fps, p95 frame < 16.7 ms), on the production build: first draw of the host view for the
 * talk host, the largest corpus hosts, a 384-PU EPYC and a 32-socket 1792-PU host (folded as the
 * view needs, bench/hosts.ts) and the 4096-PU synthetic host (folded, then every PU drawn), then
 * frame intervals while the pointer pans, zooms and hovers. Printed, never asserted.
 * `elements` counts the drawing's SVG elements, `canvas` the leaves painted on its canvas tiles.
 *
 * The machine is shared: wall-clock intervals also measure whoever else is busy. So each action is
 * traced as well, and the renderer main thread's own CPU time (trace `tdur`, thread clock) is
 * summed per frame — the work this page makes Chromium do, whatever the load around it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CORPUS } from '../tests/support/corpus.ts';
import { traced, withAppInChromium, type TraceEvent } from './app-in-chromium.ts';
import { pct } from './stats.ts';
import { hwlocXml, SYNTHETIC_4096 } from './generate.ts';
import { DRAWING_HOSTS } from './hosts.ts';

/** Its own port unless told (PW_PORT), so two engineers' benchmarks and test runs cannot collide. */
const PORT = Number(process.env.PW_PORT ?? 4388);
const REPEAT = 5;

interface Case {
  name: string;
  pastes: { name: string; text: string }[];
  expandAll?: boolean;
}

const cases: Case[] = [
  { name: 'talk host (120 PUs)', pastes: ['talk-e7-8895v2.lscpu.txt', 'talk-e7-8895v2.numactl-H.txt'].map((f) => ({ name: f, text: readFileSync(join(CORPUS, 'pasted', f), 'utf8') })) },
  { name: '192em64t-24n8c2t (384 PUs, 24 nodes)', pastes: [{ name: 'x', text: readFileSync(join(CORPUS, 'hwloc-xml', '192em64t-24n8c2t.xml'), 'utf8') }] },
  { name: '256ppc-8n8s4t (256 PUs)', pastes: [{ name: 'x', text: readFileSync(join(CORPUS, 'hwloc-linux', '256ppc-8n8s4t.lstopo.xml'), 'utf8') }] },
  ...DRAWING_HOSTS.filter((h) => h.id === 'epyc-2s-nps4' || h.id === 'superdome-32s').map((h) => ({ name: `${h.what} (folded)`, pastes: [{ name: h.id, text: h.paste }] })),
  { name: `4096 PUs folded (${SYNTHETIC_4096})`, pastes: [{ name: 'x', text: hwlocXml(SYNTHETIC_4096) }] },
  { name: '4096 PUs, every PU drawn', pastes: [{ name: 'x', text: hwlocXml(SYNTHETIC_4096) }], expandAll: true },
];

const fmt = (n: number) => n.toFixed(1).padStart(7);

type Win = { numascope: { getState(): Record<string, unknown> & { host: unknown; status: string; replacePastes(p: unknown): void }; setState(s: unknown): void } };

async function loadHost(page: Page, c: Case): Promise<void> {
  await page.evaluate((p) => (window as unknown as Win).numascope.getState().replacePastes(p), c.pastes);
  await page.waitForFunction(() => {
    const s = (window as unknown as Win).numascope.getState();
    return s.status === 'ready' && s.host !== null;
  });
  await page.waitForTimeout(200);
}

/**
 * From handing the store a host to the frame that shows it (two animation frames later), with
 * what it drew: SVG elements, and the leaves painted on the canvas on large hosts.
 */
async function firstDraw(page: Page, expandAll: boolean): Promise<{ ms: number; elements: number; painted: number }> {
  return page.evaluate(async (expand) => {
    const store = (window as unknown as Win).numascope;
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    const view = (window as unknown as { numascopeHostView: { drawn(): { canvas: string[] } | null } }).numascopeHostView;
    const host = store.getState().host;
    store.setState({ host: null });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const t0 = performance.now();
    store.setState({ host });
    if (expand) {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const button = document.querySelector<HTMLButtonElement>('[data-testid=expand-all]');
      const t1 = performance.now();
      button?.click();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return { ms: performance.now() - t1, elements: document.querySelectorAll('svg.topo *').length, painted: view.drawn()?.canvas.length ?? 0 };
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { ms: performance.now() - t0, elements: document.querySelectorAll('svg.topo *').length, painted: view.drawn()?.canvas.length ?? 0 };
  }, expandAll);
}


/** Runs fn under a trace; returns the renderer main thread's CPU ms per frame, and in all. */
async function mainThreadCpu(page: Page, fn: () => Promise<void>): Promise<{ perFrame: number[]; total: number }> {
  const events = await traced(page, 'devtools.timeline,disabled-by-default-devtools.timeline', fn);
  const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain');
  if (!main) return { perFrame: [], total: NaN };
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask').sort((a, b) => a.ts - b.ts);
  // One animation frame callback runs per frame (the benchmark's own rAF loop): frame boundaries.
  const frames = onMain.filter((e) => e.name === 'FireAnimationFrame').map((e) => e.ts).sort((a, b) => a - b);
  const cpu = (e: TraceEvent) => (e.tdur ?? e.dur ?? 0) / 1000;
  const perFrame: number[] = [];
  let t = 0;
  for (let i = 0; i < frames.length; i++) {
    const end = frames[i + 1] ?? Infinity;
    let sum = 0;
    for (; t < tasks.length && tasks[t].ts < end; t++) if (tasks[t].ts >= frames[i]) sum += cpu(tasks[t]);
    perFrame.push(sum);
  }
  return { perFrame, total: tasks.reduce((s, e) => s + cpu(e), 0) };
}

type Action = 'pan' | 'zoom' | 'hover' | 'pan 7×';
const ACTIONS: readonly Action[] = ['pan', 'zoom', 'hover', 'pan 7×'];

/**
 * Frame intervals (rAF to rAF) while Playwright drives the pointer over the view: at fit, a
 * circling pan, a wheel zoom in and out, a hover sweep; then, zoomed in 7.5× (keys), a long
 * straight pan that keeps bringing new parts of the drawing into view.
 */
async function frames(page: Page, action: Action): Promise<{ intervals: number[]; cpu: number[] }> {
  const box = await page.getByTestId('host-view').boundingBox();
  if (!box) return { intervals: [], cpu: [] };
  // A string, not a function: tsx would wrap a named arrow in a helper the page does not have.
  await page.evaluate(`(() => {
    window.frameLog = [];
    window.frameStop = false;
    const tick = (t) => { window.frameLog.push(t); if (!window.frameStop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const steps = 120;
  if (action === 'pan 7×') {
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 9; i++) await page.keyboard.press('+');
    await page.waitForTimeout(500);
  }
  const traced = await mainThreadCpu(page, async () => {
  if (action === 'pan') {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 0; i < steps; i++) await page.mouse.move(cx + Math.sin(i / 10) * 200, cy + Math.cos(i / 10) * 120);
    await page.mouse.up();
  } else if (action === 'pan 7×') {
    await page.mouse.down();
    for (let i = 0; i < steps; i++) await page.mouse.move(cx - i * 12, cy - i * 6);
    await page.mouse.up();
  } else if (action === 'zoom') {
    await page.mouse.move(cx, cy);
    for (let i = 0; i < steps; i++) await page.mouse.wheel(0, i < steps / 2 ? -40 : 40);
  } else {
    for (let i = 0; i < steps; i++) await page.mouse.move(box.x + 20 + ((i * 37) % (box.width - 40)), box.y + 20 + ((i * 53) % (box.height - 40)));
  }
  });
  const log = await page.evaluate(() => {
    const w = window as unknown as { frameLog: number[]; frameStop: boolean };
    w.frameStop = true;
    return w.frameLog;
  });
  return { intervals: log.slice(1).map((t, i) => t - log[i]), cpu: traced.perFrame };
}

await withAppInChromium(PORT, async (page) => {
  console.log('Host view in Chromium (budget: first draw < 300 ms; frames p95 < 16.7 ms)\n');
  console.log(`${'host'.padEnd(44)} ${'draw p50'.padStart(8)} ${'max'.padStart(7)}  elements canvas   ${ACTIONS.map((a) => `${a} p50/p95/p99`.padStart(22)).join('')}`);
  for (const c of cases) {
    await loadHost(page, c);
    const draws: number[] = [];
    let elements = 0;
    let painted = 0;
    const drawCpu: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      let d = { ms: 0, elements: 0, painted: 0 };
      const traced = await mainThreadCpu(page, async () => {
        d = await firstDraw(page, c.expandAll === true);
      });
      draws.push(d.ms);
      drawCpu.push(traced.total);
      elements = d.elements;
      painted = d.painted;
    }
    await page.getByTestId('fit').click();
    const cols: string[] = [];
    const cpuCols: string[] = [];
    for (const action of ACTIONS) {
      const f = await frames(page, action);
      cols.push(`${fmt(pct(f.intervals, 50))}/${fmt(pct(f.intervals, 95)).trim()}/${fmt(pct(f.intervals, 99)).trim()}`.padStart(22));
      cpuCols.push(`${fmt(pct(f.cpu, 50))}/${fmt(pct(f.cpu, 95)).trim()}/${fmt(pct(f.cpu, 99)).trim()}`.padStart(22));
    }
    console.log(`${c.name.padEnd(44)} ${fmt(pct(draws, 50))} ${fmt(Math.max(...draws))}  ${String(elements).padStart(8)} ${String(painted).padStart(6)}   ${cols.join('')}`);
    console.log(`${'  main-thread CPU ms (draw; per frame)'.padEnd(44)} ${fmt(pct(drawCpu, 50))} ${fmt(Math.max(...drawCpu))}  ${''.padStart(15)}   ${cpuCols.join('')}`);
  }
});
