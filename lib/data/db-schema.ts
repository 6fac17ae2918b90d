/**
 * The tables of the DuckDB store (the original notebook's `setup_db` and what this project added),
 * the mark that says a database is this project's, and the upgrade of a database written by an
 * earlier version.
 *
 * - The mark: `project_metadata` with `project` = {@link PROJECT_NAME} and `schema_version` =
 *   {@link SCHEMA_VERSION}; {@link inspectDatabase} refuses, with one sentence naming the table, a
 *   database that is not the project's.
 * - {@link upgradeDatabase} brings a database of an older schema version up to date inside the
 *   caller's transaction, adding and never dropping; reading never upgrades ({@link readDatabase}
 *   opens read-only, and {@link missingSentence} says which notebook makes what is missing).
 * Written here because the store's contract (tables, versions, refusals) is the project's own.
 * The versions and what each refusal covers: docs/data-layer.md.
 */
import { DuckDBConnection } from '@duckdb/node-api';
import { COLUMN_TYPES } from './frame';
import { ColumnKind, SPOTIFY_COLUMNS } from './schema';
import { countRows, DatabaseError, quoteIdentifier, withDatabase } from './db-open';

/** The DDL of `cluster`, as the original notebook writes it, with the cluster's name (schema version 3). */
export const CLUSTER_TABLE_SQL =
  'CREATE TABLE cluster (id INTEGER PRIMARY KEY, x FLOAT, y FLOAT, size FLOAT, name VARCHAR)';
/** The DDL of `track_to_cluster`, as the original notebook writes it. */
export const TRACK_TO_CLUSTER_TABLE_SQL = `CREATE TABLE track_to_cluster (
  track_id VARCHAR, cluster_id INTEGER,
  FOREIGN KEY (track_id) REFERENCES track (track_id),
  FOREIGN KEY (cluster_id) REFERENCES cluster (id))`;

/** The DDL of `sample_track`: the tracks the clusterings were fitted on. */
export const SAMPLE_TRACK_TABLE_SQL =
  'CREATE TABLE sample_track (track_id VARCHAR PRIMARY KEY REFERENCES track(track_id))';
/** The DDL of `gower_cluster`: one row per k-medoids cluster, with its medoid track, size and name. */
export const GOWER_CLUSTER_TABLE_SQL =
  'CREATE TABLE gower_cluster (id INTEGER PRIMARY KEY, medoid_track_id VARCHAR REFERENCES track(track_id), size INTEGER, name VARCHAR)';
/** The DDL of `track_to_gower_cluster`: each track's k-medoids cluster and its Gower distance to the medoid. */
export const TRACK_TO_GOWER_CLUSTER_TABLE_SQL =
  'CREATE TABLE track_to_gower_cluster (track_id VARCHAR PRIMARY KEY REFERENCES track(track_id), cluster_id INTEGER REFERENCES gower_cluster(id), distance FLOAT)';

/**
 * The DDL of `run`: one row per recorded notebook run (schema version 4; lib/data/runs.ts writes
 * it). JSON texts hold the parameters in force, the figures of merit, the seconds of each long step
 * and the names of the run's clusters; notebook 01 never clears it.
 */
export const RUN_TABLE_SQL = `CREATE TABLE run (
  id INTEGER PRIMARY KEY, notebook VARCHAR, started TIMESTAMP, finished TIMESTAMP, parameters VARCHAR,
  input_path VARCHAR, input_size BIGINT, input_hash VARCHAR, project_version VARCHAR,
  merits VARCHAR, step_seconds VARCHAR, clustering VARCHAR, cluster_names VARCHAR)`;
/** The DDL of `run_assignment`: each kept run's cluster of each track it clustered (no foreign keys: the tracks may be stored again). */
export const RUN_ASSIGNMENT_TABLE_SQL =
  'CREATE TABLE run_assignment (run_id INTEGER, track_id VARCHAR, cluster_id INTEGER)';
