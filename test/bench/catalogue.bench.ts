/**
 * Benchmark of the whole-catalogue steps on the generated full-size file, with the Python
 * references side by side in the same run:
 *
 *   npm run bench -- catalogue
 *   node --max-old-space-size=8192 build/test/bench/catalogue.bench.js [--skip-python] [--python-queries N]
 *
 * Inputs (test/bench/inputs.ts): the full-size generated file cleaned as notebook 01 does and
 * stored with `storeTracks` in build/bench/catalogue/catalogue.duckdb (remade when the file is
 * newer), and the notebooks' 10,000-track sample (seed 42). One fresh process measures, so that its
 * peak memory is its own; each step's wall-clock time is given with its CPU time, which says what
 * the step costs when other work shares the machine:
 * - `loadCatalogue`: reading every stored track and preparing the catalogue;
 * - assigning every stored track to the nearest of 12 k-means centroids (fitted on the sample,
 *   label encoding, as notebook 03) and to the nearest of 12 medoids by Gower distance with the
 *   sample's ranges (the medoids of `kMedoids` on the sample's Gower matrix when
 *   lib/cluster/kmedoids/kmedoids.ts exists, else 12 seeded sample rows: the cost is the same);
 * - 1,000 `similar(id, 10)` queries on seeded random tracks: median and 95th percentile;
 * - placing every stored track on the sample's t-SNE map (`placeOnEmbedding`, defaults), after a
 *   t-SNE of the z-scored sample (not timed), with the share of the true 25 nearest sampled tracks
 *   its neighbour search found (1,000 tracks checked by brute force); and `placementQuality` on
 *   1,000 held-out sample rows.
 * Python (test/reference/catalogue_bench.py, reference virtualenv): `gower.gower_topn` on the first
 * N (default 50) of the same query tracks, a second or two each, and openTSNE's `transform` of the
 * same tracks on the same map (and of the same held-out rows). The results of `similar` and
 * `gower_topn` are compared track by track. Prints a markdown table and the machine's load average.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { assignToCentroids } from '../../lib/cluster/kmeans/assign';
import { assignTracksToMedoids } from '../../lib/cluster/kmedoids/assign-tracks';
import { catalogueFromColumns } from '../../lib/catalogue/catalogue';
import { readTrackColumns } from '../catalogue/track-columns-reference';
import { dropDuplicateTracks, keepPopularTracks } from '../../lib/data/clean';
import { readParameters } from '../../lib/notebook/parameters';
import { PROJECT_ROOT } from '../../lib/paths';
import { storeTracks, tracksFromFrame } from '../../lib/data/db';
import { loadSpotifyCsv } from '../../lib/data/loader';
import { clusteringFeatures } from '../../lib/data/sample';
import { CATEGORICAL_FEATURES, NUMERIC_FEATURES, SPOTIFY_COLUMNS } from '../../lib/data/schema';
import { encodeFrame, encodeLike } from '../../lib/distance/encode';
import { gowerMatrix } from '../../lib/distance/gower';
import { StandardScaler } from '../../lib/distance/scaler';
import { kMeans } from '../../lib/cluster/kmeans/kmeans';
import { CellIndex } from '../../lib/embed/cell-index';
import { placementQuality, placeOnEmbedding } from '../../lib/embed/place';
import { tsne } from '../../lib/embed/tsne';
import { seededRandom } from '../../lib/random';
import { BENCH_DIR, benchmarkSample, fullSizeCsv } from './inputs';

const OUT = join(BENCH_DIR, 'catalogue');
const DB = join(OUT, 'catalogue.duckdb');
const K = 12;
const QUERIES = 1000;
const SIMILAR_N = 10;
const HELD_OUT = 1000;
const SEED = 42;
const FEATURES = SPOTIFY_COLUMNS.map((c) => c.name).filter(
  (name) => CATEGORICAL_FEATURES.includes(name) || NUMERIC_FEATURES.includes(name),
);

/** What the measuring process reports. */
interface Measurement {
  tracks: number;
  /** Wall-clock seconds of each step. */
  seconds: Record<string, number>;
  /** CPU seconds of each step (this process, every thread): what the step costs when the machine is shared. */
  cpu: Record<string, number>;
  similarCpuMs: number[];
  /** Share of the true 25 nearest sampled tracks that the placement's neighbour search found, on 1,000 tracks. */
  neighbourRecall: number;
  similarMs: number[];
  queryIds: string[];
  similar: { ids: string[]; distances: number[] }[];
  medoidSource: string;
  placement: { kl: number; phases: Record<string, number>; fitted: number; placed: number; medianShift: number };
  peakRssBytes: number;
}

