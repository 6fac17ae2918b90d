/**
 * A notebook's parameters cell in one call, {@link notebookParameters}: the literals written in the
 * cell under the environment's values, checked for what that notebook reads (against the stored
 * tracks for the notebooks that read the database), printed with where each value came from, and
 * returned. Also notebook 01's check before it stores ({@link checkBeforeStoring}) and the README's
 * parameter table ({@link parametersTable}), all from the table in parameters.ts.
 */
import { requireStored, storedTrackCount } from '../data/db';
import { frameNumbers } from '../data/frame';
import type { FrameLike } from '../data/frame';
import { checkParameters } from './check-parameters';
import { beginRun } from './run-record';
import { papermillValues } from './papermill';
import { setThreads } from '../parallel/pool';
import {
  NOTEBOOK_READS,
  NOTEBOOK_INPUT,
  NOTEBOOKS,
  PARAMETER_NAMES,
  ParameterError,
  parameterSpec,
  parametersReadBy,
} from './parameters';
import type { NotebookName, ParameterName, ParametersOf } from './parameters';

type Environment = Record<string, string | undefined>;

/** The values a parameters cell writes, by parameter name. */
export type Literals = Readonly<Record<string, string | number>>;

const count = (value: number): string => value.toLocaleString('en-US');

/**
 * The environment a notebook's parameters cell checks: the values written in the cell (literals a
 * reader can edit) under the environment's, so `K=8 npm run notebooks` still overrides `K: 12`. Read
 * afresh each time the cell runs: changing `process.env.K` or the literal and re-running the cell
 * takes effect.
 * @example withLiterals({ K: 12, LAYOUT: 'grid' }, { K: '8' }) // { K: '8', LAYOUT: 'grid' }
 */
export function withLiterals(literals: Literals, env: Environment = process.env): Environment {
  const merged: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(literals)) merged[name] = String(value);
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[name] = value;
  return merged;
}

/** What the printout says besides the values. */
export interface ParametersPrintout {
  /** The tracks stored in DB_PATH: a SAMPLE_SIZE above it is said to be capped. */
  storedTracks?: number;
  /** The parameters papermill passed (papermill.ts): said to come from papermill. */
  papermill?: readonly string[];
}

/**
 * The parameters as aligned `NAME = value` lines, for the first cell of a notebook, each with where
 * it came from when that is not the default written in the cell (the environment, or an edited
 * literal), and a SAMPLE_SIZE above the stored tracks said to be capped. Values show as the table
 * says (equal Gower weights as "every feature 1", a long TRACK_QUERY shortened), other objects as
 * JSON.
 * @example describeParameters({ K: 12 }) // 'K = 12'
 */
export function describeParameters(
  parameters: object,
  literals: Literals = {},
  env: Environment = process.env,
  printout: ParametersPrintout = {},
): string {
  const entries = Object.entries(parameters);
  const width = Math.max(...entries.map(([name]) => name.length));
  const show = (name: string, value: unknown): string => {
    const spec = (PARAMETER_NAMES as readonly string[]).includes(name)
      ? parameterSpec(name as ParameterName)
      : undefined;
    if (spec?.show !== undefined) return spec.show(value);
    return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
  };
  const notes = (name: string, value: unknown): string[] => {
    const said: string[] = [];
    const fallback = (PARAMETER_NAMES as readonly string[]).includes(name)
      ? parameterSpec(name as ParameterName).default
      : undefined;
    if (printout.papermill?.includes(name)) said.push('from papermill');
    else if (env[name] !== undefined && env[name] !== '' && name in literals)
      said.push(`from the environment variable ${name}`);
    else if (name in literals && fallback !== undefined && String(literals[name]) !== String(fallback)) {
      said.push(`edited in this notebook; the default is ${JSON.stringify(fallback)}`);
    }
    const stored = printout.storedTracks;
    if (name === 'SAMPLE_SIZE' && stored !== undefined && typeof value === 'number' && value > stored) {
      said.push(`capped to the ${count(stored)} stored tracks: the sample holds them all`);
    }
    return said;
  };
  return entries
    .map(([name, value]) => {
      const said = notes(name, value);
      return `${name.padEnd(width)} = ${show(name, value)}${said.length > 0 ? `   (${said.join('; ')})` : ''}`;
    })
    .join('\n');
}

/** How {@link notebookParameters} reads and prints. */
export interface NotebookParametersOptions {
  /** The environment (default `process.env`). */
  env?: Environment;
  /** Where the printout goes (default `console.log`). */
  print?: (text: string) => void;
}

