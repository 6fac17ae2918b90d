#!/usr/bin/env node
/*
 * `npm run generate-data`: (re)make the bundled synthetic stand-in data/SpotifyFeatures.sample.csv
 * (20,000 rows, seed 2024) with the seeded generator in lib/data/synthetic.ts. The same generator
 * makes the full-size file for benchmarks:
 *   node scripts/generate-data.js --rows 232725 --out build/bench/SpotifyFeatures.full.csv
 */
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { setup, ROOT } = require('./setup');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
setup();
const { writeSyntheticSpotifyCsv } = require(path.join(ROOT, 'build', 'lib', 'data', 'synthetic'));
const out = path.resolve(option('--out', path.join(ROOT, 'data', 'SpotifyFeatures.sample.csv')));
fs.mkdirSync(path.dirname(out), { recursive: true });
const rows = writeSyntheticSpotifyCsv(out, {
  rows: Number(option('--rows', 20000)),
  seed: Number(option('--seed', 2024)),
});
console.log(`wrote ${rows} rows to ${path.relative(process.cwd(), out)}`);
