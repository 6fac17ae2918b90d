/**
 * The input of the clustering benchmarks (gower, kmeans, tsne), made with the library the way the
 * notebooks make theirs, so that a benchmark measures what a notebook run does:
 *
 * 1. notebook 01: `loadSpotifyCsv` → `dropDuplicateTracks` → `keepPopularTracks(10)`;
 * 2. notebooks 02 and 03: the tracks in `track_id` order (the order `readTracks` reads them back
 *    from DuckDB in) → `sampleTracks(size, 42)`, then `track_id` and the 15 clustering features.
 *
 * Defaults are the notebooks' own (`readParameters` without environment: popularity above 10,
 * 10,000 tracks, seed 42). The tracks come from a full-size generated file (232,725 rows, seed 2024,
 * at build/bench/SpotifyFeatures.full.csv, made when missing; the load benchmark uses the same
 * file), or from any SpotifyFeatures-format file given, such as data/SpotifyFeatures.sample.csv or
 * a real copy.
 *
 * The sample is written as a CSV, `track_id` then the 15 features in file order (what the Python
 * sides in test/reference/ read), to build/bench/sample-<size>.csv for the generated file and to
 * build/bench/sample-<size>-<file name>-<hash of its path>.csv for a file given, so that samples of
 * different files never pass for each other. It is remade when it is missing, older than the file it
 * was drawn from, or not in this format; otherwise it is read back instead of the whole file.
 *
 *   benchmarkSample().sample.shape                                  // [10000, 16]
 *   benchmarkSample({ source: 'data/SpotifyFeatures.sample.csv', size: 20000 }).csv
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { DataFrame } from 'danfojs-node';
import { dropDuplicateTracks, keepPopularTracks } from '../../lib/data/clean';
import { readParameters } from '../../lib/notebook/parameters';
import { BUILD_DIR } from '../../lib/paths';
import { readRecordAt } from '../../lib/data/csv-lines';
import { COLUMN_TYPES, frameColumn, frameFromColumns, frameRows, takeRows } from '../../lib/data/frame';
import { loadSpotifyCsv } from '../../lib/data/loader';
import { METADATA_COLUMNS, sampleTracks } from '../../lib/data/sample';
import { ColumnSpec, SPOTIFY_COLUMNS } from '../../lib/data/schema';
import { writeSyntheticSpotifyCsv } from '../../lib/data/synthetic';

/** Where benchmark inputs go. */
export const BENCH_DIR = join(BUILD_DIR, 'bench');

/** The full-size generated file (the load benchmark's too). */
export const FULL_CSV = join(BENCH_DIR, 'SpotifyFeatures.full.csv');

/** The notebooks' defaults: popularity above 10, 10,000 tracks, seed 42. */
const { POPULARITY_MIN, SAMPLE_SIZE, SEED } = readParameters({});

/** The sample file's columns: track_id, then the 15 clustering features in file order. */
const SAMPLE_COLUMNS: readonly ColumnSpec[] = [
  ...SPOTIFY_COLUMNS.filter((c) => c.name === 'track_id'),
  ...SPOTIFY_COLUMNS.filter((c) => !METADATA_COLUMNS.includes(c.name)),
];
const SAMPLE_HEADER = SAMPLE_COLUMNS.map((c) => c.name).join(',');

/** What `benchmarkSample` accepts; every field has a default. */
export interface BenchmarkSampleOptions {
  /** Tracks to sample (default 10,000; all of them when there are fewer). */
  size?: number;
  /** A SpotifyFeatures-format file to draw from (default: the full-size generated file). */
  source?: string;
}

/** A benchmark sample and where it came from. */
export interface BenchmarkSample {
  /** The SpotifyFeatures-format file the tracks were drawn from. */
  source: string;
  /** The sample as CSV (track_id and the 15 features), the file the Python sides read. */
  csv: string;
  /** The sample: track_id and the 15 clustering features, one row per track, in sample order. */
  sample: DataFrame;
}

/**
 * The benchmark sample of `size` tracks from `source`, drawn as the notebooks draw theirs (see the
 * file's header), written to (or, when up to date, read back from) its CSV in build/bench/.
 * @example benchmarkSample({ size: 20000 }).sample.shape // [20000, 16]
 */
export function benchmarkSample(options: BenchmarkSampleOptions = {}): BenchmarkSample {
  const size = options.size ?? SAMPLE_SIZE;
  const source = options.source === undefined ? fullSizeCsv() : resolve(options.source);
  if (!existsSync(source)) throw new Error(`There is no file at ${source} to draw the benchmark sample from.`);
  const csv = samplePath(source, size, options.source === undefined);
  const upToDate =
    existsSync(csv) && statSync(csv).mtimeMs >= statSync(source).mtimeMs && firstLine(csv) === SAMPLE_HEADER;
  // drawn in a child process (test/bench/draw-sample.ts): the loader is asynchronous, and every
  // benchmark calls this synchronously
  if (!upToDate)
    execFileSync(process.execPath, [join(__dirname, 'draw-sample.js'), source, String(size), csv], {
      stdio: 'inherit',
    });
  return { source, csv, sample: readBenchmarkSample(csv) };
}