/** The run tables, which no store of tracks or clusterings touches, with their DDL. */
export const RUN_TABLES: readonly { name: string; sql: string }[] = Object.freeze([
  { name: 'run', sql: RUN_TABLE_SQL },
  { name: 'run_assignment', sql: RUN_ASSIGNMENT_TABLE_SQL },
]);

/**
 * The tables that refer to `track`, in an order that can be dropped one after the other (a table
 * that is referenced goes after every table referring to it), with their DDL in the reverse order.
 */
export const DEPENDENT_TABLES: readonly { name: string; sql: string }[] = Object.freeze([
  { name: 'track_to_gower_cluster', sql: TRACK_TO_GOWER_CLUSTER_TABLE_SQL },
  { name: 'gower_cluster', sql: GOWER_CLUSTER_TABLE_SQL },
  { name: 'sample_track', sql: SAMPLE_TRACK_TABLE_SQL },
  { name: 'track_to_cluster', sql: TRACK_TO_CLUSTER_TABLE_SQL },
  { name: 'cluster', sql: CLUSTER_TABLE_SQL },
]);

/**
 * The DDL of `track` for these columns (the 18 of the schema plus any extra ones the file had).
 * @example trackTableSql([{ name: 'track_id', kind: 'text' }]) // 'CREATE TABLE track ("track_id" VARCHAR, PRIMARY KEY (track_id))'
 */
export function trackTableSql(columns: readonly { name: string; kind: ColumnKind }[] = SPOTIFY_COLUMNS): string {
  const body = columns.map((c) => `${quoteIdentifier(c.name)} ${COLUMN_TYPES[c.kind].sql}`).join(', ');
  return `CREATE TABLE track (${body}, PRIMARY KEY (track_id))`;
}

/** The project's name, as its databases record it in `project_metadata`. */
export const PROJECT_NAME = 'spotify-clusters';
/** The schema version this code writes and reads (see the file header). */
export const SCHEMA_VERSION = 4;
/** The DDL of the table that marks a database as the project's. */
export const METADATA_TABLE_SQL = 'CREATE TABLE project_metadata (key VARCHAR PRIMARY KEY, value VARCHAR)';

/**
 * The columns of the project's tables besides `track` (whose columns are the schema's), with their
 * DuckDB types; `count` marks a column the upgrade can add to an older table and fill (a cluster's
 * size, counted from its members), `added` one it adds and leaves NULL (a cluster's name); every
 * other column must be there.
 */
const TABLE_COLUMNS: Readonly<
  Record<string, readonly { name: string; type: string; count?: string; added?: boolean }[]>
> = Object.freeze({
  cluster: [
    { name: 'id', type: 'INTEGER' },
    { name: 'x', type: 'FLOAT' },
    { name: 'y', type: 'FLOAT' },
    { name: 'size', type: 'FLOAT', count: 'track_to_cluster' },
    { name: 'name', type: 'VARCHAR', added: true },
  ],
  track_to_cluster: [
    { name: 'track_id', type: 'VARCHAR' },
    { name: 'cluster_id', type: 'INTEGER' },
  ],
  sample_track: [{ name: 'track_id', type: 'VARCHAR' }],
  gower_cluster: [
    { name: 'id', type: 'INTEGER' },
    { name: 'medoid_track_id', type: 'VARCHAR' },
    { name: 'size', type: 'INTEGER', count: 'track_to_gower_cluster' },
    { name: 'name', type: 'VARCHAR', added: true },
  ],
  track_to_gower_cluster: [
    { name: 'track_id', type: 'VARCHAR' },
    { name: 'cluster_id', type: 'INTEGER' },
    { name: 'distance', type: 'FLOAT' },
  ],
  run: [
    { name: 'id', type: 'INTEGER' },
    { name: 'notebook', type: 'VARCHAR' },
    { name: 'started', type: 'TIMESTAMP' },
    { name: 'finished', type: 'TIMESTAMP' },
    { name: 'parameters', type: 'VARCHAR' },
    { name: 'input_path', type: 'VARCHAR' },
    { name: 'input_size', type: 'BIGINT' },
    { name: 'input_hash', type: 'VARCHAR' },
    { name: 'project_version', type: 'VARCHAR' },
    { name: 'merits', type: 'VARCHAR' },
    { name: 'step_seconds', type: 'VARCHAR' },
    { name: 'clustering', type: 'VARCHAR' },
    { name: 'cluster_names', type: 'VARCHAR' },
  ],
  run_assignment: [
    { name: 'run_id', type: 'INTEGER' },
    { name: 'track_id', type: 'VARCHAR' },
    { name: 'cluster_id', type: 'INTEGER' },
  ],
  project_metadata: [
    { name: 'key', type: 'VARCHAR' },
    { name: 'value', type: 'VARCHAR' },
  ],
});

