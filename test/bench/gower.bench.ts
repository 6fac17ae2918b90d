/**
 * Benchmark of the clustering pipeline of notebook 02 against the Python reference, side by side
 * in one run, on the same tracks, each side on 1 and 2 threads.
 *
 *   npm run bench -- gower
 *   node --max-old-space-size=8192 build/test/bench/gower.bench.js [SpotifyFeatures.csv] [--skip-python] [--size=N]
 *
 * The tracks are the notebooks' sample (test/bench/inputs.ts): cleaned and sampled with seed 42 as
 * notebooks 01 and 02 do, from a full-size generated file (build/bench/SpotifyFeatures.full.csv),
 * or from the SpotifyFeatures-format file given (data/SpotifyFeatures.sample.csv benchmarks the
 * bundled data). Samples of 10,000 and 20,000 tracks (`--size=N`: N and 2N, for a quick try; the
 * second only when there are that many; the first N of it are the first sample) are written as
 * CSV to build/bench/. Then, one fresh process per measurement so that peak memory is that step's own:
 * - TypeScript at 10,000 rows with THREADS 1 and 2, and at 20,000 rows with THREADS 2, on the
 *   sample's clusteringFeatures frame as notebook 02: gowerMatrix, averageLinkage, 13 cuts
 *   (k = 2..14), 13 silhouetteScore calls, the same 13 scores in one pass (silhouetteScores), and
 *   the honest sweep (tree on 80 %, assignment and silhouettes of the 20 %);
 * - Python at 10,000 rows (test/reference/gower_bench.py in the reference virtualenv):
 *   gower.gower_matrix, scipy linkage(method='average'), fcluster ×13, sklearn silhouette_score ×13
 *   with n_jobs=1 and n_jobs=2. gower 0.1.2 and scipy's linkage have no n_jobs (one thread): their
 *   one time stands in both Python columns.
 * It prints a markdown table, whether THREADS 1 and 2 gave bit-identical results, and how far the
 * two sides' merge heights and silhouettes differ.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { gowerMatrix } from '../../lib/distance/gower';
import { averageLinkage } from '../../lib/cluster/linkage/linkage';
import { clusteringFeatures } from '../../lib/data/sample';
import { CATEGORICAL_FEATURES } from '../../lib/data/schema';
import { silhouetteScore, silhouetteScores } from '../../lib/cluster/evaluate/silhouette';
import { trainTestSplit } from '../../lib/cluster/evaluate/split';
import { silhouetteSweep } from '../../lib/cluster/linkage/silhouette-sweep';
import { benchmarkSample, readBenchmarkSample } from './inputs';
import { setThreads } from '../../lib/parallel/pool';

const KS = Array.from({ length: 13 }, (_, a) => a + 2);

/** What one measuring process reports. */
interface Measurement {
  rows: number;
  seconds: Record<string, number>;
  peakRssBytes: number;
  heights: number[];
  silhouettes: number[];
  gowerChecksum: number;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** One measurement, in this (fresh) process, on `threads` threads. */
function measure(path: string, threads: number): Measurement {
  setThreads(threads);
  const features = clusteringFeatures(readBenchmarkSample(path));
  const times: Record<string, number> = {};
  let start = process.hrtime.bigint();
  const dist = gowerMatrix(features, { categorical: CATEGORICAL_FEATURES });
  times.gower = seconds(start);

  start = process.hrtime.bigint();
  const tree = averageLinkage(dist);
  times.tree = seconds(start);

  start = process.hrtime.bigint();
  const cuts = KS.map((k) => tree.cut(k));
  times.cuts = seconds(start);

  start = process.hrtime.bigint();
  const silhouettes = cuts.map((labels) => silhouetteScore(dist, labels));
  times.silhouettes = seconds(start);

  start = process.hrtime.bigint();
  silhouetteScores(dist, cuts);
  times.silhouettesOnePass = seconds(start);

  start = process.hrtime.bigint();
  silhouetteSweep(dist, { ...trainTestSplit(dist.size, { seed: 42 }), kMin: 2, kMax: 14 });
  times.sweep = seconds(start);

  let checksum = 0;
  for (let p = 0; p < dist.condensed.length; p++) checksum += dist.condensed[p];
  return {
    rows: features.shape[0],
    seconds: times,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    heights: Array.from(tree.heights),
    silhouettes,
    gowerChecksum: checksum,
  };
}

function lastJsonLine(text: string): Measurement {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

function runChild(path: string, threads: number): Measurement {
  const child = spawnSync(process.execPath, [__filename, '--child', path, String(threads)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (child.status !== 0) throw new Error(`The TypeScript measurement on ${path} failed:\n${child.stderr}`);
  return lastJsonLine(child.stdout);
}

function runPython(path: string): Measurement {
  const python = execFileSync('bash', [join(PROJECT_ROOT, 'test', 'reference', 'venv.sh')], {
    encoding: 'utf8',
  }).trim();
  const child = spawnSync(python, [join(PROJECT_ROOT, 'test', 'reference', 'gower_bench.py'), path], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (child.status !== 0) throw new Error(`The Python measurement on ${path} failed:\n${child.stderr}`);
  return lastJsonLine(child.stdout);
}

const format = (value: number | undefined, digits = 2): string => (value === undefined ? '—' : value.toFixed(digits));
const gigabytes = (bytes: number | undefined): string => (bytes === undefined ? '—' : `${(bytes / 1e9).toFixed(2)} GB`);

/** `--size=N`: the smaller sample's size (default 10,000; the larger is twice it). */
function sizeOption(args: string[]): number {
  const argument = args.find((a) => a.startsWith('--size='));
  const size = argument ? Number(argument.slice('--size='.length)) : 10_000;
  if (!Number.isInteger(size) || size < 100)
    throw new Error(`--size must be a whole number of at least 100, got ${argument}.`);
  return size;
}

/** Whether two measurements of the same sample agree bit for bit (matrix sum, merge heights, silhouettes). */
function identical(a: Measurement, b: Measurement): boolean {
  return (
    JSON.stringify([a.gowerChecksum, a.heights, a.silhouettes]) ===
    JSON.stringify([b.gowerChecksum, b.heights, b.silhouettes])
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(measure(args[1], Number(args[2]))));
    return;
  }
  const skipPython = args.includes('--skip-python');
  const source = args.find((a) => !a.startsWith('--'));
  const size = sizeOption(args);
  const smaller = benchmarkSample({ source, size });
  const larger = benchmarkSample({ source, size: 2 * size });
  // The larger run only when there are that many tracks (a smaller sample is every track).
  const sampled = larger.sample.shape[0] === 2 * size ? [smaller, larger] : [smaller];
  const sizes = sampled.map((s) => s.sample.shape[0]);
  const samples = sampled.map((s) => s.csv);
  console.error(`Tracks from ${smaller.source}; samples of ${sizes.join(' and ')} rows, seed 42.`);

  console.error(`TypeScript, ${sizes[0]} rows, THREADS=1 …`);
  const one = runChild(samples[0], 1);
  console.error(`TypeScript, ${sizes[0]} rows, THREADS=2 …`);
  const two = runChild(samples[0], 2);
  let python: Measurement | undefined;
  if (!skipPython) {
    console.error(`Python, ${sizes[0]} rows (the gower package takes over a minute at 10,000) …`);
    python = runPython(samples[0]);
  }
  let large: Measurement | undefined;
  if (sizes.length > 1) {
    console.error(`TypeScript, ${sizes[1]} rows, THREADS=2 …`);
    large = runChild(samples[1], 2);
  }

  const pipeline = (m: Measurement | undefined, silhouettes = m?.seconds.silhouettes): number | undefined =>
    m && silhouettes !== undefined ? m.seconds.tree + m.seconds.cuts + silhouettes : undefined;
  const speedUp = (py: number | undefined, ts: number | undefined): string =>
    py === undefined || ts === undefined ? '—' : `${(py / ts).toFixed(1)}×`;
  const n1 = sizes[0].toLocaleString('en-US');
  const n2 = sizes[1]?.toLocaleString('en-US') ?? '—';
  const pyTwo = python?.seconds.silhouettes_jobs2;
  // step, Python n_jobs=1, Python n_jobs=2, TypeScript THREADS=1, THREADS=2, larger sample THREADS=2
  type Row = [
    string,
    number | undefined,
    number | undefined,
    number | undefined,
    number | undefined,
    number | undefined,
  ];
  const same = (m: Measurement | undefined, key: string): [number | undefined, number | undefined] => [
    m?.seconds[key],
    m?.seconds[key],
  ];
  const table: Row[] = [
    ['Gower matrix ¹', ...same(python, 'gower'), one.seconds.gower, two.seconds.gower, large?.seconds.gower],
    ['average-linkage tree ¹', ...same(python, 'tree'), one.seconds.tree, two.seconds.tree, large?.seconds.tree],
    ['13 cuts (k = 2..14) ¹', ...same(python, 'cuts'), one.seconds.cuts, two.seconds.cuts, large?.seconds.cuts],
    [
      '13 silhouettes, one call each',
      python?.seconds.silhouettes,
      pyTwo,
      one.seconds.silhouettes,
      two.seconds.silhouettes,
      large?.seconds.silhouettes,
    ],
    [
      'tree + 13 cuts + 13 silhouettes',
      pipeline(python),
      pipeline(python, pyTwo),
      pipeline(one),
      pipeline(two),
      pipeline(large),
    ],
    [
      '13 silhouettes in one pass (silhouetteScores)',
      undefined,
      undefined,
      one.seconds.silhouettesOnePass,
      two.seconds.silhouettesOnePass,
      large?.seconds.silhouettesOnePass,
    ],
    [
      'honest sweep (tree on 80 %, score the 20 %)',
      undefined,
      undefined,
      one.seconds.sweep,
      two.seconds.sweep,
      large?.seconds.sweep,
    ],
  ];
  const lines = [
    `| step (seconds) | Python, ${n1} rows, n_jobs=1 | Python, n_jobs=2 | TypeScript, ${n1} rows, THREADS=1 | TypeScript, THREADS=2 | speed-up, 1 thread | speed-up, 2 threads | TypeScript, ${n2} rows, THREADS=2 |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...table.map(
      ([step, py1, py2, ts1, ts2, big]) =>
        `| ${step} | ${format(py1)} | ${format(py2)} | ${format(ts1)} | ${format(ts2)} | ${speedUp(py1, ts1)} | ${speedUp(py2, ts2)} | ${format(big)} |`,
    ),
    `| peak memory (max RSS of the process) | ${gigabytes(python?.peakRssBytes)} | (same process) | ${gigabytes(one.peakRssBytes)} | ${gigabytes(two.peakRssBytes)} | | | ${gigabytes(large?.peakRssBytes)} |`,
  ];
  console.log(
    `Tracks: ${smaller.source}; samples of ${sizes.join(' and ')} rows (seed 42); node ${process.version}.\n`,
  );
  console.log(lines.join('\n'));
  console.log(
    "\n¹ gower 0.1.2, scipy's linkage and fcluster take no n_jobs: they run on one thread, timed once and shown in both Python columns. " +
      "scikit-learn's silhouette_score passes n_jobs to pairwise_distances_chunked, which has nothing to compute for a precomputed matrix.",
  );
  const agree = identical(one, two);
  console.log(
    `\nTHREADS=1 and THREADS=2 at ${n1} rows: ${agree ? 'bit-identical' : 'DIFFERENT'} Gower matrix sum, merge heights and silhouettes.`,
  );
  if (!agree) process.exitCode = 1;
  if (python) {
    let heightDifference = 0;
    python.heights.forEach((h, m) => {
      heightDifference = Math.max(heightDifference, Math.abs(one.heights[m] - h) / Math.max(Math.abs(h), 1e-12));
    });
    const silhouetteDifference = Math.max(...python.silhouettes.map((s, a) => Math.abs(one.silhouettes[a] - s)));
    console.log(
      `\nAgreement at ${n1} rows: Gower sums ${one.gowerChecksum.toFixed(3)} vs ${python.gowerChecksum.toFixed(3)}; ` +
        `largest relative difference of merge heights ${heightDifference.toExponential(1)}; ` +
        `largest difference of the 13 silhouettes ${silhouetteDifference.toExponential(1)}.`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
