/**
 * Every path and parameter of the project in one place (the original notebook's `setup_db.DB_NAME` lives here),
 * and the one function that checks them all, `checkParameters`.
 *
 * Notebooks read their parameters from environment variables so that a headless run
 * (`npm run notebooks`, `npm test`) and a user in JupyterLab use the same cells:
 *
 * | variable | meaning | default | notebooks |
 * |---|---|---|---|
 * | SPOTIFY_CSV | input file | data/SpotifyFeatures.csv if present, else the bundled sample | 01 |
 * | DB_PATH | DuckDB file | data/spotify.duckdb | all |
 * | POPULARITY_MIN | keep tracks with popularity above this | 10 | 01 |
 * | SAMPLE_SIZE | tracks sampled for clustering (more than there are means all) | 10000 | 02, 03 |
 * | SEED | seed of every random step | 42 | 02, 03 |
 * | K | k-means clusters | 12 | 03 |
 * | N_CLUSTERS | average-linkage clusters, 0 = the sweep's best | 0 | 02 |
 * | ENCODING | text features as `label` codes or `onehot` columns | label | 03 |
 * | LAYOUT | cluster positions: `circular`, `grid` or `packed` | circular | 03 |
 * | GOWER_WEIGHTS | feature weights of the Gower distance, `key=0.5,mode=0.5` | every feature 1 | 02, 04 |
 * | TRACK_QUERY | the track to find similar tracks for (id or name) | empty: the notebook picks | 04 |
 * | N_SIMILAR | how many similar tracks to list | 10 | 04 |
 *
 * Relative paths are taken from the folder the command was started in: npm records it in
 * INIT_CWD for `npm run notebooks` and `npm run lab` (whose kernels run inside notebooks/), and a
 * plain Node script uses its working folder.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CategoricalEncoding } from '../distance/encode';
import type { ClusterLayout } from '../cluster/describe/cluster-positions';
import { TSNE_DEFAULTS } from '../embed/tsne';
import { clusteringPeakBytes, defaultMemoryLimit, formatBytes, largestClusteringSample } from '../matrix/memory';
import { databaseFileProblem, fixDatabasePath } from './db';
import { CATEGORICAL_FEATURES, NUMERIC_FEATURES } from './schema';

/** The project's root folder (this file is compiled to build/lib/data/config.js). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
/** Where input data and the database live. */
export const DATA_DIR = join(PROJECT_ROOT, 'data');
/** Where the real Kaggle file goes when a user has it. */
export const REAL_CSV = join(DATA_DIR, 'SpotifyFeatures.csv');
/** The synthetic stand-in shipped with the project (made by `npm run generate-data`). */
export const BUNDLED_CSV = join(DATA_DIR, 'SpotifyFeatures.sample.csv');
/** The original notebook's `DB_NAME`: the default DuckDB file. */
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

/** A parameter that cannot work, with one sentence naming it, its value, what is allowed and what would work. */
export class ParameterError extends Error {
  override name = 'ParameterError';
}

const count = (value: number): string => value.toLocaleString('en-US');

/** "from 2 to 500", "2 or more", "at most 99" … of a whole-number range. */
function describeRange(minimum: number, maximum: number): string {
  if (maximum === Infinity) return `${count(minimum)} or more`;
  if (minimum === -Infinity) return `at most ${count(maximum)}`;
  return `from ${count(minimum)} to ${count(maximum)}`;
}

/**
 * An integer parameter from the environment, or its default; anything else is refused with a
 * sentence naming the variable, its value, the allowed range and the nearest value that works.
 * @example integerParameter('K', 12, { K: '8' }) // 8
 */
export function integerParameter(name: string, fallback: number, env: Environment = process.env, minimum = -Infinity, maximum = Infinity): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) {
    throw new ParameterError(`${name} is '${raw}', but it must be a whole number ${describeRange(minimum, maximum)}; unset it to use the default ${fallback}.`);
  }
  if (value < minimum) throw new ParameterError(`${name} is ${count(value)}, but it must be a whole number ${describeRange(minimum, maximum)}; the smallest value that works is ${count(minimum)}.`);
  if (value > maximum) throw new ParameterError(`${name} is ${count(value)}, but it must be a whole number ${describeRange(minimum, maximum)}; the largest value that works is ${count(maximum)}.`);
  return value;
}

