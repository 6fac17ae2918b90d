/**
 * Opening the DuckDB file for one step (the original notebook's `duckdb.connect(database=DB_NAME)`)
 * and closing it again, so that no notebook kernel keeps a lock that would block another notebook,
 * a headless run or the `duckdb` CLI; transactions that roll back as a whole; and the checks that
 * come before DuckDB touches a file: a path that is not a DuckDB database is never opened, and a
 * file DuckDB cannot read (locked, damaged) gets one sentence saying so and what to do.
 *
 * Reading opens the file read-only (`access_mode: 'READ_ONLY'`: DuckDB then writes nothing, not
 * even the checkpoint of a left-over write-ahead log), and a path where no database exists yet is
 * read as an empty in-memory one, so reading never creates a file. Written here rather than taken
 * from a library: the lifetime rules (one step, one connection) and the messages are the project's.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { UserError } from '../user-error';

/** The database is held by another process, cannot be opened, or is not this project's; the message says what to do. */
export class DatabaseError extends UserError {
  override name = 'DatabaseError';
}

/** Quote an identifier for SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** DuckDB's database files carry these four bytes at offset 8 (after a checksum). */
const DUCKDB_MAGIC = 'DUCK';

/**
 * What is wrong with a database path, as a phrase completing "The database path … is": a folder,
 * or an existing file that is not a DuckDB database (DuckDB would otherwise try to use it, or
 * overwrite it); null when the path is fine: a DuckDB file, a path where nothing exists yet, or an
 * empty file (the database is made there).
 * @example databaseFileProblem('data/SpotifyFeatures.csv') // 'an existing file that is not a DuckDB database (it starts with "genre,artist_name,track_name,t")'
 */
export function databaseFileProblem(path: string): string | null {
  if (path === ':memory:' || !existsSync(path)) return null;
  const stats = statSync(path);
  if (stats.isDirectory()) return 'a folder';
  if (stats.size === 0) return null;
  const head = Buffer.alloc(64);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1', 8, 12) === DUCKDB_MAGIC) return null;
  const start = head
    .subarray(0, read)
    .toString('utf8')
    .split(/\r?\n/)[0]
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 30);
  return `an existing file that is not a DuckDB database (it starts with ${JSON.stringify(start)})`;
}

/**
 * Refuse a database path that must not be opened as a database (see {@link databaseFileProblem}).
 * @example checkDatabaseFile('data/SpotifyFeatures.csv') // throws "The database path … is an existing file that is not a DuckDB database …"
 */
export function checkDatabaseFile(path: string): void {
  const problem = databaseFileProblem(path);
  if (problem === null) return;
  throw new DatabaseError(
    `The database path ${path} is ${problem}, so it was left alone and nothing was changed; ${fixDatabasePath(path, problem)}.`,
  );
}

/**
 * What to do about a database path with a problem (see {@link databaseFileProblem}).
 * @example fixDatabasePath('data', 'a folder') // 'point DB_PATH at a DuckDB file inside it (such as data/spotify.duckdb)'
 */
export function fixDatabasePath(path: string, problem: string): string {
  return problem === 'a folder'
    ? `point DB_PATH at a DuckDB file inside it (such as ${join(path, 'spotify.duckdb')})`
    : 'point DB_PATH at a DuckDB file or at a path where no file exists yet';
}

/** No database exists at this path yet: nothing there, or an empty file (DuckDB makes the database there). */
export function isNewDatabase(path: string): boolean {
  return path !== ':memory:' && (!existsSync(path) || (statSync(path).isFile() && statSync(path).size === 0));
}

/**
 * What DuckDB's error says is damaged in the file at `path`, as a phrase completing "is damaged: …",
 * or null when the error is not about a damaged file.
 * @example damageOf('IO Error: Could not read enough bytes from file "x.duckdb": attempted to read 262144 bytes from location 9449472')
 * // 'it ends too early (DuckDB could not read 262144 bytes at byte 9449472), as a copy or download that stopped half-way would'
 */
export function damageOf(message: string, path?: string): string | null {
  const short = /Could not read enough bytes[^:]*: attempted to read (\d+) bytes from location (\d+)/i.exec(message);
  if (short) {
    const size = path !== undefined && existsSync(path) ? ` of a ${statSync(path).size}-byte file` : '';
    return `it ends too early (DuckDB could not read ${short[1]} bytes at byte ${short[2]}${size}), as a copy or download that stopped half-way would`;
  }
  const checksum =
    /Corrupt database file: computed checksum \d+ does not match stored checksum \d+ in block at location (\d+)/i.exec(
      message,
    );
  if (checksum)
    return `the block at byte ${checksum[1]} does not match its checksum, so some of its bytes were overwritten`;
  if (/not a valid DuckDB database file/i.test(message))
    return 'its header is not one DuckDB can read, though it starts like a DuckDB file';
  const corrupt = /Corrupt database file:?\s*([^\n]*)/i.exec(message);
  if (corrupt) return `DuckDB finds it corrupt (${corrupt[1].replace(/[.!]+$/, '') || 'no detail given'})`;
  return null;
}

