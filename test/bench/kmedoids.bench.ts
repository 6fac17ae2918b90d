/**
 * Benchmark: FasterPAM k-medoids for k = 2..14 on the notebooks' 10,000-track Gower matrix, ours
 * against the Python `kmedoids` package (Rust inside), side by side in one run: ours at THREADS = 1
 * (the fits one after the other, each timed) and 2 (`kMedoidsFits`: the 13 fits side by side on the
 * worker pool, as the sweep runs them; timed as a whole, and checked to give the same medoids and
 * losses as one thread), the package at n_cpu = 1 and 2 (its threads share each fit's swap search).
 *
 *   npm run bench -- kmedoids
 *   node --max-old-space-size=8192 build/test/bench/kmedoids.bench.js [SpotifyFeatures.csv] [--repeat=N]
 *        [--sample-size=N]   (default 10,000; e.g. 1000 to check the benchmark quickly)
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
 * Seconds are per k at one thread, for all k at two, the fits alone (reading the matrix is not
 * timed). The sides run one after the other, N times alternating (default 2), and each side's
 * fastest run is reported, so a burst of
 * other work on the machine does not decide the comparison. Prints a markdown table, with the CPU
 * seconds of each fit beside the wall seconds (on a shared machine they say more).
 * The goal (issue 17): the sweep at 2 threads no slower than the package at n_cpu=2, same losses.
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
import { kMedoidsFits } from '../../lib/cluster/kmedoids/kmedoids-fits';
import { setThreads } from '../../lib/parallel/pool';
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
  own_start?: Fit[] | null;
  /** Wall and CPU seconds of all the fits together. */
  wall_total?: number;
  cpu_total?: number;
  peakRssBytes: number;
  versions?: Record<string, string>;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Our side, in this (fresh) process: read the matrix file, fit every k (one after the other, or side by side). */
