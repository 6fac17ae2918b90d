/**
 * The notebooks' parameters in one table ({@link PARAMETERS}: for each, the notebooks that read it,
 * what it means, the values it takes, its default and how it is read), and reading each value on
 * its own ({@link readParameters}). The checks of the values together and against the data
 * (check-parameters.ts), the parameters cell's one call, its printout and the README's table
 * (parameters-cell.ts) all come from this table.
 *
 * Notebooks read their parameters from literals in their parameters cell, overridden by
 * environment variables of the same name, so a headless run (`npm run notebooks`) and a user in
 * JupyterLab use the same cells. Written here: no configuration library checks a value against
 * the tracks it will meet and says which value would work.
 */
import { relative } from 'node:path';
import type { CategoricalEncoding } from '../distance/encode';
import type { ClusterLayout } from '../cluster/describe/cluster-positions';
import { shortQuery } from '../catalogue/find-track';
import { TSNE_DEFAULTS } from '../embed/tsne';
import { CATEGORICAL_FEATURES, NUMERIC_FEATURES } from '../data/schema';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { BUILD_DIR, BUNDLED_CSV, DB_NAME, defaultCsvPath, PROJECT_ROOT, REAL_CSV, userPath } from '../paths';
import { UserError } from '../user-error';

type Environment = Record<string, string | undefined>;

/** The five notebooks, by number. */
export type NotebookName = '01' | '02' | '03' | '04' | '05';
/** Every notebook, in the order a run executes them. */
export const NOTEBOOKS: readonly NotebookName[] = Object.freeze(['01', '02', '03', '04', '05'] as NotebookName[]);
/** What each notebook reads besides its parameters: the input file, or the tracks notebook 01 stored. */
export const NOTEBOOK_INPUT: Readonly<Record<NotebookName, 'csv' | 'database'>> = Object.freeze({
  '01': 'csv',
  '02': 'database',
  '03': 'database',
  '04': 'database',
  '05': 'database',
});

/**
 * The stored tables each notebook reads that another notebook makes (notebook 01 makes `track` and
 * clears the clusterings; 02 makes the k-medoids tables, 03 the k-means ones). A notebook run on a
 * database where one is missing or empty is refused with the notebook that makes it.
 */
export const NOTEBOOK_READS: Readonly<Record<NotebookName, readonly string[]>> = Object.freeze({
  '01': [],
  '02': ['track'],
  '03': ['track'],
  '04': ['track', 'track_to_cluster', 'track_to_gower_cluster'],
  '05': ['run'],
});

/**
 * The stored tables each notebook writes (notebook 01 also empties every clustering table, never
 * `run`); notebooks 01–04 each add their run to `run`.
 */
export const NOTEBOOK_MAKES: Readonly<Record<NotebookName, readonly string[]>> = Object.freeze({
  '01': ['track', 'run'],
  '02': ['gower_cluster', 'track_to_gower_cluster', 'run'],
  '03': ['cluster', 'track_to_cluster', 'sample_track', 'run'],
  '04': ['run'],
  '05': [],
});

/** Every notebook's parameters, as `checkParameters` (check-parameters.ts) returns them. */
export interface NotebookParameters {
  /** The input file notebook 01 loads. */
  SPOTIFY_CSV: string;
  /** The DuckDB file every notebook reads or writes. */
  DB_PATH: string;
  /** Threads the long steps share (lib/parallel/pool.ts); results do not depend on it. */
  THREADS: number;
  /** Notebook 01 keeps the tracks with a popularity above this. */
  POPULARITY_MIN: number;
  /** Tracks sampled for clustering (notebooks 02 and 03); more than there are means all. */
  SAMPLE_SIZE: number;
  /** The seed of every random step. */
  SEED: number;
  /** k-means clusters of notebook 03. */
  K: number;
  /** Clusters of notebook 02's two methods; 0 takes each sweep's best. */
  N_CLUSTERS: number;
  /** Samples notebook 02's k-medoids (CLARA) fits; the medoids nearest to every stored track are stored. */
  CLARA_SAMPLES: number;
  /** How notebook 03 turns text features into numbers. */
  ENCODING: CategoricalEncoding;
  /** How notebook 03 lays the clusters out. */
  LAYOUT: ClusterLayout;
  /** The track notebook 04 finds similar tracks for; empty lets the notebook pick one. */
  TRACK_QUERY: string;
  /** How many similar tracks notebook 04 lists. */
  N_SIMILAR: number;
  /** Gower weight per feature named in GOWER_WEIGHTS (the others weigh 1). */
  GOWER_WEIGHTS: Record<string, number>;
  /** How many tracks each playlist of notebook 04 holds. */
  PLAYLIST_SIZE: number;
  /** The folder notebook 04 writes its playlists to. */
  PLAYLIST_DIR: string;
  /** How many runs the `run` table keeps (notebooks 01–04 record theirs; the oldest go first). */
  RUNS_KEPT: number;
  /** The first run notebook 05 compares, by id; 0: the second-to-last run with a clustering. */
  RUN_A: number;
  /** The second run notebook 05 compares, by id; 0: the last run with a clustering. */
  RUN_B: number;
}

