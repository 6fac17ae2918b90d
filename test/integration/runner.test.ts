/**
 * What `npm run notebooks` (scripts/run-notebooks.js) does when things go wrong: it checks before
 * it changes anything, one run holds a database at a time, failures are one readable sentence with
 * the notebook and the cell, the partial notebook is kept, and a kernel slow to start gets a second
 * try. Every refusal leaves the database with the same content hash. One small generated file and
 * one database made straight through the library (no kernel) are shared by all tests; only three
 * tests start a kernel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { storeClustering, tableCounts } from '../../lib/data/db';
import { databaseContentHash, storeCleanedTracks } from '../helpers';

interface RunOptions {
  out: string;
  html?: boolean;
  notebooks: string[];
  env?: Record<string, string>;
  check?: boolean;
  kernel?: string;
  kernelStartTimeout?: number;
  log?: (line: string) => void;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const runner = require(join(PROJECT_ROOT, 'scripts', 'run-notebooks.js')) as {
  runNotebooks(options: RunOptions): Promise<boolean>;
};

const work = mkdtempSync(join(tmpdir(), 'runner-'));
const csvPath = join(work, 'SpotifyFeatures.small.csv');
const csvText = spotifyCsvText(generateSpotifyRows({ rows: 1500, seed: 5 }));
writeFileSync(csvPath, csvText);
const dbPath = join(work, 'good.duckdb');
let storedTracks = 0;
const notebooksDir = join(PROJECT_ROOT, 'notebooks');
const notebook = (name: string): string =>
  join(
    notebooksDir,
    readdirSync(notebooksDir).find((n) => n.startsWith(name))!,
  );
const allNotebooks = readdirSync(notebooksDir)
  .filter((n) => /^\d\d.*\.ipynb$/.test(n))
  .sort()
  .map((n) => join(notebooksDir, n));

/** A database holding tracks and a clustering, made through the library as notebooks 01 and 03 would. */
const ready = (async () => {
  const { tracks, stored } = await storeCleanedTracks(dbPath, csvText);
  storedTracks = stored.tracks;
  const ids = (tracks.column('track_id').values as string[]).slice(0, 40);
  await storeClustering(
    dbPath,
    [
      { id: 0, x: 1, y: 0, size: 25 },
      { id: 1, x: -1, y: 0, size: 15 },
    ],
    { trackIds: ids, clusterIds: ids.map((_, i) => (i < 25 ? 0 : 1)) },
  );
  return databaseContentHash(dbPath);
})();

/** The processes (their command lines) started with DB_PATH=dbPath in their environment: a run's runners and kernels. */
function processesOfRun(path: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`DB_PATH=${path}`))
        found.push(readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim());
    } catch {
      /* ended meanwhile, or not ours to read */
    }
  }
  return found;
}

/** Run with the shared file and database; returns what the runner printed and whether it succeeded. */
async function run(
  options: Partial<RunOptions> & { env?: Record<string, string> },
): Promise<{ ok: boolean; output: string }> {
  const lines: string[] = [];
  const ok = await runner.runNotebooks({
    out: join(work, 'reports'),
    html: false,
    notebooks: allNotebooks,
    ...options,
    env: { SPOTIFY_CSV: csvPath, DB_PATH: dbPath, SAMPLE_SIZE: '300', K: '4', ...options.env },
    log: (line) => lines.push(line),
  });
  return { ok, output: lines.join('\n') };
}

