#!/usr/bin/env node
/*
 * `npm run notebooks`: set up whatever is missing, then execute every notebook in notebooks/ in
 * order, headless (the project's tslab kernel, through scripts/execute-notebook.py), on the default
 * data. Executed copies and HTML reports (scripts/report.js) go to build/notebooks/ (or --out DIR); results go to the
 * DuckDB file (DB_PATH).
 *
 * What a run promises:
 * - nothing changes unless it can finish: every parameter, the input file and the tracks it will
 *   store are checked before notebook 01 starts (scripts/check-run.js, lib/notebook/preflight.ts);
 * - one run per database: a lock file beside DB_PATH (DB_PATH.lock) and one beside the report folder
 *   (DIR.lock) hold the run's PID for the whole run; a second run is refused with a sentence naming
 *   that PID, and a lock whose process has died is taken over;
 * - the report folder is replaced whole at the end of a run (reports are written to DIR.partial-PID
 *   first), so it never mixes two runs;
 * - a failure prints the notebook, the cell number and the error's sentence (the Python and
 *   JavaScript details only with VERBOSE=1), keeps the executed notebook up to the failing cell in the
 *   report folder, and exits non-zero; a kernel that does not start in time is started once more (with
 *   twice the time, at least a minute).
 * Relative paths (SPOTIFY_CSV, DB_PATH, --out) are taken from the folder the command was started in.
 *
 * Usage: node scripts/run-notebooks.js [--out DIR] [--no-html] [notebooks/NN-name.ipynb ...]
 * From code: runNotebooks({ out, html, notebooks, env }) with env added to the kernels' environment;
 * also { check: false } to skip the check before the run, { log } to receive the lines printed,
 * { kernel, kernelStartTimeout } for the kernel and its start-up timeout in seconds.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setup, jupyterEnv, ROOT, VENV_PYTHON } = require('./setup');
const { writeReport } = require('./report');

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

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function readLock(file) {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Number.isInteger(holder.pid) ? holder : null;
  } catch {
    return null;
  }
}

/** Create `file` holding `content` only if it does not exist, never leaving it half written. */
function createExclusive(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if (error.code === 'EEXIST') throw error;
    fs.writeFileSync(file, content, { flag: 'wx' }); // a file system without hard links
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * Take the lock `file` for this process: { file } when taken (`tookOverFrom` names a dead holder
 * whose lock was taken over), { busy: holder } when a live process holds it.
 */
function acquireLock(file, what) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const content = JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString(), what });
  let tookOverFrom = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      createExclusive(file, content);
      return { file, tookOverFrom };
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = readLock(file);
    if (holder && holder.pid !== process.pid && isAlive(holder.pid)) return { busy: holder };
    // A dead holder's lock (or an unreadable one): move it aside, then check that what was moved is
    // still that dead lock and not one a third run took in the meantime.
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch (error) {
      if (error.code === 'ENOENT') continue;
      throw error;
    }
    const moved = readLock(aside);
    if (moved && moved.pid !== process.pid && isAlive(moved.pid)) {
      try {
        fs.linkSync(aside, file);
      } catch {
        /* it took another lock meanwhile: it is busy either way */
      }
      fs.rmSync(aside, { force: true });
      return { busy: moved };
    }
    fs.rmSync(aside, { force: true });
    tookOverFrom = holder;
  }
  return { busy: readLock(file) || { pid: 'unknown' } };
}