/** Every table the project makes. */
export const PROJECT_TABLES: readonly string[] = Object.freeze([
  'track',
  ...[...DEPENDENT_TABLES].reverse().map((t) => t.name),
  ...RUN_TABLES.map((t) => t.name),
  'project_metadata',
]);

/** The notebook that fills each table, and what the table holds, for "has no … yet; run notebook NN". */
const MADE_BY: Readonly<Record<string, { notebook: string; what: string }>> = Object.freeze({
  track: { notebook: '01', what: 'tracks' },
  cluster: { notebook: '03', what: 'k-means clustering' },
  track_to_cluster: { notebook: '03', what: 'k-means clustering' },
  sample_track: { notebook: '03', what: 'k-means sample' },
  gower_cluster: { notebook: '02', what: 'k-medoids clustering' },
  track_to_gower_cluster: { notebook: '02', what: 'k-medoids clustering' },
  run: { notebook: '02 or 03', what: 'recorded runs' },
  run_assignment: { notebook: '02 or 03', what: 'recorded clusterings' },
});

/** What {@link inspectDatabase} found in a database that is the project's (or empty). */
export interface DatabaseState {
  /** 'new': no tables yet; 'current': marked with this schema version, nothing to add; 'older': the upgrade has work to do. */
  status: 'new' | 'current' | 'older';
  /** The schema version of the mark, or null for an unmarked database. */
  version: number | null;
  /** The project's tables that are there. */
  tables: string[];
  /** The project's tables that are not there yet. */
  missingTables: string[];
  /** Columns of older tables that the upgrade adds. */
  missingColumns: { table: string; column: string }[];
  /** Whether `track` has its primary key (true when there is no `track`). */
  trackKeyed: boolean;
}

/** 'text', 'number' or the type itself: columns of one family read the same way. */
function typeFamily(type: string): string {
  if (/^(VARCHAR|TEXT|STRING|CHAR)/i.test(type)) return 'text';
  if (
    /^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|UHUGEINT|DOUBLE|FLOAT|REAL|DECIMAL)/i.test(
      type,
    )
  )
    return 'number';
  return type;
}

/** "a, b, c and 4 more". */
function someOf(names: readonly string[], shown = 4): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

/** The end of every refusal of a database that is not the project's. */
const LEFT_ALONE = 'so it was left as it was; point DB_PATH at a new file (a path where no file exists yet)';
/** The same, for a database whose tables show it is another program's. */
const ANOTHER_PROGRAM =
  'so it belongs to another program and was left as it was; point DB_PATH at a new file (a path where no file exists yet)';

/**
 * What `connection`'s database holds, checked against the project's tables (see the file header):
 * a database that is not the project's is refused with a `DatabaseError` naming the table. Reads
 * only.
 * @example await inspectDatabase(con, 'data/spotify.duckdb') // { status: 'current', version: 2, tables: [...], missingTables: [], missingColumns: [], trackKeyed: true }
 */
