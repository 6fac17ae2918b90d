/**
 * Benchmark of the clustering pipeline of notebook 02 against the Python reference, side by side
 * in one run, on the same tracks.
 *
 *   npm run bench -- gower
 *   node --max-old-space-size=8192 build/test/bench/gower.bench.js [SpotifyFeatures.csv] [--skip-python]
 *
 * The tracks are the notebooks' sample (test/bench/inputs.ts): cleaned and sampled with seed 42 as
 * notebooks 01 and 02 do, from a full-size generated file (build/bench/SpotifyFeatures.full.csv),
 * or from the SpotifyFeatures-format file given (data/SpotifyFeatures.sample.csv benchmarks the
 * bundled data). Samples of 10,000 and 20,000 tracks (the second only when there are that many;
 * the first 10,000 of it are the first sample) are written as CSV to build/bench/. Then, one fresh
 * process per measurement so that peak memory is that step's own:
 * - TypeScript at 10,000 and 20,000 rows, on the sample's clusteringFeatures frame as notebook 02:
 *   gowerMatrix, averageLinkage, 13 cuts (k = 2..14), 13 silhouetteScore calls, the same 13 scores
 *   in one pass (silhouetteScores), and the honest sweep (tree on 80 %, assignment and silhouettes
 *   of the 20 %);
 * - Python at 10,000 rows (test/reference/gower_bench.py in the reference virtualenv):
 *   gower.gower_matrix, scipy linkage(method='average'), fcluster ×13, sklearn silhouette_score ×13.
 * It prints a markdown table, and how far the two sides' merge heights and silhouettes differ.
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

/** One measurement, in this (fresh) process. */
function measure(path: string): Measurement {
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

function runChild(path: string): Measurement {
  const child = spawnSync(process.execPath, [__filename, '--child', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
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

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(measure(args[1])));
    return;
  }
  const skipPython = args.includes('--skip-python');
  const source = args.find((a) => !a.startsWith('--'));
  const smaller = benchmarkSample({ source, size: 10_000 });
  const larger = benchmarkSample({ source, size: 20_000 });
  // The 20,000 run only when there are that many tracks (a smaller sample is every track).
  const sampled = larger.sample.shape[0] === 20_000 ? [smaller, larger] : [smaller];
  const sizes = sampled.map((s) => s.sample.shape[0]);
  const samples = sampled.map((s) => s.csv);
  console.error(`Tracks from ${smaller.source}; samples of ${sizes.join(' and ')} rows, seed 42.`);

  console.error(`TypeScript, ${sizes[0]} rows …`);
  const ours = runChild(samples[0]);
  let python: Measurement | undefined;
  if (!skipPython) {
    console.error(`Python, ${sizes[0]} rows (the gower package takes over a minute) …`);
    python = runPython(samples[0]);
  }
  let large: Measurement | undefined;
  if (sizes.length > 1) {
    console.error(`TypeScript, ${sizes[1]} rows …`);
    large = runChild(samples[1]);
  }

  const pipeline = (m: Measurement | undefined): number | undefined =>
    m && m.seconds.tree + m.seconds.cuts + m.seconds.silhouettes;
  const speedUp = (py: number | undefined, ts: number | undefined): string =>
    py === undefined || ts === undefined ? '—' : `${(py / ts).toFixed(1)}×`;
  const n1 = sizes[0].toLocaleString('en-US');
  const n2 = sizes[1]?.toLocaleString('en-US') ?? '—';
  const table: [string, number | undefined, number | undefined, number | undefined][] = [
    ['Gower matrix', python?.seconds.gower, ours.seconds.gower, large?.seconds.gower],
    ['average-linkage tree', python?.seconds.tree, ours.seconds.tree, large?.seconds.tree],
    ['13 cuts (k = 2..14)', python?.seconds.cuts, ours.seconds.cuts, large?.seconds.cuts],
    [
      '13 silhouettes, one call each',
      python?.seconds.silhouettes,
      ours.seconds.silhouettes,
      large?.seconds.silhouettes,
    ],
    ['tree + 13 cuts + 13 silhouettes', pipeline(python), pipeline(ours), pipeline(large)],
    [
      '13 silhouettes in one pass (silhouetteScores)',
      undefined,
      ours.seconds.silhouettesOnePass,
      large?.seconds.silhouettesOnePass,
    ],
    ['honest sweep (tree on 80 %, score the 20 %)', undefined, ours.seconds.sweep, large?.seconds.sweep],
  ];
  const lines = [
    `| step (seconds) | Python, ${n1} rows | TypeScript, ${n1} rows | speed-up | TypeScript, ${n2} rows |`,
    '|---|---:|---:|---:|---:|',
    ...table.map(
      ([step, py, ts, big]) => `| ${step} | ${format(py)} | ${format(ts)} | ${speedUp(py, ts)} | ${format(big)} |`,
    ),
    `| peak memory (max RSS of the process) | ${gigabytes(python?.peakRssBytes)} | ${gigabytes(ours.peakRssBytes)} | | ${gigabytes(large?.peakRssBytes)} |`,
  ];
  console.log(
    `Tracks: ${smaller.source}; samples of ${sizes.join(' and ')} rows (seed 42); node ${process.version}.\n`,
  );
  console.log(lines.join('\n'));
  if (python) {
    let heightDifference = 0;
    python.heights.forEach((h, m) => {
      heightDifference = Math.max(heightDifference, Math.abs(ours.heights[m] - h) / Math.max(Math.abs(h), 1e-12));
    });
    const silhouetteDifference = Math.max(...python.silhouettes.map((s, a) => Math.abs(ours.silhouettes[a] - s)));
    console.log(
      `\nAgreement at ${n1} rows: Gower sums ${ours.gowerChecksum.toFixed(3)} vs ${python.gowerChecksum.toFixed(3)}; ` +
        `largest relative difference of merge heights ${heightDifference.toExponential(1)}; ` +
        `largest difference of the 13 silhouettes ${silhouetteDifference.toExponential(1)}.`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