test('parameters that cannot work are refused before notebook 01 starts, with one sentence, and the database keeps its content', async () => {
  const before = await ready;
  const cases: [Record<string, string>, RegExp][] = [
    [
      { LAYOUT: 'hexagon' },
      /LAYOUT is 'hexagon', but it must be one of circular, grid, packed; unset it to use the default circular\.$/,
    ],
    [{ ENCODING: 'bogus' }, /ENCODING is 'bogus', but it must be one of label, onehot/],
    [
      { K: '5000' },
      /K is 5,000, but it must be a whole number from 2 to SAMPLE_SIZE, the size of the sample; the largest value that works is 300\.$/,
    ],
    [
      { SAMPLE_SIZE: '5000', K: '2000' },
      /K is 2,000, but it must be a whole number from 2 to \d{3}, the tracks in the sample; the largest value that works is \d{3}\.$/,
    ],
    [{ N_CLUSTERS: '300' }, /N_CLUSTERS is 300, .* the largest value that works is 150\.$/],
    [
      { SAMPLE_SIZE: '2' },
      /SAMPLE_SIZE is 2, but it must be a whole number 91 or more; the smallest value that works is 91\.$/,
    ],
    [{ SAMPLE_SIZE: '10' }, /SAMPLE_SIZE is 10, .* the smallest value that works is 91\.$/],
    [
      { POPULARITY_MIN: '100' },
      /POPULARITY_MIN is 100, but it must be a whole number from -1 to 99; the largest value that works is 99\.$/,
    ],
    [
      { POPULARITY_MIN: '90' },
      /POPULARITY_MIN is 90, but only \d+ of the [\d,]+ distinct tracks in .*SpotifyFeatures\.small\.csv have a popularity above it, fewer than the 91 the clustering needs; the largest value that works for this file is \d+\.$/,
    ],
    [
      { DB_PATH: csvPath },
      /DB_PATH is .*SpotifyFeatures\.small\.csv, an existing file that is not a DuckDB database \(it starts with "genre,artist_name,track_name,t"\), so it was left alone/,
    ],
  ];
  for (const [env, pattern] of cases) {
    const { ok, output } = await run({ env });
    assert.equal(ok, false, JSON.stringify(env));
    assert.match(output, /^notebooks: nothing ran and nothing was changed: /);
    assert.match(output, pattern);
    assert.doesNotMatch(output, /executing|Traceback|    at /);
  }
  assert.equal(await databaseContentHash(dbPath), before);
  assert.equal(readFileSync(csvPath, 'utf8'), csvText);
  assert.equal(existsSync(join(work, 'reports')), false, 'no report folder was made');
});

test('a damaged input file is refused before notebook 01 starts, with its line', async () => {
  const before = await ready;
  const latin = join(work, 'latin1.csv');
  writeFileSync(latin, Buffer.from(csvText, 'latin1')); // accents as Windows-1252 writes them: one byte each
  const line = csvText.split('\n').findIndex((text) => /[\u0080-\u00ff]/.test(text)) + 1;
  const { ok, output } = await run({ env: { SPOTIFY_CSV: latin } });
  assert.equal(ok, false);
  assert.match(
    output,
    new RegExp(
      `nothing ran and nothing was changed: .*latin1\\.csv is not UTF-8 text: line ${line} holds the byte 0x[0-9A-F]{2}, which in Windows-1252 .* reads ".+"\\. Re-save it as UTF-8`,
    ),
  );
  assert.equal(await databaseContentHash(dbPath), before);
});

