/**
 * SIGINT and SIGTERM stop `npm run notebooks` (scripts/run-notebooks.js) wherever it is: inside a
 * cell, between cells, between notebooks, while it writes a report, during the check before the
 * run. Each test starts the runner in a child process on tiny notebooks written into a temporary
 * folder (a cell that writes to DuckDB, a cell that sleeps), sends the signal at that moment, and
 * checks the exit status, the one line that says where the run was and what the database holds, that
 * nothing was written after the signal (the database's content and the cells' marker files) and that
 * the locks are released. Also: the loader's notes on the input file reach the terminal.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { generateSpotifyRows, mangleSpotifyCsv, spotifyCsvText } from '../../lib/data/synthetic';
import { tableCounts } from '../../lib/data/db';
import { setupDb } from '../../lib/data/db';
import { databaseContentHash } from '../helpers';

const RUNNER = join(PROJECT_ROOT, 'scripts', 'run-notebooks.js');
const work = mkdtempSync(join(tmpdir(), 'runner-interrupt-'));
const notebooks = join(work, 'notebooks');
mkdirSync(notebooks);

/** A notebook for the tslab kernel; a source starting with '#' is a markdown cell. */
function writeNotebook(name: string, sources: string[]): string {
  const cells = sources.map((source, i) =>
    source.startsWith('#')
      ? { cell_type: 'markdown', id: `m${i}`, metadata: {}, source: [source] }
      : { cell_type: 'code', execution_count: null, id: `c${i}`, metadata: {}, outputs: [], source: [source] },
  );
  const file = join(notebooks, name);
  const kernelspec = { name: 'tslab', display_name: 'TypeScript', language: 'typescript' };
  writeFileSync(file, JSON.stringify({ cells, metadata: { kernelspec }, nbformat: 4, nbformat_minor: 5 }));
  return file;
}

// An empty database of the project (its tables and its mark), copied to DB_PATH by the first write of
// a run: the project refuses to read a database with tables of another shape.
const TEMPLATE = join(work, 'template.duckdb');
const template = (async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(TEMPLATE);
  const connection = await instance.connect();
  await setupDb(connection, TEMPLATE);
  connection.closeSync();
  instance.closeSync();
})();
before(() => template);

// What every tiny notebook starts with: a DuckDB write (straight through @duckdb/node-api, which loads
// fast) and marker files that show which cells ran.
const PRELUDE = `const { DuckDBInstance } = require(${JSON.stringify(join(PROJECT_ROOT, 'node_modules', '@duckdb', 'node-api'))});
const fs = require('fs');
async function write(sql: string) {
  if (!fs.existsSync(process.env.DB_PATH!)) fs.copyFileSync(${JSON.stringify(TEMPLATE)}, process.env.DB_PATH!);
  const instance = await DuckDBInstance.create(process.env.DB_PATH!);
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}
const mark = (name: string) => fs.writeFileSync(process.env.MARKS + '/' + name, '');
fs.writeFileSync(process.env.MARKS + '/../kernel.pid', String(process.pid));`;

/** Cell 3 stores one track; cell 4 sleeps SLEEP_MS, then stores a k-means cluster (from the same cell). */
const writeSleepWrite = writeNotebook('01-write.ipynb', [
  '# Write, sleep, write',
  PRELUDE,
  "await write(\"INSERT INTO track (track_id) VALUES ('a')\"); mark('01-stored');",
  "mark('01-sleeping'); await new Promise((r) => setTimeout(r, Number(process.env.SLEEP_MS)));\nawait write(\"INSERT INTO cluster (id, x, y, size, name) VALUES (1, 0, 0, 0, 'c')\"); mark('01-woke');",
]);
/**
 * As writeSleepWrite (SLEEP_MS 0), then a cell showing 3,000 small tables: writing its HTML report
 * takes a second or more, long enough to send a signal in the middle of it.
 */