/**
 * A sample CSV written by `benchmarkSample`, as a frame with the schema's dtypes.
 * @example readBenchmarkSample('build/bench/sample-10000.csv').columns[0] // 'track_id'
 */
export function readBenchmarkSample(csv: string): DataFrame {
  const bytes = readFileSync(csv);
  const records: string[][] = [];
  const lines: number[] = [];
  for (let at = 0, line = 1; at < bytes.length;) {
    const record = readRecordAt(bytes, at, line);
    records.push(record.fields);
    lines.push(line);
    line += record.swallowed + 1;
    at = record.next;
  }
  const header = records.shift();
  if (header?.join(',') !== SAMPLE_HEADER) {
    throw new Error(
      `${csv} is not a benchmark sample: its header should be ${SAMPLE_HEADER}, got ${header?.join(',') ?? 'nothing'}.`,
    );
  }
  const kinds = SAMPLE_COLUMNS.map((c) => c.kind);
  records.forEach((fields, r) => {
    if (fields.length !== kinds.length)
      throw new Error(`Line ${lines[r + 1]} of ${csv} has ${fields.length} fields, not ${kinds.length}.`);
  });
  const columns = kinds.map((kind, f) => {
    if (kind === 'text') return records.map((fields) => fields[f]);
    return Float64Array.from(records, (fields, r) => {
      const field = fields[f];
      const value = Number(field);
      if (field.trim() === '' || !Number.isFinite(value))
        throw new Error(`Line ${lines[r + 1]} of ${csv}: ${SAMPLE_COLUMNS[f].name} is '${field}', not a number.`);
      return value;
    });
  });
  return frameFromColumns(
    columns,
    SAMPLE_COLUMNS.map((c) => c.name),
    kinds.map((kind) => COLUMN_TYPES[kind].dtype),
  );
}

/** The full-size generated file, made on first use. */
export function fullSizeCsv(): string {
  if (!existsSync(FULL_CSV)) {
    mkdirSync(BENCH_DIR, { recursive: true });
    console.error(`Generating ${FULL_CSV} (232,725 rows, seed 2024) …`);
    writeSyntheticSpotifyCsv(FULL_CSV, { rows: 232725, seed: 2024 });
  }
  return FULL_CSV;
}

/** build/bench/sample-<size>.csv for the generated file; a name that also says which file otherwise. */
function samplePath(source: string, size: number, generated: boolean): string {
  if (generated) return join(BENCH_DIR, `sample-${size}.csv`);
  const stem = basename(source, extname(source)).replace(/[^\w.-]+/g, '_');
  const hash = createHash('sha1').update(source).digest('hex').slice(0, 8);
  return join(BENCH_DIR, `sample-${size}-${stem}-${hash}.csv`);
}

/** Notebook 01's cleaning, then notebooks 02/03's sample of the tracks in track_id order. */
export async function drawSample(source: string, size: number): Promise<DataFrame> {
  const { df } = await loadSpotifyCsv(source);
  const unique = dropDuplicateTracks(df).df;
  const tracks = keepPopularTracks(unique, POPULARITY_MIN);
  const ids = Array.from(frameColumn(tracks, 'track_id'), String);
  // readTracks' `ORDER BY track_id`; ids are unique here, so the order is total.
  const byTrackId = Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : 1));
  const sample = sampleTracks(takeRows(tracks, byTrackId), size, SEED);
  console.error(
    `Benchmark sample from ${source}: ${df.shape[0].toLocaleString('en-US')} rows, ${unique.shape[0].toLocaleString('en-US')} distinct tracks, ` +
      `${tracks.shape[0].toLocaleString('en-US')} with popularity above ${POPULARITY_MIN}; ${sample.shape[0].toLocaleString('en-US')} sampled with seed ${SEED}.`,
  );
  return sample;
}

/** Writes the sample's track_id and features as CSV (RFC 4180 quoting where a value needs it). */
export function writeSample(csv: string, sample: DataFrame): void {
  const positions = SAMPLE_COLUMNS.map((c) => sample.columns.indexOf(c.name));
  const field = (value: string | number): string =>
    typeof value === 'number' ? String(value) : /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  const lines = [SAMPLE_HEADER];
  for (const row of frameRows(sample)) lines.push(positions.map((p) => field(row[p] as string | number)).join(','));
  mkdirSync(BENCH_DIR, { recursive: true });
  const partial = `${csv}.${process.pid}.partial`;
  writeFileSync(partial, lines.join('\n') + '\n');
  renameSync(partial, csv);
  console.error(`Wrote ${csv}.`);
}

function firstLine(path: string): string {
  const text = readFileSync(path, 'utf8');
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
}