test('a notebook that refuses in a cell: the notebook, the cell and the sentence, the partial notebook kept, the database unchanged', async () => {
  const before = await ready;
  const reports = join(work, 'reports-failed');
  mkdirSync(reports, { recursive: true });
  writeFileSync(join(reports, 'stale-report.html'), 'from an earlier run');
  // check: false stands for a user in JupyterLab, where no runner checks first: notebook 01 itself
  // must refuse before its store step replaces the tables
  // notebook 02's runner starts early, while 01 runs, and must be stopped with its kernel
  const { ok, output } = await run({
    out: reports,
    notebooks: [notebook('01'), notebook('02')],
    check: false,
    env: { POPULARITY_MIN: '90' },
  });
  assert.equal(ok, false);
  assert.deepEqual(processesOfRun(dbPath), [], 'no notebook runner or kernel of the run is left');
  assert.match(
    output,
    /notebooks: 01-cleaning\.ipynb stopped at cell \d+ \(code cell \d+, `sc\.checkBeforeStoring\(literals, \{ popularity: allPopularity…`\):/,
  );
  assert.match(
    output,
    /\n {2}POPULARITY_MIN is 90, but only \d+ of the [\d,]+ distinct tracks .* the largest value that works for this file is \d+\.\n/,
  );
  assert.match(
    output,
    /the notebook as far as it ran is in .*reports-failed\/01-cleaning\.ipynb; the notebooks after it did not run\. Set VERBOSE=1 for the full error\.$/,
  );
  assert.doesNotMatch(output, /Traceback|    at |evalmachine/);
  assert.equal(await databaseContentHash(dbPath), before);
  const counts = await tableCounts(dbPath);
  assert.deepEqual([counts.track, counts.cluster, counts.track_to_cluster], [storedTracks, 2, 40]);
  // the folder was replaced whole: the partial notebook is there, the earlier report is not
  assert.deepEqual(readdirSync(reports), ['01-cleaning.ipynb']);
  const partial = JSON.parse(readFileSync(join(reports, '01-cleaning.ipynb'), 'utf8'));
  assert.match(JSON.stringify(partial), /POPULARITY_MIN is 90/);
  assert.equal(existsSync(`${dbPath}.lock`), false, 'the lock is released');
});

test('a second run on the same database is refused with the PID of the first; a lock left by a dead run is taken over', async () => {
  const lockFile = `${dbPath}.lock`;
  const holder: ChildProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    writeFileSync(lockFile, JSON.stringify({ pid: holder.pid, started: '2024-01-01T00:00:00.000Z' }));
    const { ok, output } = await run({ notebooks: [] });
    assert.equal(ok, false);
    assert.match(
      output,
      new RegExp(
        `^notebooks: another run \\(PID ${holder.pid} since 2024-01-01T00:00:00\\.000Z\\) is using the database .*good\\.duckdb; nothing ran\\.`,
      ),
    );
    // the report folder is locked too: another database, the same folder
    writeFileSync(lockFile.replace('good.duckdb', 'other.duckdb'), '');
    const reportsLock = join(work, 'shared-reports.lock');
    writeFileSync(reportsLock, JSON.stringify({ pid: holder.pid }));
    const second = await run({
      notebooks: [],
      out: join(work, 'shared-reports'),
      env: { DB_PATH: join(work, 'other.duckdb') },
      check: false,
    });
    assert.equal(second.ok, false);
    assert.match(
      second.output,
      new RegExp(`another run \\(PID ${holder.pid}\\) is using the report folder .*shared-reports; nothing ran`),
    );
  } finally {
    holder.kill();
  }
  await new Promise((resolve) => holder.once('exit', resolve));
  const { ok, output } = await run({ notebooks: [], check: false });
  assert.equal(ok, true, output);
  assert.match(output, new RegExp(`took over the lock of a run that is no longer running \\(PID ${holder.pid}\\)`));
  assert.equal(existsSync(lockFile), false);
});