function releaseLock(lock) {
  if (lock && lock.file && readLock(lock.file)?.pid === process.pid) fs.rmSync(lock.file, { force: true });
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

function runNotebooks(options) {
  const log = options.log || ((line) => process.stderr.write(`${line}\n`));
  const extra = { ...(options.env || {}) };
  const merged = { ...process.env, ...extra };
  const verbose = merged.VERBOSE === '1';
  const base = startFolder(merged);
  const out = path.resolve(base, options.out);
  const notebooks = options.notebooks.map((nb) => path.resolve(base, nb));
  // The kernels run in notebooks/: give them the paths as the user meant them, absolute.
  const { userPath, DB_NAME } = require(path.join(ROOT, 'build', 'lib', 'paths.js'));
  for (const name of ['SPOTIFY_CSV', 'DB_PATH'])
    if (merged[name] && merged[name].trim() !== '') extra[name] = userPath(merged[name], merged);
  const dbPath = extra.DB_PATH || userPath(DB_NAME, merged);
  const env = jupyterEnv(extra);

  const locks = [];
  const staged = `${out}.partial-${process.pid}`;
  const cleanUp = () => {
    locks.forEach(releaseLock);
    fs.rmSync(staged, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const [file, what] of [
      [`${dbPath}.lock`, `the database ${dbPath}`],
      [`${out}.lock`, `the report folder ${out}`],
    ]) {
      let lock;
      try {
        lock = acquireLock(file, what);
      } catch (error) {
        log(
          `notebooks: could not create the lock file ${file} (${error.code || error.message}); nothing ran. Point DB_PATH and --out at folders you can write.`,
        );
        return false;
      }
      if (lock.busy) {
        const since = lock.busy.started ? ` since ${lock.busy.started}` : '';
        log(
          `notebooks: another run (PID ${lock.busy.pid}${since}) is using ${what}; nothing ran. Wait for it to finish, or use another DB_PATH and --out; if PID ${lock.busy.pid} is no such run, delete ${file}.`,
        );
        return false;
      }
      if (lock.tookOverFrom)
        log(
          `notebooks: took over the lock of a run that is no longer running (PID ${lock.tookOverFrom.pid}) on ${what}.`,
        );
      locks.push(lock);
    }

    if (options.check !== false) {
      const checked = spawnSync(process.execPath, [path.join(__dirname, 'check-run.js'), ...notebooks], {
        env: { ...env, VERBOSE: verbose ? '1' : '' },
        encoding: 'utf8',
      });
      if (checked.status !== 0) {
        log(
          `notebooks: nothing ran and nothing was changed: ${(checked.stderr || checked.error?.message || 'the check before the run failed').trim()}`,
        );
        return false;
      }
      const summary = JSON.parse(checked.stdout.trim().split('\n').pop());
      log(
        `notebooks: parameters and ${shown(summary.parameters.SPOTIFY_CSV, base)} checked: ${summary.tracks.toLocaleString('en-US')} tracks to store in ${shown(dbPath, base)}.`,
      );
    }

    fs.rmSync(staged, { recursive: true, force: true });
    fs.mkdirSync(staged, { recursive: true });
    let ok = true;
    for (const notebook of notebooks) {
      const name = path.basename(notebook);
      const started = Date.now();
      log(`notebooks: executing ${name} ...`);
      const executed = spawnSync(
        VENV_PYTHON,
        [
          path.join(__dirname, 'execute-notebook.py'),
          '--kernel',
          options.kernel || 'tslab',
          '--timeout',
          '3600',
          '--startup-timeout',
          String(options.kernelStartTimeout || 60),
          notebook,
          staged,
        ],
        { cwd: path.dirname(notebook), env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
      );
      let report;
      try {
        report = JSON.parse(executed.stdout.trim().split('\n').pop());
      } catch {
        report = {
          ok: false,
          reason: 'runner',
          message: `the notebook runner stopped without a report (exit status ${executed.status}${executed.error ? `, ${executed.error.message}` : ''})`,
          details: executed.stderr,
        };
      }
      if (report.retried)
        log(
          `notebooks: the kernel for ${name} did not start within ${options.kernelStartTimeout || 60} s; started it once more, with more time.`,
        );
      const result = path.join(out, name);
      if (!report.ok) {
        ok = false;
        if (report.cell) {
          const line = report.first_line.length > 60 ? `${report.first_line.slice(0, 59)}…` : report.first_line;
          log(
            `notebooks: ${name} stopped at cell ${report.cell} (code cell ${report.code_cell}, \`${line}\`):\n  ${report.message.replace(/\n/g, '\n  ')}`,
          );
          log(
            `notebooks: the notebook as far as it ran is in ${shown(result, base)}; the notebooks after it did not run.${verbose ? '' : ' Set VERBOSE=1 for the full error.'}`,
          );
        } else {
          log(
            `notebooks: ${name} did not run: ${report.message}.${verbose ? '' : ' Set VERBOSE=1 for the full error.'}`,
          );
        }
        if (verbose) log(`${report.details || ''}\n${executed.stderr || ''}`.trim());
        break;
      }
      if (options.html !== false) {
        const html = writeReport(path.join(staged, name), { out: staged, env });
        if (!html.ok) {
          ok = false;
          log(
            `notebooks: could not write the HTML report of ${name}.${verbose ? `\n${html.output}` : ' Set VERBOSE=1 for the full error.'}`,
          );
          break;
        }
      }
      log(
        `notebooks: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${shown(result, base)}${options.html === false ? '' : ' (+ .html)'}`,
      );
    }
    replaceFolder(staged, out);
    return ok;
  } finally {
    cleanUp();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

module.exports = { runNotebooks, parseArguments, acquireLock, releaseLock };

if (require.main === module) {
  setup();
  process.exit(runNotebooks(parseArguments(process.argv.slice(2))) ? 0 : 1);
}
