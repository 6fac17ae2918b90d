/**
 * Notebook 05's helpers (lib/notebook/runs-report.ts): the runs table, the figures of merit against
 * the parameter that changed, the choice of the two runs to compare (and its refusals), and the
 * comparison itself: the ARI over the tracks both runs clustered, and which clusters became which.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storeTracks } from '../../lib/data/db';
import { readRuns, storeRun } from '../../lib/data/runs';
import type { Run } from '../../lib/data/runs';
import { adjustedRandIndex } from '../../lib/cluster/evaluate/adjusted-rand';
import { ParameterError } from '../../lib/notebook/parameters';
import {
  changedParameters,
  compareRuns,
  meritsPlot,
  meritTrend,
  pickRunPair,
  runsTable,
} from '../../lib/notebook/runs-report';
import { freshPath, idsOf, tracks } from '../data/db-fixtures';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 6, 9, 0, seconds));

/** A run as readRuns returns it. */
function run(
  id: number,
  notebook: string,
  parameters: Record<string, unknown>,
  merits: Record<string, number | null>,
  tracks = 0,
): Run {
  return {
    id,
    notebook,
    started: at(id),
    finished: at(id + 10),
    seconds: 10,
    parameters: { DB_PATH: '/db.duckdb', RUNS_KEPT: 20, ...parameters },
    input: { path: '/data/SpotifyFeatures.csv', size: 2048, hash: 'c0ffee'.padEnd(64, '0') },
    projectVersion: 'commit 0123456789ab',
    merits,
    stepSeconds: { 'Gower matrix': 1.25 },
    clustering: tracks > 0 ? (notebook === '02' ? 'k-medoids' : 'k-means') : null,
    clusterNames: null,
    tracks,
  };
}

const runs: Run[] = [
  run(1, '01', { SPOTIFY_CSV: '/data/SpotifyFeatures.csv', POPULARITY_MIN: 10 }, { 'tracks stored': 900 }),
  run(2, '03', { SAMPLE_SIZE: 300, SEED: 42, K: 12 }, { K: 12, inertia: 100, knee: 5 }, 300),
  run(3, '03', { SAMPLE_SIZE: 300, SEED: 42, K: 4 }, { K: 4, inertia: 300, knee: 5 }, 300),
  run(
    4,
    '02',
    { SAMPLE_SIZE: 300, SEED: 42, GOWER_WEIGHTS: {} },
    { 'k-medoids · k': 3, 'average linkage · k': 2 },
    300,
  ),
  run(5, '03', { SAMPLE_SIZE: 300, SEED: 42, K: 8, RUNS_KEPT: 5 }, { K: 8, inertia: 200, knee: null }, 300),
  run(6, '04', { TRACK_QUERY: '' }, { 'nearest distance': 0.01 }),
];

test('the runs table lists the newest first, with parameters (paths left out), figures of merit, steps, input and version', () => {
  const rows = runsTable(runs);
  assert.deepEqual(
    rows.map((row) => row.run),
    [6, 5, 4, 3, 2, 1],
  );
  assert.deepEqual(rows[1], {
    run: 5,
    notebook: '03',
    started: '2026-12-06 09:00:05 UTC',
    seconds: 10,
    parameters: 'RUNS_KEPT = 5; SAMPLE_SIZE = 300; SEED = 42; K = 8',
    'figures of merit': 'K 8; inertia 200; knee –',
    'long steps (s)': 'Gower matrix: 1.3',
    clustering: 'k-means, 300 tracks',
    input: 'SpotifyFeatures.csv (2,048 bytes, sha256 c0ffee000000)',
    version: 'commit 0123456789ab',
  });
  assert.equal(rows[2].parameters, 'RUNS_KEPT = 20; SAMPLE_SIZE = 300; SEED = 42; GOWER_WEIGHTS = every feature 1');
  assert.equal(
    rows[5].parameters,
    'RUNS_KEPT = 20; POPULARITY_MIN = 10',
    'no SPOTIFY_CSV: the input column names the file',
  );
});

test('the parameter that changed: K among the runs of notebook 03, not DB_PATH or RUNS_KEPT', () => {
  const of03 = runs.filter((r) => r.notebook === '03');
  assert.deepEqual(changedParameters(of03), ['K']);
  assert.deepEqual(changedParameters([of03[0]]), []);
  assert.deepEqual(changedParameters([...of03, run(7, '03', { SAMPLE_SIZE: 300, SEED: 7, K: 8 }, {}, 300)]), [
    'SEED',
    'K',
  ]);
});

