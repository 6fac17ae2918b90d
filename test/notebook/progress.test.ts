import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  INTERRUPT_EVENT,
  Progress,
  startProgress,
  tsneProgressCallback,
  withProgress,
} from '../../lib/notebook/progress';
import { TsneProgress } from '../../lib/embed/tsne';

function recorder(): { progress: Progress; updates: { fraction: number; detail: string }[] } {
  const updates: { fraction: number; detail: string }[] = [];
  const update = (done: number, total: number, detail = ''): void => {
    updates.push({ fraction: done / total, detail });
  };
  return {
    progress: { update, finish: () => undefined, callback: update, stop: () => undefined, tick: () => undefined },
    updates,
  };
}

test('t-SNE progress moves the bar from the start: neighbours to 10%, affinities to 15%, iterations to 100%', () => {
  const { progress, updates } = recorder();
  const report = tsneProgressCallback(progress);
  const reports: TsneProgress[] = [
    { phase: 'neighbours', iteration: 0, iterations: 1000, done: 0, total: 4950 },
    { phase: 'neighbours', iteration: 0, iterations: 1000, done: 4950, total: 4950 },
    { phase: 'affinities', iteration: 0, iterations: 1000, done: 50, total: 100 },
    { phase: 'exaggeration', iteration: 1, iterations: 1000 },
    { phase: 'exaggeration', iteration: 50, iterations: 1000, kl: 3.14159 },
    { phase: 'exaggeration', iteration: 51, iterations: 1000 },
    { phase: 'embedding', iteration: 1000, iterations: 1000, kl: 1.2 },
  ];
  reports.forEach(report);
  assert.deepEqual(
    updates.map((u) => Number(u.fraction.toFixed(6))),
    [0, 0.1, 0.125, 0.15085, 0.1925, 0.19335, 1],
  );
  assert.deepEqual(
    updates.map((u) => u.detail),
    [
      'nearest neighbours 0%',
      'nearest neighbours 100%',
      'affinities 50%',
      'exaggeration · iteration 1 of 1000',
      'exaggeration · iteration 50 of 1000 · KL 3.142',
      'exaggeration · iteration 51 of 1000 · KL 3.142',
      'embedding · iteration 1000 of 1000 · KL 1.200',
    ],
  );
});

/** The lines a step prints outside a kernel (plain Node prints the bar's start, quarters and end). */
async function printed<T>(run: () => T): Promise<{ lines: string[]; result: Awaited<T> }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(' '));
  try {
    return { lines, result: await run() };
  } finally {
    console.log = original;
  }
}

test('withProgress starts the bar before the step, returns its result and ends the bar with the summary', async () => {
  const { lines, result } = await printed(() =>
    withProgress(
      'Squares',
      (progress) => {
        progress.callback(1, 2);
        return [1, 4];
      },
      (squares) => `${squares.length} squares`,
    ),
  );
  assert.deepEqual(result, [1, 4]);
  assert.match(lines[0], /^Squares ░+ 0% · /);
  assert.match(lines.at(-1) ?? '', /^Squares █+ 100% · [\d.]+ s · 2 squares · done$/);
});

test('withProgress waits for an async step before it ends the bar', async () => {
  const { lines, result } = await printed(() =>
    withProgress('Waiting', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'ready';
    }),
  );
  assert.equal(result, 'ready');
  assert.match(lines.at(-1) ?? '', /· done$/);
});

test('a step that throws leaves its bar marked stopped at how far it got, and the error reaches the caller', async () => {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(' '));
  try {
    assert.throws(
      () =>
        withProgress('Failing', (progress) => {
          progress.update(1, 2);
          throw new Error('no tracks');
        }),
      /no tracks/,
    );
    await assert.rejects(
      withProgress('Failing later', async () => {
        throw new Error('gone');
      }),
      /gone/,
    );
  } finally {
    console.log = original;
  }
  assert.match(
    lines.find((line) => line.startsWith('Failing ') && line.endsWith('stopped')) ?? '',
    /50% · [\d.]+ s · stopped$/,
  );
  assert.ok(lines.some((line) => line.startsWith('Failing later') && line.endsWith('· stopped')));
  assert.ok(!lines.some((line) => line.endsWith('· done')));
});

/** A bar drawn into a list, as a kernel shows it, on a clock the test moves by hand. */
function drawnBar(step: string, options: { target?: () => unknown } = {}) {
  const drawn: string[] = [];
  let time = 1_000_000;
  const timers = new Set<() => void>();
  const progress = startProgress(step, {
    every: (callback, ms) => {
      assert.equal(ms, 1000);
      timers.add(callback);
      return () => timers.delete(callback);
    },
    now: () => time,
    display: (bundle) => {
      drawn.push(String(bundle['text/plain']));
      return 'jupyter';
    },
    outputTarget: options.target,
  });
  return {
    progress,
    drawn,
    at: (ms: number) => {
      time = 1_000_000 + ms;
    },
    /** The timer fires (once a second while the event loop is free). */
    second: () => [...timers].forEach((callback) => callback()),
    timers,
  };
}

