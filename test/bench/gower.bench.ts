/**
 * Benchmark of the clustering pipeline of notebook 02 against the Python reference, side by side
 * in one run, on the same tracks.
 *
 *   npx tsc -p . && node build/test/bench/gower.bench.js [tracks.csv] [--skip-python]
 *
 * Without a CSV it writes a synthetic one (lib/synthetic.ts, 20,000 rows, seed 1, so not the
 * bundled data/SpotifyFeatures.sample.csv, which is seed 2024) to build/bench/. From the tracks it draws seeded samples of 10,000 and 20,000 rows (fewer if the
 * file is smaller), writes each as a 15-column CSV (the clustering features), and then, one fresh
 * process per measurement so that peak memory is that step's own:
 * - TypeScript at 10,000 and 20,000 rows: gowerMatrix, averageLinkage, 13 cuts (k = 2..14),
 *   13 silhouetteScore calls, the same 13 scores in one pass (silhouetteScores), and the honest
 *   sweep (tree on 80 %, assignment and silhouettes of the 20 %);
 * - Python at 10,000 rows (test/reference/gower_bench.py in the reference virtualenv):
 *   gower.gower_matrix, scipy linkage(method='average'), fcluster ×13, sklearn silhouette_score ×13.
 * It prints a markdown table, and how far the two sides' merge heights and silhouettes differ.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gowerMatrix, Row } from '../../lib/gower';
import { averageLinkage } from '../../lib/linkage';
import { shuffledIndices } from '../../lib/random';
import { silhouetteScore, silhouetteScores } from '../../lib/silhouette';
import { trainTestSplit } from '../../lib/split';
import { silhouetteSweep } from '../../lib/sweep';

const ROOT = resolve(__dirname, '..', '..', '..');
const OUT = join(ROOT, 'build', 'bench');
const CATEGORICAL = ['genre', 'key', 'mode', 'time_signature'];
const NUMERIC = [
  'popularity', 'acousticness', 'danceability', 'duration_ms', 'energy', 'instrumentalness',
  'liveness', 'loudness', 'speechiness', 'tempo', 'valence',
];
const FEATURES = [...CATEGORICAL, ...NUMERIC];
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

/** Reads a sample CSV written by {@link writeSample} (no quoting needed: values hold no commas). */
function readSample(path: string): Row[] {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const fields = line.split(',');
    const row: Row = {};
    header.forEach((name, f) => (row[name] = NUMERIC.includes(name) ? Number(fields[f]) : fields[f]));
    return row;
  });
}

function writeSample(path: string, rows: Row[]): void {
  const lines = [FEATURES.join(',')];
  for (const row of rows) {
    const fields = FEATURES.map((name) => String(row[name]));
    if (fields.some((field) => /[",\n]/.test(field))) throw new Error(`A value in ${fields.join(' | ')} needs CSV quoting.`);
    lines.push(fields.join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** One measurement, in this (fresh) process. */
function measure(path: string): Measurement {
  const rows = readSample(path);
  const times: Record<string, number> = {};
  let start = process.hrtime.bigint();
  const dist = gowerMatrix(rows, { columns: FEATURES, categorical: CATEGORICAL });
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
    rows: rows.length,
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
  const python = execFileSync('bash', [join(ROOT, 'test', 'reference', 'venv.sh')], { encoding: 'utf8' }).trim();
  const child = spawnSync(python, [join(ROOT, 'test', 'reference', 'gower_bench.py'), path], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (child.status !== 0) throw new Error(`The Python measurement on ${path} failed:\n${child.stderr}`);
  return lastJsonLine(child.stdout);
}

/** The tracks to sample from: the CSV given, or a synthetic one. */
async function loadTracks(csv: string | undefined): Promise<{ source: string; rows: Row[] }> {
  let path = csv;
  if (!path) {
    const { writeSyntheticSpotifyCsv } = await import('../../lib/synthetic');
    path = join(OUT, 'synthetic-tracks-seed1.csv');
    if (!existsSync(path)) writeSyntheticSpotifyCsv(path, { rows: 20_000, seed: 1 });
  }
  const { parseSpotifyCsv } = await import('../../lib/loader');
  const { table } = parseSpotifyCsv(readFileSync(path, 'utf8'), path);
  const rows = table.rows.map((values) => {
    const row: Row = {};
    table.names.forEach((name, f) => (row[name] = values[f]));
    return row;
  });
  return { source: path, rows };
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
  mkdirSync(OUT, { recursive: true });
  const { source, rows } = await loadTracks(args.find((a) => !a.startsWith('--')));
  const order = shuffledIndices(rows.length, 42);
  const sizes = [10_000, 20_000].filter((n) => n <= rows.length);
  if (sizes.length === 0) throw new Error(`${source} has ${rows.length} rows; the benchmark needs at least 10,000.`);
  const samples = sizes.map((n) => {
    const path = join(OUT, `sample-${n}.csv`);
    writeSample(path, Array.from(order.subarray(0, n), (i) => rows[i]));
    return path;
  });
  console.error(`Tracks from ${source} (${rows.length} rows); samples of ${sizes.join(' and ')} rows, seed 42.`);

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
    ['13 silhouettes, one call each', python?.seconds.silhouettes, ours.seconds.silhouettes, large?.seconds.silhouettes],
    ['tree + 13 cuts + 13 silhouettes', pipeline(python), pipeline(ours), pipeline(large)],
    ['13 silhouettes in one pass (silhouetteScores)', undefined, ours.seconds.silhouettesOnePass, large?.seconds.silhouettesOnePass],
    ['honest sweep (tree on 80 %, score the 20 %)', undefined, ours.seconds.sweep, large?.seconds.sweep],
  ];
  const lines = [
    `| step (seconds) | Python, ${n1} rows | TypeScript, ${n1} rows | speed-up | TypeScript, ${n2} rows |`,
    '|---|---:|---:|---:|---:|',
    ...table.map(([step, py, ts, big]) => `| ${step} | ${format(py)} | ${format(ts)} | ${speedUp(py, ts)} | ${format(big)} |`),
    `| peak memory (max RSS of the process) | ${gigabytes(python?.peakRssBytes)} | ${gigabytes(ours.peakRssBytes)} | | ${gigabytes(large?.peakRssBytes)} |`,
  ];
  console.log(`Tracks: ${source}; samples of ${sizes.join(' and ')} rows (seed 42); node ${process.version}.\n`);
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
