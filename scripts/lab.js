#!/usr/bin/env node
/*
 * `npm run lab`: set up whatever is missing, then open JupyterLab on notebooks/ with the project's
 * tslab kernel (registered inside .venv). Extra arguments go to `jupyter lab`. The kernels run
 * inside notebooks/, so they are told the folder the command was started in (INIT_CWD, which npm
 * sets, or the working folder): relative SPOTIFY_CSV and DB_PATH are taken from there.
 */
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { setup, jupyterEnv, ROOT, VENV, BIN } = require('./setup');

setup();
// Jupyter refuses to run as root without --allow-root (containers, CI); pass it there only.
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0 ? ['--allow-root'] : [];
const lab = spawn(
  path.join(VENV, BIN, 'jupyter'),
  ['lab', `--notebook-dir=${path.join(ROOT, 'notebooks')}`, ...asRoot, ...process.argv.slice(2)],
  { stdio: 'inherit', env: jupyterEnv({ INIT_CWD: process.env.INIT_CWD || process.cwd() }) },
);
lab.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => lab.kill(signal));
