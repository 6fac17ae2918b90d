/**
 * What many tests share: reading a fixture made by a script in test/reference/, turning a
 * base64 condensed Float32 matrix from such a fixture into a `DistanceMatrix`, closeness
 * assertions with a stated tolerance, running a step with a given number of pool threads, and
 * storing a CSV text's tracks as notebook 01 would, without a kernel.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DistanceMatrix } from '../lib/matrix/distance-matrix';
import { randomNormal, seededRandom } from '../lib/random';
import { PROJECT_ROOT } from '../lib/paths';
import { getThreads, setThreads } from '../lib/parallel/pool';
import type { TrackColumns } from '../lib/catalogue/catalogue';
import { parseSpotifyCsv, tableToDataFrame } from '../lib/data/loader';
import { dropDuplicateTracks, keepPopularTracks } from '../lib/data/clean';
import { storeTracks, tracksFromFrame } from '../lib/data/db';

/** The folder of the reference fixtures, test/fixtures/. */
export const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures');

/** A JSON fixture from test/fixtures/, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are JSON; each test states the shape it reads
export function readFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

/** A condensed Float32 matrix stored as base64 by a reference script (numpy's `tobytes()`), over `n` rows. */
export function condensedFromBase64(base64: string, n: number): DistanceMatrix {
  const bytes = Buffer.from(base64, 'base64');
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return new DistanceMatrix(n, values);
}

