/**
 * Benchmark: the elbow sweep k = 2..19 with ten k-means++ starts per k, ours against
 * scikit-learn's `KMeans(n_clusters=k, n_init=10, random_state=0)`, on the same frame in one run.
 *
 *   npm run bench -- kmeans
 *   node --max-old-space-size=8192 build/test/bench/kmeans.bench.js [SpotifyFeatures.csv] [--repeat=N]
 *
 * The frame is the notebooks' 10,000-track sample (test/bench/inputs.ts: cleaned and sampled with
 * seed 42 as notebooks 01 and 03 do, from a full-size generated file, or from the
 * SpotifyFeatures-format file given), written to build/bench/ as CSV (track_id and the 15
 * features). Both sides read that CSV, use track_id as the row id, label-encode the text columns,
 * z-score (here encodeFrame and StandardScaler, as notebook 03), and sweep. Prints a markdown
 * table: inertia per k on both sides with the relative difference, and the seconds.
 * The two sides run one after the other, N times alternating (default 3), and each side's fastest
 * run is reported, so a burst of other work on the machine does not decide the comparison.
 * The goal: no slower than scikit-learn, inertia within 1% at every k.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { encodeFrame } from '../../lib/distance/encode';
import { StandardScaler } from '../../lib/distance/scaler';
import { CATEGORICAL_FEATURES } from '../../lib/data/schema';
import { elbowSweep } from '../../lib/cluster/kmeans/elbow';
import { benchmarkSample, readBenchmarkSample } from './inputs';

const K_MIN = 2;
const K_MAX = 19;
const N_INIT = 10;
const SEED = 0;

interface SweepReport {
  seconds_total: number;
  prepare_seconds: number;
  inertias: number[];
  iterations: number[];
  seconds: number[];
  versions: Record<string, string>;
  rows: number;
  columns: number;
}

function runScikitLearn(csv: string): SweepReport {
  const venv = spawnSync('bash', [join(PROJECT_ROOT, 'test/reference/venv.sh')], { encoding: 'utf8' });
  if (venv.status !== 0) throw new Error(`Could not prepare the reference virtualenv: ${venv.stderr}`);
  const python = venv.stdout.trim();
  const run = spawnSync(
    python,
    [join(PROJECT_ROOT, 'test/reference/kmeans_bench.py'), csv, String(K_MIN), String(K_MAX), String(N_INIT)],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (run.status !== 0) throw new Error(`scikit-learn's benchmark failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as SweepReport;
}

function main(): void {
  const repeatArgument = process.argv.find((argument) => argument.startsWith('--repeat='));
  const repeat = repeatArgument ? Number(repeatArgument.slice('--repeat='.length)) : 3;
  if (!Number.isInteger(repeat) || repeat < 1)
    throw new Error(`--repeat must be a whole number of at least 1, got ${repeatArgument}.`);
  const { source, csv } = benchmarkSample({
    source: process.argv.slice(2).find((argument) => !argument.startsWith('--')),
  });

  const prepareStarted = performance.now();
  const encoded = encodeFrame(readBenchmarkSample(csv), {
    idColumn: 'track_id',
    categoricalColumns: CATEGORICAL_FEATURES,
  });
  const matrix = new StandardScaler().fitTransform(encoded.matrix);
  const prepareSeconds = (performance.now() - prepareStarted) / 1000;

  let ours: ReturnType<typeof elbowSweep> | undefined;
  let oursSeconds = Infinity;
  let theirs: SweepReport | undefined;
  const oursTotals: number[] = [];
  const theirTotals: number[] = [];
  for (let run = 0; run < repeat; run++) {
    const sweepStarted = performance.now();
    const sweep = elbowSweep(matrix, { kMin: K_MIN, kMax: K_MAX, nInit: N_INIT, seed: SEED });
    const seconds = (performance.now() - sweepStarted) / 1000;
    oursTotals.push(seconds);
    if (seconds < oursSeconds) {
      oursSeconds = seconds;
      ours = sweep;
    }
    const report = runScikitLearn(csv);
    theirTotals.push(report.seconds_total);
    if (!theirs || report.seconds_total < theirs.seconds_total) theirs = report;
  }
  if (!ours || !theirs) throw new Error('No benchmark run finished.');

  const lines: string[] = [];
  lines.push(
    `Elbow sweep k = ${K_MIN}..${K_MAX}, ${N_INIT} k-means++ starts per k, ${matrix.n} rows x ${matrix.d} z-scored features (${relative(PROJECT_ROOT, csv)}, drawn from ${relative(PROJECT_ROOT, source)}).`,
  );
  lines.push(
    `Node ${process.version}, ${availableParallelism()} cores; scikit-learn ${theirs.versions['scikit-learn']}, numpy ${theirs.versions.numpy}, Python ${theirs.versions.python}.`,
  );
  lines.push('');
  lines.push(
    '| k | ours: inertia | scikit-learn: inertia | relative difference | ours: iterations | scikit-learn: iterations | ours: s | scikit-learn: s |',
  );
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  let worst = -Infinity;
  const best = ours;
  const reference = theirs;
  best.ks.forEach((k, index) => {
    const relative = (best.inertias[index] - reference.inertias[index]) / reference.inertias[index];
    worst = Math.max(worst, relative);
    lines.push(
      `| ${k} | ${best.inertias[index].toFixed(1)} | ${reference.inertias[index].toFixed(1)} | ${(100 * relative).toFixed(3)}% | ${best.iterations[index]} | ${reference.iterations[index]} | ${best.seconds[index].toFixed(3)} | ${reference.seconds[index].toFixed(3)} |`,
    );
  });
  lines.push(
    `| **all** | | | worst ${(100 * worst).toFixed(3)}% | | | **${oursSeconds.toFixed(2)}** | **${theirs.seconds_total.toFixed(2)}** |`,
  );
  lines.push('');
  lines.push(
    `Runs (alternating, fastest shown above): ours ${oursTotals.map((t) => t.toFixed(2)).join(', ')} s; scikit-learn ${theirTotals.map((t) => t.toFixed(2)).join(', ')} s.`,
  );
  lines.push(
    `Preparing the frame (parse, encode, z-score): ours ${prepareSeconds.toFixed(2)} s (CSV parse included), scikit-learn's StandardScaler ${theirs.prepare_seconds.toFixed(3)} s.`,
  );
  const fast = oursSeconds <= theirs.seconds_total;
  const close = worst <= 0.01;
  lines.push(
    `Goal: no slower than scikit-learn (${fast ? 'met' : 'NOT met'}: ${(oursSeconds / theirs.seconds_total).toFixed(2)} x its time); inertia within 1% at every k (${close ? 'met' : 'NOT met'}).`,
  );
  console.log(lines.join('\n'));
}

main();