/**
 * A parameter that takes one of a few words (compared without regard to case), or its default;
 * anything else is refused with a sentence listing the choices.
 * @example choiceParameter('LAYOUT', 'circular', ['circular', 'grid', 'packed'], { LAYOUT: 'Grid' }) // 'grid'
 */
export function choiceParameter<T extends string>(name: string, fallback: T, choices: readonly T[], env: Environment = process.env): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const chosen = choices.find((choice) => choice.toLowerCase() === raw.trim().toLowerCase());
  if (chosen === undefined) {
    throw new ParameterError(`${name} is '${raw}', but it must be one of ${choices.join(', ')}; unset it to use the default ${fallback}.`);
  }
  return chosen;
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
 * A path as the user typed it, made absolute: `~/` is the home folder, and a relative path is
 * taken from the folder the command was started in (INIT_CWD, which npm sets for `npm run …`),
 * else from the working folder.
 * @example userPath('data/x.csv', { INIT_CWD: '/home/me/music' }) // '/home/me/music/data/x.csv'
 */
export function userPath(typed: string, env: Environment = process.env): string {
  const path = typed.trim();
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  const base = env.INIT_CWD !== undefined && env.INIT_CWD.trim() !== '' ? env.INIT_CWD : process.cwd();
  return resolve(base, path);
}

/**
 * The input file: SPOTIFY_CSV when set, else data/SpotifyFeatures.csv when present, else the
 * bundled synthetic sample.
 * @example defaultCsvPath({}) // '<project>/data/SpotifyFeatures.sample.csv' without the real file
 */
export function defaultCsvPath(env: Environment = process.env): string {
  const chosen = env.SPOTIFY_CSV;
  if (chosen !== undefined && chosen.trim() !== '') return userPath(chosen, env);
  return existsSync(REAL_CSV) ? REAL_CSV : BUNDLED_CSV;
}

/**
 * The parameters in force, from the environment with the project's defaults.
 * @example readParameters({ K: '8' }).K // 8
 */
export function readParameters(env: Environment = process.env): Parameters {
  return {
    SPOTIFY_CSV: defaultCsvPath(env),
    DB_PATH: userPath(stringParameter('DB_PATH', DB_NAME, env), env),
    POPULARITY_MIN: integerParameter('POPULARITY_MIN', PARAMETER_DEFAULTS.POPULARITY_MIN, env),
    SAMPLE_SIZE: integerParameter('SAMPLE_SIZE', 10000, env, 2),
    SEED: integerParameter('SEED', 42, env),
    K: integerParameter('K', 12, env, 2),
  };
}

/** Every notebook's parameters, as `checkParameters` returns them. */
export interface NotebookParameters extends Parameters {
  /** Average-linkage clusters of notebook 02; 0 takes the silhouette sweep's best. */
  N_CLUSTERS: number;
  /** How notebook 03 turns text features into numbers. */
  ENCODING: CategoricalEncoding;
  /** How notebook 03 lays the clusters out. */
  LAYOUT: ClusterLayout;
  /** Gower weight per feature named in GOWER_WEIGHTS (the others weigh 1). */
  GOWER_WEIGHTS: Record<string, number>;
  /** The track notebook 04 finds similar tracks for; empty lets the notebook pick one. */
  TRACK_QUERY: string;
  /** How many similar tracks notebook 04 lists. */
  N_SIMILAR: number;
}

/** The choices of ENCODING. */
export const ENCODINGS: readonly CategoricalEncoding[] = Object.freeze(['label', 'onehot'] as CategoricalEncoding[]);
/** The choices of LAYOUT. */
export const LAYOUTS: readonly ClusterLayout[] = Object.freeze(['circular', 'grid', 'packed'] as ClusterLayout[]);

/**
 * What the notebooks' steps ask of the sample, as the notebooks call them: notebook 02's silhouette
 * sweep cuts a tree on an 80 % training split into up to 14 clusters and scores at least 3 test
 * tracks; notebook 03's elbow sweep runs k-means up to k = 19; both draw a t-SNE map with
 * perplexity 30, which needs more than 3 × 30 points to find each point's neighbours.
 */
