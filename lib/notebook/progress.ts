/**
 * Progress for long steps (Gower matrix, linkage, t-SNE phases, the k-means sweep).
 *
 * In a notebook the bar is one output that is updated in place (a Jupyter display id, as tslab's
 * `newDisplay` does), so live JupyterLab shows it moving and a headless run keeps only its final
 * state: no hundreds of lines. The bar shows from the moment the step starts. Outside a kernel
 * (plain Node) it prints a line at start, every 25% and at the end. Updates are throttled to a few
 * per second.
 *
 * The clock ticks each second from the start: every call (`update`, `callback`, `tick`) redraws it
 * once a second even when the share done has not moved, and a timer redraws it while the event loop
 * is free (an awaited step). A synchronous step blocks the timer, so it must call back now and then
 * (the worker pool's `onWait` comes every 250 ms: pass it `progress.tick`). When the user interrupts
 * the cell, the patched tslab (scripts/patch-tslab.js) emits INTERRUPT_EVENT on `process` and every
 * running bar ends "interrupted" where it stood; it changes no other output of the cell.
 */
import { randomUUID } from 'node:crypto';
import { getHeapStatistics } from 'node:v8';
import { currentOutputTarget, displayBundle } from './display';
import { TsneProgress } from '../embed/tsne';
import { noteStepTime } from './run-record';
import { collectGarbage } from '../parallel/collect';

/** A progress display for one step. */
export interface Progress {
  /** Report `done` of `total` units, with an optional detail such as "KL 1.23". */
  update(done: number, total: number, detail?: string): void;
  /** Mark the step finished; the final line keeps the elapsed time. */
  finish(detail?: string): void;
  /** `update` as a plain callback, for `onProgress` options. */
  callback: (done: number, total: number) => void;
  /** Mark the step stopped before it finished (it threw); the bar keeps how far it got. */
  stop(): void;
  /** Redraw the clock (at most once a second) with nothing new done: for a long wait (the pool's `onWait`). */
  tick(): void;
}

/** The event the patched tslab emits on `process` when the user interrupts a cell (scripts/patch-tslab.js). */
export const INTERRUPT_EVENT = 'spotify-clusters:interrupted';

/** How often the clock is redrawn, in milliseconds. */
const CLOCK_MS = 1000;
/** How much sooner than a second after the last drawing a tick of the clock still redraws it. */
const CLOCK_SLACK_MS = 100;

/** The bars started and not yet ended, told when the cell is interrupted. */
const running = new Set<() => void>();

function onInterrupt(): void {
  for (const interrupt of [...running]) interrupt();
}

/** How a progress bar draws and keeps time; the defaults serve notebooks, the others are for tests. */
export interface ProgressOptions {
  /** Least time between two redraws for `update`, in milliseconds (default 250). */
  intervalMs?: number;
  /** The clock in milliseconds (default Date.now). */
  now?: () => number;
  /** Where the bar goes (default displayBundle: the notebook, or the console outside a kernel). */
  display?: typeof displayBundle;
  /** Which cell outputs go to now (default currentOutputTarget); when it changes, the clock stops. */
  outputTarget?: () => unknown;
  /** Calls `callback` every `ms` until the returned function is called (default: an unref'd setInterval). */
  every?: (callback: () => void, ms: number) => () => void;
}

