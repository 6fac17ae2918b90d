import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BUILD_DIR, BUNDLED_CSV, DB_NAME, defaultCsvPath, PROJECT_ROOT, REAL_CSV, userPath } from '../lib/paths';

test('the project root holds package.json; the data files and the build folder are inside it', () => {
  assert.ok(existsSync(join(PROJECT_ROOT, 'package.json')));
  assert.equal(BUNDLED_CSV, join(PROJECT_ROOT, 'data', 'SpotifyFeatures.sample.csv'));
  assert.equal(DB_NAME, join(PROJECT_ROOT, 'data', 'spotify.duckdb'));
  assert.equal(BUILD_DIR, join(PROJECT_ROOT, 'build'));
  assert.ok(existsSync(BUNDLED_CSV), 'the bundled sample is shipped');
});

test('without SPOTIFY_CSV the real Kaggle file is taken when present, else the bundled sample', () => {
  assert.equal(defaultCsvPath(), existsSync(REAL_CSV) ? REAL_CSV : BUNDLED_CSV);
});

test('relative paths are taken from the folder the command was started in (INIT_CWD), and ~ is the home folder', () => {
  assert.equal(userPath('data/x.csv', { INIT_CWD: '/home/me/music' }), '/home/me/music/data/x.csv');
  assert.equal(userPath('/abs/x.csv', { INIT_CWD: '/home/me' }), '/abs/x.csv');
  assert.equal(userPath('~/x.csv', {}), join(homedir(), 'x.csv'));
  assert.equal(userPath('x.csv', {}), join(process.cwd(), 'x.csv'));
});

test('lib/paths.ts is the bottom floor: it imports only Node modules, nothing from lib/', () => {
  const source = readFileSync(join(PROJECT_ROOT, 'lib', 'paths.ts'), 'utf8');
  const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
  assert.ok(imports.length > 0);
  for (const from of imports) assert.match(from, /^node:/, `lib/paths.ts imports ${from}`);
});
