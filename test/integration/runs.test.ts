/**
 * Every run recorded (issue 19, items 5 and 6), end to end: notebook 03 run three times with
 * different K leaves three rows in `run`, each with its parameters, figures of merit, step times
 * and the sample's clusters, and notebook 05 shows the three runs and the adjusted Rand index of the
 * last two, equal to the one computed here from the kept clusterings. The tracks are stored through
 * the library (as notebook 01 would), so only notebooks 03 and 05 start a kernel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { queryRows } from '../../lib/data/db';
import { storeCleanedTracks } from '../helpers';
import { readRunAssignments, readRuns } from '../../lib/data/runs';
import { adjustedRandIndex } from '../../lib/cluster/evaluate/adjusted-rand';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { runNotebooks } = require(join(PROJECT_ROOT, 'scripts', 'run-notebooks.js')) as {
  runNotebooks(options: {
    out: string;
    html: boolean;
    notebooks: string[];
    env: Record<string, string>;
  }): Promise<boolean>;
};

const work = mkdtempSync(join(tmpdir(), 'runs-'));
const csvText = spotifyCsvText(generateSpotifyRows({ rows: 1500, seed: 21 }));
writeFileSync(join(work, 'SpotifyFeatures.small.csv'), csvText);
const dbPath = join(work, 'runs.duckdb');
const notebooksDir = join(PROJECT_ROOT, 'notebooks');
const notebook = (prefix: string): string =>
  join(
    notebooksDir,
    readdirSync(notebooksDir).find((name) => name.startsWith(prefix))!,
  );
const env = { DB_PATH: dbPath, SAMPLE_SIZE: '300', SEED: '42', SPOTIFY_CSV: join(work, 'SpotifyFeatures.small.csv') };

test(
  'three runs of notebook 03 with K = 3, 4, 5 leave three rows in run, and notebook 05 shows them with the ARI of the last two',
  { timeout: 20 * 60 * 1000 },
  async () => {
    await storeCleanedTracks(dbPath, csvText);
    for (const K of ['3', '4', '5'])
      assert.equal(
        await runNotebooks({ out: join(work, `k${K}`), html: false, notebooks: [notebook('03')], env: { ...env, K } }),
        true,
        `notebook 03 with K = ${K}`,
      );

    const runs = await readRuns(dbPath);
    assert.equal(runs.length, 3);
    assert.deepEqual(
      runs.map((run) => [run.id, run.notebook, run.parameters.K, run.merits.K, run.clustering, run.tracks]),
      [
        [1, '03', 3, 3, 'k-means', 300],
        [2, '03', 4, 4, 'k-means', 300],
        [3, '03', 5, 5, 'k-means', 300],
      ],
    );
    for (const run of runs) {
      assert.deepEqual(Object.keys(run.parameters), [
        'DB_PATH',
        'THREADS',
        'SAMPLE_SIZE',
        'SEED',
        'K',
        'ENCODING',
        'LAYOUT',
        'RUNS_KEPT',
      ]);
      assert.deepEqual(Object.keys(run.merits).sort(), [
        'K',
        'inertia',
        'knee',
        'placement trustworthiness',
        'stability',
        't-SNE KL',
      ]);
      for (const [name, value] of Object.entries(run.merits))
        assert.ok(value === null || Number.isFinite(value), `${name} = ${value}`);
      assert.ok(run.merits.inertia! > 0 && run.merits['placement trustworthiness']! > 0.5, JSON.stringify(run.merits));
      assert.ok(
        Object.keys(run.stepSeconds).some((step) => step.startsWith('k-means elbow sweep')),
        JSON.stringify(run.stepSeconds),
      );
      assert.ok(Object.values(run.stepSeconds).every((seconds) => seconds >= 0));
      assert.ok(run.seconds > 0 && run.finished > run.started);
      assert.match(
        run.projectVersion ?? '',
        /^(commit [0-9a-f]{12}( with uncommitted changes)?|version \d+\.\d+\.\d+)$/,
      );
      assert.equal(run.clusterNames?.length, run.parameters.K);
    }
    const [{ sampled }] = await queryRows(
      dbPath,
      'SELECT count(*) AS sampled FROM run_assignment a JOIN sample_track s USING (track_id) WHERE a.run_id = 3',
    );
    assert.equal(sampled, 300, "the last run's clustering is of the sample notebook 03 stored");

    assert.equal(
      await runNotebooks({ out: join(work, 'runs'), html: true, notebooks: [notebook('05')], env }),
      true,
      'notebook 05',
    );
    const [second, last] = [await readRunAssignments(dbPath, 2), await readRunAssignments(dbPath, 3)];
    assert.deepEqual(second.trackIds, last.trackIds);
    const ari = adjustedRandIndex(second.clusterIds, last.clusterIds);
    const executed = readFileSync(join(work, 'runs', '05-runs.ipynb'), 'utf8');
    assert.ok(!executed.includes('"output_type": "error"'));
    const text = JSON.parse(executed)
      .cells.flatMap((cell: { outputs?: { text?: string[]; data?: Record<string, unknown> }[] }) => cell.outputs ?? [])
      .map((output: { text?: string[]; data?: Record<string, unknown> }) =>
        [
          output.text?.join('') ?? '',
          String(output.data?.['text/plain'] ?? ''),
          String(output.data?.['text/html'] ?? ''),
        ].join('\n'),
      )
      .join('\n');
    assert.match(text, /3 runs kept in /);
    assert.match(
      text,
      new RegExp(
        `Runs 2 \\(notebook 03\\) and 3 \\(notebook 03\\) differ in K 4 → 5; their clusterings of the 300 tracks both clustered agree with an adjusted Rand index of ${ari.toFixed(3)} `,
      ),
    );
    assert.match(text, /Which clusters of run 2 became which of run 3/);
    assert.match(executed, /Figures of merit of notebook 03's 3 runs against K \(K changed\)/);
    const html = readFileSync(join(work, 'runs', '05-runs.html'), 'utf8');
    assert.match(html, /adjusted Rand index of /);
  },
);
