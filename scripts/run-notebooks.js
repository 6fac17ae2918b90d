#!/usr/bin/env node
/*
 * `npm run notebooks`: set up whatever is missing, then execute every notebook in notebooks/ in
 * order, headless (nbconvert with the project's tslab kernel), on the default data. Executed copies
 * and HTML reports (scripts/report.js) go to build/notebooks/ (or --out DIR); results go to the
 * DuckDB file (DB_PATH).
 * Stops at the first notebook with a cell error and says which.
 * Usage: node scripts/run-notebooks.js [--out DIR] [--no-html] [notebooks/NN-name.ipynb ...]
 * From code: runNotebooks({ out, html, notebooks, env }) with env added to the kernels' environment.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setup, jupyterEnv, ROOT, VENV, BIN } = require('./setup');
const { writeReport } = require('./report');

function parseArguments(argv) {
  const options = { out: path.join(ROOT, 'build', 'notebooks'), html: true, notebooks: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') options.out = path.resolve(argv[++i]);
    else if (argv[i] === '--no-html') options.html = false;
    else options.notebooks.push(path.resolve(argv[i]));
  }
  if (!options.notebooks.length) {
    const dir = path.join(ROOT, 'notebooks');
    options.notebooks = fs.readdirSync(dir).filter((name) => /^\d\d.*\.ipynb$/.test(name)).sort().map((name) => path.join(dir, name));
  }
  return options;
}

function runNotebooks(options) {
  options = { ...options, out: path.resolve(options.out), notebooks: options.notebooks.map((nb) => path.resolve(nb)) };
  fs.mkdirSync(options.out, { recursive: true });
  const jupyter = path.join(VENV, BIN, 'jupyter');
  const env = jupyterEnv(options.env || {});
  for (const notebook of options.notebooks) {
    const name = path.basename(notebook);
    const started = Date.now();
    process.stderr.write(`notebooks: executing ${name} ...\n`);
    const executed = spawnSync(jupyter, [
      'nbconvert', '--to', 'notebook', '--execute',
      '--ExecutePreprocessor.timeout=3600', '--ExecutePreprocessor.kernel_name=tslab',
      '--output-dir', options.out, notebook,
    ], { cwd: path.dirname(notebook), env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (executed.status !== 0) {
      const output = `${executed.stdout}\n${executed.stderr}`.trim().split('\n');
      process.stderr.write(`${output.slice(-40).join('\n')}\n\nnotebooks: ${name} stopped with an error (above); its partial output is in ${path.relative(ROOT, options.out)}/${name}.\n`);
      return false;
    }
    const result = path.join(options.out, name);
    if (options.html) {
      const report = writeReport(result, { out: options.out, env });
      if (!report.ok) {
        process.stderr.write(`${report.output}\nnotebooks: could not write the HTML report of ${name}.\n`);
        return false;
      }
    }
    process.stderr.write(`notebooks: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${path.relative(ROOT, result)}${options.html ? ' (+ .html)' : ''}\n`);
  }
  return true;
}

module.exports = { runNotebooks, parseArguments };

if (require.main === module) {
  setup();
  process.exit(runNotebooks(parseArguments(process.argv.slice(2))) ? 0 : 1);
}
