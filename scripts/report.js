#!/usr/bin/env node
/*
 * The HTML report of a notebook (executed headless, or saved from JupyterLab): nbconvert with the
 * project's template (scripts/report-template/, installed into .venv by scripts/setup.js as the
 * nbconvert template `spotify-clusters`, also the default of the venv's `jupyter nbconvert --to html`), which draws every plotly figure from its JSON with
 * one embedded copy of the minified plotly.js (plotly.js-dist-min, the same version as the
 * plotly.js-dist the notebooks are written against), gzip-compressed and base64-encoded so the
 * report stays a few MB; the browser unpacks it. The page makes no network request: reports work offline.
 * `npm run notebooks` writes the same report with this template from the process that ran the notebook
 * (scripts/execute-notebook.py --html).
 * Usage: node scripts/report.js [--out DIR] NOTEBOOK.ipynb ...   (default: next to each notebook)
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { setup, jupyterEnv, ensureReportTemplate, TEMPLATE_NAME, VENV, BIN } = require('./setup');

/** The nbconvert command that writes NOTEBOOK's HTML report into `out` as NAME.html: { command, args, file }. */
function reportCommand(notebook, out = path.dirname(path.resolve(notebook))) {
  ensureReportTemplate();
  return {
    command: path.join(VENV, BIN, 'jupyter'),
    args: ['nbconvert', '--to', 'html', `--template=${TEMPLATE_NAME}`, '--output-dir', out, path.resolve(notebook)],
    file: path.join(out, `${path.basename(notebook, '.ipynb')}.html`),
  };
}

/**
 * Write NOTEBOOK's HTML report into `out` (default: the notebook's folder), as NAME.html.
 * Returns { ok, file, output } (output: nbconvert's messages, for an error report).
 */
function writeReport(notebook, { out, env = jupyterEnv() } = {}) {
  const { command, args, file } = reportCommand(notebook, out);
  const result = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: result.status === 0, file, output: `${result.stdout || ''}${result.stderr || ''}` };
}

module.exports = { writeReport };

if (require.main === module) {
  const args = process.argv.slice(2);
  let out;
  const notebooks = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = path.resolve(args[++i]);
    else notebooks.push(args[i]);
  }
  if (!notebooks.length) {
    process.stderr.write(
      'Name the notebook to report on, for example: npm run report -- build/notebooks/03-kmeans-clustering.ipynb\n',
    );
    process.exit(1);
  }
  setup();
  let ok = true;
  for (const notebook of notebooks) {
    const report = writeReport(notebook, { out });
    if (report.ok) process.stderr.write(`report: ${path.relative(process.cwd(), report.file)}\n`);
    else {
      process.stderr.write(`${report.output}\nreport: could not write the HTML report of ${notebook} (above).\n`);
      ok = false;
    }
  }
  process.exit(ok ? 0 : 1);
}
