/**
 * Drag → XML latency in Debian's Chromium (DESIGN.md §5: "drag → XML text updated in the editor
 * within one frame"; issue 5: "diagram, XML and affinity map reflect it within one frame"), on
 * the production build: the talk host's golden guest, then a person's drag with the real mouse —
 * vCPU 5's chip pressed, moved onto CPU 33 on node 2 (or back onto CPU 76 on node 1), held there
 * until the cost hint has the core's answer, released. Timed from the pointerup to the end of the
 * first frame after which all three show it: the editor's own DOM has the new pin, the host
 * view's vCPU 5 chip sits on the new PU, and the affinity map's row 5 names the new cell; and
 * counted in frames, where 1 means the first frame the page draws after the drop shows it.
 * Printed, never asserted.
 *
 * The machine is shared, so wall-clock time also measures whoever else is busy. Every drop is
 * traced as well: the renderer main thread's own CPU time (trace `tdur`, thread clock) between
 * the drop and the frame that shows it is the work a drop costs the page — less the
 * benchmark's own checks, timed in the page — split into the longest task there (the frame that
 * draws the drop) and the rest (mostly the pointerup's own task); the workers' CPU time is what
 * runs beside it. Views that follow a frame later (the other renderings of the XML, the problems,
 * the guest panel's handles, the history) are measured too: the main thread's CPU in the three
 * frames after the drop is shown, and its longest task there, which must fit a frame as well;
 * so must the longest of the main thread's tasks while the pointer drags (the moves' frames, the
 * hint, the draft's answer). The verdict is DESIGN.md §5's: the drop shown in the first frame, every
 * frame's work within 16.7 ms at p95. The release's own task and the frame after it together
 * (main_thread_cpu) are reported beside it: over 16.7 ms, the frame that shows the drop is late
 * by up to a frame. `--profile` also prints where the main thread's time went.
 */
import type { Page } from '@playwright/test';
import { traced, withAppInChromium, type TraceEvent } from './app-in-chromium.ts';
import { pct } from './stats.ts';

/** Its own port unless told (PW_PORT), so two engineers' benchmarks and test runs cannot collide. */
const PORT = Number(process.env.PW_PORT ?? 4389);
const RUNS = 40;
const WARMUP = 5;
const FRAME_MS = 16.7;
const PROFILE = process.argv.includes('--profile');

type Win = {
  numascopeWorkspace: { getState(): { guests: { id: string }[]; autoLayout(id: string): Promise<boolean>; settled(): Promise<void> } };
};


const fmt = (n: number) => n.toFixed(1);


interface Drop {
  wallMs: number;
  mainCpuMs: number;
  /** The longest main-thread task between the drop and the frame that shows it: that frame. */
  frameCpuMs: number;
  workerCpuMs: number;
  /** Main-thread CPU from the frame that showed the drop until three frames later, and its longest task. */
  followCpuMs: number;
  followLongestMs: number;
  /** The main thread's longest task while the pointer drags (press to release): a move's frame, the hint, the draft's answer. */
  dragLongestMs: number;
  /** Main-thread CPU by the kind of the top-level piece of work (profile only). */
  breakdown: Map<string, number>;
}

