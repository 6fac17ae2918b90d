#!/usr/bin/env node
/*
 * `npm run notebooks`: set up whatever is missing, then execute every notebook in notebooks/ in
 * order, headless (the project's tslab kernel, through scripts/execute-notebook.py), on the default
 * data. Executed copies and HTML reports (the notebook runner writes them with the template of
 * scripts/report.js) go to build/notebooks/ (or --out DIR);
 * results go to the DuckDB file (DB_PATH).
 *
 * What a run promises:
 * - nothing changes unless it can finish: every parameter, the input file and the tracks it will
 *   store are checked before notebook 01 starts (scripts/check-run.js, lib/notebook/preflight.ts), and
 *   the loader's notes on the file (repaired values, skipped rows) are printed before and after;
 * - one run per database: a lock file beside DB_PATH (DB_PATH.lock) and one beside the report folder
 *   (DIR.lock) hold the run's PID for the whole run; a second run is refused with a sentence naming
 *   that PID, and a lock whose process has died is taken over;
 * - the report folder is replaced whole at the end of a run (reports are written to DIR.partial-PID
 *   first), so it never mixes two runs;
 * - a failure prints the notebook, the cell number and the error's sentence (the Python and
 *   JavaScript details only with VERBOSE=1), keeps the executed notebook up to the failing cell in the
 *   report folder, and exits non-zero; a kernel that does not start in time is started once more (with
 *   twice the time, at least a minute);
 * - SIGINT (Ctrl-C) or SIGTERM stops the run within seconds wherever it is: the kernel is killed, no
 *   further notebook starts, the locks are released, the report folder is left as it was, one line
 *   says where the run was and what the database holds, and the exit status is 130 or 143. Every
 *   child process is started without blocking (never spawnSync), so a signal is handled at once.
 * Relative paths (SPOTIFY_CSV, DB_PATH, --out) are taken from the folder the command was started in.
 *
 * Usage: node scripts/run-notebooks.js [--out DIR] [--no-html] [notebooks/NN-name.ipynb ...]
 * From code: await runNotebooks({ out, html, notebooks, env }) (true when every notebook ran) with env
 * added to the kernels' environment; also { check: false } to skip the check before the run, { log }
 * to receive the lines printed, { kernel, kernelStartTimeout } for the kernel and its start-up timeout
 * in seconds.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setup, jupyterEnv, ensureReportTemplate, ROOT, TEMPLATE_NAME, VENV_PYTHON } = require('./setup');
const { acquireLock, releaseLock } = require('./lock-file');

/** The folder the command was started in: npm records it in INIT_CWD, since it runs scripts from the project root. */
function startFolder(env = process.env) {
  return env.INIT_CWD && env.INIT_CWD.trim() !== '' ? env.INIT_CWD : process.cwd();
}

function parseArguments(argv, env = process.env) {
  const base = startFolder(env);
  const options = { out: path.join(ROOT, 'build', 'notebooks'), html: true, notebooks: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') options.out = path.resolve(base, argv[++i]);
    else if (argv[i] === '--no-html') options.html = false;
    else options.notebooks.push(path.resolve(base, argv[i]));
  }
  if (!options.notebooks.length) {
    const dir = path.join(ROOT, 'notebooks');
    options.notebooks = fs
      .readdirSync(dir)
      .filter((name) => /^\d\d.*\.ipynb$/.test(name))
      .sort()
      .map((name) => path.join(dir, name));
  }
  return options;
}