test('a kernel that does not start in time is started once more', async () => {
  // a kernel that hangs on its first start and is tslab from then on
  const kernels = join(work, 'jupyter', 'kernels', 'slow-tslab');
  mkdirSync(kernels, { recursive: true });
  const script = join(kernels, 'start.sh');
  writeFileSync(
    script,
    `#!/bin/sh\nif [ ! -f "${join(work, 'slow-started')}" ]; then touch "${join(work, 'slow-started')}"; exec sleep 60; fi\nexec "${process.execPath}" "${join(PROJECT_ROOT, 'node_modules', 'tslab', 'bin', 'tslab')}" kernel --config-path "$1"\n`,
  );
  chmodSync(script, 0o755);
  writeFileSync(
    join(kernels, 'kernel.json'),
    JSON.stringify({ argv: [script, '{connection_file}'], display_name: 'slow tslab', language: 'typescript' }),
  );
  const tiny = join(work, 'tiny.ipynb');
  writeFileSync(
    tiny,
    JSON.stringify({
      cells: [
        {
          cell_type: 'code',
          execution_count: null,
          id: 'c1',
          metadata: {},
          outputs: [],
          source: ['console.log(6 * 7)'],
        },
      ],
      metadata: { kernelspec: { name: 'slow-tslab', display_name: 'slow tslab', language: 'typescript' } },
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  const { ok, output } = await run({
    out: join(work, 'reports-slow'),
    notebooks: [tiny],
    check: false,
    kernel: 'slow-tslab',
    kernelStartTimeout: 3,
    env: { JUPYTER_PATH: `${join(work, 'jupyter')}:${join(PROJECT_ROOT, '.venv', 'share', 'jupyter')}` },
  });
  assert.equal(ok, true, output);
  assert.match(output, /the kernel for tiny\.ipynb did not start within 3 s; started it once more, with more time\./);
  assert.match(readFileSync(join(work, 'reports-slow', 'tiny.ipynb'), 'utf8'), /42/);
});

test('from the command line: relative paths are taken from the folder it was started in, and a refusal exits non-zero', async () => {
  const before = await ready;
  const started = join(work, 'started-here');
  mkdirSync(started);
  writeFileSync(join(started, 'notes.csv'), 'a,b\n1,2\n');
  const result = spawnSync(
    process.execPath,
    [join(PROJECT_ROOT, 'scripts', 'run-notebooks.js'), '--no-html', '--out', 'reports'],
    {
      cwd: PROJECT_ROOT, // as npm runs it
      env: {
        ...process.env,
        INIT_CWD: started,
        SPOTIFY_CSV: '../SpotifyFeatures.small.csv',
        DB_PATH: 'notes.csv',
        VERBOSE: '',
      },
      encoding: 'utf8',
    },
  );
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    new RegExp(
      `DB_PATH is ${started.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/notes\\.csv, an existing file that is not a DuckDB database`,
    ),
  );
  assert.equal(existsSync(join(PROJECT_ROOT, 'notebooks', 'data')), false, 'nothing was written under notebooks/');
  assert.deepEqual(readdirSync(started), ['notes.csv'], 'no report folder and no lock left behind');
  assert.equal(await databaseContentHash(dbPath), before);
});

test('the notebook runner writes the HTML report itself; a report it cannot write is said, and the executed notebook kept', () => {
  const folder = mkdtempSync(join(work, 'html-'));
  const file = join(folder, '01-tiny.ipynb');
  const kernelspec = { name: 'tslab', display_name: 'TypeScript', language: 'typescript' };
  const cells = [{ cell_type: 'code', execution_count: null, id: 'c0', metadata: {}, outputs: [], source: ['1 + 1'] }];
  writeFileSync(file, JSON.stringify({ cells, metadata: { kernelspec }, nbformat: 4, nbformat_minor: 5 }));
  const python = join(PROJECT_ROOT, '.venv', 'bin', 'python');
  const script = join(PROJECT_ROOT, 'scripts', 'execute-notebook.py');
  const execute = (template: string, out: string) => {
    const result = spawnSync(python, [script, '--html', template, file, out], { cwd: folder, encoding: 'utf8' });
    const lines = result.stdout.trim().split('\n');
    return { status: result.status, events: lines.slice(0, -1), report: JSON.parse(lines[lines.length - 1]) };
  };
  const good = execute('spotify-clusters', join(folder, 'good'));
  assert.equal(good.status, 0);
  assert.deepEqual(good.report, { ok: true, retried: false });
  assert.ok(good.events.includes('{"event": "report"}'), good.events.join('\n'));
  assert.deepEqual(readdirSync(join(folder, 'good')).sort(), ['01-tiny.html', '01-tiny.ipynb']);
  assert.match(readFileSync(join(folder, 'good', '01-tiny.html'), 'utf8'), /SPOTIFY_PLOTLY_GZ/);
  const bad = execute('no-such-template', join(folder, 'bad'));
  assert.equal(bad.status, 0);
  assert.equal(bad.report.ok, true);
  assert.match(bad.report.html_error, /no-such-template/);
  assert.deepEqual(readdirSync(join(folder, 'bad')), ['01-tiny.ipynb']);
});
