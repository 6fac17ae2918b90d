/**
 * What `npm run notebooks` checks before notebook 01 starts, so that a run which cannot finish
 * stops before it changes anything: every parameter on its own and in relation
 * ({@link checkParameters}), with the tracks notebook 01 would store counted from the input file
 * itself (loaded, de-duplicated and filtered by the same functions notebook 01 calls, so the
 * loader refuses a damaged file here too), and an existing database opened once, so a database
 * held by another program is named before notebook 01 runs.
 */
import { existsSync, statSync } from 'node:fs';
import { checkParameters, NotebookParameters } from './config';
import { storedTrackCount } from './db';

type Environment = Record<string, string | undefined>;

/** What {@link checkBeforeRun} found. */
export interface RunCheck {
  /** Every notebook's parameters. */
  parameters: NotebookParameters;
  /** Tracks notebook 01 will store. */
  tracks: number;
  /** Tracks stored in DB_PATH now (0 for a new database). */
  storedTracks: number;
  /** The loader's notes on the input file. */
  warnings: string[];
}

/**
 * Check everything a run of the notebooks needs before notebook 01 starts (see the file header);
 * the first problem is thrown as one sentence (a `ParameterError`, `SpotifyCsvError` or
 * `DatabaseError`).
 * @example
 * await checkBeforeRun({ POPULARITY_MIN: '99' })
 * // throws "POPULARITY_MIN is 99, but only 0 of the 15,146 distinct tracks in …/SpotifyFeatures.sample.csv have a popularity above it, …"
 */
export async function checkBeforeRun(env: Environment = process.env): Promise<RunCheck> {
  const { SPOTIFY_CSV, DB_PATH } = checkParameters(env);
  // loaded only now: danfojs and TensorFlow.js take seconds to load, and most refusals come before
  const { loadSpotifyCsv } = await import('./loader');
  const { dropDuplicateTracks } = await import('./clean');
  const { df, report } = loadSpotifyCsv(SPOTIFY_CSV);
  const popularity = dropDuplicateTracks(df).df.column('popularity').values as number[];
  const parameters = checkParameters(env, { popularity });
  const tracks = popularity.filter((value) => value > parameters.POPULARITY_MIN).length;
  const storedTracks = existsSync(DB_PATH) && statSync(DB_PATH).size > 0 ? await storedTrackCount(DB_PATH) : 0;
  return { parameters, tracks, storedTracks, warnings: report.warnings };
}
