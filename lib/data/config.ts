/**
 * Every path and parameter of the project in one place (the seed's `setup_db.DB_NAME` lives here).
 *
 * Notebooks read their parameters from environment variables so that a headless run
 * (`npm run notebooks`, `npm test`) and a user in JupyterLab use the same cells:
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | SPOTIFY_CSV | input file | data/SpotifyFeatures.csv if present, else the bundled sample |
 * | DB_PATH | DuckDB file | data/spotify.duckdb |
 * | POPULARITY_MIN | keep tracks with popularity above this | 10 |
 * | SAMPLE_SIZE | tracks sampled for clustering (more than there are means all) | 10000 |
 * | SEED | seed of every random step | 42 |
 * | K | k-means clusters | 12 |
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The project's root folder (this file is compiled to build/lib/data/config.js). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
/** Where input data and the database live. */
export const DATA_DIR = join(PROJECT_ROOT, 'data');
/** Where the real Kaggle file goes when a user has it. */
export const REAL_CSV = join(DATA_DIR, 'SpotifyFeatures.csv');
/** The synthetic stand-in shipped with the project (made by `npm run generate-data`). */
export const BUNDLED_CSV = join(DATA_DIR, 'SpotifyFeatures.sample.csv');
/** The seed's `DB_NAME`: the default DuckDB file. */
export const DB_NAME = join(DATA_DIR, 'spotify.duckdb');
/** Build products: compiled library, executed notebooks, reports, benchmark inputs. */
export const BUILD_DIR = join(PROJECT_ROOT, 'build');

/** The parameters every notebook prints in its first cell. */
export interface Parameters {
  SPOTIFY_CSV: string;
  DB_PATH: string;
  POPULARITY_MIN: number;
  SAMPLE_SIZE: number;
  SEED: number;
  K: number;
}

type Environment = Record<string, string | undefined>;

/**
 * An integer parameter from the environment, or its default; anything else is refused with a
 * sentence naming the variable.
 * @example integerParameter('K', 12, { K: '8' }) // 8
 */
export function integerParameter(name: string, fallback: number, env: Environment = process.env, minimum = -Infinity): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`The environment variable ${name} must be a whole number, got '${raw}'. Unset it to use the default ${fallback}.`);
  if (value < minimum) throw new Error(`The environment variable ${name} must be at least ${minimum}, got ${value}. Unset it to use the default ${fallback}.`);
  return value;
}

/**
 * A text parameter from the environment, or its default.
 * @example stringParameter('LAYOUT', 'circular', {}) // 'circular'
 */
export function stringParameter(name: string, fallback: string, env: Environment = process.env): string {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
}

/**
 * The input file: SPOTIFY_CSV when set, else data/SpotifyFeatures.csv when present, else the
 * bundled synthetic sample.
 * @example defaultCsvPath({}) // '<project>/data/SpotifyFeatures.sample.csv' without the real file
 */
export function defaultCsvPath(env: Environment = process.env): string {
  const chosen = env.SPOTIFY_CSV;
  if (chosen !== undefined && chosen.trim() !== '') return resolve(chosen.trim());
  return existsSync(REAL_CSV) ? REAL_CSV : BUNDLED_CSV;
}

/**
 * The parameters in force, from the environment with the project's defaults.
 * @example readParameters({ K: '8' }).K // 8
 */
export function readParameters(env: Environment = process.env): Parameters {
  return {
    SPOTIFY_CSV: defaultCsvPath(env),
    DB_PATH: resolve(stringParameter('DB_PATH', DB_NAME, env)),
    POPULARITY_MIN: integerParameter('POPULARITY_MIN', 10, env),
    SAMPLE_SIZE: integerParameter('SAMPLE_SIZE', 10000, env, 2),
    SEED: integerParameter('SEED', 42, env),
    K: integerParameter('K', 12, env, 2),
  };
}

/**
 * The parameters as aligned `NAME = value` lines, for the first cell of a notebook.
 * @example describeParameters({ K: 12 }) // 'K = 12'
 */
export function describeParameters(parameters: object): string {
  const entries = Object.entries(parameters);
  const width = Math.max(...entries.map(([name]) => name.length));
  return entries.map(([name, value]) => `${name.padEnd(width)} = ${value}`).join('\n');
}

/**
 * Per-feature Gower weights from text such as the `GOWER_WEIGHTS` environment variable:
 * comma-separated `feature=weight` pairs, spaces allowed around every part; features left out
 * keep weight 1 (see `gowerMatrix`), and an empty text means equal weights. Refuses, with one
 * sentence naming the variable and what to do, a name that is not one of `features`, a weight that
 * is not a plain decimal number, a negative or non-finite weight, a feature named twice, and
 * weights that set every feature to 0.
 * @param text the variable's value, for example `'key=0.5, mode=0.5'`
 * @param features the feature names a weight may be given for
 * @param variable the variable's name, for the messages (default `GOWER_WEIGHTS`)
 * @example
 * parseGowerWeights('key=0.5, mode = 0.5', ['genre', 'key', 'mode']) // { key: 0.5, mode: 0.5 }
 * parseGowerWeights('', ['genre', 'key', 'mode'])                    // {}
 */
export function parseGowerWeights(text: string, features: readonly string[], variable = 'GOWER_WEIGHTS'): Record<string, number> {
  const weights: Record<string, number> = {};
  if (text.trim() === '') return weights;
  const example = `for example ${variable}="key=0.5,mode=0.5"`;
  for (const entry of text.split(',')) {
    const parts = entry.split('=');
    if (entry.trim() === '') {
      throw new Error(`${variable} has an empty entry between commas; write feature=weight pairs separated by single commas (${example}), or unset it for equal weights.`);
    }
    if (parts.length !== 2 || parts[0].trim() === '') {
      throw new Error(`${variable} has "${entry.trim()}", which is not a feature=weight pair; write pairs like "key=0.5" separated by commas (${example}), or unset it for equal weights.`);
    }
    const name = parts[0].trim();
    const raw = parts[1].trim();
    if (!features.includes(name)) {
      throw new Error(`${variable} names "${name}", which is not a feature; give weights only for ${features.join(', ')} (${example}), or unset it for equal weights.`);
    }
    if (Object.prototype.hasOwnProperty.call(weights, name)) {
      throw new Error(`${variable} gives "${name}" a weight twice; give each feature at most one weight (${example}).`);
    }
    const fix = `write a number ≥ 0 such as ${name}=0.5, or leave ${name} out to keep its weight 1`;
    if (/^[+-]?(inf|infinity|nan)$/i.test(raw)) {
      throw new Error(`${variable} gives "${name}" the weight "${raw}", but weights must be finite; ${fix}.`);
    }
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(raw)) {
      throw new Error(`${variable} gives "${name}" the weight "${raw}", which is not a number; ${fix}.`);
    }
    const weight = Number(raw);
    if (!Number.isFinite(weight)) {
      throw new Error(`${variable} gives "${name}" the weight ${raw}, too large to be a finite number; ${fix}.`);
    }
    if (weight < 0) {
      throw new Error(`${variable} gives "${name}" the weight ${raw}, but weights must be ≥ 0; ${fix}.`);
    }
    weights[name] = weight === 0 ? 0 : weight; // -0 becomes 0
  }
  if (features.length > 0 && features.every((name) => weights[name] === 0)) {
    throw new Error(`${variable} sets the weight of every feature to 0; give at least one feature a positive weight, or unset it for equal weights.`);
  }
  return weights;
}