/** The sentence for a damaged database file. */
function damagedError(path: string, damage: string): DatabaseError {
  return new DatabaseError(`The database file ${path} is damaged: ${damage}; remove it or point DB_PATH elsewhere.`);
}

function explainOpenError(path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/Could not set lock|Conflicting lock/i.test(message)) {
    const program = /held in (\S+)/.exec(message)?.[1];
    const pid = /PID (\d+)/.exec(message)?.[1];
    const holder = [program, pid && `PID ${pid}`].filter(Boolean).join(', ');
    return new DatabaseError(
      `The database ${path} is in use by another process${holder ? ` (${holder})` : ''}: a notebook kernel that still holds it, ` +
        'a running `npm run notebooks`, or the duckdb command line. Close that program (or restart that kernel) and run this step again; nothing was changed.',
    );
  }
  const damage = damageOf(message, path);
  if (damage !== null) return damagedError(path, damage);
  return new DatabaseError(
    `Could not open the database ${path}: ${message}. Check that DB_PATH points at a DuckDB file (or at a new path) in a folder you can write.`,
  );
}

/** How {@link withDatabase} opens the file. */
export interface OpenOptions {
  /**
   * Open read-only: DuckDB writes nothing to the file, and a path where no database exists yet is
   * read as an empty in-memory database (no file is made). Default false.
   */
  readOnly?: boolean;
}

/**
 * Open the database at `path`, run `work` with a connection, and close it whatever happens.
 * A file held by another process is refused with a sentence that says so and what to do, and so is
 * a path that is not a DuckDB database (see {@link checkDatabaseFile}) and a damaged file (also
 * when the damage shows only while `work` reads it).
 * @example
 * const count = await withDatabase(DB_NAME, async (con) => (await con.runAndReadAll('SELECT count(*) FROM track')).getRows()[0][0]);
 */
export async function withDatabase<T>(
  path: string,
  work: (connection: DuckDBConnection) => Promise<T>,
  options: OpenOptions = {},
): Promise<T> {
  checkDatabaseFile(path);
  const readOnly = options.readOnly === true && path !== ':memory:';
  const empty = readOnly && isNewDatabase(path);
  if (!readOnly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = empty
      ? await DuckDBInstance.create(':memory:')
      : await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
  } catch (error) {
    throw explainOpenError(path, error);
  }
  try {
    const connection = await instance.connect();
    try {
      return await work(connection);
    } catch (error) {
      const damage = error instanceof Error && !(error instanceof DatabaseError) ? damageOf(error.message, path) : null;
      throw damage === null ? error : damagedError(path, damage);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * Run `work` inside BEGIN … COMMIT; any error rolls everything back and is thrown again. The error
 * thrown is always the first one: when COMMIT itself fails, DuckDB has usually ended the
 * transaction already, and the ROLLBACK after it ("no transaction is active") must not hide why.
 * @example await inTransaction(con, async () => { await con.run('DELETE FROM cluster'); });
 */
export async function inTransaction<T>(connection: Pick<DuckDBConnection, 'run'>, work: () => Promise<T>): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await rollBack(connection);
    throw error;
  }
  try {
    await connection.run('COMMIT');
  } catch (error) {
    await rollBack(connection);
    const message = error instanceof Error ? error.message : String(error);
    throw new DatabaseError(
      `The database could not commit this step (${message}); it was rolled back, so the database holds what it held before.`,
    );
  }
  return result;
}

/** ROLLBACK, ignoring the error of a transaction that is no longer active. */
async function rollBack(connection: Pick<DuckDBConnection, 'run'>): Promise<void> {
  try {
    await connection.run('ROLLBACK');
  } catch {
    // the transaction already ended (a failed COMMIT ends it); the caller reports the first error
  }
}

/** The names of the tables in the main schema. */
export async function tableNames(connection: DuckDBConnection): Promise<string[]> {
  const reader = await connection.runAndReadAll(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name",
  );
  return reader.getRows().map((row) => String(row[0]));
}

/** Rows in a table of the main schema, 0 when it does not exist. */
export async function countRows(connection: DuckDBConnection, table: string): Promise<number> {
  if (!(await tableNames(connection)).includes(table)) return 0;
  return Number((await connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdentifier(table)}`)).getRows()[0][0]);
}