/** `actual` is within `tolerance` of `expected` (absolute). */
export function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} differs from ${expected} by more than ${tolerance}`,
  );
}

/** `actual` is within `tolerance` of `expected` relative to |expected| (at least 1e-12). */
export function assertCloseRelative(actual: number, expected: number, tolerance: number, what: string): void {
  const scale = Math.max(Math.abs(expected), 1e-12);
  assert.ok(
    Math.abs(actual - expected) / scale <= tolerance,
    `${what}: ${actual} vs ${expected} (relative tolerance ${tolerance})`,
  );
}

/** Every element of `actual` is within `tolerance` of the same element of `expected`, and the lengths agree. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], tolerance, `${what}[${i}]`);
}

/**
 * A SHA-256 of everything a DuckDB file holds: every table of the main schema with its columns,
 * row count and rows (sorted), so two snapshots are equal exactly when the contents are. Nothing
 * is created: a missing file hashes as 'no database'.
 */
export async function databaseContentHash(path: string): Promise<string> {
  const { existsSync } = await import('node:fs');
  if (!existsSync(path)) return 'no database';
  const { createHash } = await import('node:crypto');
  const { queryRows } = await import('../lib/data/db');
  const hash = createHash('sha256');
  const tables = await queryRows(
    path,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name",
  );
  for (const { table_name: table } of tables) {
    const name = `"${String(table).replace(/"/g, '""')}"`;
    hash.update(
      `${table}\n${JSON.stringify(await queryRows(path, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`))}\n`,
    );
    hash.update(
      JSON.stringify(await queryRows(path, `SELECT * FROM ${name} ORDER BY ALL`), (_key, value) =>
        typeof value === 'bigint' ? String(value) : value,
      ),
    );
  }
  return hash.digest('hex');
}

/**
 * Store both clusterings of a database's tracks as one cluster each (every track in cluster 0, the
 * first ten tracks as the k-means sample, the first track as the medoid): enough for what notebook 04
 * reads, for tests of the checks that come before it.
 */
export async function storeOneClusterEach(path: string): Promise<string[]> {
  const { queryRows, storeClustering, storeGowerClustering } = await import('../lib/data/db');
  const ids = (await queryRows(path, 'SELECT track_id FROM track ORDER BY track_id')).map((row) =>
    String(row.track_id),
  );
  const zeros = new Int32Array(ids.length);
  await storeClustering(path, [{ id: 0, x: 0, y: 0, size: ids.length }], {
    trackIds: ids,
    clusterIds: zeros,
    sampleTrackIds: ids.slice(0, 10),
  });
  await storeGowerClustering(path, {
    clusters: [{ id: 0, medoidTrackId: ids[0], size: ids.length }],
    assignments: { trackIds: ids, clusterIds: zeros, distances: new Float64Array(ids.length) },
  });
  return ids;
}

/**
 * Euclidean distances of points in three well-separated blobs of 2-D Gaussian noise (centres (0, 0),
 * (10, 0), (0, 10)), `perBlob` points each, seeded; stored as Float32 or Float64.
 */
export function blobDistances(
  perBlob: number,
  seed: number,
  precision: 'float32' | 'float64' = 'float32',
): DistanceMatrix {
  const random = seededRandom(seed);
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const xs = centres.flatMap(([cx, cy]) =>
    Array.from({ length: perBlob }, () => [cx + randomNormal(random), cy + randomNormal(random)]),
  );
  const n = xs.length;
  const pairs = (n * (n - 1)) / 2;
  const d = new DistanceMatrix(n, precision === 'float64' ? new Float64Array(pairs) : new Float32Array(pairs));
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) d.condensed[k++] = Math.hypot(xs[i][0] - xs[j][0], xs[i][1] - xs[j][1]);
  return d;
}

/** Hand-made catalogue tracks (for `catalogueFromColumns`): every feature the same but the ones named. */
export function handMade(tracks: Record<string, string | number>[]): TrackColumns {
  const base: Record<string, string | number> = {
    track_name: 'x',
    artist_name: 'y',
    genre: 'Pop',
    popularity: 50,
    acousticness: 0.5,
    danceability: 0.5,
    duration_ms: 200000,
    energy: 0.5,
    instrumentalness: 0,
    key: 'C',
    liveness: 0.1,
    loudness: -5,
    mode: 'Major',
    speechiness: 0.05,
    tempo: 120,
    time_signature: '4/4',
    valence: 0.5,
  };
  const rows = tracks.map((t) => ({ ...base, ...t }));
  const names = Object.keys(rows[0]);
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const name of names) {
    const values = rows.map((r) => r[name]);
    columns[name] = typeof values[0] === 'number' ? Float64Array.from(values as number[]) : (values as string[]);
  }
  return { size: rows.length, names, columns };
}

/**
 * Random rows of two categorical and three numeric features, seeded, each value missing (null) with
 * probability `holes`: the awkward input the Gower tests share.
 */
export function randomGowerRows(n: number, seed: number, holes: number): Record<string, unknown>[] {
  const random = seededRandom(seed);
  const maybe = <T>(v: T): T | null => (random() < holes ? null : v);
  return Array.from({ length: n }, () => ({
    genre: maybe(['Pop', 'Rock', 'Jazz', 'Folk'][Math.floor(random() * 4)]),
    mode: maybe(random() < 0.5 ? 'Major' : 'Minor'),
    energy: maybe(random()),
    tempo: maybe(60 + 120 * random()),
    loudness: maybe(-30 * random()),
  }));
}

/**
 * What `run` returns with the worker pool set to `threads` threads (THREADS), the setting restored
 * afterwards: the thread-count tests run a step at 1 and 2 threads and compare bit for bit.
 */
export function withThreads<T>(threads: number, run: () => T): T {
  const before = getThreads();
  setThreads(threads);
  try {
    return run();
  } finally {
    setThreads(before);
  }
}

/** The same, for a step that returns a promise. */
export async function withThreadsAsync<T>(threads: number, run: () => Promise<T>): Promise<T> {
  const before = getThreads();
  setThreads(threads);
  try {
    return await run();
  } finally {
    setThreads(before);
  }
}

/**
 * Store the tracks notebook 01 would store from `csvText` (first row of each id, popularity above
 * `popularityMin`) in `dbPath`, through the library: a test that runs later notebooks then starts no
 * kernel for notebook 01. Returns the cleaned frame and what storeTracks answered.
 */
export async function storeCleanedTracks(dbPath: string, csvText: string, popularityMin = 10) {
  const tracks = keepPopularTracks(
    dropDuplicateTracks(tableToDataFrame((await parseSpotifyCsv(csvText)).table)).df,
    popularityMin,
  );
  return { tracks, stored: await storeTracks(dbPath, tracksFromFrame(tracks)) };
}
