/**
 * The check every run and every parameters cell makes before anything changes: the parameters of
 * the notebooks that will run, each on its own (lib/notebook/parameters.ts), then the paths and the
 * values together and against the tracks they will meet: the file notebook 01 loads, the database
 * (no device, pipe or empty file, no other program's file, a folder that can be written), the sample
 * every step can use, K and N_CLUSTERS within it, and the memory notebook 02's clustering needs.
 * Written here: the relations are the project's own (see CLUSTERING_STEPS).
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { clusteringPeakBytes, defaultMemoryLimit, formatBytes, largestClusteringSample } from '../matrix/memory';
import { databaseFileProblem, fixDatabasePath } from '../data/db';
import { stabilitySubsampleSize } from '../cluster/evaluate/stability';
import {
  CLUSTERING_STEPS,
  NOTEBOOK_INPUT,
  NOTEBOOKS,
  ParameterError,
  readParameters,
  smallestSample,
} from './parameters';
import type { NotebookName, NotebookParameters, ParametersOf, PathParameters } from './parameters';

type Environment = Record<string, string | undefined>;

const count = (value: number): string => value.toLocaleString('en-US');

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

/** Why an existing DB_PATH cannot be a database before DuckDB is asked: a device, pipe or socket, or an empty file. */
function specialFileProblem(path: string): string | null {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return null; // nothing there yet
  }
  if (stats.isDirectory()) return null; // databaseFileProblem names it
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device, not a file';
  if (stats.isFIFO()) return 'a named pipe (FIFO), not a file';
  if (!stats.isFile()) return 'neither a file nor a folder';
  if (stats.size === 0) return 'an empty file (0 bytes), not a DuckDB database';
  return null;
}

/** Refuse a DB_PATH that cannot be a database: a device, pipe or empty file, a folder, a file that is not DuckDB, a folder that cannot be written. */
function checkDatabasePath(path: string): void {
  const special = specialFileProblem(path);
  if (special !== null) {
    const fix = special.startsWith('an empty file')
      ? 'delete it (it holds nothing) or point DB_PATH elsewhere'
      : 'point DB_PATH at a DuckDB file or at a path where no file exists yet';
    throw new ParameterError(`DB_PATH is ${path}, ${special}, so it was left alone; ${fix}.`);
  }
  const problem = databaseFileProblem(path);
  if (problem !== null)
    throw new ParameterError(
      `DB_PATH is ${path}, ${problem}, so it was left alone; ${fixDatabasePath(path, problem)}.`,
    );
  let folder = dirname(path);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  if (!statSync(folder).isDirectory())
    throw new ParameterError(
      `DB_PATH is ${path}, but ${folder} is a file, not a folder; point DB_PATH at a file in a folder you can write.`,
    );
  const target = existsSync(path) ? path : folder;
  try {
    accessSync(target, constants.W_OK);
  } catch {
    throw new ParameterError(
      `DB_PATH is ${path}, but ${target} cannot be written; point DB_PATH at a file in a folder you can write.`,
    );
  }
}

/**
 * Check the parameters of the given notebooks before anything changes, and return them: each
 * value on its own ({@link readParameters}), the paths (SPOTIFY_CSV when a chosen notebook loads
 * it and no stored tracks are given; DB_PATH always), then the relations among what those
 * notebooks read: the sample every step uses (at least {@link smallestSample} tracks, K at most
 * the sample, N_CLUSTERS below it), the tracks that will be or are stored (from `facts`), and the
 * memory notebook 02's clustering of that sample needs at its peak (the Gower matrix with the trees
 * on the training split and on the whole sample, {@link clusteringPeakBytes}). The notebooks are
 * all five by default. `npm run notebooks` calls it before the first notebook starts (see
 * lib/notebook/preflight.ts); every parameters cell calls it too.
 *
 * The first problem found is thrown as a {@link ParameterError}: one sentence naming the variable,
 * its value, the allowed range and the smallest or largest value that works.
 * @example
 * checkParameters({ K: '8' }).K // 8
 * checkParameters({ LAYOUT: 'hexagon' }) // throws "LAYOUT is 'hexagon', but it must be one of circular, grid, packed; unset it to use the default circular."
 * checkParameters({ SAMPLE_SIZE: '500', K: '600' }, { storedTracks: 12395 })
 * // throws "K is 600, but it must be a whole number from 2 to 500, the tracks in the sample; the largest value that works is 500."
 * checkParameters({ SPOTIFY_CSV: 'gone.csv' }, { storedTracks: 12395 }, ['04']).N_SIMILAR // 10: notebook 04 never loads the file
 */
