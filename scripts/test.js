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
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setup, compile, ensureChromium, ROOT } = require('./setup');

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

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory())
        return entry.name === 'bench' || (unitOnly && entry.name === 'integration') ? [] : findTests(full);
      return entry.name.endsWith('.test.js') ? [full] : [];
    })
    .sort();
}

// compiled tests whose source was deleted must not run
const tests = findTests(path.join(ROOT, 'build', 'test')).filter((file) => {
  const source = path.join(ROOT, path.relative(path.join(ROOT, 'build'), file)).replace(/\.js$/, '.ts');
  return fs.existsSync(source);
});
const result = spawnSync(process.execPath, ['--test', ...runnerArguments, ...tests], { cwd: ROOT, stdio: 'inherit' });
process.exit(result.status ?? 1);