test('the clock ticks each second while the share done stands still: tick and update both redraw it', () => {
  const { progress, drawn, at } = drawnBar('Sweep');
  assert.deepEqual(drawn, ['Sweep ░░░░░░░░░░░░░░░░░░░░░░░░ 0% · 0.0 s']);
  at(600);
  progress.tick(); // under a second since the last drawing: nothing
  assert.equal(drawn.length, 1);
  at(1000);
  progress.tick();
  at(1500);
  progress.tick();
  at(2000);
  progress.tick();
  at(2100);
  progress.update(0, 13); // under 250 ms since the last drawing: nothing
  at(3000);
  progress.update(0, 13, 'k = 2'); // the same share, a second later: the clock moves
  assert.deepEqual(
    drawn.map((line) => line.replace(/^Sweep [░█]+ /, '')),
    ['0% · 0.0 s', '0% · 1.0 s', '0% · 2.0 s', '0% · 3.0 s · k = 2'],
  );
  at(3400);
  progress.tick(); // keeps the detail of the last update
  at(4000);
  progress.tick();
  progress.finish();
  at(5000);
  progress.tick(); // a finished bar keeps its last state
  progress.update(5, 13);
  assert.deepEqual(
    drawn.slice(4).map((line) => line.replace(/^Sweep [░█]+ /, '')),
    ['0% · 4.0 s · k = 2', '100% · 4.0 s · k = 2 · done'],
  );
});

test('a timer ticks the clock of an awaited step each second, and stops when the bar ends', () => {
  const { progress, drawn, at, second, timers } = drawnBar('Waiting');
  for (const ms of [1000, 2000, 3000]) {
    at(ms);
    second();
  }
  progress.finish('ready');
  assert.equal(timers.size, 0);
  assert.deepEqual(
    drawn.map((line) => line.replace(/^Waiting [░█]+ /, '')),
    ['0% · 0.0 s', '0% · 1.0 s', '0% · 2.0 s', '0% · 3.0 s', '100% · 3.0 s · ready · done'],
  );
});

test('a timer that fires a little under a second after the last drawing still moves the clock (no tick skipped)', () => {
  const { drawn, at, second } = drawnBar('Waiting');
  // the interval's ticks drift against the drawing times: 1000.9 ms, then 999.4 ms after the last drawing
  for (const ms of [1000.9, 2000.3, 3000.1, 3999.8]) {
    at(ms);
    second();
  }
  assert.deepEqual(
    drawn.map((line) => line.replace(/^Waiting [░█]+ /, '')),
    ['0% · 0.0 s', '0% · 1.0 s', '0% · 2.0 s', '0% · 3.0 s', '0% · 4.0 s'],
  );
});

test("a bar whose cell has ended without finishing it stops ticking instead of redrawing another cell's output", () => {
  let cell = 'cell 7';
  const { progress, drawn, at, second, timers } = drawnBar('Left running', { target: () => cell });
  at(1000);
  second();
  cell = 'cell 8';
  at(2000);
  second();
  assert.equal(timers.size, 0);
  progress.update(1, 2);
  assert.equal(drawn.length, 2);
});

test('an interrupt ends every running bar "interrupted" where it stood, and no other bar', () => {
  const finished = drawnBar('Finished');
  finished.progress.finish();
  const running = drawnBar('Tree');
  const other = drawnBar('Stability');
  running.at(2500);
  running.progress.update(1, 4, 'merging');
  other.at(2500);
  process.emit(INTERRUPT_EVENT as 'SIGINT', 'SIGINT');
  assert.equal(running.drawn.at(-1), 'Tree ██████░░░░░░░░░░░░░░░░░░ 25% · 2.5 s · merging · interrupted');
  assert.equal(other.drawn.at(-1), 'Stability ░░░░░░░░░░░░░░░░░░░░░░░░ 0% · 2.5 s · interrupted');
  assert.equal(finished.drawn.length, 2);
  // the step may still run on (an awaited one): its bar stays as it was interrupted
  running.at(4000);
  running.progress.update(3, 4);
  running.progress.finish();
  assert.match(running.drawn.at(-1) ?? '', /interrupted$/);
  assert.equal(process.listenerCount(INTERRUPT_EVENT), 0, 'no listener is left once no bar runs');
});