function measure(path: string, n: number, threads: number): Measurement {
  setThreads(threads);
  const started = process.hrtime.bigint();
  const bytes = readFileSync(path);
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const distances = new DistanceMatrix(n, values);
  const prepare = seconds(started);
  if (threads > 1) {
    const before = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const results = kMedoidsFits(distances, KS, { seed: SEED });
    const used = process.cpuUsage(cpu);
    const wall = seconds(before);
    const fits: Fit[] = results.map((result, a) => ({
      k: KS[a],
      seconds: NaN,
      cpu_seconds: NaN,
      loss: result.loss,
      n_iter: result.iterations,
      n_swap: result.swaps,
      medoids: Array.from(result.medoids),
    }));
    return {
      rows: n,
      prepare_seconds: prepare,
      same_start: fits,
      wall_total: wall,
      cpu_total: (used.user + used.system) / 1e6,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  }
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
  return {
    rows: n,
    prepare_seconds: prepare,
    same_start: fits,
    wall_total: fits.reduce((sum, fit) => sum + fit.seconds, 0),
    cpu_total: fits.reduce((sum, fit) => sum + fit.cpu_seconds, 0),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

function lastJsonLine(text: string): Measurement {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Measurement;
}

function runOurs(path: string, n: number, threads: number): Measurement {
  const child = spawnSync(process.execPath, [__filename, '--child', path, String(n), String(threads)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (child.status !== 0) throw new Error(`Our measurement failed:\n${child.stderr}`);
  return lastJsonLine(child.stdout);
}

function runPackage(path: string, n: number, starts: string, nCpu: number): Measurement {
  const venv = spawnSync('bash', [join(PROJECT_ROOT, 'test', 'reference', 'venv.sh')], { encoding: 'utf8' });
  if (venv.status !== 0) throw new Error(`Could not prepare the reference virtualenv: ${venv.stderr}`);
  const child = spawnSync(
    venv.stdout.trim(),
    [join(PROJECT_ROOT, 'test', 'reference', 'kmedoids_bench.py'), path, String(n), starts, String(nCpu)],
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
    console.log(JSON.stringify(measure(args[1], Number(args[2]), Number(args[3] ?? 1))));
    return;
  }
  const repeatArgument = args.find((argument) => argument.startsWith('--repeat='));
  const repeat = repeatArgument ? Number(repeatArgument.slice('--repeat='.length)) : 2;
  if (!Number.isInteger(repeat) || repeat < 1)
    throw new Error(`--repeat must be a whole number of at least 1, got ${repeatArgument}.`);
  const sizeArgument = args.find((argument) => argument.startsWith('--sample-size='));
  const size = sizeArgument ? Number(sizeArgument.slice('--sample-size='.length)) : undefined;
  if (size !== undefined && !(Number.isInteger(size) && size >= 20))
    throw new Error(`--sample-size must be a whole number of at least 20, got ${sizeArgument}.`);
  const { source, csv } = benchmarkSample({ source: args.find((argument) => !argument.startsWith('--')), size });

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
  let ours2: Measurement | undefined;
  let theirs: Measurement | undefined;
  let theirs2: Measurement | undefined;
  const oursTotals: number[] = [];
  const theirTotals: number[] = [];
  const faster = (a: Measurement | undefined, b: Measurement): Measurement =>
    !a || (b.wall_total ?? total(b.same_start)) < (a.wall_total ?? total(a.same_start)) ? b : a;
  for (let run = 0; run < repeat; run++) {
    console.error(`Run ${run + 1} of ${repeat}: ours, THREADS=1 …`);
    const mine = runOurs(matrixPath, n, 1);
    oursTotals.push(total(mine.same_start));
    ours = faster(ours, mine);
    console.error(`Run ${run + 1} of ${repeat}: the kmedoids package, n_cpu=1 …`);
    const package_ = runPackage(matrixPath, n, startsPath, 1);
    theirTotals.push(total(package_.same_start));
    theirs = faster(theirs, package_);
    console.error(`Run ${run + 1} of ${repeat}: ours, THREADS=2 (the fits side by side) …`);
    ours2 = faster(ours2, runOurs(matrixPath, n, 2));
    console.error(`Run ${run + 1} of ${repeat}: the kmedoids package, n_cpu=2 …`);
    const package2 = runPackage(matrixPath, n, startsPath, 2);
    package2.wall_total = total(package2.same_start);
    package2.cpu_total = cpuTotal(package2.same_start);
    theirs2 = faster(theirs2, package2);
  }
  if (!ours || !theirs || !theirs.own_start || !ours2 || !theirs2) throw new Error('No benchmark run finished.');

  const lines: string[] = [];
  lines.push(
    `FasterPAM, k = ${KS[0]}..${KS[KS.length - 1]}, on the Gower matrix of ${n.toLocaleString('en-US')} tracks (${relative(PROJECT_ROOT, csv)}, drawn from ${relative(PROJECT_ROOT, source)}); the per-k table at one thread each side (THREADS=1, n_cpu=1).`,
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
  lines.push('');
  const sameAtTwo = ours2.same_start.every(
    (fit, a) =>
      fit.loss === ours!.same_start[a].loss &&
      JSON.stringify(fit.medoids) === JSON.stringify(ours!.same_start[a].medoids),
  );
  const package2Same = theirs2.same_start.every((fit, a) => fit.loss === theirs!.same_start[a].loss);
  lines.push('All k = 2..14, wall and CPU seconds of the fits (fastest run of each):');
  lines.push('');
  lines.push('| side | threads | wall s | CPU s | same medoids and losses as one thread |');
  lines.push('|---|---:|---:|---:|:---:|');
  lines.push(`| ours | 1 | ${oursTotal.toFixed(2)} | ${cpuTotal(ours.same_start).toFixed(2)} | — |`);
  lines.push(
    `| ours (kMedoidsFits, side by side) | 2 | ${ours2.wall_total!.toFixed(2)} | ${ours2.cpu_total!.toFixed(2)} | ${sameAtTwo ? 'yes' : 'NO'} |`,
  );
  lines.push(
    `| kmedoids package | n_cpu=1 | ${theirTotal.toFixed(2)} | ${cpuTotal(theirs.same_start).toFixed(2)} | — |`,
  );
  lines.push(
    `| kmedoids package | n_cpu=2 | ${theirs2.wall_total!.toFixed(2)} | ${theirs2.cpu_total!.toFixed(2)} | ${package2Same ? 'yes' : 'no'} |`,
  );
  lines.push('');
  lines.push(
    `Goal at 2 threads: ours no slower than the package at n_cpu=2 (${ours2.wall_total! <= theirs2.wall_total! ? 'met' : 'NOT met'}: ${(ours2.wall_total! / theirs2.wall_total!).toFixed(2)} × its time), same losses (${sameAtTwo && worst <= 0.005 ? 'met' : 'NOT met'}).`,
  );
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