export const CLUSTERING_STEPS: Readonly<ClusteringSteps> = Object.freeze({ trainShare: 0.8, sweepKMax: 14, sweepMinTest: 3, elbowKMax: 19, perplexity: TSNE_DEFAULTS.perplexity });

/** What a clustering step asks of the sample (see {@link CLUSTERING_STEPS}). */
export interface ClusteringSteps {
  /** Share of the sample in the silhouette sweep's training split. */
  trainShare: number;
  /** Most clusters the sweep cuts the training tree into. */
  sweepKMax: number;
  /** Fewest test tracks the sweep can score. */
  sweepMinTest: number;
  /** Largest k of the k-means elbow sweep. */
  elbowKMax: number;
  /** t-SNE's perplexity. */
  perplexity: number;
}

/**
 * The smallest sample every step of the clustering notebooks can use (see {@link CLUSTERING_STEPS}).
 * @example smallestSample() // 91: t-SNE with perplexity 30 needs more than 90 tracks
 */
export function smallestSample(steps: Readonly<ClusteringSteps> = CLUSTERING_STEPS): number {
  let sweep = steps.sweepKMax;
  while (Math.floor(steps.trainShare * sweep) < steps.sweepKMax || sweep - Math.floor(steps.trainShare * sweep) < steps.sweepMinTest) sweep++;
  return Math.max(sweep, steps.elbowKMax, 3 * steps.perplexity + 1);
}

/** What is known besides the environment when the parameters are checked. */
export interface ParameterFacts {
  /**
   * The popularity of each distinct track of SPOTIFY_CSV (what notebook 01 filters): POPULARITY_MIN
   * and the sample are then checked against the tracks that will be stored.
   */
  popularity?: ArrayLike<number>;
  /**
   * The tracks stored in DB_PATH (what notebooks 02–04 read): the sample is checked against them,
   * and SPOTIFY_CSV, which those notebooks do not read, is not checked.
   */
  storedTracks?: number;
  /** Bytes the clustering may take; default 80 % of the memory available now. */
  memoryLimit?: number;
}

/** The Gower weights of GOWER_WEIGHTS (`key=0.5,mode=0.5`), read by {@link parseGowerWeights}. */
function gowerWeights(env: Environment): Record<string, number> {
  try {
    return parseGowerWeights(env.GOWER_WEIGHTS ?? '', [...CATEGORICAL_FEATURES, ...NUMERIC_FEATURES]);
  } catch (error) {
    throw new ParameterError((error as Error).message);
  }
}

/** Refuse a DB_PATH that cannot be a database: a folder, a file that is not DuckDB, a folder that cannot be written. */
function checkDatabasePath(path: string): void {
  const problem = databaseFileProblem(path);
  if (problem !== null) throw new ParameterError(`DB_PATH is ${path}, ${problem}, so it was left alone; ${fixDatabasePath(path, problem)}.`);
  let folder = dirname(path);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  if (!statSync(folder).isDirectory()) throw new ParameterError(`DB_PATH is ${path}, but ${folder} is a file, not a folder; point DB_PATH at a file in a folder you can write.`);
  const target = existsSync(path) ? path : folder;
  try {
    accessSync(target, constants.W_OK);
  } catch {
    throw new ParameterError(`DB_PATH is ${path}, but ${target} cannot be written; point DB_PATH at a file in a folder you can write.`);
  }
}

/**
 * Check every parameter of every notebook before anything changes, and return them: each value
 * on its own (ranges, choices, paths), then their relations: the sample every step uses (at least
 * {@link smallestSample} tracks, K at most the sample, N_CLUSTERS below it), the tracks that will
 * be or are stored (from `facts`), and the memory the clustering of that sample needs at its peak
 * (the Gower matrix with the trees on the training split and on the whole sample,
 * {@link clusteringPeakBytes}). `npm run notebooks` calls it before notebook 01 starts; every
 * notebook's parameters cell calls it too.
 *
 * The first problem found is thrown as a {@link ParameterError}: one sentence naming the variable,
 * its value, the allowed range and the smallest or largest value that works.
 * @example
 * checkParameters({ K: '8' }).K // 8
 * checkParameters({ LAYOUT: 'hexagon' }) // throws "LAYOUT is 'hexagon', but it must be one of circular, grid, packed; unset it to use the default circular."
 * checkParameters({ SAMPLE_SIZE: '500', K: '600' }, { storedTracks: 12395 })
 * // throws "K is 600, but it must be a whole number from 2 to 500, the tracks in the sample; the largest value that works is 500."
 */
