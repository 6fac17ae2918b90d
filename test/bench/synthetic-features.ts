/**
 * A deterministic stand-in for the 15 clustering features of sampled Spotify tracks, for the
 * k-means benchmark: 4 text columns (genre with 27 levels, key 12, mode 2, time_signature 5) and
 * 11 numeric ones with the shapes of the real file (bounded scores, skewed liveness and
 * speechiness, mostly-zero instrumentalness, log-normal durations, integer popularity). Each
 * genre has its own audio profile, so there is cluster structure, as in the real data.
 */
import { writeFileSync } from 'node:fs';
import { RandomSource, randomInt, randomNormal, seededRandom } from '../../lib/random';

/** Column names in file order, track_id first. */
export const FEATURE_COLUMNS = [
  'genre', 'popularity', 'acousticness', 'danceability', 'duration_ms', 'energy', 'instrumentalness',
  'key', 'liveness', 'loudness', 'mode', 'speechiness', 'tempo', 'time_signature', 'valence',
] as const;

const KEYS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const TIME_SIGNATURES = ['4/4', '3/4', '5/4', '1/4', '0/4'];
const TIME_SIGNATURE_WEIGHTS = [0.86, 0.1, 0.02, 0.015, 0.005];

interface GenreProfile {
  name: string; weight: number; popularity: number; acoustic: number; dance: number; energy: number;
  instrumental: number; speech: number; valence: number; tempo: number; minor: number;
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function weightedPick(random: RandomSource, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let target = random() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  return weights.length - 1;
}

function genreProfiles(random: RandomSource): GenreProfile[] {
  return Array.from({ length: 27 }, (_, g) => ({
    name: `Genre ${String.fromCharCode(65 + (g % 26))}${g >= 26 ? '2' : ''}`,
    weight: 0.3 + random(),
    popularity: 10 + 55 * random(),
    acoustic: random(),
    dance: 0.3 + 0.5 * random(),
    energy: 0.15 + 0.75 * random(),
    instrumental: random() < 0.3 ? 0.3 + 0.5 * random() : 0.05 * random(),
    speech: random() < 0.15 ? 0.3 + 0.5 * random() : 0.03 + 0.06 * random(),
    valence: 0.2 + 0.6 * random(),
    tempo: 95 + 40 * random(),
    minor: 0.2 + 0.3 * random(),
  }));
}

/**
 * `n` rows of track features as columns (text columns hold strings), the same for the same seed.
 * @example syntheticFeatures(3, 1).genre.length // 3
 */
export function syntheticFeatures(n: number, seed: number): Record<string, (string | number)[]> {
  const random = seededRandom(seed);
  const profiles = genreProfiles(random);
  const weights = profiles.map((p) => p.weight);
  const columns: Record<string, (string | number)[]> = { track_id: [] };
  for (const name of FEATURE_COLUMNS) columns[name] = [];
  for (let i = 0; i < n; i++) {
    const p = profiles[weightedPick(random, weights)];
    const energy = clamp(p.energy + 0.18 * randomNormal(random), 0.01, 1);
    const row: Record<string, string | number> = {
      track_id: `t${String(i).padStart(6, '0')}`,
      genre: p.name,
      popularity: Math.round(clamp(p.popularity + 14 * randomNormal(random), 0, 100)),
      acousticness: round(clamp(p.acoustic ** 1.5 * 0.9 + 0.25 * random() ** 3 * (random() < 0.5 ? 1 : -1) + 0.02, 0, 0.996), 4),
      danceability: round(clamp(p.dance + 0.14 * randomNormal(random), 0.06, 0.98), 3),
      duration_ms: Math.round(Math.exp(Math.log(225000) + 0.33 * randomNormal(random))),
      energy: round(energy, 3),
      instrumentalness: round(random() < p.instrumental ? 0.4 + 0.55 * random() : 0.002 * random() ** 4, 6),
      key: KEYS[randomInt(random, KEYS.length)],
      liveness: round(clamp(Math.exp(Math.log(0.14) + 0.55 * randomNormal(random)), 0.01, 1), 3),
      loudness: round(clamp(-4 - 14 * (1 - energy) + 2.5 * randomNormal(random), -45, 1.5), 3),
      mode: random() < p.minor ? 'Minor' : 'Major',
      speechiness: round(clamp(p.speech * Math.exp(0.6 * randomNormal(random)), 0.022, 0.96), 4),
      tempo: round(clamp(p.tempo + 27 * randomNormal(random), 40, 230), 3),
      time_signature: TIME_SIGNATURES[weightedPick(random, TIME_SIGNATURE_WEIGHTS)],
      valence: round(clamp(p.valence + 0.22 * randomNormal(random), 0.01, 0.99), 3),
    };
    for (const name of Object.keys(columns)) columns[name].push(row[name]);
  }
  return columns;
}

/**
 * Writes the columns as CSV (header first; no value needs quoting).
 * @example writeFeaturesCsv('build/features.csv', syntheticFeatures(10, 1))
 */
export function writeFeaturesCsv(path: string, columns: Record<string, (string | number)[]>): void {
  const names = Object.keys(columns);
  const n = columns[names[0]].length;
  const lines = [names.join(',')];
  for (let i = 0; i < n; i++) lines.push(names.map((name) => String(columns[name][i])).join(','));
  writeFileSync(path, lines.join('\n') + '\n');
}