/**
 * A notebook's parameters cell in one call: the cell's literals under the environment's values
 * ({@link withLiterals}), checked for what `notebook` reads and nothing else (notebook 01: the input
 * file and POPULARITY_MIN; notebooks 02–04: the tracks stored in DB_PATH, counted here, and not the
 * input file), printed ({@link describeParameters}) and returned; THREADS is handed to the worker
 * pool (`setThreads`) for the cells below. A literal that is not one of the
 * notebook's parameters is refused, so a misspelt name does not pass unnoticed.
 * @example
 * const literals = { TRACK_QUERY: '', N_SIMILAR: 10, GOWER_WEIGHTS: '' };
 * const { DB_PATH, TRACK_QUERY, N_SIMILAR, GOWER_WEIGHTS } = await notebookParameters('04', literals);
 * // prints "DB_PATH       = …/data/spotify.duckdb\nTRACK_QUERY   = '' (the original notebook's example track)\n…"
 */
export async function notebookParameters<N extends NotebookName>(
  notebook: N,
  literals: Literals = {},
  options: NotebookParametersOptions = {},
): Promise<ParametersOf<N>> {
  const raw = options.env ?? process.env;
  const names = parametersReadBy([notebook]);
  const stray = Object.keys(literals).find((name) => !(names as string[]).includes(name));
  if (stray !== undefined) {
    throw new ParameterError(
      `The parameters cell sets ${stray}, which is not a parameter of notebook ${notebook}; its parameters are ${names.join(', ')}.`,
    );
  }
  // papermill's values (-p NAME VALUE) come above the literals and the environment
  const papermill = papermillValues(literals);
  const unknown = Object.keys(papermill).find((name) => !(names as string[]).includes(name));
  if (unknown !== undefined) {
    throw new ParameterError(
      `papermill passed ${unknown}, which is not a parameter of notebook ${notebook}; its parameters are ${names.join(', ')}.`,
    );
  }
  const env = { ...withLiterals(literals, raw), ...papermill };
  // each value and the paths first: a device or another program's file is refused before it is opened
  let checked = checkParameters(env, {}, [notebook]);
  let storedTracks: number | undefined;
  if (NOTEBOOK_INPUT[notebook] === 'database') {
    storedTracks = await storedTrackCount(checked.DB_PATH);
    checked = checkParameters(env, { storedTracks }, [notebook]);
    // what an earlier notebook stores for this one: refused, naming that notebook, when missing or empty
    await requireStored(checked.DB_PATH, NOTEBOOK_READS[notebook]);
  }
  const parameters: Record<string, unknown> = {};
  for (const name of names) parameters[name] = (checked as Record<string, unknown>)[name];
  // every long step after this cell shares THREADS threads (lib/parallel/pool.ts)
  setThreads(parameters.THREADS as number);
  const printout = { storedTracks, papermill: Object.keys(papermill) };
  (options.print ?? console.log)(describeParameters(parameters, literals, raw, printout));
  beginRun(notebook, parameters); // the run notebooks 01–04 record at their end (run-record.ts)
  return parameters as ParametersOf<N>;
}

/**
 * Notebook 01's check before it replaces the stored tracks: POPULARITY_MIN (from the cell's
 * literals and the environment) must keep enough of the de-duplicated tracks for the clustering.
 * @param tracks the de-duplicated tracks, with their `popularity` column
 * @example checkBeforeStoring({ POPULARITY_MIN: 95 }, unique)
 * // throws "POPULARITY_MIN is 95, but only 12 of the 15,146 distinct tracks in … have a popularity above it, …"
 */
export function checkBeforeStoring(literals: Literals, tracks: FrameLike, env: Environment = process.env): void {
  checkParameters(withLiterals(literals, env), { popularity: frameNumbers(tracks, 'popularity') }, ['01']);
}

/**
 * The README's table of parameters, in Markdown, made from the table in parameters.ts (a test
 * checks that the README holds exactly this).
 * @example parametersTable().split('\n')[0] // '| variable | read by notebooks | meaning | values | default |'
 */
export function parametersTable(): string {
  const rows = PARAMETER_NAMES.map((name) => {
    const spec = parameterSpec(name);
    const readBy = spec.notebooks.length === NOTEBOOKS.length ? 'all' : spec.notebooks.join(', ');
    const fallback = spec.defaultText ?? `\`${spec.default}\``;
    return `| \`${name}\` | ${readBy} | ${spec.meaning} | ${spec.allowed} | ${fallback} |`;
  });
  return ['| variable | read by notebooks | meaning | values | default |', '|---|---|---|---|---|', ...rows].join('\n');
}