const writeShowMuch = writeNotebook('01-show-much.ipynb', [
  '# Write, then show much',
  PRELUDE,
  "await write(\"INSERT INTO track (track_id) VALUES ('a')\"); mark('01-stored');",
  'await write("INSERT INTO cluster (id, x, y, size, name) VALUES (1, 0, 0, 0, \'c\')");',
  `const { display } = require(${JSON.stringify(join(PROJECT_ROOT, 'node_modules', 'tslab'))});\nfor (let i = 0; i < 3000; i++) display.html(\`<table><tr><td>\${i}</td></tr></table>\`);`,
]);
/** Its first cell would store a k-medoids cluster. */
const next = writeNotebook('02-next.ipynb', [
  PRELUDE +
    "\nmark('02-started'); await write(\"INSERT INTO gower_cluster (id, medoid_track_id, size) VALUES (1, 'a', 0)\");",
]);
/** A thousand short cells (a few ms each: seconds in all, so the signal comes long before the end), then one that stores a track. */
const quick = writeNotebook('03-quick.ipynb', [
  PRELUDE + "\nlet n = 0; mark('03-started');",
  ...Array.from({ length: 1000 }, () => 'n += 1;'),
  "await write(\"INSERT INTO track (track_id) VALUES ('a')\"); mark('03-end');",
]);

interface Run {
  pid: number;
  lines: string[];
  marks: string;
  dbPath: string;
  out: string;
  /** Resolves at the first line printed that matches. */
  line(pattern: RegExp): Promise<string>;
  /** Resolves when the runner has ended: its exit code and when. */
  ended: Promise<{ code: number | null; at: number }>;
}

let runs = 0;
/** Start the runner in a child process (as `npm run notebooks` does, without the set-up) on `files`. */
function start(files: string[], options: { html?: boolean; check?: boolean; env?: Record<string, string> } = {}): Run {
  const name = `run${++runs}`;
  const marks = join(work, name, 'marks');
  mkdirSync(marks, { recursive: true });
  const dbPath = join(work, name, 'db.duckdb');
  const out = join(work, name, 'reports');
  const runOptions = {
    out,
    html: options.html ?? false,
    check: options.check ?? false,
    notebooks: files,
    env: { DB_PATH: dbPath, MARKS: marks, SLEEP_MS: '0', ...options.env },
  };
  const child = spawn(
    process.execPath,
    [
      '-e',
      'require(process.argv[1]).runNotebooks(JSON.parse(process.argv[2])).then((ok) => process.exit(ok ? 0 : 1))',
      RUNNER,
      JSON.stringify(runOptions),
    ],
    { env: { ...process.env, VERBOSE: '' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const lines: string[] = [];
  const waiting: [RegExp, (line: string) => void][] = [];
  let pending = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const [pattern, resolve] of waiting) if (pattern.test(line)) resolve(line);
    }
  });
  return {
    pid: child.pid!,
    lines,
    marks,
    dbPath,
    out,
    line: (pattern) =>
      new Promise((resolve) => {
        const seen = lines.find((line) => pattern.test(line));
        if (seen) resolve(seen);
        else waiting.push([pattern, resolve]);
      }),
    ended: new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() }))),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until `check` holds (polled every 50 ms). */
async function until(check: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await sleep(50);
  }
}

/** The command lines of the processes whose parent is `pid`. */
function childCommands(pid: number): string[] {
  const ps = spawnSync('ps', ['-A', '-o', 'ppid=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null && Number(match[1]) === pid)
    .map((match) => match[2]);
}

/**
 * The PID of the child of `pid` that runs scripts/execute-notebook.py on `notebook` (the runner
 * also starts the next notebook's early, while this one runs).
 */
function pythonChild(pid: number, notebook: string): number | null {
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  for (const line of ps.stdout.split('\n')) {
    const match = line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/);
    if (match && Number(match[2]) === pid && /execute-notebook\.py/.test(match[3]) && match[3].includes(notebook))
      return Number(match[1]);
  }
  return null;
}

/** The last kernel of the run (its PID written by the notebook's first cell) has ended. */
async function assertKernelGone(run: Run): Promise<void> {
  const pid = Number(readFileSync(join(run.marks, '..', 'kernel.pid'), 'utf8'));
  const alive = () => {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); // a zombie has ended
    } catch {
      return true;
    }
  };
  await until(() => !alive(), `the kernel (PID ${pid}) to end`, 3000);
}

/** Send `signal` to the runner; returns when it was sent. */
function send(run: Run, signal: NodeJS.Signals): number {
  process.kill(run.pid, signal);
  return Date.now();
}

