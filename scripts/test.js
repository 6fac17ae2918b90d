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
 * On a machine whose Node is not 24 (the active LTS), `npm test` then runs the unit tests and
 * notebook 01 (test/integration/other-node.test.ts) once more under Node 24, fetched once from the npm
 * registry into build/node-24/ (scripts/node-runtime.js); the kernel then runs on Node 24 too
 * (scripts/setup.js kernelDataPath). Where the registry cannot be reached that pass is skipped with a
 * line. NODE24=0 leaves it out.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setup, compile, ensureChromium, ROOT } = require('./setup');
const { ensureNode, TEST_NODE_MAJOR } = require('./node-runtime');

const unitOnly = process.argv.includes('--unit');
const runnerArguments = process.argv.slice(2).filter((argument) => argument !== '--unit');
setup({ compileLibrary: false });
if (!unitOnly) ensureChromium();
const compiled = compile({ force: true });
if (!compiled.ok) {
  process.stderr.write(`Type check failed:\n${compiled.output}\n`);
  process.exit(1);
}
// `npm test` is the gate, so it also checks the formatting (`npm run format` fixes it)
if (!unitOnly) {
  const prettier = path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  const formatted = spawnSync(process.execPath, [prettier, '--check', '.'], { cwd: ROOT, encoding: 'utf8' });
  if (formatted.status !== 0) {
    process.stderr.write(
      `Formatting check failed (run \`npm run format\` to fix):\n${formatted.stdout}${formatted.stderr}\n`,
    );
    process.exit(1);
  }
  // notebook cells too: formatted, and no code line over 100 characters
  const cells = spawnSync(process.execPath, [path.join(__dirname, 'format-notebooks.js'), '--check'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (cells.status !== 0) {
    process.stderr.write(`Notebook cells are not formatted (run \`npm run format\` to fix):\n${cells.stderr}\n`);
    process.exit(1);
  }
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

const tests = compiledTests(!unitOnly);
const result = spawnSync(process.execPath, ['--test', ...runnerArguments, ...tests], { cwd: ROOT, stdio: 'inherit' });
let status = result.status ?? 1;

// The same unit tests and notebook 01 under Node 24, where the machine's Node is another one.
const major = Number(process.versions.node.split('.')[0]);
if (!unitOnly && major !== TEST_NODE_MAJOR && process.env.NODE24 !== '0') {
  const started = Date.now();
  const other = ensureNode(TEST_NODE_MAJOR);
  if (other.skipped) {
    process.stdout.write(`npm test: skipped the Node ${TEST_NODE_MAJOR} pass: ${other.skipped}.\n`);
  } else {
    const fetched = other.fetched ? `fetched in ${((Date.now() - started) / 1000).toFixed(0)} s, ` : '';
    process.stdout.write(
      `npm test: the unit tests and notebook 01 again under Node ${other.version} (${fetched}${path.relative(ROOT, other.node)})\n`,
    );
    const again = spawnSync(
      other.node,
      [
        '--test',
        ...runnerArguments,
        ...compiledTests(false),
        path.join(ROOT, 'build', 'test', 'integration', 'other-node.test.js'),
      ],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: {
          ...process.env,
          PATH: `${path.dirname(other.node)}${path.delimiter}${process.env.PATH}`,
          SPOTIFY_CLUSTERS_OTHER_NODE: '1',
        },
      },
    );
    process.stdout.write(
      `npm test: the Node ${other.version} pass took ${((Date.now() - started) / 1000).toFixed(0)} s${again.status === 0 ? '' : ' and FAILED'}.\n`,
    );
    if (status === 0) status = again.status ?? 1;
  }
}
process.exit(status);
