#!/usr/bin/env node
/*
 * Check a run of the notebooks before it starts (lib/notebook/preflight.ts: the parameters the
 * chosen notebooks read, the input file as notebook 01 will load it and the tracks it will store,
 * or the tracks already stored when notebook 01 does not run, an existing database): what
 * `npm run notebooks` does before the first notebook. Run after the set-up, with the parameters in
 * the environment and the notebooks that will run as arguments (none: all four):
 * `node scripts/check-run.js [notebooks/04-catalogue.ipynb …]`. Prints a JSON summary on stdout, or
 * the one sentence that stops the run on stderr (with the stack when VERBOSE=1) and exits 1.
 */
'use strict';
const path = require('node:path');

const { checkBeforeRun } = require(path.join(__dirname, '..', 'build', 'lib', 'notebook', 'preflight.js'));

const notebooks = process.argv.slice(2);
checkBeforeRun(process.env, notebooks.length > 0 ? notebooks : undefined).then(
  (result) =>
    process.stdout.write(
      `${JSON.stringify({ notebooks: result.notebooks, tracks: result.tracks, storedTracks: result.storedTracks, warnings: result.warnings, parameters: result.parameters })}\n`,
    ),
  (error) => {
    process.stderr.write(`${process.env.VERBOSE === '1' ? error.stack : error.message}\n`);
    process.exitCode = 1;
  },
);