/** A parameter's name. */
export type ParameterName = keyof NotebookParameters;

/** One row of {@link PARAMETERS}. */
export interface ParameterSpec<T> {
  /** The notebooks that read it. */
  readonly notebooks: readonly NotebookName[];
  /** What it means: a phrase for the README's table. */
  readonly meaning: string;
  /** The values it takes, in words. */
  readonly allowed: string;
  /** The default, as a parameters cell writes its literal; the two paths, never literals, have none. */
  readonly default?: string | number;
  /** The default in words, where the value alone does not say it. */
  readonly defaultText?: string;
  /** The value from its text (the environment's or the literal's; missing or blank: the default), checked on its own. */
  read(text: string | undefined, name: string, env: Environment): T;
  /** The value as the printout shows it (default: the value itself, objects as JSON). */
  show?(value: T): string;
}

/** A parameter that cannot work, with one sentence naming it, its value, what is allowed and what would work. */
export class ParameterError extends UserError {
  override name = 'ParameterError';
}

const count = (value: number): string => value.toLocaleString('en-US');
const isBlank = (text: string | undefined): text is undefined => text === undefined || text.trim() === '';

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
export function integerParameter(
  name: string,
  fallback: number,
  env: Environment = process.env,
  minimum = -Infinity,
  maximum = Infinity,
): number {
  const raw = env[name];
  if (isBlank(raw)) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) {
    throw new ParameterError(
      `${name} is '${raw}', but it must be a whole number ${describeRange(minimum, maximum)}; unset it to use the default ${fallback}.`,
    );
  }
  if (value < minimum)
    throw new ParameterError(
      `${name} is ${count(value)}, but it must be a whole number ${describeRange(minimum, maximum)}; the smallest value that works is ${count(minimum)}.`,
    );
  if (value > maximum)
    throw new ParameterError(
      `${name} is ${count(value)}, but it must be a whole number ${describeRange(minimum, maximum)}; the largest value that works is ${count(maximum)}.`,
    );
  return value;
}

/**
 * A parameter that takes one of a few words (compared without regard to case), or its default;
 * anything else is refused with a sentence listing the choices.
 * @example choiceParameter('LAYOUT', 'circular', ['circular', 'grid', 'packed'], { LAYOUT: 'Grid' }) // 'grid'
 */
export function choiceParameter<T extends string>(
  name: string,
  fallback: T,
  choices: readonly T[],
  env: Environment = process.env,
): T {
  const raw = env[name];
  if (isBlank(raw)) return fallback;
  const chosen = choices.find((choice) => choice.toLowerCase() === raw.trim().toLowerCase());
  if (chosen === undefined) {
    throw new ParameterError(
      `${name} is '${raw}', but it must be one of ${choices.join(', ')}; unset it to use the default ${fallback}.`,
    );
  }
  return chosen;
}

/**
 * What the notebooks' steps ask of the sample, as the notebooks call them: notebook 02's silhouette
 * sweep cuts a tree on an 80 % training split into up to 14 clusters and scores at least 3 test
 * tracks; notebook 03's elbow sweep runs k-means up to k = 19; both draw a t-SNE map with
 * perplexity 30, which needs more than 3 × 30 points to find each point's neighbours.
 */
export const CLUSTERING_STEPS: Readonly<ClusteringSteps> = Object.freeze({
  trainShare: 0.8,
  sweepKMax: 14,
  sweepMinTest: 3,
  elbowKMax: 19,
  perplexity: TSNE_DEFAULTS.perplexity,
});

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
  while (
    Math.floor(steps.trainShare * sweep) < steps.sweepKMax ||
    sweep - Math.floor(steps.trainShare * sweep) < steps.sweepMinTest
  )
    sweep++;
  return Math.max(sweep, steps.elbowKMax, 3 * steps.perplexity + 1);
}