export function checkParameters(env: Environment = process.env, facts: ParameterFacts = {}): NotebookParameters {
  const smallest = smallestSample();
  const parameters: NotebookParameters = {
    SPOTIFY_CSV: defaultCsvPath(env),
    DB_PATH: userPath(stringParameter('DB_PATH', DB_NAME, env), env),
    POPULARITY_MIN: integerParameter('POPULARITY_MIN', PARAMETER_DEFAULTS.POPULARITY_MIN, env, -1, 99),
    SAMPLE_SIZE: integerParameter('SAMPLE_SIZE', PARAMETER_DEFAULTS.SAMPLE_SIZE, env, smallest),
    SEED: integerParameter('SEED', PARAMETER_DEFAULTS.SEED, env, 0, 2 ** 32 - 1),
    K: integerParameter('K', PARAMETER_DEFAULTS.K, env, 2),
    N_CLUSTERS: integerParameter('N_CLUSTERS', PARAMETER_DEFAULTS.N_CLUSTERS, env, 0),
    ENCODING: choiceParameter('ENCODING', PARAMETER_DEFAULTS.ENCODING as CategoricalEncoding, ENCODINGS, env),
    LAYOUT: choiceParameter('LAYOUT', PARAMETER_DEFAULTS.LAYOUT as ClusterLayout, LAYOUTS, env),
    GOWER_WEIGHTS: gowerWeights(env),
    TRACK_QUERY: stringParameter('TRACK_QUERY', PARAMETER_DEFAULTS.TRACK_QUERY, env),
    N_SIMILAR: integerParameter('N_SIMILAR', PARAMETER_DEFAULTS.N_SIMILAR, env, 1, 1000),
  };
  const { SPOTIFY_CSV, DB_PATH, POPULARITY_MIN, SAMPLE_SIZE, K, N_CLUSTERS } = parameters;
  if (N_CLUSTERS === 1) {
    throw new ParameterError(`N_CLUSTERS is 1, but it must be 0 (take the sweep's best) or a whole number of 2 or more; the smallest value that works is 2.`);
  }

  if (facts.storedTracks === undefined) {
    if (!existsSync(SPOTIFY_CSV)) {
      throw new ParameterError(`SPOTIFY_CSV is ${SPOTIFY_CSV}, but there is no file there; download SpotifyFeatures.csv from Kaggle ("Spotify Tracks DB") into data/, or set SPOTIFY_CSV to its path (see the README).`);
    }
    if (statSync(SPOTIFY_CSV).isDirectory()) throw new ParameterError(`SPOTIFY_CSV is ${SPOTIFY_CSV}, which is a folder; set it to the path of SpotifyFeatures.csv.`);
  }
  checkDatabasePath(DB_PATH);

  // The tracks the sample is drawn from, when known.
  let tracks: number | undefined;
  let whose = '';
  if (facts.storedTracks !== undefined) {
    tracks = facts.storedTracks;
    whose = `the ${count(tracks)} tracks stored in ${DB_PATH}`;
    if (tracks === 0) throw new ParameterError(`DB_PATH is ${DB_PATH}, which holds no tracks yet; run notebook 01 (or npm run notebooks) first, with the same DB_PATH.`);
    if (tracks < smallest) {
      throw new ParameterError(`DB_PATH is ${DB_PATH}, which holds only ${count(tracks)} tracks, fewer than the ${smallest} the clustering needs; run notebook 01 again with a lower POPULARITY_MIN or a larger SPOTIFY_CSV.`);
    }
  } else if (facts.popularity !== undefined) {
    const popularity = Float64Array.from(facts.popularity).sort().reverse();
    tracks = popularity.findIndex((value) => !(value > POPULARITY_MIN));
    if (tracks < 0) tracks = popularity.length;
    whose = `the ${count(tracks)} tracks with a popularity above ${POPULARITY_MIN}`;
    if (popularity.length < smallest) {
      throw new ParameterError(`SPOTIFY_CSV is ${SPOTIFY_CSV}, which holds only ${count(popularity.length)} distinct tracks, fewer than the ${smallest} the clustering needs; use a larger copy of SpotifyFeatures.csv.`);
    }
    if (tracks < smallest) {
      const largest = Math.max(-1, popularity[smallest - 1] - 1);
      throw new ParameterError(
        `POPULARITY_MIN is ${POPULARITY_MIN}, but only ${count(tracks)} of the ${count(popularity.length)} distinct tracks in ${SPOTIFY_CSV} have a popularity above it, ` +
          `fewer than the ${smallest} the clustering needs; the largest value that works for this file is ${largest}.`,
      );
    }
  }

  const sample = tracks === undefined ? SAMPLE_SIZE : Math.min(SAMPLE_SIZE, tracks);
  const sampleWords = tracks === undefined ? 'SAMPLE_SIZE, the size of the sample' : `${count(sample)}, the tracks in the sample`;
  if (K > sample) {
    throw new ParameterError(`K is ${count(K)}, but it must be a whole number from 2 to ${sampleWords}; the largest value that works is ${count(sample)}.`);
  }
  if (N_CLUSTERS > sample - 1) {
    throw new ParameterError(`N_CLUSTERS is ${count(N_CLUSTERS)}, but it must be 0 (take the sweep's best) or a whole number from 2 to one less than ${sampleWords}; the largest value that works is ${count(sample - 1)}.`);
  }
  if (tracks !== undefined) {
    const limit = facts.memoryLimit ?? defaultMemoryLimit();
    const largest = largestClusteringSample(limit, CLUSTERING_STEPS.trainShare);
    if (sample > largest) {
      const holds = SAMPLE_SIZE > sample ? `all ${whose}` : `${count(sample)} tracks`;
      throw new ParameterError(
        `SAMPLE_SIZE is ${count(SAMPLE_SIZE)}, so the sample holds ${holds}, whose Gower matrix and average-linkage trees need ${formatBytes(clusteringPeakBytes(sample, CLUSTERING_STEPS.trainShare))} at once, ` +
          `more than the ${formatBytes(limit)} this machine can give; the largest value that works here is ${count(largest)}.`,
      );
    }
  }
  return parameters;
}

