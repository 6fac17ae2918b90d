/**
 * Benchmark: the elbow sweep k = 2..19 with ten k-means++ starts per k, ours against
 * scikit-learn's `KMeans(n_clusters=k, n_init=10, random_state=0)`, on the same frame in one run,
 * each side on 1 and on 2 threads (ours: THREADS, the worker pool; scikit-learn: threadpoolctl's
 * `threadpool_limits` and OMP_NUM_THREADS, its OpenMP threads).
 *
 *   npm run bench -- kmeans
 *   node --max-old-space-size=8192 build/test/bench/kmeans.bench.js [SpotifyFeatures.csv] [--repeat=N] [--size=N]
 *
 * The frame is the notebooks' 10,000-track sample (test/bench/inputs.ts: cleaned and sampled with
 * seed 42 as notebooks 01 and 03 do, from a full-size generated file, or from the
 * SpotifyFeatures-format file given; `--size` draws a smaller one for a quick try), written to
 * build/bench/ as CSV (track_id and the 15 features). Both sides read that CSV, use track_id as the
 * row id, label-encode the text columns, z-score (here encodeFrame and StandardScaler, as notebook
 * 03), and sweep. Prints a markdown table: inertia per k on both sides with the relative
 * difference, and the seconds at 1 and 2 threads. Every side and thread count runs N times,
 * alternating (default 3), and the fastest run of each is reported, so a burst of other work on the
 * machine does not decide the comparison. Our inertias must not depend on the thread count.
 * The goal: no slower than scikit-learn at the same thread count, inertia within 1% at every k.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { encodeFrame } from '../../lib/distance/encode';
import { StandardScaler } from '../../lib/distance/scaler';
import { CATEGORICAL_FEATURES } from '../../lib/data/schema';
import { elbowSweep } from '../../lib/cluster/kmeans/elbow';
import { setThreads } from '../../lib/parallel/pool';
import { benchmarkSample, readBenchmarkSample } from './inputs';

const K_MIN = 2;
const K_MAX = 19;
const N_INIT = 10;
const SEED = 0;
/** The thread counts both sides run at. */
const THREADS = [1, 2] as const;

interface SweepReport {
  seconds_total: number;
  prepare_seconds: number;
  inertias: number[];
  iterations: number[];
  seconds: number[];
  versions: Record<string, string>;
  rows: number;
  columns: number;
  /** Threads of each thread pool scikit-learn saw (threadpoolctl's user_api → num_threads). */
  threads: Record<string, number>;
}

function runScikitLearn(csv: string, threads: number): SweepReport {
  const venv = spawnSync('bash', [join(PROJECT_ROOT, 'test/reference/venv.sh')], { encoding: 'utf8' });
  if (venv.status !== 0) throw new Error(`Could not prepare the reference virtualenv: ${venv.stderr}`);
  const python = venv.stdout.trim();
  const run = spawnSync(
    python,
    [
      join(PROJECT_ROOT, 'test/reference/kmeans_bench.py'),
      csv,
      String(K_MIN),
      String(K_MAX),
      String(N_INIT),
      String(threads),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    },
  );
  if (run.status !== 0) throw new Error(`scikit-learn's benchmark failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as SweepReport;
}

/** A whole-number option `--name=N`, or its default. */
function numberOption(name: string, fallback: number): number {
  const argument = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = argument ? Number(argument.slice(name.length + 3)) : fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a whole number of at least 1, got ${argument}.`);
  return value;
}