/** What every interrupted run shares: the exit status, one line, no traceback, locks released, no report folder. */
async function assertStopped(run: Run, signal: NodeJS.Signals, sentAt: number): Promise<string> {
  const { code, at } = await run.ended;
  assert.equal(code, signal === 'SIGINT' ? 130 : 143, run.lines.join('\n'));
  assert.ok(at - sentAt < 10_000, `stopped ${((at - sentAt) / 1000).toFixed(1)} s after the signal`);
  const said = run.lines.filter((line) => /interrupted/.test(line));
  assert.equal(said.length, 1, run.lines.join('\n'));
  assert.match(said[0], new RegExp(`^notebooks: interrupted \\(${signal}\\) `));
  assert.doesNotMatch(run.lines.join('\n'), /Traceback|AssertionError|cleanup_resources|without a report|    at /);
  assert.equal(existsSync(`${run.dbPath}.lock`), false, 'the database lock is released');
  assert.equal(existsSync(`${run.out}.lock`), false, 'the report folder lock is released');
  assert.deepEqual(
    readdirSync(join(run.out, '..')).filter((name) => name.startsWith('reports')),
    [],
    'no report folder, no partial one',
  );
  return said[0];
}

test('SIGINT inside a cell: the kernel is killed before the cell writes, one line names the cell, exit 130', async () => {
  const run = start([writeSleepWrite, next], { env: { SLEEP_MS: '20000' } });
  await until(() => existsSync(join(run.marks, '01-sleeping')), 'cell 4 to start sleeping');
  const sentAt = send(run, 'SIGINT');
  const line = await assertStopped(run, 'SIGINT', sentAt);
  assert.match(
    line,
    /interrupted \(SIGINT\) during 01-write\.ipynb at cell 4; the database .*run\d+\/db\.duckdb holds 1 track \(stored by this run\), no k-means clustering and no k-medoids clustering\.$/,
  );
  await assertKernelGone(run);
  const hash = await databaseContentHash(run.dbPath);
  await sleep(500);
  assert.equal(await databaseContentHash(run.dbPath), hash, 'nothing was written after the signal');
  assert.deepEqual((await tableCounts(run.dbPath)).cluster, 0);
  assert.deepEqual(readdirSync(run.marks).sort(), ['01-sleeping', '01-stored']);
});

test('SIGTERM among many short cells (inside one or between two): the cells after it do not run, exit 143', async () => {
  const run = start([quick]);
  await until(() => existsSync(join(run.marks, '03-started')), 'the short cells to start');
  await sleep(200);
  const sentAt = send(run, 'SIGTERM');
  const line = await assertStopped(run, 'SIGTERM', sentAt);
  assert.match(
    line,
    /interrupted \(SIGTERM\) during 03-quick\.ipynb (at|after) cell \d+; there is no database at .*db\.duckdb\.$/,
  );
  assert.deepEqual(readdirSync(run.marks), ['03-started']);
  assert.equal(existsSync(run.dbPath), false, 'the database was not made');
});

test('SIGTERM between two notebooks: the next one does not start, exit 143', async () => {
  const run = start([writeSleepWrite, next]);
  await run.line(/01-write\.ipynb done/);
  const sentAt = send(run, 'SIGTERM');
  const line = await assertStopped(run, 'SIGTERM', sentAt);
  assert.match(
    line,
    /interrupted \(SIGTERM\) (after 01-write\.ipynb, before 02-next\.ipynb started|during 02-next\.ipynb, before its first cell ran); the database .*db\.duckdb holds 1 track \(stored by this run\), the k-means clustering \(1 cluster, 0 memberships\) and no k-medoids clustering\.$/,
  );
  assert.equal(existsSync(join(run.marks, '02-started')), false, 'notebook 02 did not start');
  const counts = await tableCounts(run.dbPath);
  assert.deepEqual([counts.track, counts.cluster, counts.gower_cluster], [1, 1, 0]);
});

test('SIGINT while the HTML report is written: the run stops there, the report folder is left as it was', async () => {
  const run = start([writeShowMuch, next], { html: true });
  // the notebook runner writes the executed notebook, then its HTML report beside it
  const staged = join(`${run.out}.partial-${run.pid}`, '01-show-much.ipynb');
  await until(() => existsSync(staged), 'the executed notebook to be written');
  const sentAt = send(run, 'SIGINT');
  const line = await assertStopped(run, 'SIGINT', sentAt);
  assert.match(
    line,
    /interrupted \(SIGINT\) while writing the HTML report of 01-show-much\.ipynb, after its last cell; the database .* holds 1 track \(stored by this run\), the k-means clustering \(1 cluster, 0 memberships\) and no k-medoids clustering\.$/,
  );
  assert.equal(existsSync(join(run.marks, '02-started')), false, 'notebook 02 did not start');
  const left = spawnSync('ps', ['-A', '-o', 'args='], { encoding: 'utf8' }).stdout;
  assert.equal(left.includes(run.out), false, 'the notebook runner was stopped');
});