function every(callback: () => void, ms: number): () => void {
  const timer = setInterval(callback, ms);
  timer.unref?.(); // never keeps Node alive
  return () => clearInterval(timer);
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(fraction * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/**
 * Start a progress display for a step.
 * @example
 * const progress = startProgress('Gower matrix');
 * gowerMatrix(df, { onProgress: progress.callback });
 * progress.finish();
 */
export function startProgress(step: string, options: ProgressOptions = {}): Progress {
  const interval = options.intervalMs ?? 250;
  const now = options.now ?? Date.now;
  const display = options.display ?? displayBundle;
  const currentTarget = options.outputTarget ?? currentOutputTarget;
  const started = now();
  const id = `progress-${randomUUID()}`;
  let shown = false;
  let last = 0;
  let lastQuarter = -1;
  let inKernel: boolean | null = null;
  let ended = false;

  const render = (fraction: number, detail: string, final: boolean, ending = ' · done'): void => {
    if (ended) return; // an ended bar keeps its last state (a step still running after an interrupt)
    if (final) end();
    last = now();
    const seconds = ((last - started) / 1000).toFixed(1);
    const percent = Math.floor(fraction * 100);
    const tail = `${percent}% · ${seconds} s${detail ? ` · ${detail}` : ''}${final ? ending : ''}`;
    const text = `${step} ${bar(fraction)} ${tail}`;
    const html = `<div style="font-family:monospace;font-size:12px">${step} <progress value="${fraction.toFixed(4)}" max="1" style="width:200px;vertical-align:middle"></progress> ${tail}</div>`;
    if (inKernel === false) {
      const quarter = Math.floor(fraction * 4);
      if (final || quarter > lastQuarter) {
        lastQuarter = quarter;
        console.log(text);
      }
      return;
    }
    let where: 'jupyter' | 'console';
    try {
      where = display({ 'text/html': html, 'text/plain': text }, { displayId: id, update: shown, silent: true });
    } catch {
      return; // a progress display never stops the computation it reports on; the next update tries again
    }
    if (where === 'console') {
      inKernel = false;
      lastQuarter = Math.floor(fraction * 4);
      console.log(text);
      return;
    }
    inKernel = true;
    shown = true;
  };

  let lastFraction = 0;
  let lastDetail = '';
  const update = (done: number, total: number, detail = ''): void => {
    lastFraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
    lastDetail = detail;
    if (shown && now() - last < interval && lastFraction < 1) return;
    render(lastFraction, detail, false);
  };
  // a tick redraws unless something drew in the last 0.9 s: the timer's ticks drift against the
  // drawing times by a millisecond or so, and a strict second would skip every other tick then
  const tick = (): void => {
    if (now() - last >= CLOCK_MS - CLOCK_SLACK_MS) render(lastFraction, lastDetail, false);
  };
  const interrupted = (): void => render(lastFraction, lastDetail, true, ' · interrupted');
  // the clock of an awaited step: the timer runs only while the event loop is free;
  // a bar left running when its cell ended (never finished) stops there instead of ticking on
  const target = currentTarget();
  const stopClock = (options.every ?? every)(() => (currentTarget() === target ? tick() : end()), CLOCK_MS);
  if (running.size === 0) process.on(INTERRUPT_EVENT, onInterrupt);
  running.add(interrupted);
  function end(): void {
    ended = true;
    stopClock();
    running.delete(interrupted);
    if (running.size === 0) process.off(INTERRUPT_EVENT, onInterrupt);
  }
  // shown at once, so a step whose first report comes late (a big allocation first) is visible from its start
  render(0, '', false);
  return {
    update,
    finish: (detail?: string) => render(1, detail ?? lastDetail, true),
    callback: (done: number, total: number) => update(done, total),
    stop: () => render(lastFraction, lastDetail, true, ' · stopped'),
    tick,
  };
}

/**
 * Run one long step under a progress bar: the bar starts before the step, `step` receives it (pass
 * `progress.callback`, or `progress` to {@link tsneProgressCallback}), and the bar is finished when the
 * step returns (after its promise settles, for an async step), with `summary(result)` as its last
 * detail. A step that throws leaves its bar marked "stopped" and the error goes on to the caller.
 * @example
 * const gower = withProgress('Gower matrix', (p) => gowerMatrix(metric, { onProgress: p.callback }),
 *   (matrix) => `${matrix.size} tracks`);
 */
export function withProgress<T>(title: string, step: (progress: Progress) => T, summary?: (result: T) => string): T {
  const began = Date.now(); // the step's seconds go to the run in progress (run-record.ts)
  const progress = startProgress(title);
  const stopped = (error: unknown): never => {
    progress.stop();
    throw error;
  };
  let result: T;
  try {
    result = step(progress);
  } catch (error) {
    return stopped(error);
  }
  if (result instanceof Promise) {
    return result.then((value: Awaited<T>) => {
      progress.finish(summary?.(value as T));
      noteStepTime(title, (Date.now() - began) / 1000);
      collectAfterStep();
      return value;
    }, stopped) as T;
  }
  progress.finish(summary?.(result));
  noteStepTime(title, (Date.now() - began) / 1000);
  collectAfterStep();
  return result;
}

/**
 * After a long step, its garbage (working copies of a Gower matrix, a block's neighbour lists: typed
 * arrays on SharedArrayBuffers, which V8 does not count) is collected at once when this thread holds
 * more than 256 MB, instead of piling up under the next step's arrays.
 */
function collectAfterStep(): void {
  // V8's external memory leaves out SharedArrayBuffers (the pool's arrays): arrayBuffers counts them.
  const heap = getHeapStatistics();
  if (heap.used_heap_size + heap.external_memory + process.memoryUsage().arrayBuffers < 256 * 2 ** 20) return;
  collectGarbage();
}

/** Shares of the progress bar: the neighbour search, the affinities, then the iterations. */
const TSNE_BAR = { neighbours: [0, 0.1], affinities: [0.1, 0.15], optimisation: [0.15, 1] } as const;

/**
 * An `onProgress` for `tsne` that moves a progress bar from the first second: the neighbour search
 * (pairs scanned) and the affinities (rows) fill the first 15%, the iterations the rest, with the
 * phase, the iteration and the last KL divergence.
 * @example tsne(gower, { onProgress: tsneProgressCallback(startProgress('t-SNE')) })
 */
export function tsneProgressCallback(progress: Progress): (report: TsneProgress) => void {
  let kl = '';
  return (report) => {
    if (report.kl !== undefined) kl = ` · KL ${report.kl.toFixed(3)}`;
    if (report.phase === 'neighbours' || report.phase === 'affinities') {
      const [from, to] = TSNE_BAR[report.phase];
      const share = report.total ? (report.done ?? 0) / report.total : 0;
      const what = report.phase === 'neighbours' ? 'nearest neighbours' : 'affinities';
      progress.update(from + (to - from) * share, 1, `${what} ${Math.floor(100 * share)}%`);
      return;
    }
    const [from, to] = TSNE_BAR.optimisation;
    const share = report.iterations ? report.iteration / report.iterations : 0;
    progress.update(
      from + (to - from) * share,
      1,
      `${report.phase} · iteration ${report.iteration} of ${report.iterations}${kl}`,
    );
  };
}
