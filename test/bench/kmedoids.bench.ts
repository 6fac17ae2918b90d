/**
 * Benchmark: FasterPAM k-medoids for k = 2..14 on the notebooks' 10,000-track Gower matrix, ours
 * against the Python `kmedoids` package (Rust inside), one thread each, side by side in one run.
 *
 *   npm run bench -- kmedoids
 *   node --max-old-space-size=8192 build/test/bench/kmedoids.bench.js [SpotifyFeatures.csv] [--repeat=N]
 *
 * The tracks are the notebooks' sample (test/bench/inputs.ts: cleaned and sampled with seed 42 as
 * notebooks 01 and 02 do, from a full-size generated file, or from the SpotifyFeatures-format file
 * given). Its Gower matrix is made once with gowerMatrix, as notebook 02 makes it, and written as
 * raw Float32 to build/bench/, so that both sides cluster exactly the same numbers; each side then
 * runs in a fresh process (so that its peak memory is its own) which reads that file:
 * - ours: `kMedoids(D, k)` with the defaults (seed 0: k random rows, `randomMedoids(n, k, 0)`);
 * - the package (test/reference/kmedoids_bench.py): the float64 square of the same values, then
 *   `fasterpam(D, same initial medoids, max_iter=100, n_cpu=1)`, so the two searches should make
 *   the same swaps, and `fasterpam(D, k, random_state=0, n_cpu=1)`, its own random start (which
 *   also shuffles the order it visits candidates in), whose loss shows how much the start matters.
 * Seconds are per k, the fit alone (reading the matrix is not timed). The sides run one after the
 * other, N times alternating (default 2), and each side's fastest run is reported, so a burst of
 * other work on the machine does not decide the comparison. Prints a markdown table, with the CPU
 * seconds of each fit beside the wall seconds (on a shared machine they say more).
 * The goal: no slower than the package, loss within 0.5 %.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { gowerMatrix } from '../../lib/distance/gower';
import { clusteringFeatures } from '../../lib/data/sample';
import { CATEGORICAL_FEATURES } from '../../lib/data/schema';
import { DistanceMatrix } from '../../lib/matrix/distance-matrix';
import { kMedoids, randomMedoids } from '../../lib/cluster/kmedoids/kmedoids';
import { BENCH_DIR, benchmarkSample, readBenchmarkSample } from './inputs';

const KS = Array.from({ length: 13 }, (_, a) => a + 2);
const SEED = 0;

/** One k of one side. */
interface Fit {
  k: number;
  seconds: number;
  cpu_seconds: number;
  loss: number;
  n_iter: number;
  n_swap?: number;
  medoids?: number[];
}

