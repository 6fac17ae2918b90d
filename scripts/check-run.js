#!/usr/bin/env node
/*
 * Check a run of the notebooks before it starts (lib/data/preflight.ts: every parameter, the input
 * file as notebook 01 will load it, the tracks it will store, an existing database): what
 * `npm run notebooks` does before notebook 01. Run after the set-up, with the parameters in the
 * environment: `node scripts/check-run.js`. Prints a JSON summary on stdout, or the one sentence
 * that stops the run on stderr (with the stack when VERBOSE=1) and exits 1.
 */
'use strict';
const path = require('node:path');

const { checkBeforeRun } = require(path.join(__dirname, '..', 'build', 'lib', 'data', 'preflight.js'));

checkBeforeRun(process.env).then(
  (result) =>
    process.stdout.write(
      `${JSON.stringify({ tracks: result.tracks, storedTracks: result.storedTracks, warnings: result.warnings, parameters: result.parameters })}\n`,
    ),
  (error) => {
    process.stderr.write(`${process.env.VERBOSE === '1' ? error.stack : error.message}\n`);
    process.exitCode = 1;
  },
);
