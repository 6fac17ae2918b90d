/**
 * What `npm run notebooks` checks before the first notebook starts, so that a run which cannot
 * finish stops before it changes anything: the parameters the chosen notebooks read, on their own
 * and in relation (check-parameters.ts). When notebook 01 runs, the tracks it would store are
 * counted from the input file itself (loaded, de-duplicated and filtered by the same functions
 * notebook 01 calls, so the loader refuses a damaged file here too); when only later notebooks
 * run, the input file is not needed and the tracks already stored are counted instead. An existing
 * database is opened once, so a database held by another program is named before anything runs.
 */
import { basename } from 'node:path';
import { DatabaseError, requireStored, storedTrackCount } from '../data/db';
import { checkParameters } from './check-parameters';
import { NOTEBOOK_INPUT, NOTEBOOK_MAKES, NOTEBOOK_READS, NOTEBOOKS } from './parameters';
import type { NotebookName, NotebookParameters, PathParameters } from './parameters';

type Environment = Record<string, string | undefined>;

/** What {@link checkBeforeRun} found. */
export interface RunCheck {
  /** The parameters the chosen notebooks read, and the two paths. */
  parameters: Partial<NotebookParameters> & PathParameters;
  /** The notebooks checked for. */
  notebooks: NotebookName[];
  /** Tracks the run works on: those notebook 01 will store, or without it those stored now. */
  tracks: number;
  /** Tracks stored in DB_PATH now (0 for a new database). */
  storedTracks: number;
  /** The loader's notes on the input file (none when notebook 01 does not run). */
  warnings: string[];
}

/**
 * The project's notebooks among `files` (paths or names such as `notebooks/04-catalogue.ipynb` or
 * `04`), in run order; a file that is not one of them (a reader's own notebook) may read anything,
 * so then all five count.
 * @example notebooksOf(['notebooks/04-catalogue.ipynb']) // ['04']
 */
export function notebooksOf(files: readonly string[]): NotebookName[] {
  const named = files.map((file) => /^(\d\d)(-|\.ipynb$|$)/.exec(basename(file))?.[1] as NotebookName | undefined);
  if (named.some((name) => name === undefined || !NOTEBOOKS.includes(name))) return [...NOTEBOOKS];
  return NOTEBOOKS.filter((name) => named.includes(name));
}

/**
 * Check everything the chosen notebooks need before the first starts (see the file header); the
 * first problem is thrown as one sentence (a `ParameterError`, `SpotifyCsvError` or
 * `DatabaseError`).
 * @param notebooks the notebooks that will run, as paths or names ({@link notebooksOf}); all five by default
 * @example
 * await checkBeforeRun({ POPULARITY_MIN: '99' })
 * // throws "POPULARITY_MIN is 99, but only 0 of the 15,146 distinct tracks in …/SpotifyFeatures.sample.csv have a popularity above it, …"
 * (await checkBeforeRun({}, ['notebooks/04-catalogue.ipynb'])).tracks // the stored tracks; no CSV read
 */
export async function checkBeforeRun(
  env: Environment = process.env,
  notebooks: readonly string[] = NOTEBOOKS,
): Promise<RunCheck> {
  const chosen = notebooksOf(notebooks);
  const { SPOTIFY_CSV, DB_PATH } = checkParameters(env, {}, chosen);
  const storedTracks = await storedTrackCount(DB_PATH);
  if (!chosen.some((notebook) => NOTEBOOK_INPUT[notebook] === 'csv')) {
    const parameters = checkParameters(env, { storedTracks }, chosen);
    await checkStoredInputs(DB_PATH, chosen);
    return { parameters, notebooks: chosen, tracks: storedTracks, storedTracks, warnings: [] };
  }
  // loaded only now: danfojs and TensorFlow.js take seconds to load, and most refusals come before
  const { StagedTracks } = await import('../data/load-tracks');
  const staged = await StagedTracks.load(SPOTIFY_CSV);
  const { report } = staged;
  let popularity: Float64Array;
  try {
    popularity = await staged.popularity();
  } finally {
    staged.close();
  }
  const parameters = checkParameters(env, { popularity }, chosen);
  const tracks = popularity.filter((value) => value > parameters.POPULARITY_MIN).length;
  await checkStoredInputs(DB_PATH, chosen);
  return { parameters, notebooks: chosen, tracks, storedTracks, warnings: report.warnings };
}

/**
 * Refuse a run whose notebooks read a table that neither the database holds nor an earlier notebook
 * of the run makes (notebook 01 empties every clustering, so 01 then 04 needs 02 and 03 between).
 */
async function checkStoredInputs(path: string, chosen: readonly NotebookName[]): Promise<void> {
  const made = new Set<string>();
  const fromDatabase = new Set<string>();
  let cleared = false;
  for (const notebook of chosen) {
    for (const table of NOTEBOOK_READS[notebook]) {
      if (made.has(table)) continue;
      if (cleared) {
        const maker = NOTEBOOKS.find((name) => NOTEBOOK_MAKES[name].includes(table));
        throw new DatabaseError(
          `Notebook ${notebook} reads ${table}, which notebook 01 empties earlier in this run and no notebook ` +
            `after it remakes: run notebook ${maker} before ${notebook} too, or leave 01 out.`,
        );
      }
      fromDatabase.add(table);
    }
    if (notebook === '01') cleared = true;
    for (const table of NOTEBOOK_MAKES[notebook]) made.add(table);
  }
  if (fromDatabase.size > 0) await requireStored(path, [...fromDatabase]);
}