/** A whole-number parameter of {@link PARAMETERS}; `note` adds to its allowed range. */
function wholeNumber<const N extends readonly NotebookName[]>(
  notebooks: N,
  meaning: string,
  fallback: number,
  minimum: number,
  maximum = Infinity,
  note = '',
): ParameterSpec<number> & { notebooks: N } {
  return {
    notebooks,
    meaning,
    allowed: `a whole number ${describeRange(minimum, maximum)}${note}`,
    default: fallback,
    read: (text, name) => integerParameter(name, fallback, { [name]: text }, minimum, maximum),
  };
}

/** A parameter of {@link PARAMETERS} that takes one of a few words. */
function oneOf<const N extends readonly NotebookName[], T extends string>(
  notebooks: N,
  meaning: string,
  fallback: T,
  choices: readonly T[],
): ParameterSpec<T> & { notebooks: N } {
  return {
    notebooks,
    meaning,
    allowed: choices
      .map((choice) => `\`${choice}\``)
      .join(', ')
      .replace(/, ([^,]*)$/, ' or $1'),
    default: fallback,
    read: (text, name) => choiceParameter(name, fallback, choices, { [name]: text }),
  };
}

/** The default folder of notebook 04's playlists. */
export const PLAYLIST_FOLDER = join(BUILD_DIR, 'playlists');

/** PLAYLIST_DIR resolved like DB_PATH, refused when it names an existing file. */
function playlistFolder(text: string, name: string, env: Environment): string {
  const path = userPath(text, env);
  if (existsSync(path) && !statSync(path).isDirectory())
    throw new ParameterError(
      `${name} is ${path}, which is a file, not a folder; point ${name} at a folder (it is made if missing), or unset it to use ${relative(PROJECT_ROOT, PLAYLIST_FOLDER)}.`,
    );
  return path;
}

/** RUN_A or RUN_B of {@link PARAMETERS}: a run's id, 0 for `fallback` (notebook 05 checks the id against the kept runs). */
function runChoice(which: string, fallback: string): ParameterSpec<number> & { notebooks: ['05'] } {
  return {
    ...wholeNumber(['05'] as ['05'], `the ${which} run notebook 05 compares, by its id in \`run\``, 0, 0, 2 ** 31 - 1),
    allowed: `0 (${fallback}), or the id of a kept run with a clustering (notebook 02 or 03)`,
    show: (id) => (id === 0 ? `0 (${fallback})` : `run ${id}`),
  };
}

const shown = (path: string): string => `\`${relative(PROJECT_ROOT, path)}\``;

/**
 * Every notebook parameter: the notebooks that read it, what it means, the values it takes, its
 * default and how its text is read. The checks, the parameters cell's printout and the README's
 * table all come from here; no default is written anywhere else.
 * @example PARAMETERS.K.default // 12
 */