test('the figures of merit against K: sorted by K, K itself left out, the seconds added', () => {
  const trend = meritTrend(runs, '03');
  assert.deepEqual(trend, {
    notebook: '03',
    parameter: 'K',
    changed: ['K'],
    runs: [3, 5, 2],
    x: [4, 8, 12],
    merits: { inertia: [300, 200, 100], knee: [5, null, 5], seconds: [10, 10, 10] },
  });
  // several parameters changed: against the runs' ids, in order
  const several = meritTrend(
    [...runs, run(7, '03', { SAMPLE_SIZE: 300, SEED: 7, K: 3 }, { K: 3, inertia: 1 }, 300)],
    '03',
  );
  assert.equal(several.parameter, 'run');
  assert.deepEqual(several.x, [2, 3, 5, 7]);
  assert.deepEqual(several.changed, ['SEED', 'K']);
  assert.deepEqual(several.merits.K, [12, 4, 8, 3]);
  // a text parameter is shown as the parameters cell prints it
  const weights = meritTrend(
    [run(1, '02', { GOWER_WEIGHTS: {} }, { s: 1 }), run(2, '02', { GOWER_WEIGHTS: { key: 0.5 } }, { s: 2 })],
    '02',
  );
  assert.deepEqual(weights.x, ['every feature 1', '{"key":0.5}']);
});

test('the plot: one titled panel per figure of merit, axes titled, one line per method with a legend for notebook 02', () => {
  const figure = meritsPlot(meritTrend(runs, '03'));
  const layout = figure.layout as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(layout.title.text, "Figures of merit of notebook 03's 3 runs against K (K changed)");
  assert.deepEqual(
    layout.annotations.map((a: { text: string }) => a.text),
    ['<b>inertia</b>', '<b>knee</b>', '<b>seconds</b>'],
  );
  assert.deepEqual([layout.grid.rows, layout.grid.columns], [1, 3]);
  for (const axis of ['xaxis', 'xaxis2', 'xaxis3']) assert.equal(layout[axis].title.text, 'K');
  assert.equal(figure.data.length, 3);
  assert.deepEqual(figure.data[0].x, [4, 8, 12]);
  assert.deepEqual(figure.data[0].customdata, [3, 5, 2], 'hover names the run');
  assert.deepEqual(layout.xaxis.tickvals, [4, 8, 12], 'a tick at each K, none between');
  assert.equal(layout.showlegend, false, 'one line per panel: no legend needed');

  const of02 = meritsPlot(
    meritTrend(
      [
        run(1, '02', { N_CLUSTERS: 3 }, { 'k-medoids · k': 3, 'average linkage · k': 3, 'k-medoids · NMI': 0.4 }),
        run(2, '02', { N_CLUSTERS: 5 }, { 'k-medoids · k': 5, 'average linkage · k': 5, 'k-medoids · NMI': 0.5 }),
      ],
      '02',
    ),
  );
  const layout02 = of02.layout as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(
    layout02.annotations.map((a: { text: string }) => a.text),
    ['<b>k</b>', '<b>NMI</b>', '<b>seconds</b>'],
  );
  assert.equal(layout02.showlegend, true);
  assert.deepEqual(
    of02.data.filter((trace) => trace.showlegend).map((trace) => trace.name),
    ['k-medoids', 'average linkage'],
    'each method once in the legend',
  );
  const colour = (trace: unknown) => (trace as { marker: { color: string } }).marker.color;
  assert.equal(colour(of02.data[0]), colour(of02.data[2]), 'a method keeps its colour in every panel');
});

test('the two runs compared: by default the last with a clustering and the run of its notebook before it, or those chosen', () => {
  const pair = (a: number, b: number) => pickRunPair(runs, a, b)?.map((r) => r.id);
  assert.deepEqual(pair(0, 0), [3, 5], "RUN_B's notebook's run before it: the same method, another K");
  assert.deepEqual(
    pickRunPair(runs.slice(3), 0, 0)?.map((r) => r.id),
    [4, 5],
    'no earlier run of the same notebook: the run with a clustering before it (the other method)',
  );
  assert.deepEqual(pair(2, 0), [2, 5]);
  assert.deepEqual(pair(0, 3), [2, 3]);
  assert.deepEqual(pair(5, 2), [5, 2]);
  assert.deepEqual(pair(0, 2), [5, 2], 'no earlier run: the latest other one');
  assert.equal(pickRunPair(runs.slice(0, 2), 0, 0), null, 'one run with a clustering: nothing to compare');
  assert.equal(pickRunPair([], 0, 0), null);
});