/** A path as short as it can be said from the start folder. */
function shown(file, base) {
  const relative = path.relative(base, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** Replace `target` by `staged` as a whole (what was in `target` goes). */
function replaceFolder(staged, target) {
  const old = `${target}.old-${process.pid}`;
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(staged, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/** How long a child may take to stop after the first signal before it (and its kernel) is killed. */
const GRACE_MS = 10_000;

/** `count thing(s)`, the count with thousands separators. */
function plural(count, thing) {
  return `${count.toLocaleString('en-US')} ${thing}${count === 1 ? '' : 's'}`;
}

/** The last non-empty line of a child's output. */
function lastLine(text) {
  return (text || '').trim().split('\n').pop();
}

// The run: what it needs to know, and where it is now (the signal handler and the messages read both).

/** Everything one run needs, worked out from the options once: absolute paths and the kernels' environment. */
function planRun(options) {
  const extra = { ...(options.env || {}) };
  const merged = { ...process.env, ...extra };
  const base = startFolder(merged);
  // The kernels run in notebooks/: give them the paths as the user meant them, absolute.
  const { userPath, DB_NAME } = require(path.join(ROOT, 'build', 'lib', 'paths.js'));
  for (const name of ['SPOTIFY_CSV', 'DB_PATH'])
    if (merged[name] && merged[name].trim() !== '') extra[name] = userPath(merged[name], merged);
  const out = path.resolve(base, options.out);
  return {
    log: options.log || ((line) => process.stderr.write(`${line}\n`)),
    verbose: merged.VERBOSE === '1',
    base,
    out,
    staged: `${out}.partial-${process.pid}`,
    notebooks: options.notebooks.map((nb) => path.resolve(base, nb)),
    dbPath: extra.DB_PATH || userPath(DB_NAME, merged),
    env: jupyterEnv(extra),
    check: options.check !== false,
    html: options.html !== false,
    kernel: options.kernel || 'tslab',
    kernelStartTimeout: options.kernelStartTimeout || 60,
    started: Date.now(),
    locks: [],
    /** The input file as shown, and the loader's notes on it, from the check. */
    csv: null,
    notes: [],
    /** What the database held before the first notebook started (see databaseContents). */
    before: null,
    /** Where the run is: { step: 'check' | 'notebook' | 'report' | 'between' | 'end', notebook, cell, running }. */
    at: { step: 'check' },
    /** The child process running now: { process, forward (pass the signal on) }. */
    child: null,
    /** The process group of the kernel the notebook runner started (a last resort: see killKernel). */
    kernelGroup: null,
    /**
     * The notebook runner of the next notebook, started early so that its kernel starts while this
     * notebook runs (see prepareNotebook): { notebook, child, kernelGroup, promoted, result }, or null.
     */
    prepared: null,
    /** The first SIGINT or SIGTERM. */
    signal: null,
  };
}

// Step 1: locks.

/** Take the database's and the report folder's locks; false (after saying why) when one is not free. */
function acquireLocks(run) {
  for (const [file, what] of [
    [`${run.dbPath}.lock`, `the database ${run.dbPath}`],
    [`${run.out}.lock`, `the report folder ${run.out}`],
  ]) {
    let lock;
    try {
      lock = acquireLock(file, what);
    } catch (error) {
      run.log(
        `notebooks: could not create the lock file ${file} (${error.code || error.message}); nothing ran. Point DB_PATH and --out at folders you can write.`,
      );
      return false;
    }
    if (lock.busy) {
      const since = lock.busy.started ? ` since ${lock.busy.started}` : '';
      run.log(
        `notebooks: another run (PID ${lock.busy.pid}${since}) is using ${what}; nothing ran. Wait for it to finish, or use another DB_PATH and --out; if PID ${lock.busy.pid} is no such run, delete ${file}.`,
      );
      return false;
    }
    if (lock.tookOverFrom)
      run.log(
        `notebooks: took over the lock of a run that is no longer running (PID ${lock.tookOverFrom.pid}) on ${what}.`,
      );
    run.locks.push(lock);
  }
  return true;
}

/** The last step of every run: give the locks back and remove the staged reports if they are still there. */
function release(run) {
  run.locks.forEach(releaseLock);
  run.locks = [];
  fs.rmSync(run.staged, { recursive: true, force: true });
}

// Child processes and signals.

/**
 * Run a child process without blocking, so that a signal is handled while it runs (run.child names
 * it meanwhile); each line of its stdout goes to `onLine` as it comes, and `onExit` is called when it
 * has exited. Resolves { status, signal, stdout, stderr, error } once its output is read, or a second after
 * it exited if a process it left behind still holds the pipes. A `background` child (the next
 * notebook's runner, started early) is not run.child and gets a stdin pipe; `onSpawn` receives it.
 */
function runChild(run, command, args, { cwd, env, forward = false, onLine, onExit, background = false, onSpawn } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: [background ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    if (background) child.stdin.on('error', () => {}); // it may end before it is told to go
    if (!background) run.child = { process: child, forward };
    if (onSpawn) onSpawn(child);
    const output = { stdout: '', stderr: '', error: null };
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      output.stdout += chunk;
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      if (onLine) lines.forEach(onLine);
    });
    child.stderr.on('data', (chunk) => (output.stderr += chunk));
    let late = null;
    const finish = (status, signal = null) => {
      clearTimeout(late);
      if (run.child?.process === child) run.child = null;
      resolve({ status, signal, ...output });
    };
    child.once('error', (error) => {
      output.error = error;
      finish(null);
    });
    child.once('close', (status, signal) => finish(status, signal));
    child.once('exit', (status, signal) => {
      if (onExit) onExit();
      late = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(status, signal);
      }, 1000);
    });
  });
}

