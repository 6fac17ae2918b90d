/**
 * The DuckDB store (the original notebook's `setup_db`): every name of lib/data/db-open.ts (opening
 * a file for one step), db-schema.ts (the tables, the mark, the upgrade) and store.ts (the writes),
 * and the reads the notebooks share: {@link queryRows}, {@link tableCounts}, {@link storedTrackCount}.
 *
 * Tables, exactly as the original notebook makes them (these three are a contract):
 * - `track`: every CSV column, primary key `track_id`;
 * - `cluster (id INTEGER PRIMARY KEY, x FLOAT, y FLOAT, size FLOAT)`;
 * - `track_to_cluster (track_id VARCHAR, cluster_id INTEGER)`, foreign keys to both.
 * Three more record the sample and the k-medoids clustering (`sample_track`, `gower_cluster`,
 * `track_to_gower_cluster`), and `project_metadata` marks the database as the project's.
 *
 * Reads open the file read-only and never create it; a database that is not the project's, a
 * newer or a damaged one is refused with one sentence, and a query of a table an older database
 * lacks says which notebook makes it.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { countRows, DatabaseError } from './db-open';
import { missingSentence, PROJECT_TABLES, readDatabase } from './db-schema';

export * from './db-open';
export * from './db-schema';
export * from './store';

/**
 * The number of stored tracks: 0 when the file or its `track` table does not exist yet. Never
 * creates the file; refuses a database that is not the project's.
 * @example await storedTrackCount('data/spotify.duckdb') // 12395 after notebook 01 on the bundled sample
 */
export async function storedTrackCount(path: string): Promise<number> {
  return readDatabase(path, (connection) => countRows(connection, 'track'));
}

/** Values bound to a query's parameters: a list for `$1`, `$2` …, or an object for `$name`. */
export type QueryParams = DuckDBValue[] | Record<string, DuckDBValue>;

/**
 * Run a query and return its rows as objects (numbers for BIGINT counts that fit). Reads only. A
 * query of one of the project's tables that the database does not have yet gets the sentence
 * saying which notebook makes it, not DuckDB's "Table with name … does not exist". Values go in
 * `params` (a prepared statement's bound values), never pasted into the SQL: `$1` is `params[0]`.
 * @example await queryRows(DB_NAME, 'SELECT count(*) AS n FROM track') // [{ n: 145602 }]
 * @example await queryRows(DB_NAME, 'SELECT track_name FROM track WHERE track_id = $1', [id])
 */
export async function queryRows(path: string, sql: string, params?: QueryParams): Promise<Record<string, unknown>[]> {
  if (params !== undefined && (params === null || typeof params !== 'object')) {
    throw new TypeError(`queryRows takes its values as a list ([id] for $1) or an object, not ${String(params)}.`);
  }
  return readDatabase(path, async (connection, state) => {
    let reader;
    try {
      reader = await connection.runAndReadAll(sql, params);
    } catch (error) {
      const table = /Table with name (\w+) does not exist/i.exec(error instanceof Error ? error.message : '')?.[1];
      if (
        table !== undefined &&
        PROJECT_TABLES.includes(table) &&
        table !== 'project_metadata' &&
        !state.tables.includes(table)
      ) {
        throw new DatabaseError(missingSentence(path, state.tables.includes('track') ? table : 'track', false));
      }
      throw error;
    }
    return reader
      .getRowObjectsJS()
      .map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v,
          ]),
        ),
      );
  });
}

/** Row counts of the stored tables. */
export interface TableCounts {
  track: number;
  cluster: number;
  track_to_cluster: number;
  sample_track: number;
  gower_cluster: number;
  track_to_gower_cluster: number;
}

/**
 * Row counts of the stored tables (0 for a table that does not exist yet). Reads only, and makes
 * no file where there is none.
 * @example
 * await tableCounts(DB_NAME)
 * // { track: 145602, cluster: 12, track_to_cluster: 145602, sample_track: 10000, gower_cluster: 12, track_to_gower_cluster: 145602 }
 */
export async function tableCounts(path: string): Promise<TableCounts> {
  return readDatabase(path, async (connection) => {
    const count = (table: string) => countRows(connection, table);
    return {
      track: await count('track'),
      cluster: await count('cluster'),
      track_to_cluster: await count('track_to_cluster'),
      sample_track: await count('sample_track'),
      gower_cluster: await count('gower_cluster'),
      track_to_gower_cluster: await count('track_to_gower_cluster'),
    };
  });
}
