#!/usr/bin/env node
/*
 * The HTML report of a notebook (executed headless, or saved from JupyterLab): nbconvert with the
 * project's template (scripts/report-template/), which draws every plotly figure from its JSON with
 * one embedded copy of the minified plotly.js (plotly.js-dist-min, the same version as the
 * plotly.js-dist the notebooks are written against), gzip-compressed and base64-encoded so the
 * report stays a few MB; the browser unpacks it. No CDN: reports work offline.
 * `npm run notebooks` writes a report beside each executed notebook through writeReport().
 * Usage: node scripts/report.js [--out DIR] NOTEBOOK.ipynb ...   (default: next to each notebook)
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { setup, jupyterEnv, ROOT, VENV, BIN } = require('./setup');

const TEMPLATE_SOURCE = path.join(__dirname, 'report-template');
const TEMPLATE = path.join(ROOT, 'build', 'report-template');
const PLOTLY_MIN = path.join(ROOT, 'node_modules', 'plotly.js-dist-min', 'plotly.min.js');

/**
 * build/report-template/: the template's files, and plotly-bundle.js (the compressed plotly.js,
 * remade only when plotly.js-dist-min changes). Returns the template file's path.
 */
function prepareTemplate() {
  fs.mkdirSync(TEMPLATE, { recursive: true });
  for (const name of fs.readdirSync(TEMPLATE_SOURCE))
    fs.copyFileSync(path.join(TEMPLATE_SOURCE, name), path.join(TEMPLATE, name));
  const bundle = path.join(TEMPLATE, 'plotly-bundle.js');
  const stale = !fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < fs.statSync(PLOTLY_MIN).mtimeMs;
  if (stale) {
    const packed = zlib.gzipSync(fs.readFileSync(PLOTLY_MIN), { level: 9 }).toString('base64');
    const version = JSON.parse(fs.readFileSync(path.join(path.dirname(PLOTLY_MIN), 'package.json'), 'utf8')).version;
    fs.writeFileSync(
      bundle,
      `/* plotly.js ${version} (plotly.js-dist-min, MIT licence), gzip + base64; unpacked by draw-figures.js */\nwindow.SPOTIFY_PLOTLY_GZ = "${packed}";\n`,
    );
  }
  return path.join(TEMPLATE, 'report.html.j2');
}

/**
 * The nbconvert command that writes NOTEBOOK's HTML report into `out` as NAME.html: { command, args, file }
 * (run it with jupyterEnv(); `npm run notebooks` runs it without blocking, so a signal stops it at once).
 */
function reportCommand(notebook, out = path.dirname(path.resolve(notebook))) {
  const template = prepareTemplate();
  return {
    command: path.join(VENV, BIN, 'jupyter'),
    args: ['nbconvert', '--to', 'html', `--template-file=${template}`, '--output-dir', out, path.resolve(notebook)],
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

module.exports = { writeReport, reportCommand, prepareTemplate };

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