export async function inspectDatabase(connection: DuckDBConnection, path: string): Promise<DatabaseState> {
  const objects = (
    await connection.runAndReadAll(`
    SELECT schema_name, table_name, 'table' FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal AND NOT temporary
    UNION ALL
    SELECT schema_name, view_name, 'view' FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary
    ORDER BY 1, 2`)
  )
    .getRows()
    .map(([schema, name, kind]) => ({ schema: String(schema), name: String(name), kind: String(kind) }));
  const columns = new Map<string, Map<string, string>>();
  for (const [table, column, type] of (
    await connection.runAndReadAll(`
    SELECT table_name, column_name, data_type FROM duckdb_columns()
    WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal ORDER BY table_name, column_index`)
  ).getRows()) {
    if (!columns.has(String(table))) columns.set(String(table), new Map());
    columns.get(String(table))!.set(String(column), String(type));
  }
  const isProjectTable = (o: { schema: string; name: string; kind: string }) =>
    o.schema === 'main' && o.kind === 'table' && PROJECT_TABLES.includes(o.name);
  const tables = PROJECT_TABLES.filter((name) => objects.some((o) => isProjectTable(o) && o.name === name));
  for (const table of tables) checkColumns(path, table, columns.get(table) ?? new Map());

  let version: number | null = null;
  if (tables.includes('project_metadata')) {
    const marks = new Map(
      (await connection.runAndReadAll('SELECT key, value FROM project_metadata'))
        .getRows()
        .map(([k, v]) => [String(k), v === null ? null : String(v)]),
    );
    const project = marks.get('project');
    if (project !== PROJECT_NAME) {
      throw new DatabaseError(
        `The database ${path} was marked by another program (its project_metadata table names the project ${JSON.stringify(project ?? null)}, not ${JSON.stringify(PROJECT_NAME)}), ${LEFT_ALONE}.`,
      );
    }
    version = Number(marks.get('schema_version'));
    if (!Number.isInteger(version) || version < 1) {
      throw new DatabaseError(
        `The database ${path} has a project_metadata table without a schema version (${JSON.stringify(marks.get('schema_version') ?? null)}), ${LEFT_ALONE}.`,
      );
    }
    if (version > SCHEMA_VERSION) {
      throw new DatabaseError(
        `The database ${path} was written by a newer version of this project (schema version ${version}; this version reads up to ${SCHEMA_VERSION}), ` +
          'so it was left as it was; update the project (git pull, then npm run setup) or point DB_PATH at a new file.',
      );
    }
  } else {
    const others = objects.filter((o) => !isProjectTable(o));
    if (others.length > 0) {
      const names = others.map((o) => (o.schema === 'main' ? o.name : `${o.schema}.${o.name}`));
      const kind = others[0].kind;
      throw new DatabaseError(
        `The database ${path} holds a ${kind} ${names[0]}${names.length > 1 ? ` (and ${someOf(names.slice(1))})` : ''} that this project does not make, ` +
          `${ANOTHER_PROGRAM}.`,
      );
    }
  }

  const missingTables = PROJECT_TABLES.filter((name) => !tables.includes(name));
  const missingColumns = tables.flatMap((table) =>
    (TABLE_COLUMNS[table] ?? [])
      .filter((c) => !columns.get(table)!.has(c.name))
      .map((c) => ({ table, column: c.name })),
  );
  let trackKeyed = true;
  if (tables.includes('track')) {
    const keys = (
      await connection.runAndReadAll(`SELECT count(*) FROM duckdb_constraints() WHERE database_name = current_database() AND schema_name = 'main'
      AND table_name = 'track' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND constraint_column_names = ['track_id']`)
    ).getRows();
    trackKeyed = Number(keys[0][0]) > 0;
  }
  const status =
    tables.length === 0
      ? 'new'
      : version === SCHEMA_VERSION && missingTables.length === 0 && missingColumns.length === 0 && trackKeyed
        ? 'current'
        : 'older';
  return { status, version, tables, missingTables, missingColumns, trackKeyed };
}