/** Send `signal` to the running child and to the next notebook's runner started early; SIGKILL also goes to their kernels. */
function signalChild(run, signal) {
  if (run.child)
    try {
      run.child.process.kill(signal);
    } catch {
      /* it has just ended */
    }
  if (run.prepared) {
    try {
      run.prepared.child.kill(signal);
    } catch {
      /* it has just ended */
    }
    if (signal === 'SIGKILL') killGroup(run.prepared.kernelGroup);
  }
  if (signal === 'SIGKILL') killKernel(run);
}

/**
 * Kill the kernel's process group, if it is still there. The notebook runner shuts its kernel down
 * on every way out; this is for a runner that was killed, or died, first: its kernel (in a session
 * of its own, so Ctrl-C does not reach it) must not go on writing to the database.
 */
function killKernel(run) {
  killGroup(run.kernelGroup);
  run.kernelGroup = null;
}

/** SIGKILL to a process group, if there is one and it is still there. */
function killGroup(group) {
  if (!group) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    /* gone already, as it should be */
  }
}

/**
 * On SIGINT or SIGTERM: remember it and stop the running child (the notebook runner gets the same
 * signal and kills its kernel; the check and nbconvert get SIGTERM); a child still running after
 * GRACE_MS, or at a second signal, is killed with its kernel. The steps see run.signal and stop.
 * Returns the function that removes the handlers.
 */