/** Per drop (between the page's drop-start-i and drop-shown-i marks): CPU on the main thread and in workers. */
function perDrop(events: TraceEvent[], runs: number, checkMs: number[]): Drop[] {
  const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain');
  if (!main) throw new Error('no renderer main thread in the trace');
  const workers = new Set(events.filter((e) => e.name === 'thread_name' && e.pid === main.pid && e.args.name === 'DedicatedWorker thread').map((e) => e.tid));
  const tasks = (tid: (t: number) => boolean) =>
    events.filter((e) => e.pid === main.pid && tid(e.tid) && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'));
  const mainTasks = tasks((t) => t === main.tid);
  const workerTasks = tasks((t) => workers.has(t));
  const detail = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask');
  const mark = (name: string) => events.find((e) => e.name === name && e.cat.includes('user_timing'))?.ts;
  const cpu = (e: TraceEvent) => (e.tdur ?? e.dur ?? 0) / 1000;
  const out: Drop[] = [];
  for (let i = 0; i < runs; i++) {
    const pressed = mark(`drag-start-${i}`);
    const start = mark(`drop-start-${i}`);
    const end = mark(`drop-shown-${i}`);
    const settled = mark(`drop-settled-${i}`);
    if (pressed === undefined || start === undefined || end === undefined || settled === undefined) continue;
    // A task counts when it starts inside the window: the one holding the start mark runs the drop itself.
    const inside = (e: TraceEvent) => e.ts + (e.dur ?? 0) > start && e.ts <= end;
    const after = mainTasks.filter((e) => e.ts > end && e.ts <= settled);
    const breakdown = new Map<string, number>();
    if (PROFILE) {
      for (const task of mainTasks.filter(inside)) {
        // the outermost named piece of work inside the task
        const children = detail.filter((d) => d.ts >= task.ts && d.ts + (d.dur ?? 0) <= task.ts + (task.dur ?? 0));
        const top = children.filter((c) => !children.some((p) => p !== c && p.ts <= c.ts && p.ts + (p.dur ?? 0) >= c.ts + (c.dur ?? 0) && (p.dur ?? 0) > (c.dur ?? 0)));
        for (const c of top) {
          const data = c.args.data;
          const key = data?.functionName ? `${c.name} ${data.functionName}` : data?.type ? `${c.name} ${data.type}` : c.name;
          breakdown.set(key, (breakdown.get(key) ?? 0) + cpu(c));
        }
      }
    }
    out.push({
      wallMs: (end - start) / 1000,
      mainCpuMs: mainTasks.filter(inside).reduce((s, e) => s + cpu(e), 0) - checkMs[i],
      frameCpuMs: Math.max(0, ...mainTasks.filter(inside).map(cpu)),
      workerCpuMs: workerTasks.filter(inside).reduce((s, e) => s + cpu(e), 0),
      followCpuMs: after.reduce((s, e) => s + cpu(e), 0),
      followLongestMs: Math.max(0, ...after.map(cpu)),
      dragLongestMs: Math.max(0, ...mainTasks.filter((e) => e.ts >= pressed && e.ts < start).map(cpu)),
      breakdown,
    });
  }
  return out;
}

type Point = { x: number; y: number };

/** Where the mouse presses on an element: its centre, in viewport pixels. */
async function centreOf(page: Page, selector: string): Promise<Point> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not drawn`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

await withAppInChromium(PORT, async (page) => {
  await page.waitForFunction(() => ((window as unknown as Win).numascopeWorkspace?.getState().guests.length ?? 0) > 0);
  await page.evaluate(async () => {
    const ws = (window as unknown as Win).numascopeWorkspace.getState();
    await ws.autoLayout(ws.guests[0].id);
    await (window as unknown as Win).numascopeWorkspace.getState().settled();
  });
  await page.locator('[data-testid="xml-editor-monaco"][data-ready="true"]').waitFor();
  // A string, not a function: tsx's name-keeping helper would not exist in the page.
  await page.evaluate(`(() => {
    // Read after a frame has rendered, when layout is clean: the checks cost no layout of their own.
    const shows = (thread, cell) => {
      const text = document.querySelector('[data-testid="xml-editor"] .view-lines')?.textContent ?? '';
      if (!text.includes("cpuset='" + thread + "'/>")) return false;
      const chip = document.getElementById('vCPU_0_5')?.getBoundingClientRect();
      const pu = document.getElementById('PU_' + thread)?.getBoundingClientRect();
      if (!chip || !pu || chip.left < pu.left - 0.5 || chip.right > pu.right + 0.5) return false;
      const row = document.querySelectorAll('[data-testid="affinity-0"] [data-testid="aff-row"]')[5];
      return row?.querySelector('[role=cell]')?.textContent === String(cell);
    };
    // Armed before each release: the drop starts at the pointerup (this listener runs before the
    // app's), then every frame is checked once its rendering is done; what the checks cost is not the drop's.
    window.benchArm = (i, thread, cell) => {
      window.benchDrop = new Promise((resolve) => {
        window.addEventListener('pointerup', () => {
          performance.mark('drop-start-' + i);
          const t0 = performance.now();
          let checking = 0;
          let frames = 0;
          const next = () => requestAnimationFrame(() => {
            frames++;
            setTimeout(() => {
              const c0 = performance.now();
              const ok = shows(thread, cell);
              checking += performance.now() - c0;
              if (!ok) return next();
              performance.mark('drop-shown-' + i);
              resolve({ ms: performance.now() - t0, frames, checking });
            }, 0);
          });
          next();
        }, { capture: true, once: true });
      });
    };
  })()`);
  const wall: number[] = [];
  const frames: number[] = [];
  const checkMs: number[] = [];
  const events = await traced(page, 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing', async () => {
    for (let i = 0; i < RUNS; i++) {
      const thread = i % 2 === 0 ? 33 : 76;
      const cell = i % 2 === 0 ? 2 : 1;
      // a person's drag: press on vCPU 5's chip, move onto the PU, wait for the cost hint, release
      const from = await centreOf(page, '#vCPU_0_5');
      const to = await centreOf(page, `#PU_${thread}`);
      await page.mouse.move(from.x, from.y);
      await page.evaluate(`performance.mark('drag-start-${i}')`);
      await page.mouse.down();
      await page.mouse.move(from.x + 10, from.y + 10, { steps: 3 });
      await page.mouse.move(to.x, to.y, { steps: 6 });
      await page.locator('[data-testid="drop-hint"][data-state="ok"]').waitFor();
      await page.evaluate(`window.benchArm(${i}, ${thread}, ${cell})`);
      await page.mouse.up();
      const shown = (await page.evaluate('window.benchDrop')) as { ms: number; frames: number; checking: number };
      wall.push(shown.ms);
      frames.push(shown.frames);
      checkMs.push(shown.checking);
      await page.evaluate(`(async () => {
        await window.numascopeWorkspace.getState().settled();
        for (let f = 0; f < 3; f++) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        performance.mark('drop-settled-${i}');
        // the next drag starts on a quiet frame
        await new Promise((r) => setTimeout(r, 30));
      })()`);
    }
  });
  const drops = perDrop(events, RUNS, checkMs).slice(WARMUP);
  const warmWall = wall.slice(WARMUP);
  const warmFrames = frames.slice(WARMUP);
  const main = drops.map((d) => d.mainCpuMs);
  const frame = drops.map((d) => d.frameCpuMs);
  const workers = drops.map((d) => d.workerCpuMs);
  const follow = drops.map((d) => d.followCpuMs);
  const longest = drops.map((d) => d.followLongestMs);
  const dragLongest = drops.map((d) => d.dragLongestMs);
  const firstFrame = warmFrames.every((f) => f === 1);
  // DESIGN.md §5: the drop shown in the first frame, and every frame (its longest task) within 16.7 ms at p95.
  const framesFit = pct(frame, 95) <= FRAME_MS && pct(longest, 95) <= FRAME_MS && pct(dragLongest, 95) <= FRAME_MS;
  const releaseFits = pct(main, 95) <= FRAME_MS;
  console.log(
    `editing case=talk-golden-drag-vcpu runs=${warmWall.length} drop_to_shown_wall_p50_ms=${fmt(pct(warmWall, 50))} p95_ms=${fmt(pct(warmWall, 95))} ` +
      `frames_to_shown_p50=${pct(warmFrames, 50)} max=${Math.max(...warmFrames)} ` +
      `main_thread_cpu_p50_ms=${fmt(pct(main, 50))} p95_ms=${fmt(pct(main, 95))} of_which_frame_p50_ms=${fmt(pct(frame, 50))} p95_ms=${fmt(pct(frame, 95))} ` +
      `worker_cpu_p50_ms=${fmt(pct(workers, 50))} ` +
      `following_frames_cpu_p50_ms=${fmt(pct(follow, 50))} longest_task_p95_ms=${fmt(pct(longest, 95))} ` +
      `drag_longest_task_p50_ms=${fmt(pct(dragLongest, 50))} p95_ms=${fmt(pct(dragLongest, 95))} ` +
      `budget_ms=${FRAME_MS} ${firstFrame ? 'shown in the first frame' : 'NOT ALWAYS SHOWN IN THE FIRST FRAME'}, ` +
      `${framesFit ? 'frames within budget' : 'FRAMES OVER BUDGET'}, ` +
      `release-to-frame main thread ${releaseFits ? 'within one frame' : 'over one frame'}`,
  );
  if (PROFILE) {
    const sums = new Map<string, number>();
    for (const d of drops) for (const [k, v] of d.breakdown) sums.set(k, (sums.get(k) ?? 0) + v / drops.length);
    for (const [k, v] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  main thread, mean per drop: ${fmt(v).padStart(6)} ms  ${k}`);
  }
});