/** Refuse a project table whose columns are not the project's (see {@link inspectDatabase}). */
function checkColumns(path: string, table: string, has: Map<string, string>): void {
  const listed = [...has.entries()].map(([name, type]) => `${name} ${type}`);
  if (table === 'track') {
    const missing = SPOTIFY_COLUMNS.filter((c) => !has.has(c.name)).map((c) => c.name);
    const wrong = SPOTIFY_COLUMNS.filter(
      (c) => has.has(c.name) && typeFamily(has.get(c.name)!) !== (c.kind === 'text' ? 'text' : 'number'),
    );
    if (missing.length === 0 && wrong.length === 0) return;
    const why =
      missing.length > 0
        ? `it has ${someOf(listed)} and lacks ${someOf(missing)} of the ${SPOTIFY_COLUMNS.length} columns this project stores`
        : `its column ${wrong[0].name} is ${has.get(wrong[0].name)}, where this project stores ${wrong[0].kind === 'text' ? 'text' : 'numbers'}`;
    throw new DatabaseError(
      `The database ${path} has a table track with other columns than this project's (${why}), ${ANOTHER_PROGRAM}.`,
    );
  }
  const expected = TABLE_COLUMNS[table];
  const extra = [...has.keys()].filter((name) => !expected.some((c) => c.name === name));
  const wrong = expected.filter((c) => has.has(c.name) && typeFamily(has.get(c.name)!) !== typeFamily(c.type));
  const lacking = expected.filter((c) => !has.has(c.name) && c.count === undefined && !c.added);
  if (extra.length === 0 && wrong.length === 0 && lacking.length === 0) return;
  throw new DatabaseError(
    `The database ${path} has a table ${table} with other columns than this project's (it has ${someOf(listed)}; this project's ${table} has ` +
      `${expected.map((c) => `${c.name} ${c.type}`).join(', ')}), ${ANOTHER_PROGRAM}.`,
  );
}

/**
 * Bring the database up to {@link SCHEMA_VERSION} inside the caller's transaction (see the file
 * header): adds the tables and columns an older version did not have, the primary key of an older
 * `track`, and the mark; drops nothing. A `track` without its key whose ids repeat cannot be
 * upgraded and is refused with the notebook that stores it again. Returns the state after.
 * @example await inTransaction(con, () => upgradeDatabase(con, DB_NAME)) // { status: 'current', ... }
 */
export async function upgradeDatabase(
  connection: DuckDBConnection,
  path: string,
  state?: DatabaseState,
): Promise<DatabaseState> {
  const before = state ?? (await inspectDatabase(connection, path));
  if (before.status === 'current') return before;
  if (!before.trackKeyed) {
    const [[repeated]] = (
      await connection.runAndReadAll('SELECT count(*) - count(DISTINCT track_id) FROM track')
    ).getRows();
    if (Number(repeated) > 0) {
      throw new DatabaseError(
        `The track table of ${path} was written by an earlier version without its primary key and holds ${Number(repeated)} repeated or empty track ids, ` +
          'so it cannot be upgraded; run notebook 01 to store the tracks again (nothing was changed).',
      );
    }
    await connection.run('ALTER TABLE track ADD PRIMARY KEY (track_id)');
  }
  if (before.missingTables.includes('track')) await connection.run(trackTableSql());
  for (const table of [...[...DEPENDENT_TABLES].reverse(), ...RUN_TABLES])
    if (before.missingTables.includes(table.name)) await connection.run(table.sql);
  // every column first, then the counts: DuckDB cannot commit a table altered after it was updated
  for (const { table, column } of before.missingColumns) {
    const spec = TABLE_COLUMNS[table].find((c) => c.name === column)!;
    await connection.run(`ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${quoteIdentifier(column)} ${spec.type}`);
  }
  for (const { table, column } of before.missingColumns) {
    const spec = TABLE_COLUMNS[table].find((c) => c.name === column)!;
    if (spec.count !== undefined && !before.missingTables.includes(spec.count)) {
      await connection.run(
        `UPDATE ${quoteIdentifier(table)} SET ${quoteIdentifier(column)} = (SELECT count(*) FROM ${quoteIdentifier(spec.count)} m WHERE m.cluster_id = ${quoteIdentifier(table)}.id)`,
      );
    }
  }
  await markDatabase(connection, before.missingTables.includes('project_metadata'));
  return inspectDatabase(connection, path);
}

