/**
 * Executes every notebook headless (nbconvert, the project's tslab kernel) on a small generated
 * data set, mangled the ways real copies are, and checks what they wrote to DuckDB. Any cell error
 * fails the test. Executed copies go to build/test-notebooks/ for inspection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { generateSpotifyRows, mangleSpotifyCsv, spotifyCsvText } from '../../lib/data/synthetic';
import { queryRows, tableCounts } from '../../lib/data/db';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { runNotebooks } = require(join(PROJECT_ROOT, 'scripts', 'run-notebooks.js')) as {
  runNotebooks(options: {
    out: string;
    html: boolean;
    notebooks: string[];
    env: Record<string, string>;
  }): Promise<boolean>;
};

const work = join(PROJECT_ROOT, 'build', 'test-notebooks');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const rows = generateSpotifyRows({ rows: 3000, seed: 11 });
const csvPath = join(work, 'SpotifyFeatures.mangled.csv');
writeFileSync(
  csvPath,
  mangleSpotifyCsv(spotifyCsvText(rows), { bom: true, crlf: true, spreadsheetDates: 0.3, cutLastLine: true }),
);
const dbPath = join(work, 'test.duckdb');
const playlistDir = join(work, 'playlists');
const env = {
  SPOTIFY_CSV: csvPath,
  DB_PATH: dbPath,
  SAMPLE_SIZE: '500',
  K: '4',
  SEED: '42',
  POPULARITY_MIN: '10',
  PLAYLIST_DIR: playlistDir,
};
const notebooks = readdirSync(join(PROJECT_ROOT, 'notebooks'))
  .filter((n) => /^\d\d.*\.ipynb$/.test(n))
  .sort()
  .map((n) => join(PROJECT_ROOT, 'notebooks', n));

/** The cleaning worked out independently from the generator's rows: cut-off last row, first of each id, popularity > 10. */
function expectedTrackCount(): number {
  const seen = new Set<string>();
  let kept = 0;
  for (const row of rows.slice(0, -1)) {
    if (seen.has(row.track_id)) continue;
    seen.add(row.track_id);
    if (row.popularity > 10) kept++;
  }
  return kept;
}

async function snapshot(): Promise<string> {
  const parts = await Promise.all(
    ['track', 'cluster', 'track_to_cluster', 'sample_track', 'gower_cluster', 'track_to_gower_cluster'].map(
      async (table) => JSON.stringify(await queryRows(dbPath, `SELECT * FROM ${table} ORDER BY ALL`)),
    ),
  );
  return parts.join('\n');
}

test(
  'every notebook runs headless without a cell error on a mangled generated file',
  { timeout: 30 * 60 * 1000 },
  async () => {
    assert.ok(notebooks.length >= 1);
    assert.equal(await runNotebooks({ out: join(work, 'run1'), html: true, notebooks, env }), true);
    const counts = await tableCounts(dbPath);
    assert.equal(counts.track, expectedTrackCount());
    const executed = JSON.parse(readFileSync(join(work, 'run1', '01-cleaning.ipynb'), 'utf8'));
    const text = JSON.stringify(executed);
    assert.match(text, /Repaired \d+ time_signature values/);
    assert.match(text, /Skipped 1 incomplete row/);
    assert.match(text, /SpotifyFeatures\.mangled\.csv/);
    assert.ok(!/"output_type": "error"/.test(JSON.stringify(executed, null, 1)));
    // the run let go of its locks and its report folder holds this run's reports only
    assert.deepEqual(
      readdirSync(work).filter((name) => name.endsWith('.lock') || name.includes('.partial-')),
      [],
    );
    assert.deepEqual(
      readdirSync(join(work, 'run1')).sort(),
      notebooks
        .flatMap((nb) => {
          const stem = basename(nb, '.ipynb');
          return [`${stem}.html`, `${stem}.ipynb`];
        })
        .sort(),
    );
  },
);

