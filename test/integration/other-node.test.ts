/**
 * Notebook 01 on another Node release: `npm test` runs this file (with the unit tests) under Node 24
 * when the machine's Node is another one (scripts/test.js, scripts/node-runtime.js), with
 * SPOTIFY_CLUSTERS_OTHER_NODE=1; elsewhere it is skipped, since test/integration/notebooks.test.ts
 * runs every notebook on the machine's Node. The kernel must run on the Node of the test, not on the
 * one the set-up registered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { tableCounts } from '../../lib/data/db';

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
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { jupyterEnv, VENV_PYTHON } = require(join(PROJECT_ROOT, 'scripts', 'setup.js')) as {
  jupyterEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
  VENV_PYTHON: string;
};

const skip =
  process.env.SPOTIFY_CLUSTERS_OTHER_NODE === '1'
    ? false
    : "runs in npm test's pass under Node 24 (notebooks.test.ts runs the notebooks on this Node)";

test(`a kernel started from Node ${process.versions.node} runs on it`, { skip, timeout: 300_000 }, () => {
  const probe = spawnSync(VENV_PYTHON, [join(PROJECT_ROOT, 'test', 'integration', 'kernel-probe.py')], {
    input: JSON.stringify(['console.log(process.version)']),
    env: jupyterEnv(),
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(probe.status, 0, probe.stderr);
  const events = JSON.parse(probe.stdout) as { text?: string }[];
  assert.deepEqual(
    events.filter((e) => e.text).map((e) => e.text),
    [`${process.version}\n`],
  );
});

test(
  `notebook 01 runs headless on Node ${process.versions.node} and stores the tracks`,
  { skip, timeout: 900_000 },
  async () => {
    const work = join(PROJECT_ROOT, 'build', `test-node-${process.versions.node}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const rows = generateSpotifyRows({ rows: 1500, seed: 5 });
    const csvPath = join(work, 'SpotifyFeatures.csv');
    writeFileSync(csvPath, spotifyCsvText(rows));
    const dbPath = join(work, 'test.duckdb');
    const lines: string[] = [];
    const ok = await runNotebooks({
      out: join(work, 'reports'),
      html: false,
      notebooks: [join(PROJECT_ROOT, 'notebooks', '01-cleaning.ipynb')],
      env: { SPOTIFY_CSV: csvPath, DB_PATH: dbPath, POPULARITY_MIN: '10' },
      log: (line) => lines.push(line),
    });
    assert.equal(ok, true, lines.join('\n'));
    const seen = new Set<string>();
    const kept = rows.filter((row) => !seen.has(row.track_id) && seen.add(row.track_id) && row.popularity > 10);
    assert.equal((await tableCounts(dbPath)).track, kept.length);
    const executed = readFileSync(join(work, 'reports', '01-cleaning.ipynb'), 'utf8');
    assert.ok(!executed.includes('"output_type": "error"'));
    assert.ok(!/DeprecationWarning|ExperimentalWarning/.test(executed), 'no warning from this Node in the outputs');
  },
);
