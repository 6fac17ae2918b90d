/**
 * The smallest values the pre-run check accepts run through every notebook (issue 21, "every value
 * the check accepts runs to the end"): one generated file of 300 rows (185 tracks with a popularity
 * above 10), run headless two ways:
 * - the largest POPULARITY_MIN that leaves the 91 tracks the clustering needs (93 here: 94 tracks),
 *   through every notebook, and one more, refused by the check before anything changes. The file
 *   then holds fewer tracks than SAMPLE_SIZE (the default 10,000): the sample holds every stored
 *   track, so notebook 03 places none and says so;
 * - SAMPLE_SIZE=91, the smallest accepted, on the 185 tracks stored through the library as notebook
 *   01 stores them (notebooks 02–04 only: notebook 01 does not read SAMPLE_SIZE): 94 tracks placed,
 *   the placement's hold-out sized from 91.
 * Each notebook run costs a kernel's start (seconds of CPU), so the cases share runs where they can.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { queryRows } from '../../lib/data/db';
import { storeCleanedTracks } from '../helpers';
import { smallestSample } from '../../lib/notebook/parameters';

/** The project's root (this file runs as build/test/integration/small-files.test.js). */
const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
/** The smallest sample the check accepts (its smallestSample(); the README says 91 too). */
const SMALLEST = smallestSample();

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { runNotebooks } = require(join(PROJECT_ROOT, 'scripts', 'run-notebooks.js')) as {
  runNotebooks(options: {
    out: string;
    html: boolean;
    notebooks: string[];
    env: Record<string, string>;
    log?: (line: string) => void;
  }): Promise<boolean>;
};

const work = join(PROJECT_ROOT, 'build', 'test-small-files');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const rows = generateSpotifyRows({ rows: 300, seed: 2024 });
const csvPath = join(work, 'SpotifyFeatures.small.csv');
const csvText = spotifyCsvText(rows);
writeFileSync(csvPath, csvText);
const notebook = (name: string) => join(PROJECT_ROOT, 'notebooks', name);
const ALL = ['01-cleaning', '02-gower-clustering', '03-kmeans-clustering', '04-catalogue'].map((n) =>
  notebook(`${n}.ipynb`),
);

/** The popularity of each distinct track (the first row of each id), highest first. */
const popularity = (() => {
  const seen = new Set<string>();
  const out: number[] = [];
  for (const row of rows) {
    if (seen.has(row.track_id)) continue;
    seen.add(row.track_id);
    out.push(row.popularity);
  }
  return out.sort((a, b) => b - a);
})();
const tracksAbove = (min: number) => popularity.filter((p) => p > min).length;

/** Runs the notebooks, asserting success and showing the runner's lines when it fails. */
async function run(out: string, notebooks: string[], env: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const ok = await runNotebooks({ out, html: false, notebooks, env, log: (line) => lines.push(line) });
  assert.equal(ok, true, lines.join('\n'));
  return lines;
}

/** Every text a notebook printed, and whether any cell failed. */
function printed(path: string): { text: string; errors: number } {
  const executed = JSON.parse(readFileSync(path, 'utf8')) as {
    cells: { outputs?: { output_type: string; text?: string | string[] }[] }[];
  };
  const outputs = executed.cells.flatMap((cell) => cell.outputs ?? []);
  const text = outputs
    .filter((o) => o.output_type === 'stream')
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
    .join('');
  return { text, errors: outputs.filter((o) => o.output_type === 'error').length };
}

/** What the clustering notebooks stored: tracks, memberships of both clusterings, the sample. */
async function stored(dbPath: string): Promise<Record<string, unknown>> {
  const [row] = await queryRows(
    dbPath,
    `SELECT
      (SELECT count(*) FROM track) AS tracks,
      (SELECT count(*) FROM track_to_cluster m JOIN track USING (track_id) JOIN cluster c ON c.id = m.cluster_id) AS kmeans,
      (SELECT sum(size) FROM cluster) AS kmeans_sizes,
      (SELECT count(*) FROM track_to_gower_cluster g JOIN track USING (track_id) JOIN gower_cluster c ON c.id = g.cluster_id) AS kmedoids,
      (SELECT count(*) FROM sample_track JOIN track USING (track_id)) AS sampled`,
  );
  return row;
}

test(
  'SAMPLE_SIZE at the smallest accepted value runs through notebooks 02–04, the placement sized from 91 tracks',
  { timeout: 10 * 60 * 1000 },
  async () => {
    const tracks = tracksAbove(10);
    const sample = SMALLEST;
    const out = join(work, 'smallest-sample');
    // the tracks notebook 01 would store with the default POPULARITY_MIN (10), stored without a kernel
    const dbPath = join(work, 'small.duckdb');
    await storeCleanedTracks(dbPath, csvText);
    await run(out, ALL.slice(1), { SPOTIFY_CSV: csvPath, DB_PATH: dbPath, SEED: '42', SAMPLE_SIZE: String(sample) });
    assert.deepEqual(await stored(dbPath), {
      tracks,
      kmeans: tracks,
      kmeans_sizes: tracks,
      kmedoids: tracks,
      sampled: sample,
    });
    for (const name of ['02-gower-clustering', '03-kmeans-clustering', '04-catalogue'])
      assert.equal(printed(join(out, `${name}.ipynb`)).errors, 0, name);
    const { text } = printed(join(out, '03-kmeans-clustering.ipynb'));
    assert.match(
      text,
      /21 sampled tracks placed as if new: trustworthiness [\d.]+, against [\d.]+ .*\(10 neighbours\)/,
    );
    assert.doesNotMatch(text, /no track is placed/);
  },
);

test(
  'the largest POPULARITY_MIN that leaves enough tracks runs through every notebook, fewer tracks than SAMPLE_SIZE: notebook 03 places none and says so; one more is refused before anything changes',
  { timeout: 10 * 60 * 1000 },
  async () => {
    const largest = popularity[SMALLEST - 1] - 1;
    const tracks = tracksAbove(largest);
    assert.ok(tracks >= SMALLEST && tracks < SMALLEST + 10, `${tracks} tracks above ${largest}`);
    const db = join(work, 'barely.duckdb');
    const env = { SPOTIFY_CSV: csvPath, DB_PATH: db, SEED: '42', POPULARITY_MIN: String(largest) };
    await run(join(work, 'barely-enough'), ALL, env);
    const before = await stored(db);
    assert.deepEqual(before, { tracks, kmeans: tracks, kmeans_sizes: tracks, kmedoids: tracks, sampled: tracks });
    for (const name of ['01-cleaning', '02-gower-clustering', '03-kmeans-clustering', '04-catalogue'])
      assert.equal(printed(join(work, 'barely-enough', `${name}.ipynb`)).errors, 0, name);
    assert.ok(tracks < 10000, `${tracks} tracks, fewer than the default SAMPLE_SIZE`);
    const { text } = printed(join(work, 'barely-enough', '03-kmeans-clustering.ipynb'));
    assert.match(text, new RegExp(`The sample holds all ${tracks} stored tracks, so no track is placed afterwards`));
    assert.doesNotMatch(text, /placed as if new/);

    const lines: string[] = [];
    const refused = await runNotebooks({
      out: join(work, 'too-few'),
      html: false,
      notebooks: ALL,
      env: { ...env, POPULARITY_MIN: String(largest + 1) },
      log: (line) => lines.push(line),
    });
    assert.equal(refused, false);
    assert.match(lines.join('\n'), new RegExp(`POPULARITY_MIN is ${largest + 1}, .*the largest value that works`));
    assert.deepEqual(await stored(db), before);
  },
);