export const PARAMETERS = {
  SPOTIFY_CSV: {
    notebooks: ['01'],
    meaning: 'the input file: SpotifyFeatures.csv from Kaggle, or a file with its columns',
    allowed: 'a CSV file',
    defaultText: `${shown(REAL_CSV)} if present, else ${shown(BUNDLED_CSV)}`,
    read: (text, _name, env) => (isBlank(text) ? defaultCsvPath() : userPath(text, env)),
  },
  DB_PATH: {
    notebooks: ['01', '02', '03', '04', '05'],
    meaning: 'the DuckDB file the notebooks share',
    allowed: 'a DuckDB file, or a path where no file exists yet (no folder, device or empty file)',
    defaultText: shown(DB_NAME),
    read: (text, _name, env) => userPath(isBlank(text) ? DB_NAME : text, env),
  },
  THREADS: {
    notebooks: ['01', '02', '03', '04', '05'],
    meaning: 'threads the long steps share; no result depends on it (clusterings, scores, maps)',
    allowed: 'a whole number 1 or more',
    defaultText: 'the cores Node reports (`os.availableParallelism()`)',
    read: (text, name) => integerParameter(name, availableParallelism(), { [name]: text }, 1),
  },
  POPULARITY_MIN: wholeNumber(['01'], 'keep the tracks with a popularity above this', 10, -1, 99),
  SAMPLE_SIZE: wholeNumber(
    ['02', '03'],
    'tracks sampled for clustering; more than are stored takes them all',
    10000,
    smallestSample(),
    Infinity,
    ` (t-SNE with perplexity ${CLUSTERING_STEPS.perplexity} needs more than ${3 * CLUSTERING_STEPS.perplexity})`,
  ),
  SEED: wholeNumber(['02', '03'], 'the seed of every random step', 42, 0, 2 ** 32 - 1),
  K: wholeNumber(['03'], 'k-means clusters', 12, 2, Infinity, ', at most the tracks in the sample'),
  N_CLUSTERS: {
    notebooks: ['02'],
    meaning: "clusters for both average linkage and k-medoids; 0 takes each sweep's best",
    allowed: 'a whole number: 0, or from 2 to half the tracks in the sample (the stability check refits on halves)',
    default: 0,
    read: (text, name) => {
      const value = integerParameter(name, 0, { [name]: text }, 0);
      if (value === 1)
        throw new ParameterError(
          `${name} is 1, but it must be 0 (take the sweep's best) or a whole number of 2 or more; the smallest value that works is 2.`,
        );
      return value;
    },
  },
  CLARA_SAMPLES: wholeNumber(
    ['02'],
    'k-medoids samples (CLARA): FasterPAM on each; the medoids closest to every stored track are stored',
    5,
    1,
    50,
    ' (1: the sample alone)',
  ),
  ENCODING: oneOf(
    ['03'],
    "text features as `label` codes (the original Python notebook's) or `onehot` columns",
    'label',
    ['label', 'onehot'] as CategoricalEncoding[],
  ),
  LAYOUT: oneOf(['03'], "the clusters' positions in the bubble chart (`circular` is the original's)", 'circular', [
    'circular',
    'grid',
    'packed',
  ] as ClusterLayout[]),
  TRACK_QUERY: {
    notebooks: ['04'],
    meaning: 'a track name or artist to look up',
    allowed: 'any text',
    default: '',
    defaultText: "empty: the original notebook's example track",
    read: (text) => (isBlank(text) ? '' : text.trim()),
    show: (query) => (query === '' ? "'' (the original notebook's example track)" : shortQuery(query)),
  },
  N_SIMILAR: wholeNumber(['04'], 'how many similar tracks to list', 10, 1, 1000),
  GOWER_WEIGHTS: {
    notebooks: ['02', '04'],
    meaning: 'Gower weight per feature, such as `key=0.5,mode=0.5`; features left out weigh 1',
    allowed: 'feature=weight pairs: known features, weights finite and ≥ 0, not all 0, with a finite sum',
    default: '',
    defaultText: 'every feature 1',
    read: (text, name) => gowerWeights(text ?? '', name),
    show: (weights) => (Object.keys(weights).length === 0 ? 'every feature 1' : JSON.stringify(weights)),
  },
  PLAYLIST_SIZE: wholeNumber(['04'], 'how many tracks each playlist holds', 20, 1, 1000),
  PLAYLIST_DIR: {
    notebooks: ['04'],
    meaning: 'the folder the playlists are written to (made if missing)',
    allowed: 'a folder, or a path where nothing exists yet (not a file)',
    default: '',
    defaultText: shown(PLAYLIST_FOLDER),
    read: (text, name, env) => playlistFolder(isBlank(text) ? PLAYLIST_FOLDER : text, name, env),
  },
  RUNS_KEPT: wholeNumber(
    ['01', '02', '03', '04'],
    'runs kept in the `run` table (each notebook records its run); the oldest are dropped first',
    20,
    1,
    1000,
  ),
  RUN_A: runChoice('first', 'the second-to-last run with a clustering'),
  RUN_B: runChoice('second', 'the last run with a clustering'),
} as const satisfies { readonly [P in ParameterName]: ParameterSpec<NotebookParameters[P]> };

/** Every parameter's name, in the order of {@link PARAMETERS}. */
export const PARAMETER_NAMES = Object.freeze(Object.keys(PARAMETERS) as ParameterName[]);

/** The parameters any of the notebooks `N` reads. */
export type ParametersOf<N extends NotebookName> = Pick<
  NotebookParameters,
  { [P in ParameterName]: N extends (typeof PARAMETERS)[P]['notebooks'][number] ? P : never }[ParameterName]
>;

/** The parameters every check returns: the paths, which the runner names whatever runs. */
export type PathParameters = Pick<NotebookParameters, 'SPOTIFY_CSV' | 'DB_PATH'>;

/** The row of {@link PARAMETERS} of `name`, typed loosely (for code that goes through every row). */
export function parameterSpec(name: ParameterName): ParameterSpec<unknown> {
  return PARAMETERS[name] as ParameterSpec<unknown>;
}