test('a notebook runner killed outright takes its kernel with it: the cell does not write afterwards', async () => {
  const run = start([writeSleepWrite, next], { env: { SLEEP_MS: '20000' } });
  await until(() => existsSync(join(run.marks, '01-sleeping')), 'cell 4 to start sleeping');
  const python = pythonChild(run.pid, '01-write.ipynb');
  assert.ok(python, 'the notebook runner runs');
  process.kill(python, 'SIGKILL');
  const killedAt = Date.now();
  const { code, at } = await run.ended;
  assert.equal(code, 1);
  assert.ok(at - killedAt < 5000, `ended ${at - killedAt} ms after the notebook runner was killed`);
  assert.match(
    run.lines.join('\n'),
    /01-write\.ipynb did not run: the notebook runner stopped without a report at cell 4 \(killed by SIGKILL\)/,
  );
  await assertKernelGone(run);
  assert.deepEqual(readdirSync(run.marks).sort(), ['01-sleeping', '01-stored']);
  assert.equal((await tableCounts(run.dbPath)).cluster, 0);
});

const csvPath = join(work, 'mangled.csv');
writeFileSync(
  csvPath,
  mangleSpotifyCsv(spotifyCsvText(generateSpotifyRows({ rows: 1500, seed: 3 })), { spreadsheetDates: 0.2 }),
);

test('SIGINT during the check before the run: nothing starts, no database is made, exit 130', async () => {
  const run = start([writeSleepWrite], { check: true, env: { SPOTIFY_CSV: csvPath, SAMPLE_SIZE: '300' } });
  await until(() => childCommands(run.pid).some((command) => /check-run\.js/.test(command)), 'the check to start');
  const sentAt = send(run, 'SIGINT');
  const line = await assertStopped(run, 'SIGINT', sentAt);
  assert.match(
    line,
    /interrupted \(SIGINT\) during the check before the run, before any notebook started; there is no database at .*db\.duckdb\.$/,
  );
  assert.deepEqual(readdirSync(run.marks), []);
  assert.equal(existsSync(run.dbPath), false);
});

test("the loader's notes on the input file are printed before notebook 01 and again in the summary", async () => {
  const run = start([], { check: true, env: { SPOTIFY_CSV: csvPath, SAMPLE_SIZE: '300' } });
  assert.equal((await run.ended).code, 0, run.lines.join('\n'));
  const notes = run.lines.filter((line) => /Repaired \d+ time_signature values/.test(line));
  assert.equal(notes.length, 2, run.lines.join('\n'));
  assert.match(notes[0], /^notebooks: note on .*mangled\.csv: Repaired \d+ time_signature values that a spreadsheet/);
  assert.match(notes[1], /^notebooks: note \(from the check, repeated\) on .*mangled\.csv: Repaired/);
  const order = (pattern: RegExp) => run.lines.findIndex((line) => pattern.test(line));
  assert.ok(order(/checked: [\d,]+ tracks to store/) < order(/note on/));
  assert.ok(order(/0 notebooks ran in/) < order(/note \(from the check/));
});

test('what the database holds is read without writing; a file that cannot be read is said to be so', async () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { databaseContents } = require(RUNNER) as {
    databaseContents(path: string): Promise<{ missing?: boolean; error?: string; tracks?: number }>;
  };
  assert.deepEqual(await databaseContents(join(work, 'none.duckdb')), { missing: true });
  assert.equal(existsSync(join(work, 'none.duckdb')), false, 'nothing was made');
  assert.deepEqual(await databaseContents(csvPath), { error: 'it is not a DuckDB database file' });
  // a database another process holds open for writing
  const held = join(work, 'held.duckdb');
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const { DuckDBInstance } = require(${JSON.stringify(join(PROJECT_ROOT, 'node_modules', '@duckdb', 'node-api'))});
DuckDBInstance.create(process.argv[1]).then(async (db) => {
  const c = await db.connect();
  await c.run("CREATE TABLE track AS SELECT 'a' AS track_id");
  console.log('open');
  setTimeout(() => {}, 60000);
});`,
      held,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    const contents = await databaseContents(held);
    assert.match(String(contents.error), /lock/i);
  } finally {
    holder.kill();
  }
  await new Promise((resolve) => holder.once('exit', resolve));
  assert.equal((await databaseContents(held)).tracks, 1);
});