/** What a measuring process reports. */
interface Measurement {
  rows: number;
  prepare_seconds: number;
  same_start: Fit[];
  own_start?: Fit[];
  peakRssBytes: number;
  versions?: Record<string, string>;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Our side, in this (fresh) process: read the matrix file, fit every k. */
function measure(path: string, n: number): Measurement {
  const started = process.hrtime.bigint();
  const bytes = readFileSync(path);
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const distances = new DistanceMatrix(n, values);
  const prepare = seconds(started);
  const fits: Fit[] = KS.map((k) => {
    const before = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const result = kMedoids(distances, k, { seed: SEED });
    const used = process.cpuUsage(cpu);
    return {
      k,
      seconds: seconds(before),
      cpu_seconds: (used.user + used.system) / 1e6,
      loss: result.loss,
      n_iter: result.iterations,
      n_swap: result.swaps,
      medoids: Array.from(result.medoids),
    };
  });
  return { rows: n, prepare_seconds: prepare, same_start: fits, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

function lastJsonLine(text: string): Measurement {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Measurement;
}

function runOurs(path: string, n: number): Measurement {
  const child = spawnSync(process.execPath, [__filename, '--child', path, String(n)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (child.status !== 0) throw new Error(`Our measurement failed:\n${child.stderr}`);
  return lastJsonLine(child.stdout);
}

function runPackage(path: string, n: number, starts: string): Measurement {
  const venv = spawnSync('bash', [join(PROJECT_ROOT, 'test', 'reference', 'venv.sh')], { encoding: 'utf8' });
  if (venv.status !== 0) throw new Error(`Could not prepare the reference virtualenv: ${venv.stderr}`);
  const child = spawnSync(
    venv.stdout.trim(),
    [join(PROJECT_ROOT, 'test', 'reference', 'kmedoids_bench.py'), path, String(n), starts],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  if (child.status !== 0) throw new Error(`The kmedoids package's measurement failed:\n${child.stderr}`);
  return lastJsonLine(child.stdout);
}

const total = (fits: Fit[]): number => fits.reduce((sum, fit) => sum + fit.seconds, 0);
const cpuTotal = (fits: Fit[]): number => fits.reduce((sum, fit) => sum + fit.cpu_seconds, 0);
const gigabytes = (bytes: number): string => `${(bytes / 1e9).toFixed(2)} GB`;

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(measure(args[1], Number(args[2]))));
    return;
  }
  const repeatArgument = args.find((argument) => argument.startsWith('--repeat='));
  const repeat = repeatArgument ? Number(repeatArgument.slice('--repeat='.length)) : 2;
  if (!Number.isInteger(repeat) || repeat < 1)
    throw new Error(`--repeat must be a whole number of at least 1, got ${repeatArgument}.`);
  const { source, csv } = benchmarkSample({ source: args.find((argument) => !argument.startsWith('--')) });

  // The Gower matrix as notebook 02 makes it, written once per sample file.
  const tag = createHash('sha1').update(csv).digest('hex').slice(0, 8);
  const matrixPath = join(BENCH_DIR, `gower-${tag}.f32`);
  const features = clusteringFeatures(readBenchmarkSample(csv));
  const n = features.shape[0];
  if (
    !existsSync(matrixPath) ||
    statSync(matrixPath).mtimeMs < statSync(csv).mtimeMs ||
    statSync(matrixPath).size !== 2 * n * (n - 1)
  ) {
    console.error(`Gower matrix of ${n} tracks → ${relative(PROJECT_ROOT, matrixPath)} …`);
    const distances = gowerMatrix(features, { categorical: CATEGORICAL_FEATURES });
    const c = distances.condensed;
    writeFileSync(matrixPath, Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  }
  const startsPath = join(BENCH_DIR, `kmedoids-starts-${n}.json`);
  writeFileSync(
    startsPath,
    JSON.stringify(Object.fromEntries(KS.map((k) => [k, Array.from(randomMedoids(n, k, SEED))]))),
  );

  const loadStart = loadavg();
  let ours: Measurement | undefined;
  let theirs: Measurement | undefined;
  const oursTotals: number[] = [];
  const theirTotals: number[] = [];
  for (let run = 0; run < repeat; run++) {
    console.error(`Run ${run + 1} of ${repeat}: ours …`);
    const mine = runOurs(matrixPath, n);
    oursTotals.push(total(mine.same_start));
    if (!ours || total(mine.same_start) < total(ours.same_start)) ours = mine;
    console.error(`Run ${run + 1} of ${repeat}: the kmedoids package …`);
    const package_ = runPackage(matrixPath, n, startsPath);
    theirTotals.push(total(package_.same_start));
    if (!theirs || total(package_.same_start) < total(theirs.same_start)) theirs = package_;
  }
  if (!ours || !theirs || !theirs.own_start) throw new Error('No benchmark run finished.');

  const lines: string[] = [];
  lines.push(
    `FasterPAM, k = ${KS[0]}..${KS[KS.length - 1]}, on the Gower matrix of ${n.toLocaleString('en-US')} tracks (${relative(PROJECT_ROOT, csv)}, drawn from ${relative(PROJECT_ROOT, source)}); one thread each side.`,
  );
  lines.push(
    `Node ${process.version}; kmedoids ${theirs.versions?.kmedoids}, numpy ${theirs.versions?.numpy}, Python ${theirs.versions?.python}. Both sides start from the same ${SEED === 0 ? 'seed-0' : `seed-${SEED}`} random medoids (ours: kMedoids' default); the last two columns are the package's own random start (random_state=0).`,
  );
  lines.push('');
  lines.push(
    '| k | ours: s | package: s | ours: CPU s | package: CPU s | ours: loss | package: loss | loss ratio ours/package | passes ours / package | same medoids | package, own start: loss | ours/that |',
  );
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|');
  let worst = 0;
  let allSame = true;
  ours.same_start.forEach((mine, a) => {
    const other = theirs!.same_start[a];
    const own = theirs!.own_start![a];
    const ratio = mine.loss / other.loss;
    worst = Math.max(worst, Math.abs(ratio - 1));
    const same = JSON.stringify(mine.medoids) === JSON.stringify(other.medoids);
    allSame &&= same;
    lines.push(
      `| ${mine.k} | ${mine.seconds.toFixed(2)} | ${other.seconds.toFixed(2)} | ${mine.cpu_seconds.toFixed(2)} | ${other.cpu_seconds.toFixed(2)} | ${mine.loss.toFixed(3)} | ${other.loss.toFixed(3)} | ${ratio.toFixed(6)} | ${mine.n_iter} / ${other.n_iter} | ${same ? 'yes' : 'no'} | ${own.loss.toFixed(3)} | ${(mine.loss / own.loss).toFixed(4)} |`,
    );
  });
  const oursTotal = total(ours.same_start);
  const theirTotal = total(theirs.same_start);
  lines.push(
    `| **all** | **${oursTotal.toFixed(2)}** | **${theirTotal.toFixed(2)}** | **${cpuTotal(ours.same_start).toFixed(2)}** | **${cpuTotal(theirs.same_start).toFixed(2)}** | | | worst ${(100 * worst).toFixed(4)} % | | ${allSame ? 'all' : 'not all'} | | |`,
  );
  lines.push(
    `| peak memory (max RSS) | ${gigabytes(ours.peakRssBytes)} | ${gigabytes(theirs.peakRssBytes)} | | | | | | | | | |`,
  );
  lines.push('');
  lines.push(
    `Runs (alternating, fastest shown above): ours ${oursTotals.map((t) => t.toFixed(2)).join(', ')} s; package ${theirTotals.map((t) => t.toFixed(2)).join(', ')} s (the package's own random starts took ${total(theirs.own_start).toFixed(2)} s). Load average at the start: ${loadStart.map((l) => l.toFixed(1)).join(', ')} on ${availableParallelism()} cores (CPU seconds are less sensitive to other work on the machine than wall seconds).`,
  );
  lines.push(
    `Reading the matrix (not timed above): ours ${ours.prepare_seconds.toFixed(2)} s (the condensed Float32 file as it is); the package ${theirs.prepare_seconds.toFixed(2)} s (expanded to the full float64 square it needs, which is most of its memory).`,
  );
  lines.push(
    `Goal: no slower than the package (${oursTotal <= theirTotal ? 'met' : 'NOT met'}: ${(oursTotal / theirTotal).toFixed(2)} × its time); loss within 0.5 % (${worst <= 0.005 ? 'met' : 'NOT met'}).`,
  );
  console.log(lines.join('\n'));
}

main();
