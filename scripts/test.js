#!/usr/bin/env node
/*
 * `npm test`: set up whatever is missing, type-check and compile lib/ and test/, then run every
 * test/**\/*.test.ts with Node's test runner. Among them, test/integration/notebooks.test.ts
 * executes every notebook headless on a small generated data set and fails on any cell error, and
 * test/integration/browser.test.ts checks in Debian's Chromium that figures render in JupyterLab
 * and in the HTML reports (set-up installs chromium with apt-get when it is missing and it can).
 * Before the tests, `npm test` checks the formatting (Prettier, and the notebook cells with
 * scripts/format-notebooks.js: as `npm run format:check`).
 * `npm run test:unit` (`--unit`) leaves out test/integration/ (notebooks, browser, set-up, pandas
 * reference) and needs no browser.
 * Extra arguments are passed to `node --test` (e.g. --test-name-pattern=loader).
 * On a machine whose Node is not 24 (the active LTS), `npm test` also runs the unit tests and
 * notebook 01 (test/integration/other-node.test.ts) under Node 24, fetched once from the npm
 * registry into build/node-24/ (scripts/node-runtime.js); the kernel then runs on Node 24 too
 * (scripts/setup.js kernelDataPath). Where the registry cannot be reached that pass is skipped with a
 * line. NODE24=0 leaves it out.
 * Run time: most of a test file's time is spent waiting (kernels starting, a browser drawing, a
 * runner being interrupted), so the tests run as jobs two at a time (TEST_CONCURRENCY, default 2),
 * the longest first: each slow integration file alone, the other integration files together, the
 * unit tests together; the Node 24 pass runs beside them. The unit test files run in one process
 * (build/test/unit-tests.js, written here, requires them all), not one process each: a process per
 * file cost 37–39 % more CPU (measured on both Nodes), the files' tests pass either way, and a
 * failure still names its file. A job's output is printed when it ends
 * (`node --test` would start the files in name order), then a table of the jobs and their seconds.
 * The formatting check runs beside the type check; a failure of either stops `npm test` before any
 * test starts.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setup, compile, ensureChromium, ROOT } = require('./setup');
const { TEST_NODE_MAJOR } = require('./node-runtime');

const unitOnly = process.argv.includes('--unit');
const runnerArguments = process.argv.slice(2).filter((argument) => argument !== '--unit');
/** Leave with `status` once `text` is written (a pipe takes big writes asynchronously: process.exit would cut them). */
function leave(status, text, stream = process.stderr) {
  stream.write(text, () => process.exit(status));
}
const concurrency = Number(process.env.TEST_CONCURRENCY || 2);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  leave(1, `TEST_CONCURRENCY is '${process.env.TEST_CONCURRENCY}', but it must be a whole number of at least 1.\n`);
  return;
}
/**
 * The jobs, longest first (measured), so that the jobs side by side end together: the slow files, each
 * a job of its own, the unit tests (UNIT) and the other integration files (OTHER).
 */
const UNIT = 'the unit tests';
const OTHER = 'the other integration tests';
const LONGEST_FIRST = [
  'integration/browser.test.js',
  'integration/notebooks.test.js',
  UNIT,
  'integration/small-files.test.js',
  'integration/runner.test.js',
  'integration/runs.test.js',
  'integration/runner-interrupt.test.js',
  'integration/jupyter-way.test.js',
  'integration/tslab-patch.test.js',
  OTHER,
];

setup({ compileLibrary: false });
const major = Number(process.versions.node.split('.')[0]);
const otherNode = !unitOnly && major !== TEST_NODE_MAJOR && process.env.NODE24 !== '0';
/** Runs a command without blocking; resolves to its exit status and what it printed. */
function start(command, args, options = {}) {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: options.env || process.env });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => {
      resolve({ status: 1, output: `${output}${error.message}\n` });
    });
    child.on('close', (status, signal) => {
      resolve({ status: status ?? 1, signal, output });
    });
  });
}

/** The Node 24 binary, fetched in a child (a network step that overlaps the others), or why there is none. */
const node24Started = Date.now();
const node24 = otherNode
  ? start(process.execPath, [path.join(__dirname, 'node-runtime.js'), String(TEST_NODE_MAJOR)]).then((got) =>
      got.status === 0
        ? { node: got.output.trim().split('\n').pop(), seconds: (Date.now() - node24Started) / 1000 }
        : {
            skipped: got.output
              .trim()
              .replace(/^No Node \d+: /, '')
              .replace(/\.$/, ''),
          },
    )
  : null;

if (!unitOnly) ensureChromium();
// the formatting check runs while the type check (synchronous) compiles
const formatting = unitOnly ? Promise.resolve([]) : formattingChecks();
const compiled = compile({ force: true });
if (!compiled.ok) {
  leave(1, `Type check failed:\n${compiled.output}\n`);
  return;
}

/** `npm test` is the gate, so it also checks the formatting (`npm run format` fixes it): what failed, if anything. */
function formattingChecks() {
  const prettier = path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  const checks = [
    start(process.execPath, [prettier, '--check', '.']).then(
      (formatted) =>
        formatted.status === 0 || `Formatting check failed (run \`npm run format\` to fix):\n${formatted.output}\n`,
    ),
    // notebook cells too: formatted, and no code line over 100 characters
    start(process.execPath, [path.join(__dirname, 'format-notebooks.js'), '--check']).then(
      (cells) =>
        cells.status === 0 || `Notebook cells are not formatted (run \`npm run format\` to fix):\n${cells.output}\n`,
    ),
  ];
  return Promise.all(checks).then((results) => results.filter((result) => result !== true));
}