/** Write the mark: `project_metadata` with the project's name and this schema version. */
async function markDatabase(connection: DuckDBConnection, create: boolean): Promise<void> {
  if (create) await connection.run(METADATA_TABLE_SQL);
  await connection.run(
    `INSERT OR REPLACE INTO project_metadata VALUES ('project', '${PROJECT_NAME}'), ('schema_version', '${SCHEMA_VERSION}')`,
  );
}

/**
 * Create the tables that do not exist yet (an empty store) and mark the database as the
 * project's, inside the caller's work; an older database is upgraded, another program's refused.
 * @example await withDatabase(DB_NAME, (con) => setupDb(con));
 */
export async function setupDb(connection: DuckDBConnection, path = 'being set up'): Promise<void> {
  await upgradeDatabase(connection, path);
}

/**
 * Open the database read-only, check that it is the project's ({@link inspectDatabase}: another
 * program's, a newer or a damaged one is refused with one sentence), and run `work`. Writes nothing,
 * creates no file (a path without a database reads as an empty one), upgrades nothing.
 * @example await readDatabase(DB_NAME, async (con, state) => state.missingTables) // [] after notebooks 01–03
 */
export async function readDatabase<T>(
  path: string,
  work: (connection: DuckDBConnection, state: DatabaseState) => Promise<T>,
): Promise<T> {
  return withDatabase(path, async (connection) => work(connection, await inspectDatabase(connection, path)), {
    readOnly: true,
  });
}

/**
 * The sentence for a reader that meets a database without `table` (or with it empty): what is
 * missing and which notebook makes it.
 * @example missingSentence('db.duckdb', 'track_to_gower_cluster', false)
 * // 'The database db.duckdb has no k-medoids clustering yet (it has no table track_to_gower_cluster): run notebook 02 first, with the same DB_PATH.'
 */
export function missingSentence(path: string, table: string, empty: boolean): string {
  const made = MADE_BY[table];
  if (table === 'track')
    return `The database ${path} holds no tracks yet: run notebook 01 (or \`npm run notebooks\`) first, with the same DB_PATH.`;
  return `The database ${path} has no ${made.what} yet (${empty ? `its table ${table} is empty` : `it has no table ${table}`}): run notebook ${made.notebook} first, with the same DB_PATH.`;
}

/**
 * Refuse, with the notebook that makes them, a database where any of these tables is missing or
 * empty (see {@link missingSentence}; no tracks at all: notebook 01); otherwise their row counts.
 * Reads only.
 * @example await requireStored(DB_NAME, ['track', 'track_to_gower_cluster']) // { track: 145602, track_to_gower_cluster: 145602 }
 */
export async function requireStored(path: string, tables: readonly string[]): Promise<Record<string, number>> {
  return readDatabase(path, async (connection, state) => {
    for (const table of tables) {
      if (MADE_BY[table] === undefined)
        throw new Error(`${table} is not one of the tables the notebooks make (${Object.keys(MADE_BY).join(', ')}).`);
    }
    const counts: Record<string, number> = {};
    // the tracks first: without them, notebook 01 is the one to run, whatever else is missing
    for (const table of ['track', ...tables.filter((t) => t !== 'track')]) {
      counts[table] = state.tables.includes(table) ? await countRows(connection, table) : 0;
      if (counts[table] === 0) throw new DatabaseError(missingSentence(path, table, state.tables.includes(table)));
    }
    return Object.fromEntries(tables.map((table) => [table, counts[table]]));
  });
}