test('notebook 03 leaves K clusters holding every stored track, the sample in sample_track, every key resolving', async () => {
  const tracks = expectedTrackCount();
  const sample = Math.min(Number(env.SAMPLE_SIZE), tracks);
  const [row] = await queryRows(
    dbPath,
    `SELECT
      (SELECT count(*) FROM cluster) AS clusters,
      (SELECT sum(size) FROM cluster) AS total_size,
      (SELECT count(*) FROM track_to_cluster) AS memberships,
      (SELECT count(DISTINCT track_id) FROM track_to_cluster) AS distinct_tracks,
      (SELECT count(*) FROM track_to_cluster m JOIN track t USING (track_id) JOIN cluster c ON c.id = m.cluster_id) AS resolved,
      (SELECT count(*) FROM sample_track s JOIN track t USING (track_id)) AS sampled`,
  );
  assert.deepEqual(row, {
    clusters: Number(env.K),
    total_size: tracks,
    memberships: tracks,
    distinct_tracks: tracks,
    resolved: tracks,
    sampled: sample,
  });
});

test('notebook 02 leaves a k-medoids clustering of every stored track, medoids among the tracks, every key resolving', async () => {
  const tracks = expectedTrackCount();
  const [row] = await queryRows(
    dbPath,
    `SELECT
      (SELECT sum(size) FROM gower_cluster) AS total_size,
      (SELECT count(*) FROM gower_cluster g JOIN track t ON t.track_id = g.medoid_track_id) AS medoids_resolved,
      (SELECT count(*) FROM gower_cluster) AS clusters,
      (SELECT count(*) FROM track_to_gower_cluster m JOIN track t USING (track_id) JOIN gower_cluster g ON g.id = m.cluster_id) AS resolved,
      (SELECT count(*) FROM track_to_gower_cluster WHERE distance < 0 OR distance > 1) AS out_of_range`,
  );
  assert.equal(row.total_size, tracks);
  assert.equal(row.resolved, tracks);
  assert.equal(row.medoids_resolved, row.clusters);
  assert.equal(row.out_of_range, 0);
});

test('notebook 04 writes a playlist from the track and one per k-medoids cluster, and links track names to Spotify', async () => {
  const [{ clusters }] = await queryRows(dbPath, 'SELECT count(*) AS clusters FROM gower_cluster');
  const files = readdirSync(playlistDir).sort();
  assert.equal(files.length, 3 * (Number(clusters) + 1), files.join(', '));
  for (const name of files.filter((file) => file.endsWith('.m3u'))) {
    const lines = readFileSync(join(playlistDir, name), 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], '#EXTM3U', name);
    assert.equal(lines.length, 1 + 2 * 20, `${name}: 20 tracks (PLAYLIST_SIZE)`);
    assert.match(lines[1], /^#EXTINF:\d+,.+ - .+$/);
    assert.match(lines[2], /^https:\/\/open\.spotify\.com\/track\/\w+$/);
  }
  const html = readFileSync(join(work, 'run1', '04-catalogue.html'), 'utf8');
  // the report re-serialises the HTML (attributes in alphabetical order)
  assert.match(html, /<a href="https:\/\/open\.spotify\.com\/track\/\w+"[^>]*target="_blank"/);
});

test(
  'running the notebooks that store tracks and clusterings (01–03) a second time leaves the same database',
  { timeout: 30 * 60 * 1000 },
  async () => {
    // notebooks 04 and 05 only read these tables (each records its run in `run`, which is not compared),
    // so the second run leaves them out: each notebook run costs a kernel's start
    const writers = notebooks.filter((nb) => /^0[123]-/.test(basename(nb)));
    assert.equal(writers.length, 3);
    const before = await snapshot();
    assert.equal(await runNotebooks({ out: join(work, 'run2'), html: false, notebooks: writers, env }), true);
    assert.equal(await snapshot(), before);
  },
);
