#!/usr/bin/env node
/*
 * `npm run bench`: set up, then run the benchmarks in test/bench/ (each compares this project with
 * the Python reference side by side in one run and prints a markdown table). The Python side runs in
 * a throwaway virtualenv build/ref-venv with the versions pinned in test/reference/requirements.txt.
 * Usage: npm run bench [-- NAME ...]   e.g. npm run bench -- load gower
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setup, ROOT } = require('./setup');

setup();
const dir = path.join(ROOT, 'build', 'test', 'bench');
const available = fs
  .readdirSync(dir)
  .filter((name) => name.endsWith('.bench.js'))
  .map((name) => name.replace(/\.bench\.js$/, ''))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length) {
  console.error(`No benchmark named ${unknown.join(', ')}; there are: ${available.join(', ')}.`);
  process.exit(1);
}
let failed = false;
for (const name of wanted.length ? wanted : available) {
  console.error(`bench: ${name} ...`);
  const result = spawnSync(process.execPath, ['--max-old-space-size=8192', path.join(dir, `${name}.bench.js`)], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed = true;
    console.error(`bench: ${name} failed`);
  }
}
process.exit(failed ? 1 : 0);