/**
 * The names of the parameters the given notebooks read, in the table's order.
 * @example parametersReadBy(['04']) // ['DB_PATH', 'TRACK_QUERY', 'N_SIMILAR', 'GOWER_WEIGHTS']
 */
export function parametersReadBy(notebooks: readonly NotebookName[]): ParameterName[] {
  return PARAMETER_NAMES.filter((name) =>
    parameterSpec(name).notebooks.some((notebook) => notebooks.includes(notebook)),
  );
}

/**
 * The parameters the given notebooks read (all by default), each read on its own: its range or
 * choices, with the default where neither environment nor literal gives a value. The two paths are
 * always read (they cannot be refused here; check-parameters.ts checks the files).
 * @example readParameters({ K: '8' }).K // 8
 */
export function readParameters<N extends NotebookName = NotebookName>(
  env: Environment = process.env,
  notebooks: readonly N[] = NOTEBOOKS as N[],
): ParametersOf<N> & PathParameters {
  const names = new Set<ParameterName>(['SPOTIFY_CSV', 'DB_PATH', ...parametersReadBy(notebooks)]);
  const parameters: Record<string, unknown> = {};
  for (const name of PARAMETER_NAMES)
    if (names.has(name)) parameters[name] = parameterSpec(name).read(env[name], name, env);
  return parameters as ParametersOf<N> & PathParameters;
}

/** GOWER_WEIGHTS (`key=0.5,mode=0.5`) read by {@link parseGowerWeights}, refused as a ParameterError. */
function gowerWeights(text: string, name: string): Record<string, number> {
  try {
    return parseGowerWeights(text, [...CATEGORICAL_FEATURES, ...NUMERIC_FEATURES], name);
  } catch (error) {
    throw new ParameterError((error as Error).message);
  }
}

/**
 * Per-feature Gower weights from text such as the `GOWER_WEIGHTS` environment variable:
 * comma-separated `feature=weight` pairs, spaces allowed around every part; features left out
 * keep weight 1 (see `gowerMatrix`), and an empty text means equal weights. Refuses, with one
 * sentence naming the variable and what to do, a name that is not one of `features`, a weight that
 * is not a plain decimal number, a negative or non-finite weight, a feature named twice,
 * weights that set every feature to 0, and weights whose sum is not a finite number (every distance
 * would come out 0).
 * @param text the variable's value, for example `'key=0.5, mode=0.5'`
 * @param features the feature names a weight may be given for
 * @param variable the variable's name, for the messages (default `GOWER_WEIGHTS`)
 * @example
 * parseGowerWeights('key=0.5, mode = 0.5', ['genre', 'key', 'mode']) // { key: 0.5, mode: 0.5 }
 * parseGowerWeights('', ['genre', 'key', 'mode'])                    // {}
 */
export function parseGowerWeights(
  text: string,
  features: readonly string[],
  variable = 'GOWER_WEIGHTS',
): Record<string, number> {
  const weights: Record<string, number> = {};
  if (text.trim() === '') return weights;
  const example = `for example ${variable}="key=0.5,mode=0.5"`;
  for (const entry of text.split(',')) {
    const parts = entry.split('=');
    if (entry.trim() === '') {
      throw new Error(
        `${variable} has an empty entry between commas; write feature=weight pairs separated by single commas (${example}), or unset it for equal weights.`,
      );
    }
    if (parts.length !== 2 || parts[0].trim() === '') {
      throw new Error(
        `${variable} has "${entry.trim()}", which is not a feature=weight pair; write pairs like "key=0.5" separated by commas (${example}), or unset it for equal weights.`,
      );
    }
    const name = parts[0].trim();
    const raw = parts[1].trim();
    if (!features.includes(name)) {
      throw new Error(
        `${variable} names "${name}", which is not a feature; give weights only for ${features.join(', ')} (${example}), or unset it for equal weights.`,
      );
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
    throw new Error(
      `${variable} sets the weight of every feature to 0; give at least one feature a positive weight, or unset it for equal weights.`,
    );
  }
  if (!Number.isFinite(features.reduce((sum, name) => sum + (weights[name] ?? 1), 0))) {
    throw new Error(
      `${variable} gives weights that add up to more than the largest finite number, so every distance would come out 0; ` +
        'only their ratios matter, so divide them all by the same number (genre=1,key=1 weighs like genre=1e308,key=1e308).',
    );
  }
  return weights;
}
