/**
 * The project's files and folders, and how a path a user typed becomes absolute: the bottom floor of
 * lib/, importing nothing from it, so every stage (and the plain-Node scripts, which load only this
 * file) can use it. The notebook parameters that name files (SPOTIFY_CSV, DB_PATH) take their
 * defaults from here (see lib/notebook/parameters.ts). The original notebook's `setup_db.DB_NAME`
 * is {@link DB_NAME}.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The project's root folder (this file is compiled to build/lib/paths.js). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');
/** Where the real Kaggle file goes when a user has it. */
export const REAL_CSV = join(PROJECT_ROOT, 'data', 'SpotifyFeatures.csv');
/** The synthetic stand-in shipped with the project (made by `npm run generate-data`). */
export const BUNDLED_CSV = join(PROJECT_ROOT, 'data', 'SpotifyFeatures.sample.csv');
/** The original notebook's `DB_NAME`: the default DuckDB file. */
export const DB_NAME = join(PROJECT_ROOT, 'data', 'spotify.duckdb');
/** Build products: compiled library, executed notebooks, reports, benchmark inputs. */
export const BUILD_DIR = join(PROJECT_ROOT, 'build');

/**
 * The input file when SPOTIFY_CSV is not set: data/SpotifyFeatures.csv when present, else the
 * bundled synthetic sample. Looked at afresh on every call, so a file dropped in later counts.
 * @example defaultCsvPath() // '<project>/data/SpotifyFeatures.sample.csv' without the real file
 */
export function defaultCsvPath(): string {
  return existsSync(REAL_CSV) ? REAL_CSV : BUNDLED_CSV;
}

/**
 * A path as the user typed it, made absolute: `~/` is the home folder, and a relative path is
 * taken from the folder the command was started in (INIT_CWD, which npm sets for `npm run …`),
 * else from the working folder.
 * @example userPath('data/x.csv', { INIT_CWD: '/home/me/music' }) // '/home/me/music/data/x.csv'
 */
export function userPath(typed: string, env: Record<string, string | undefined> = process.env): string {
  const path = typed.trim();
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  const base = env.INIT_CWD !== undefined && env.INIT_CWD.trim() !== '' ? env.INIT_CWD : process.cwd();
  return resolve(base, path);
}
