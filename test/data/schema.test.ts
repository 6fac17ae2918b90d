import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CATEGORICAL_FEATURES,
  CLOSED_CATEGORIES,
  GENRES,
  NUMERIC_DOMAINS,
  NUMERIC_FEATURES,
  SPOTIFY_COLUMN_NAMES,
  SPOTIFY_COLUMNS,
} from '../../lib/data/schema';

const kindOf = new Map(SPOTIFY_COLUMNS.map((column) => [column.name, column.kind]));
const noRepeats = (values: readonly string[]): boolean => new Set(values).size === values.length;
const inFileOrder = (names: readonly string[]): boolean =>
  names.every((name, i) => i === 0 || SPOTIFY_COLUMN_NAMES.indexOf(names[i - 1]) < SPOTIFY_COLUMN_NAMES.indexOf(name));

test('18 columns, each named once, and SPOTIFY_COLUMN_NAMES lists them in the same order', () => {
  assert.equal(SPOTIFY_COLUMNS.length, 18);
  assert.deepEqual(
    SPOTIFY_COLUMN_NAMES,
    SPOTIFY_COLUMNS.map((column) => column.name),
  );
  assert.ok(noRepeats(SPOTIFY_COLUMN_NAMES));
  for (const { name, kind } of SPOTIFY_COLUMNS) assert.ok(['text', 'integer', 'float'].includes(kind), name);
});

test('the bundled sample CSV has exactly these columns, in this order', () => {
  const csv = join(__dirname, '..', '..', '..', 'data', 'SpotifyFeatures.sample.csv');
  const header = readFileSync(csv, 'utf8').split('\n', 1)[0].trim();
  assert.equal(header, SPOTIFY_COLUMN_NAMES.join(','));
});

test('categorical + numeric features are the 15 columns other than artist, track name and id, once each', () => {
  const features = [...CATEGORICAL_FEATURES, ...NUMERIC_FEATURES];
  assert.equal(features.length, 15);
  assert.ok(noRepeats(features));
  assert.deepEqual(
    [...features].sort(),
    SPOTIFY_COLUMN_NAMES.filter((name) => !['artist_name', 'track_name', 'track_id'].includes(name)).sort(),
  );
  assert.ok(inFileOrder(CATEGORICAL_FEATURES) && inFileOrder(NUMERIC_FEATURES), 'each list in file order');
});

test('categorical features are text columns, numeric features integer or float columns, and every number column a feature', () => {
  for (const name of CATEGORICAL_FEATURES) assert.equal(kindOf.get(name), 'text', name);
  for (const name of NUMERIC_FEATURES) assert.ok(['integer', 'float'].includes(kindOf.get(name)!), name);
  for (const { name, kind } of SPOTIFY_COLUMNS) if (kind !== 'text') assert.ok(NUMERIC_FEATURES.includes(name), name);
});

test('every numeric feature has a domain, and only they do', () => {
  assert.deepEqual(Object.keys(NUMERIC_DOMAINS).sort(), [...NUMERIC_FEATURES].sort());
  for (const [name, { min, max }] of Object.entries(NUMERIC_DOMAINS)) assert.ok(min < max, name);
  // worked by hand from Spotify's documentation: popularity 0..100, the measures 0..1
  assert.deepEqual(NUMERIC_DOMAINS.popularity, { min: 0, max: 100 });
  assert.deepEqual(NUMERIC_DOMAINS.energy, { min: 0, max: 1 });
});

test('the closed category lists belong to categorical features other than genre, each value once', () => {
  for (const [name, values] of Object.entries(CLOSED_CATEGORIES)) {
    assert.ok(CATEGORICAL_FEATURES.includes(name) && name !== 'genre', name);
    assert.ok(noRepeats(values), name);
  }
  assert.equal(CLOSED_CATEGORIES.key.length, 12);
  assert.deepEqual([...CLOSED_CATEGORIES.mode], ['Major', 'Minor']);
});

test("27 genres, each once: the two Children's Music labels differ only by their apostrophe", () => {
  assert.equal(GENRES.length, 27);
  assert.ok(noRepeats(GENRES));
  const children = GENRES.filter((genre) => genre.startsWith('Children'));
  assert.deepEqual(children, ["Children's Music", 'Children\u2019s Music']);
});

test('the schema cannot be changed by a caller', () => {
  for (const value of [SPOTIFY_COLUMNS, SPOTIFY_COLUMN_NAMES, GENRES, CATEGORICAL_FEATURES, NUMERIC_FEATURES]) {
    assert.ok(Object.isFrozen(value));
  }
  assert.ok(Object.isFrozen(NUMERIC_DOMAINS) && Object.isFrozen(CLOSED_CATEGORIES));
  assert.throws(() => (GENRES as string[]).push('Polka'), TypeError);
});