export function checkParameters<N extends NotebookName = NotebookName>(
  env: Environment = process.env,
  facts: ParameterFacts = {},
  notebooks: readonly N[] = NOTEBOOKS as N[],
): ParametersOf<N> & PathParameters {
  const parameters = readParameters(env, notebooks);
  const all = parameters as Partial<NotebookParameters> & PathParameters;
  const { SPOTIFY_CSV, DB_PATH } = all;
  const runs = (notebook: NotebookName): boolean => (notebooks as readonly NotebookName[]).includes(notebook);
  const readsDatabase = notebooks.some((notebook) => NOTEBOOK_INPUT[notebook] === 'database');
  const smallest = smallestSample();

  if (facts.storedTracks === undefined && notebooks.some((notebook) => NOTEBOOK_INPUT[notebook] === 'csv')) {
    if (!existsSync(SPOTIFY_CSV)) {
      throw new ParameterError(
        `SPOTIFY_CSV is ${SPOTIFY_CSV}, but there is no file there; download SpotifyFeatures.csv from Kaggle ("Spotify Tracks DB") into data/, or set SPOTIFY_CSV to its path (see the README).`,
      );
    }
    if (statSync(SPOTIFY_CSV).isDirectory())
      throw new ParameterError(
        `SPOTIFY_CSV is ${SPOTIFY_CSV}, which is a folder; set it to the path of SpotifyFeatures.csv.`,
      );
  }
  checkDatabasePath(DB_PATH);

  // The tracks the sample is drawn from, when known.
  let tracks: number | undefined;
  let whose = '';
  if (facts.storedTracks !== undefined && readsDatabase) {
    tracks = facts.storedTracks;
    whose = `the ${count(tracks)} tracks stored in ${DB_PATH}`;
    if (tracks === 0)
      throw new ParameterError(
        `DB_PATH is ${DB_PATH}, which holds no tracks yet; run notebook 01 (or npm run notebooks) first, with the same DB_PATH.`,
      );
    if (tracks < smallest && (runs('02') || runs('03'))) {
      throw new ParameterError(
        `DB_PATH is ${DB_PATH}, which holds only ${count(tracks)} tracks, fewer than the ${smallest} the clustering needs; run notebook 01 again with a lower POPULARITY_MIN or a larger SPOTIFY_CSV.`,
      );
    }
  } else if (facts.popularity !== undefined && all.POPULARITY_MIN !== undefined) {
    const { POPULARITY_MIN } = all;
    const popularity = Float64Array.from(facts.popularity).sort().reverse();
    tracks = popularity.findIndex((value) => !(value > POPULARITY_MIN));
    if (tracks < 0) tracks = popularity.length;
    whose = `the ${count(tracks)} tracks with a popularity above ${POPULARITY_MIN}`;
    if (popularity.length < smallest) {
      throw new ParameterError(
        `SPOTIFY_CSV is ${SPOTIFY_CSV}, which holds only ${count(popularity.length)} distinct tracks, fewer than the ${smallest} the clustering needs; use a larger copy of SpotifyFeatures.csv.`,
      );
    }
    if (tracks < smallest) {
      const largest = Math.max(-1, popularity[smallest - 1] - 1);
      throw new ParameterError(
        `POPULARITY_MIN is ${POPULARITY_MIN}, but only ${count(tracks)} of the ${count(popularity.length)} distinct tracks in ${SPOTIFY_CSV} have a popularity above it, ` +
          `fewer than the ${smallest} the clustering needs; the largest value that works for this file is ${largest}.`,
      );
    }
  }

  const { SAMPLE_SIZE, K, N_CLUSTERS } = all;
  if (SAMPLE_SIZE === undefined) return parameters;
  const sample = tracks === undefined ? SAMPLE_SIZE : Math.min(SAMPLE_SIZE, tracks);
  const sampleWords =
    tracks === undefined ? 'SAMPLE_SIZE, the size of the sample' : `${count(sample)}, the tracks in the sample`;
  if (K !== undefined && K > sample) {
    throw new ParameterError(
      `K is ${count(K)}, but it must be a whole number from 2 to ${sampleWords}; the largest value that works is ${count(sample)}.`,
    );
  }
  // the stability check refits each method on random halves of the sample: N_CLUSTERS must fit in a half
  const half = stabilitySubsampleSize(sample);
  if (N_CLUSTERS !== undefined && N_CLUSTERS > half) {
    const halfWords =
      tracks === undefined ? 'half of SAMPLE_SIZE' : `${count(half)}, half the ${count(sample)} tracks in the sample`;
    throw new ParameterError(
      `N_CLUSTERS is ${count(N_CLUSTERS)}, but it must be 0 (take the sweep's best) or a whole number from 2 to ${halfWords} ` +
        `(the stability check refits each method on random halves); the largest value that works is ${count(half)}.`,
    );
  }
  if (tracks !== undefined && runs('02')) {
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