interface PythonResult {
  topn?: { track_id: string; ids: string[]; values: number[]; seconds: number }[];
  transform?: { seconds: number; rows: number; fitted: number; placed: number; openTSNE: string };
}

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
const cpuSeconds = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

/** The stored catalogue of the full-size file, made when missing or older than the file. */
async function ensureDatabase(): Promise<void> {
  const csv = fullSizeCsv();
  if (existsSync(DB) && statSync(DB).mtimeMs >= statSync(csv).mtimeMs) return;
  mkdirSync(OUT, { recursive: true });
  console.error(`Storing the cleaned tracks of ${csv} in ${DB} …`);
  const { df } = await loadSpotifyCsv(csv);
  const tracks = keepPopularTracks(dropDuplicateTracks(df).df, readParameters({}).POPULARITY_MIN);
  await storeTracks(DB, tracksFromFrame(tracks));
}

function loadKMedoids():
  ((distances: unknown, k: number, options: { seed: number }) => { medoids: Int32Array }) | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('../../lib/cluster/kmedoids/kmedoids').kMedoids;
  } catch {
    return null;
  }
}

function writeBinary(path: string, values: Float64Array): void {
  writeFileSync(path, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
}

/** Everything measured in this (fresh) process; writes the Python side's inputs. */
async function measure(): Promise<Measurement> {
  const times: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  const { sample } = benchmarkSample();

  let start = process.hrtime.bigint();
  let cpuStart = process.cpuUsage();
  const columns = await readTrackColumns(DB);
  const catalogue = catalogueFromColumns(columns);
  times.load = seconds(start);
  cpu.load = cpuSeconds(cpuStart);

  // k-means fitted on the sample as notebook 03 fits it (not timed), then every track assigned.
  const encoded = encodeFrame(sample, { idColumn: 'track_id', categoricalColumns: CATEGORICAL_FEATURES });
  const scaler = new StandardScaler();
  const z = scaler.fitTransform(encoded.matrix);
  const km = kMeans(z, K, { seed: SEED, nInit: 10 });
  start = process.hrtime.bigint();
  cpuStart = process.cpuUsage();
  const byCentroid = assignToCentroids(columns.columns, { encoded, scaler, centroids: km.centroids });
  times.assignKMeans = seconds(start);
  cpu.assignKMeans = cpuSeconds(cpuStart);

  const features = clusteringFeatures(sample);
  const kMedoids = loadKMedoids();
  let medoids: ArrayLike<number>;
  let medoidSource: string;
  if (kMedoids) {
    medoids = kMedoids(gowerMatrix(features, { categorical: CATEGORICAL_FEATURES }), K, { seed: SEED }).medoids;
    medoidSource = 'kMedoids on the sample';
  } else {
    const random = seededRandom(SEED);
    medoids = Array.from({ length: K }, () => Math.floor(random() * sample.shape[0]));
    medoidSource = '12 seeded sample rows (no kMedoids in this checkout)';
  }
  start = process.hrtime.bigint();
  cpuStart = process.cpuUsage();
  const byMedoid = assignTracksToMedoids(features, medoids, columns.columns, { categorical: CATEGORICAL_FEATURES });
  times.assignKMedoids = seconds(start);
  cpu.assignKMedoids = cpuSeconds(cpuStart);
  if (byCentroid.labels.length !== columns.size || byMedoid.labels.length !== columns.size)
    throw new Error('Not every track was assigned.');

  const ids = columns.columns.track_id as string[];
  const random = seededRandom(SEED + 1);
  const queryIds = Array.from({ length: QUERIES }, () => ids[Math.floor(random() * ids.length)]);
  const similarMs: number[] = [];
  const similarCpuMs: number[] = [];
  const similar: Measurement['similar'] = [];
  for (const id of queryIds) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    const result = catalogue.similar(id, SIMILAR_N);
    similarMs.push(seconds(t) * 1000);
    similarCpuMs.push(cpuSeconds(c) * 1000);
    similar.push({ ids: result.map((r) => r.track_id), distances: result.map((r) => r.distance) });
  }

  // The sample's map (not timed), then every stored track placed on it.
  console.error('t-SNE of the z-scored sample (not timed) …');
  const map = tsne(z, { seed: SEED });
  const everyTrack = scaler.transform(encodeLike(columns.columns, encoded).matrix);
  const phases: Record<string, number> = {};
  let phaseStart = process.hrtime.bigint();
  let phase = '';
  start = process.hrtime.bigint();
  cpuStart = process.cpuUsage();
  const placed = placeOnEmbedding({ vectors: z, embedding: map.embedding }, everyTrack, {
    onProgress: (p) => {
      if (p.phase !== phase) {
        if (phase) phases[phase] = seconds(phaseStart);
        phase = p.phase;
        phaseStart = process.hrtime.bigint();
      }
    },
  });
  phases[phase] = seconds(phaseStart);
  times.place = seconds(start);
  cpu.place = cpuSeconds(cpuStart);
  // How many of the true 25 nearest sampled tracks the neighbour search found, on 1,000 tracks (brute force: one cell).
  const checked = 1000;
  const width = placed.neighbours.k;
  const truth = new CellIndex(z.data, z.n, z.d, { cells: 1 }).query(
    everyTrack.data.subarray(0, checked * z.d),
    checked,
    width,
  );
  let found = 0;
  for (let i = 0; i < checked; i++) {
    const exact = new Set(truth.indices.subarray(i * width, i * width + width));
    for (let a = 0; a < width; a++) if (exact.has(placed.neighbours.indices[i * width + a])) found++;
  }
  const neighbourRecall = found / (checked * width);
  const quality = placementQuality({ vectors: z, embedding: map.embedding }, { holdOut: HELD_OUT, seed: SEED });

  // The Python side's inputs.
  mkdirSync(OUT, { recursive: true });
  const lines = [['track_id', ...FEATURES].join(',')];
  for (let i = 0; i < columns.size; i++) {
    lines.push([ids[i], ...FEATURES.map((f) => String(columns.columns[f][i]))].map(csvField).join(','));
  }
  writeFileSync(join(OUT, 'tracks.csv'), lines.join('\n') + '\n');
  writeFileSync(join(OUT, 'queries.json'), JSON.stringify({ n: SIMILAR_N, track_ids: queryIds }));
  writeBinary(join(OUT, 'reference.f64'), z.data);
  writeBinary(join(OUT, 'embedding.f64'), map.embedding);
  writeBinary(join(OUT, 'tracks.f64'), everyTrack.data);
  writeFileSync(
    join(OUT, 'meta.json'),
    JSON.stringify({ cols: z.d, rows: z.n, tracks: everyTrack.n, held_out: Array.from(quality.rows) }),
  );

  return {
    tracks: columns.size,
    seconds: times,
    cpu,
    similarMs,
    similarCpuMs,
    neighbourRecall,
    queryIds,
    similar,
    medoidSource,
    placement: {
      kl: placed.kl,
      phases,
      fitted: quality.fitted,
      placed: quality.placed,
      medianShift: quality.medianShift,
    },
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function runPython(what: 'topn' | 'transform', queries?: number): PythonResult {
  const python = execFileSync('bash', [join(PROJECT_ROOT, 'test', 'reference', 'venv.sh')], {
    encoding: 'utf8',
  }).trim();
  if (queries !== undefined) {
    // Only the first `queries` query tracks: gower_topn takes a second or two per track.
    const all = JSON.parse(readFileSync(join(OUT, 'queries.json'), 'utf8'));
    writeFileSync(join(OUT, 'queries.json'), JSON.stringify({ n: all.n, track_ids: all.track_ids.slice(0, queries) }));
  }
  const child = spawnSync(python, [join(PROJECT_ROOT, 'test', 'reference', 'catalogue_bench.py'), OUT, what], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (child.status !== 0) throw new Error(`The Python ${what} measurement failed:\n${child.stderr}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(await measure()));
    return;
  }
  const skipPython = args.includes('--skip-python');
  const queriesAt = args.indexOf('--python-queries');
  const pythonQueries = queriesAt >= 0 ? Number(args[queriesAt + 1]) : 50;
  await ensureDatabase();
  benchmarkSample();
  console.error('TypeScript …');
  const child = spawnSync(process.execPath, ['--max-old-space-size=8192', __filename, '--child'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error('The TypeScript measurement failed.');
  const lines = child.stdout.trim().split('\n');
  const ours: Measurement = JSON.parse(lines[lines.length - 1]);
  let topn: PythonResult['topn'];
  let transform: PythonResult['transform'];
  if (!skipPython) {
    console.error(`Python gower_topn on ${pythonQueries} query tracks …`);
    topn = runPython('topn', pythonQueries).topn;
    console.error('Python openTSNE transform …');
    transform = runPython('transform').transform;
  }

  const ms = (v: number | undefined): string => (v === undefined ? '—' : `${v.toFixed(1)} ms`);
  const s = (v: number | undefined): string => (v === undefined ? '—' : `${v.toFixed(2)} s`);
  const both = (step: string): string => `${s(ours.seconds[step])} (${s(ours.cpu[step])} CPU)`;
  const tracks = ours.tracks.toLocaleString('en-US');
  const pyMs = topn?.map((t) => t.seconds * 1000);
  const phaseList = Object.entries(ours.placement.phases)
    .map(([p, v]) => `${p} ${v.toFixed(1)} s`)
    .join(', ');
  const table = [
    '| step | this project: wall (CPU) | Python reference |',
    '|---|---:|---:|',
    `| \`loadCatalogue\` (read ${tracks} tracks, prepare) | ${both('load')} | |`,
    `| assign every track to the nearest of ${K} k-means centroids | ${both('assignKMeans')} | |`,
    `| assign every track to the nearest of ${K} medoids (Gower, sample ranges) | ${both('assignKMedoids')} | |`,
    `| \`similar(id, ${SIMILAR_N})\`, median (TS: ${QUERIES} queries; Python: first ${topn?.length ?? 0}) | ${ms(percentile(ours.similarMs, 0.5))} (${ms(percentile(ours.similarCpuMs, 0.5))} CPU) | ${pyMs ? `${ms(percentile(pyMs, 0.5))} (\`gower_topn\`)` : '—'} |`,
    `| \`similar(id, ${SIMILAR_N})\`, 95th percentile | ${ms(percentile(ours.similarMs, 0.95))} (${ms(percentile(ours.similarCpuMs, 0.95))} CPU) | ${pyMs ? ms(percentile(pyMs, 0.95)) : '—'} |`,
    `| place every track on the sample's t-SNE map (${phaseList}) | ${both('place')} | ${transform ? `${s(transform.seconds)} (openTSNE ${transform.openTSNE} \`transform\`, 1 thread)` : '—'} |`,
    `| trustworthiness (k = 10) of ${HELD_OUT.toLocaleString('en-US')} held-out sample rows: fitted → placed | ${ours.placement.fitted.toFixed(4)} → ${ours.placement.placed.toFixed(4)} | ${transform ? `${transform.fitted.toFixed(4)} → ${transform.placed.toFixed(4)}` : '—'} |`,
    `| peak memory (max RSS of the measuring process) | ${(ours.peakRssBytes / 1e9).toFixed(2)} GB | |`,
  ];
  console.log(
    `Tracks: ${tracks} stored tracks of the generated full-size file; sample of 10,000 (seed 42); medoids: ${ours.medoidSource}; node ${process.version}, ${cpus().length} cores.\n`,
  );
  console.log(table.join('\n'));
  console.log(
    `\nPlacement: the neighbour search found ${(100 * ours.neighbourRecall).toFixed(1)} % of the true 25 nearest sampled tracks (1,000 tracks checked by brute force); ` +
      `mean KL of the placed tracks ${ours.placement.kl.toFixed(3)}; median shift of a held-out row from its fitted position ${ours.placement.medianShift.toFixed(2)} map units.`,
  );
  if (topn) {
    let sameOrder = 0;
    let tiesOnly = 0;
    let largest = 0;
    topn.forEach((reference, q) => {
      const mine = ours.similar[q];
      const theirs = { ids: reference.ids.slice(1), values: reference.values.slice(1) }; // gower_topn lists the track itself first
      theirs.values.forEach((v, r) => {
        largest = Math.max(largest, Math.abs(v - mine.distances[r]));
      });
      if (theirs.ids.join() === mine.ids.join()) sameOrder++;
      else if (theirs.values.every((v, r) => Math.abs(v - mine.distances[r]) <= 1e-6)) tiesOnly++;
    });
    console.log(
      `\n\`similar\` vs \`gower_topn\` on ${topn.length} query tracks: ${sameOrder} identical rankings` +
        (tiesOnly ? `, ${tiesOnly} differing only in the order of equal distances` : '') +
        `, ${topn.length - sameOrder - tiesOnly} different; largest distance difference ${largest.toExponential(1)}.`,
    );
  }
  console.log(
    `Load average (1, 5, 15 min): ${loadavg()
      .map((v) => v.toFixed(1))
      .join(', ')}.`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