test('a run that is not kept, has no clustering, or is chosen twice is refused with one sentence naming the runs that work', () => {
  const refused = (a: number, b: number, message: RegExp, list = runs) =>
    assert.throws(
      () => pickRunPair(list, a, b),
      (error: unknown) => {
        assert.ok(error instanceof ParameterError);
        assert.match(error.message, message);
        assert.equal(error.message.split(/(?<=[.!?])\s+(?=[A-Z])/).length, 1, error.message);
        return true;
      },
    );
  refused(
    9,
    0,
    /^RUN_A is 9, but no kept run has that id; the kept runs with a clustering are 2, 3, 4, 5, or set RUN_A to 0 for the default\.$/,
  );
  refused(
    0,
    1,
    /^RUN_B is 1, a run of notebook 01, which keeps no clustering; the kept runs with a clustering are 2, 3, 4, 5/,
  );
  refused(
    3,
    3,
    /^RUN_A and RUN_B are both 3; choose two different runs \(the kept runs with a clustering are 2, 3, 4, 5\)\.$/,
  );
  refused(0, 6, /no clustering yet|keeps no clustering; no kept run has a clustering yet \(run notebook 02 or 03\)/, [
    runs[0],
    runs[5],
  ]);
});

test('two kept runs compared: the ARI over the tracks both clustered, what differs, and which clusters became which', async () => {
  const path = freshPath();
  const t = tracks();
  await storeTracks(path, t);
  const ids = idsOf(t).slice(0, 12);
  const started = at(0);
  const finished = at(5);
  // run 1: three clusters of four; run 2: clusters 0 and 1 merged (into 1), 2 kept (as 0), over the first ten tracks
  await storeRun(
    path,
    {
      notebook: '03',
      started,
      finished,
      parameters: { K: 3, SEED: 42 },
      clustering: {
        method: 'k-means',
        trackIds: ids,
        clusterIds: ids.map((_, i) => Math.floor(i / 4)),
        names: ['calm', 'loud', 'sad'],
      },
    },
    20,
  );
  await storeRun(
    path,
    {
      notebook: '03',
      started,
      finished,
      parameters: { K: 2, SEED: 42 },
      clustering: {
        method: 'k-means',
        trackIds: ids.slice(0, 10),
        clusterIds: ids.slice(0, 10).map((_, i) => (i < 8 ? 1 : 0)),
        names: ['sad', 'calm or loud'],
      },
    },
    20,
  );
  const kept = await readRuns(path);
  const [a, b] = pickRunPair(kept, 0, 0)!;
  const comparison = await compareRuns(path, a, b);
  const expected = adjustedRandIndex(
    ids.slice(0, 10).map((_, i) => Math.floor(i / 4)),
    ids.slice(0, 10).map((_, i) => (i < 8 ? 1 : 0)),
  );
  assert.equal(comparison.ari, expected);
  assert.deepEqual([comparison.common, comparison.onlyA, comparison.onlyB], [10, 2, 0]);
  assert.deepEqual(comparison.differences, ['K 3 → 2']);
  assert.equal(
    comparison.summary,
    `Runs 1 (notebook 03) and 2 (notebook 03) differ in K 3 → 2; their clusterings of the 10 tracks both clustered (of 12 and 10) agree with an adjusted Rand index of ${expected.toFixed(3)} (1: the same clusters; 0: no more alike than chance).`,
  );
  assert.deepEqual(comparison.table, [
    {
      'cluster of run 1': '0: calm',
      tracks: 4,
      'mostly became (run 2)': '1: calm or loud',
      share: '100 %',
      'next most': '',
      '→ 0': 0,
      '→ 1': 4,
    },
    {
      'cluster of run 1': '1: loud',
      tracks: 4,
      'mostly became (run 2)': '1: calm or loud',
      share: '100 %',
      'next most': '',
      '→ 0': 0,
      '→ 1': 4,
    },
    {
      'cluster of run 1': '2: sad',
      tracks: 2,
      'mostly became (run 2)': '0: sad',
      share: '100 %',
      'next most': '',
      '→ 0': 2,
      '→ 1': 0,
    },
  ]);
  // runs that share no track cannot be compared
  await storeRun(
    path,
    {
      notebook: '02',
      started,
      finished,
      parameters: { N_CLUSTERS: 2 },
      clustering: { method: 'k-medoids', trackIds: ['not-stored-a', 'not-stored-b'], clusterIds: [0, 1] },
    },
    20,
  );
  const three = await readRuns(path);
  await assert.rejects(
    compareRuns(path, three[0], three[2]),
    /^ParameterError: Runs 1 and 3 share no clustered track .*; choose two runs made on the same stored tracks \(RUN_A, RUN_B\)\.$/,
  );
  const across = await compareRuns(path, three[1], three[0]);
  assert.match(across.summary, /^Runs 2 \(notebook 03\) and 1 \(notebook 03\) differ in K 2 → 3;/);
});