function main(): void {
  const repeat = numberOption('repeat', 3);
  const { source, csv } = benchmarkSample({
    source: process.argv.slice(2).find((argument) => !argument.startsWith('--')),
    size: numberOption('size', 10_000),
  });

  const prepareStarted = performance.now();
  const encoded = encodeFrame(readBenchmarkSample(csv), {
    idColumn: 'track_id',
    categoricalColumns: CATEGORICAL_FEATURES,
  });
  const matrix = new StandardScaler().fitTransform(encoded.matrix);
  const prepareSeconds = (performance.now() - prepareStarted) / 1000;

  type Sweep = ReturnType<typeof elbowSweep>;
  const ours = new Map<number, { sweep: Sweep; seconds: number; runs: number[] }>();
  const theirs = new Map<number, { report: SweepReport; runs: number[] }>();
  for (let run = 0; run < repeat; run++) {
    for (const threads of THREADS) {
      setThreads(threads);
      const sweepStarted = performance.now();
      const sweep = elbowSweep(matrix, { kMin: K_MIN, kMax: K_MAX, nInit: N_INIT, seed: SEED });
      const seconds = (performance.now() - sweepStarted) / 1000;
      const kept = ours.get(threads);
      if (!kept) ours.set(threads, { sweep, seconds, runs: [seconds] });
      else {
        kept.runs.push(seconds);
        if (seconds < kept.seconds) Object.assign(kept, { sweep, seconds });
      }
      const report = runScikitLearn(csv, threads);
      const theirsKept = theirs.get(threads);
      if (!theirsKept) theirs.set(threads, { report, runs: [report.seconds_total] });
      else {
        theirsKept.runs.push(report.seconds_total);
        if (report.seconds_total < theirsKept.report.seconds_total) theirsKept.report = report;
      }
    }
  }
  const [one, two] = THREADS.map((threads) => ours.get(threads)!);
  const [refOne, refTwo] = THREADS.map((threads) => theirs.get(threads)!);
  const best = one.sweep;
  const reference = refOne.report;

  const lines: string[] = [];
  lines.push(
    `Elbow sweep k = ${K_MIN}..${K_MAX}, ${N_INIT} k-means++ starts per k, ${matrix.n} rows x ${matrix.d} z-scored features (${relative(PROJECT_ROOT, csv)}, drawn from ${relative(PROJECT_ROOT, source)}).`,
  );
  lines.push(
    `Node ${process.version}, ${availableParallelism()} cores; scikit-learn ${reference.versions['scikit-learn']}, numpy ${reference.versions.numpy}, Python ${reference.versions.python}; ` +
      `scikit-learn's thread pools at 1 and 2: ${JSON.stringify(refOne.report.threads)}, ${JSON.stringify(refTwo.report.threads)}.`,
  );
  lines.push('');
  lines.push(
    '| k | ours: inertia | scikit-learn: inertia | relative difference | ours: iterations | scikit-learn: iterations | ours, 1 thread: s | ours, 2 threads: s | scikit-learn, 1 thread: s | scikit-learn, 2 threads: s |',
  );
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  let worst = -Infinity;
  best.ks.forEach((k, index) => {
    const relative = (best.inertias[index] - reference.inertias[index]) / reference.inertias[index];
    worst = Math.max(worst, relative);
    lines.push(
      `| ${k} | ${best.inertias[index].toFixed(1)} | ${reference.inertias[index].toFixed(1)} | ${(100 * relative).toFixed(3)}% | ${best.iterations[index]} | ${reference.iterations[index]} | ${one.sweep.seconds[index].toFixed(3)} | ${two.sweep.seconds[index].toFixed(3)} | ${reference.seconds[index].toFixed(3)} | ${refTwo.report.seconds[index].toFixed(3)} |`,
    );
  });
  lines.push(
    `| **all** | | | worst ${(100 * worst).toFixed(3)}% | | | **${one.seconds.toFixed(2)}** | **${two.seconds.toFixed(2)}** | **${refOne.report.seconds_total.toFixed(2)}** | **${refTwo.report.seconds_total.toFixed(2)}** |`,
  );
  lines.push('');
  const runs = (values: number[]): string => values.map((t) => t.toFixed(2)).join(', ');
  lines.push(
    `Runs (alternating, fastest shown above): ours ${runs(one.runs)} s (1 thread), ${runs(two.runs)} s (2 threads); ` +
      `scikit-learn ${runs(refOne.runs)} s (1 thread), ${runs(refTwo.runs)} s (2 threads).`,
  );
  const sameFit =
    JSON.stringify([one.sweep.inertias, one.sweep.iterations]) ===
    JSON.stringify([two.sweep.inertias, two.sweep.iterations]);
  const sameReference = JSON.stringify(refOne.report.inertias) === JSON.stringify(refTwo.report.inertias);
  lines.push(
    `Thread count: our inertias and iterations at 1 and 2 threads are ${sameFit ? 'identical' : 'DIFFERENT'}; scikit-learn's inertias at 1 and 2 threads are ${sameReference ? 'identical' : 'different'}.`,
  );
  lines.push(
    `Preparing the frame (parse, encode, z-score): ours ${prepareSeconds.toFixed(2)} s (CSV parse included), scikit-learn's StandardScaler ${reference.prepare_seconds.toFixed(3)} s.`,
  );
  const ratio = (ts: number, py: number): string => `${(ts / py).toFixed(2)} x its time`;
  const fast = one.seconds <= refOne.report.seconds_total && two.seconds <= refTwo.report.seconds_total;
  const close = worst <= 0.01;
  lines.push(
    `Goal: no slower than scikit-learn at the same thread count (${fast ? 'met' : 'NOT met'}: 1 thread ${ratio(one.seconds, refOne.report.seconds_total)}, 2 threads ${ratio(two.seconds, refTwo.report.seconds_total)}); inertia within 1% at every k (${close ? 'met' : 'NOT met'}).`,
  );
  console.log(lines.join('\n'));
  if (!sameFit) process.exitCode = 1;
}

main();