function findTests(dir, integration) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory())
        return entry.name === 'bench' || (!integration && entry.name === 'integration')
          ? []
          : findTests(full, integration);
      return entry.name.endsWith('.test.js') ? [full] : [];
    })
    .sort();
}

/** The compiled tests (unit tests only, or all); compiled tests whose source was deleted must not run. */
function compiledTests(integration) {
  return findTests(path.join(ROOT, 'build', 'test'), integration).filter((file) => {
    const source = path.join(ROOT, path.relative(path.join(ROOT, 'build'), file)).replace(/\.js$/, '.ts');
    return fs.existsSync(source);
  });
}

/**
 * The unit test files as one file to run (build/test/unit-tests.js, requiring each in name order), so
 * that `node --test` runs them in one process; none when there are none.
 */
function oneProcess(files) {
  if (files.length === 0) return [];
  const entry = path.join(ROOT, 'build', 'test', 'unit-tests.js');
  const lines = files.map(
    (file) => `require(${JSON.stringify('./' + path.relative(path.dirname(entry), file).split(path.sep).join('/'))});`,
  );
  fs.writeFileSync(
    entry,
    `'use strict';\n// Written by scripts/test.js: the unit test files, run in one process.\n${lines.join('\n')}\n`,
  );
  return [entry];
}

/** A compiled test's path inside build/test/, with forward slashes (as LONGEST_FIRST names them). */
function relative(file) {
  return path
    .relative(path.join(ROOT, 'build', 'test'), file)
    .split(path.sep)
    .join('/');
}

const isIntegration = (file) => relative(file).startsWith('integration/');

/**
 * The jobs in the order they start: [name, files], the slow files alone and longest first, then the
 * rest; the unit tests are `unitEntry` (oneProcess of them).
 */
function jobsOf(files, unitEntry) {
  const alone = files.filter((file) => LONGEST_FIRST.includes(relative(file)));
  const rest = files.filter((file) => !alone.includes(file));
  const groups = {
    [UNIT]: unitEntry,
    [OTHER]: rest.filter(isIntegration),
  };
  return LONGEST_FIRST.map((name) => [name, groups[name] || alone.filter((file) => relative(file) === name)]).filter(
    ([, jobFiles]) => jobFiles.length > 0,
  );
}

/** Runs the jobs, `concurrency` at a time in their order; each one's output is printed when it ends. */
/** The spec reporter on a terminal, as `node --test` picks when its output is one (it is a pipe here). */
const reporter =
  process.stdout.isTTY && !runnerArguments.some((argument) => argument.startsWith('--test-reporter'))
    ? ['--test-reporter=spec']
    : [];

async function runJobs(jobs) {
  const results = [];
  let next = 0;
  const slot = async () => {
    while (next < jobs.length) {
      const [name, files] = jobs[next++];
      const started = Date.now();
      process.stdout.write(`npm test: started ${name}\n`);
      const result = await start(process.execPath, ['--test', ...reporter, ...runnerArguments, ...files]);
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(
        `npm test: ${name} ${result.status === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(0)} s:\n${result.output}`,
      );
      results.push({ name, seconds, status: result.status });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, slot));
  return results;
}

/** The same unit tests and notebook 01 under Node 24, its output kept until it ends. */
async function otherNodePass(unitEntry) {
  const other = await node24;
  if (other.skipped)
    return { line: `npm test: skipped the Node ${TEST_NODE_MAJOR} pass: ${other.skipped}.\n`, status: 0 };
  const started = Date.now();
  const again = await start(
    other.node,
    [
      '--test',
      ...reporter,
      ...runnerArguments,
      ...unitEntry,
      path.join(ROOT, 'build', 'test', 'integration', 'other-node.test.js'),
    ],
    {
      env: {
        ...process.env,
        PATH: `${path.dirname(other.node)}${path.delimiter}${process.env.PATH}`,
        SPOTIFY_CLUSTERS_OTHER_NODE: '1',
      },
    },
  );
  const seconds = (Date.now() - started) / 1000;
  return {
    line:
      `npm test: the unit tests and notebook 01 under ${path.relative(ROOT, other.node)} ` +
      `(there after ${other.seconds.toFixed(0)} s) ${again.status === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(0)} s:\n` +
      again.output,
    status: again.status,
    result: { name: `the Node ${TEST_NODE_MAJOR} pass (beside the jobs)`, seconds, status: again.status },
  };
}

async function main() {
  const failed = await formatting;
  if (failed.length) {
    leave(1, failed.join(''));
    return;
  }
  const started = Date.now();
  const files = compiledTests(!unitOnly);
  // one entry file for the unit tests, run by this Node's unit job and by the Node 24 pass
  const unitEntry = oneProcess(files.filter((file) => !isIntegration(file)));
  const other = otherNode ? otherNodePass(unitEntry) : null;
  const results = await runJobs(jobsOf(files, unitEntry));
  let status = results.every((result) => result.status === 0) ? 0 : 1;
  if (other) {
    const { line, status: otherStatus, result } = await other;
    process.stdout.write(line);
    if (status === 0) status = otherStatus;
    if (result) results.push(result);
  }
  leave(
    status,
    `npm test: ${status === 0 ? 'every job passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s ` +
      `(${concurrency} jobs at a time):\n${results
        .map(
          (result) =>
            `  ${result.seconds.toFixed(0).padStart(5)} s  ${result.status === 0 ? 'ok    ' : 'FAILED'}  ${result.name}`,
        )
        .join('\n')}\n`,
    process.stdout,
  );
}

main();