/**
 * The parameters as aligned `NAME = value` lines, for the first cell of a notebook.
 * @example describeParameters({ K: 12 }) // 'K = 12'
 */
export function describeParameters(parameters: object, literals: Readonly<Record<string, string | number>> = {}, env: Environment = process.env): string {
  const entries = Object.entries(parameters);
  const width = Math.max(...entries.map(([name]) => name.length));
  const show = (value: unknown): string => (value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));
  const source = (name: string): string => {
    if (env[name] !== undefined && env[name] !== '' && name in literals) return `   (from the environment variable ${name})`;
    const fallback = (PARAMETER_DEFAULTS as Record<string, string | number>)[name];
    if (name in literals && fallback !== undefined && String(literals[name]) !== String(fallback)) return `   (edited in this notebook; the default is ${JSON.stringify(fallback)})`;
    return '';
  };
  return entries.map(([name, value]) => `${name.padEnd(width)} = ${show(value)}${source(name)}`).join('\n');
}

/**
 * The documented default of every notebook parameter: what `checkParameters` uses when neither the
 * notebook's parameters cell nor the environment gives a value.
 * @example PARAMETER_DEFAULTS.K // 12
 */
export const PARAMETER_DEFAULTS = Object.freeze({
  POPULARITY_MIN: 10, SAMPLE_SIZE: 10000, SEED: 42, K: 12, N_CLUSTERS: 0, ENCODING: 'label', LAYOUT: 'circular',
  GOWER_WEIGHTS: '', TRACK_QUERY: '', N_SIMILAR: 10,
});

/**
 * The environment a notebook's parameters cell checks: the values written in the cell (literals a
 * reader can edit) under the environment's, so `K=8 npm run notebooks` still overrides `K: 12`. Read
 * afresh each time the cell runs: changing `process.env.K` or the literal and re-running the cell
 * takes effect.
 * @example withLiterals({ K: 12, LAYOUT: 'grid' }, { K: '8' }) // { K: '8', LAYOUT: 'grid' }
 */
export function withLiterals(literals: Readonly<Record<string, string | number>>, env: Environment = process.env): Environment {
  const merged: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(literals)) merged[name] = String(value);
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[name] = value;
  return merged;
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
