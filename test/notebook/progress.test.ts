import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Progress, tsneProgressCallback, withProgress } from '../../lib/notebook/progress';
import { TsneProgress } from '../../lib/embed/tsne';

function recorder(): { progress: Progress; updates: { fraction: number; detail: string }[] } {
  const updates: { fraction: number; detail: string }[] = [];
  const update = (done: number, total: number, detail = ''): void => {
    updates.push({ fraction: done / total, detail });
  };
  return { progress: { update, finish: () => undefined, callback: update, stop: () => undefined }, updates };
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