function watchSignals(run) {
  const onSignal = (signal) => {
    if (run.signal) return signalChild(run, 'SIGKILL');
    run.signal = signal;
    if (!run.child && !run.prepared) return;
    signalChild(run, run.child?.forward === false ? 'SIGTERM' : signal);
    setTimeout(() => signalChild(run, 'SIGKILL'), GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}

// Step 2: the check before the run.

/**
 * Check every parameter, the input file and the database before notebook 01 (scripts/check-run.js,
 * the one place that calls lib/notebook/preflight.ts's checkBeforeRun; it is given the notebooks of the
 * run); say what will be stored and the loader's notes. False (after saying why) when the run cannot go on.
 */
async function preflight(run) {
  run.at = { step: 'check' };
  const checked = await runChild(run, process.execPath, [path.join(__dirname, 'check-run.js'), ...run.notebooks], {
    env: { ...run.env, VERBOSE: run.verbose ? '1' : '' },
  });
  if (run.signal) return false;
  if (checked.status !== 0) {
    run.log(
      `notebooks: nothing ran and nothing was changed: ${(checked.stderr || checked.error?.message || 'the check before the run failed').trim()}`,
    );
    return false;
  }
  const summary = JSON.parse(lastLine(checked.stdout));
  run.csv = shown(summary.parameters.SPOTIFY_CSV, run.base);
  run.notes = summary.warnings || [];
  const where = shown(run.dbPath, run.base);
  run.log(
    (summary.notebooks || ['01']).includes('01')
      ? `notebooks: parameters and ${run.csv} checked: ${plural(summary.tracks, 'track')} to store in ${where}.`
      : `notebooks: parameters checked: ${plural(summary.tracks, 'track')} stored in ${where}.`,
  );
  sayNotes(run);
  return true;
}

// Step 3: execute one notebook.

/** Follow the notebook runner's progress lines (scripts/execute-notebook.py): the kernel's process group, the cell. */
function followProgress(run, line) {
  let event;
  try {
    event = JSON.parse(line);
  } catch {
    return;
  }
  if (event.event === 'kernel') run.kernelGroup = event.pgid || event.pid;
  else if (event.event === 'cell') run.at = { ...run.at, cell: event.cell, running: event.code === true };
  else if (event.event === 'done') run.at = { ...run.at, running: false };
  else if (event.event === 'report') run.at = { step: 'report', notebook: run.at.notebook };
}

/** The notebook runner's report: its last line, or a report of its own when it printed none. */
function readReport(run, executed) {
  try {
    const report = JSON.parse(lastLine(executed.stdout));
    if (typeof report.ok === 'boolean') return report;
  } catch {
    /* below */
  }
  return {
    ok: false,
    reason: 'runner',
    message: `the notebook runner stopped without a report${run.at.cell ? ` at cell ${run.at.cell}` : ''} (${executed.signal ? `killed by ${executed.signal}` : `exit status ${executed.status}`}${executed.error ? `, ${executed.error.message}` : ''})`,
    details: executed.stderr,
  };
}

/**
 * The command line of scripts/execute-notebook.py for `notebook`: every notebook's runner starts
 * early and waits for "go" (see prepareNotebook).
 */
function executorArgs(run, notebook) {
  return [
    path.join(__dirname, 'execute-notebook.py'),
    '--kernel',
    run.kernel,
    '--timeout',
    '3600',
    '--startup-timeout',
    String(run.kernelStartTimeout),
    ...(run.html ? ['--html', TEMPLATE_NAME] : []),
    '--wait-for-go',
    notebook,
    run.staged,
  ];
}

/**
 * Start the runner of a notebook before its turn (notebook 01's during the check, each next one's
 * while the one before it runs): its kernel starts (a few seconds of Python, Node and TypeScript)
 * and waits; startPrepared() tells it to go. It runs no cell before then, so the results are those
 * of starting it at its turn.
 */
function prepareNotebook(run, notebook) {
  const prepared = { notebook, child: null, kernelGroup: null, promoted: false, result: null };
  prepared.result = runChild(run, VENV_PYTHON, executorArgs(run, notebook), {
    cwd: path.dirname(notebook),
    env: run.env,
    background: true,
    onSpawn: (child) => (prepared.child = child),
    onLine: (line) => {
      if (prepared.promoted) return followProgress(run, line);
      try {
        const event = JSON.parse(line);
        if (event.event === 'kernel') prepared.kernelGroup = event.pgid || event.pid;
      } catch {
        /* not a progress line */
      }
    },
    onExit: () => {
      killGroup(prepared.kernelGroup);
      if (prepared.promoted) killKernel(run);
    },
  });
  run.prepared = prepared;
}

/** Execute one notebook into the staged folder: tell its runner, started early, to go; its report, and its stderr. */
async function startPrepared(run, notebook) {
  if (!run.prepared) prepareNotebook(run, notebook);
  const prepared = run.prepared;
  run.prepared = null;
  run.at = { step: 'notebook', notebook: path.basename(notebook), cell: 0, running: false };
  prepared.promoted = true;
  run.kernelGroup = prepared.kernelGroup;
  run.child = { process: prepared.child, forward: true };
  prepared.child.stdin.end('go\n');
  const executed = await prepared.result;
  if (run.child?.process === prepared.child) run.child = null;
  return { report: readReport(run, executed), stderr: executed.stderr };
}

/** Stop the runner started early, if any (the run ends before its turn): it shuts its kernel down and exits. */
async function stopPrepared(run) {
  const prepared = run.prepared;
  if (!prepared) return;
  run.prepared = null;
  prepared.child.stdin.end();
  const late = setTimeout(() => {
    try {
      prepared.child.kill('SIGKILL');
    } catch {
      /* gone */
    }
    killGroup(prepared.kernelGroup);
  }, GRACE_MS);
  await prepared.result;
  clearTimeout(late);
  killGroup(prepared.kernelGroup);
}

/** Say where a notebook stopped and why (the full error with VERBOSE=1). */
function explainFailure(run, name, report, stderr) {
  const more = run.verbose ? '' : ' Set VERBOSE=1 for the full error.';
  if (report.cell) {
    const line = report.first_line.length > 60 ? `${report.first_line.slice(0, 59)}…` : report.first_line;
    run.log(
      `notebooks: ${name} stopped at cell ${report.cell} (code cell ${report.code_cell}, \`${line}\`):\n  ${report.message.replace(/\n/g, '\n  ')}`,
    );
    run.log(
      `notebooks: the notebook as far as it ran is in ${shown(path.join(run.out, name), run.base)}; the notebooks after it did not run.${more}`,
    );
  } else {
    run.log(`notebooks: ${name} did not run: ${report.message}.${more}`);
  }
  if (run.verbose) run.log(`${report.details || ''}\n${stderr || ''}`.trim());
}

// Step 4: the reports.

/**
 * The notebook runner writes each HTML report itself (scripts/execute-notebook.py --html, the same
 * bytes as scripts/report.js's nbconvert, one Python process fewer per notebook); false when it
 * could not, with the sentence saying so.
 */
function reportWritten(run, name, report) {
  if (!run.html || !report.html_error) return true;
  run.log(
    `notebooks: could not write the HTML report of ${name}.${run.verbose ? `\n${report.html_error}` : ' Set VERBOSE=1 for the full error.'}`,
  );
  return false;
}

/** Steps 3 and 4 for each notebook in turn, into the staged folder; stops at the first failure or at a signal. */
async function executeAll(run) {
  if (run.html) ensureReportTemplate();
  fs.rmSync(run.staged, { recursive: true, force: true });
  fs.mkdirSync(run.staged, { recursive: true });
  try {
    return await executeEach(run);
  } finally {
    await stopPrepared(run);
  }
}

/** The loop of executeAll: each notebook in turn, the next one's runner started early. */
async function executeEach(run) {
  for (const [index, notebook] of run.notebooks.entries()) {
    if (run.signal) return false;
    const name = path.basename(notebook);
    const started = Date.now();
    run.log(`notebooks: executing ${name} ...`);
    const execution = startPrepared(run, notebook);
    if (index + 1 < run.notebooks.length) prepareNotebook(run, run.notebooks[index + 1]);
    const { report, stderr } = await execution;
    if (run.signal) return false;
    if (report.retried)
      run.log(
        `notebooks: the kernel for ${name} did not start within ${run.kernelStartTimeout} s; started it once more, with more time.`,
      );
    if (!report.ok) {
      explainFailure(run, name, report, stderr);
      return false;
    }
    if (!reportWritten(run, name, report)) return false;
    run.log(
      `notebooks: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${shown(path.join(run.out, name), run.base)}${run.html ? ' (+ .html)' : ''}`,
    );
    const next = run.notebooks[index + 1];
    run.at = next ? { step: 'between', notebook: name, next: path.basename(next) } : { step: 'end' };
  }
  return true;
}

// Step 5: messages.

const CLUSTERINGS = [
  { name: 'k-means', clusters: 'cluster', memberships: 'track_to_cluster' },
  { name: 'k-medoids', clusters: 'gower_cluster', memberships: 'track_to_gower_cluster' },
];

/** Whether `file` starts as a DuckDB database file does (the magic bytes "DUCK" at offset 8). */
function looksLikeDuckDb(file) {
  const head = Buffer.alloc(12);
  const fd = fs.openSync(file, 'r');
  try {
    return fs.readSync(fd, head, 0, 12, 0) === 12 && head.toString('latin1', 8, 12) === 'DUCK';
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * What the database holds, read without writing anything (read-only, and not at all when the file
 * does not exist or is no DuckDB file): { missing } | { error } | { tracks, fingerprint, clusterings:
 * [{ name, clusters, memberships }] }.
 */
async function databaseContents(dbPath) {
  if (!fs.existsSync(dbPath) || (fs.statSync(dbPath).isFile() && fs.statSync(dbPath).size === 0))
    return { missing: true };
  let instance;
  try {
    if (!fs.statSync(dbPath).isFile() || !looksLikeDuckDb(dbPath)) return { error: 'it is not a DuckDB database file' };
    const { DuckDBInstance } = require('@duckdb/node-api');
    instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      const value = async (sql) => (await connection.runAndReadAll(sql)).getRows()[0][0];
      const tables = (
        await connection.runAndReadAll(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'",
        )
      )
        .getRows()
        .map(([table]) => String(table));
      const count = async (table) =>
        tables.includes(table) ? Number(await value(`SELECT count(*) FROM "${table}"`)) : 0;
      const clusterings = [];
      for (const { name, clusters, memberships } of CLUSTERINGS)
        clusterings.push({ name, clusters: await count(clusters), memberships: await count(memberships) });
      return {
        tracks: await count('track'),
        fingerprint: tables.includes('track') ? String(await value('SELECT bit_xor(hash(t)) FROM track t')) : null,
        clusterings,
      };
    } finally {
      connection.closeSync();
    }
  } catch (error) {
    return { error: String(error.message).split('\n')[0] };
  } finally {
    instance?.closeSync();
  }
}

/** One clause on what the database holds now, with whether its tracks are the ones it held before the run. */
function describeContents(run, now) {
  const db = shown(run.dbPath, run.base);
  if (now.missing) return `there is no database at ${db}`;
  if (now.error) return `the database ${db} could not be read to say what it holds: ${now.error}`;
  let origin = '';
  if (now.tracks > 0 && run.before && !run.before.error)
    origin = run.before.fingerprint === now.fingerprint ? ' (the same as before this run)' : ' (stored by this run)';
  const clusterings = now.clusterings.map(({ name, clusters, memberships }) =>
    clusters || memberships
      ? `the ${name} clustering (${plural(clusters, 'cluster')}, ${plural(memberships, 'membership')})`
      : `no ${name} clustering`,
  );
  return `the database ${db} holds ${plural(now.tracks, 'track')}${origin}, ${clusterings.join(' and ')}`;
}

/** Where the run was when the signal came. */
function whereInterrupted(at) {
  if (at.step === 'notebook') {
    if (!at.cell) return `during ${at.notebook}, before its first cell ran`;
    return `during ${at.notebook} ${at.running ? 'at' : 'after'} cell ${at.cell}`;
  }
  if (at.step === 'report') return `while writing the HTML report of ${at.notebook}, after its last cell`;
  if (at.step === 'between') return `after ${at.notebook}, before ${at.next} started`;
  if (at.step === 'end') return 'after the last notebook had run';
  return 'during the check before the run, before any notebook started';
}

/** The loader's notes on the input file (repaired values, skipped rows), one line each. */
function sayNotes(run, when = '') {
  for (const note of run.notes) run.log(`notebooks: note${when} on ${run.csv}: ${note}`);
}

/** The last lines of a run that finished: how long, where the reports are, what the database holds, the notes again. */
async function saySummary(run) {
  const seconds = ((Date.now() - run.started) / 1000).toFixed(1);
  const contents = describeContents(run, await databaseContents(run.dbPath));
  run.log(
    `notebooks: ${plural(run.notebooks.length, 'notebook')} ran in ${seconds} s -> ${shown(run.out, run.base)}; ${contents}.`,
  );
  sayNotes(run, ' (from the check, repeated)');
}

/** After SIGINT or SIGTERM: one line on where the run was and what the database holds; then exit 130 or 143. */
async function stopInterrupted(run) {
  await stopPrepared(run);
  fs.rmSync(run.staged, { recursive: true, force: true });
  const contents = describeContents(run, await databaseContents(run.dbPath));
  run.log(`notebooks: interrupted (${run.signal}) ${whereInterrupted(run.at)}; ${contents}.`);
  release(run);
  process.exit(run.signal === 'SIGINT' ? 130 : 143);
}

/**
 * The run, step by step: locks, the check, each notebook and its report, the report folder replaced
 * whole, the summary; the locks are released however it ends. True when every notebook ran.
 */
async function runNotebooks(options) {
  const run = planRun(options);
  const stopWatching = watchSignals(run);
  try {
    if (!acquireLocks(run)) return false;
    // notebook 01's kernel starts while the check runs (no cell runs before the check has passed)
    if (run.notebooks.length > 0) prepareNotebook(run, run.notebooks[0]);
    if (run.check && !(await preflight(run))) return run.signal ? stopInterrupted(run) : false;
    if (!run.signal) run.before = await databaseContents(run.dbPath);
    const ok = !run.signal && (await executeAll(run));
    if (run.signal) return stopInterrupted(run);
    replaceFolder(run.staged, run.out);
    if (ok) await saySummary(run);
    return ok;
  } finally {
    await stopPrepared(run);
    release(run);
    stopWatching();
  }
}

module.exports = { runNotebooks, parseArguments, acquireLock, releaseLock, databaseContents };

if (require.main === module) {
  setup();
  runNotebooks(parseArguments(process.argv.slice(2))).then(
    (ok) => process.exit(ok ? 0 : 1),
    (error) => {
      process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    },
  );
}
