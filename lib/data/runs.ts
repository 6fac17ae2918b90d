/**
 * The record of notebook runs in the DuckDB store: `run`, one row per run (when, the parameters in
 * force, the input file, the project version, the figures of merit, the seconds of each long step),
 * and `run_assignment`, each kept run's cluster of every track it clustered, so that two runs can
 * be compared long after (notebook 05). {@link storeRun} writes one run and drops the oldest runs
 * beyond a cap, in one transaction; {@link readRuns} and {@link readRunAssignments} read them back.
 * Storing the tracks again (notebook 01) or a clustering leaves both tables alone.
 *
 * Everything is checked before the file is opened for writing: a refused record is one sentence
 * and leaves the database as it was. Written here: the record's shape is the project's own.
 */
import { countRows, DatabaseError, inTransaction, withDatabase } from './db-open';
import { readDatabase, upgradeDatabase } from './db-schema';

/** A run's input file: where it was, its size in bytes and the SHA-256 of its content (hex). */
export interface RunInput {
  path: string;
  size: number;
  hash: string;
}

/** The clustering a run made, kept to compare runs: one cluster per track. */
export interface RunClustering {
  /** What made it, such as `k-means` or `k-medoids`. */
  method: string;
  trackIds: readonly string[];
  /** Whole numbers from 0. */
  clusterIds: ArrayLike<number>;
  /** Each cluster's name, by cluster id. */
  names?: readonly string[];
}

/** One run to record with {@link storeRun}. */
export interface RunRecord {
  /** The notebook that ran, such as `03`. */
  notebook: string;
  started: Date;
  finished: Date;
  /** The parameters in force (JSON values). */
  parameters: Readonly<Record<string, unknown>>;
  /**
   * The input file; left out (undefined): the file the stored tracks came from, as notebook 01's
   * last recorded run found it; null: none.
   */
  input?: RunInput | null;
  /** The project version: a git commit, or the package version. */
  projectVersion?: string | null;
  /** Figures of merit by name: finite numbers, or null for one the run could not compute. */
  merits?: Readonly<Record<string, number | null>>;
  /** Seconds of each long step, by the step's title. */
  stepSeconds?: Readonly<Record<string, number>>;
  clustering?: RunClustering | null;
}

/** What {@link storeRun} did. */
export interface StoredRun {
  /** The new run's id (one more than any kept run's). */
  id: number;
  /** Runs kept after this one, this one included. */
  kept: number;
  /** Ids of the oldest runs dropped to keep at most the cap. */
  dropped: number[];
}

/** A recorded run, as {@link readRuns} returns it. */
export interface Run {
  id: number;
  notebook: string;
  started: Date;
  finished: Date;
  /** `finished − started`. */
  seconds: number;
  parameters: Record<string, unknown>;
  input: RunInput | null;
  projectVersion: string | null;
  merits: Record<string, number | null>;
  stepSeconds: Record<string, number>;
  /** What made the kept clustering, or null when the run kept none. */
  clustering: string | null;
  clusterNames: string[] | null;
  /** Tracks in the kept clustering (0 without one). */
  tracks: number;
}

/** The project_metadata key holding the input file of the stored tracks (JSON of a RunInput). */
export const TRACK_SOURCE_KEY = 'track_source';

const NOTHING = 'Nothing was recorded.';

/** Refuse a value that is not a plain object (a JSON object). */
function plainObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`The run's ${what} must be an object of names and values, not ${String(value)}. ${NOTHING}`);
  return value as Record<string, unknown>;
}

/** Numbers by name: each name non-empty, each number finite (and ≥ 0 when `nonNegative`), null allowed when `nullable`. */
function numbersByName(
  value: unknown,
  what: string,
  options: { nullable: boolean; nonNegative: boolean },
): Record<string, number | null> {
  const entries = Object.entries(plainObject(value, what));
  for (const [name, number] of entries) {
    if (name.trim() === '') throw new Error(`The run's ${what} have an empty name; name each one. ${NOTHING}`);
    if (number === null && options.nullable) continue;
    const allowed = `a finite number${options.nonNegative ? ' of 0 or more' : ''}${options.nullable ? ' or null' : ''}`;
    if (typeof number !== 'number' || !Number.isFinite(number) || (options.nonNegative && number < 0))
      throw new Error(
        `The run's ${what} give "${name}" the value ${String(number)}, but each must be ${allowed}. ${NOTHING}`,
      );
  }
  return Object.fromEntries(entries) as Record<string, number | null>;
}

/** Check a record and return its JSON texts (see {@link storeRun}); throws one sentence. */
function checkRecord(record: RunRecord, keep: number) {
  if (!Number.isInteger(keep) || keep < 1)
    throw new Error(
      `The number of runs to keep is ${keep}, but it must be a whole number 1 or more (RUNS_KEPT). ${NOTHING}`,
    );
  if (typeof record.notebook !== 'string' || !/^\d\d$/.test(record.notebook))
    throw new Error(
      `The run's notebook is ${JSON.stringify(record.notebook)}; name it by its two digits, such as "03". ${NOTHING}`,
    );
  for (const [what, when] of [
    ['start', record.started],
    ['end', record.finished],
  ] as const)
    if (!(when instanceof Date) || Number.isNaN(when.getTime()))
      throw new Error(`The run's ${what} time is ${String(when)}, which is not a valid date. ${NOTHING}`);
  if (record.finished.getTime() < record.started.getTime())
    throw new Error(
      `The run finished (${record.finished.toISOString()}) before it started (${record.started.toISOString()}); give the times in order. ${NOTHING}`,
    );
  let parameters: string;
  try {
    parameters = JSON.stringify(plainObject(record.parameters, 'parameters'), (name, value) => {
      if (typeof value === 'number' && !Number.isFinite(value))
        throw new Error(
          `The run's parameter ${name} is ${value}; parameters must be finite numbers, texts or flags. ${NOTHING}`,
        );
      return value;
    });
  } catch (error) {
    if (error instanceof Error && error.message.endsWith(NOTHING)) throw error;
    throw new Error(`The run's parameters cannot be written as JSON (${(error as Error).message}). ${NOTHING}`);
  }
  const input = record.input;
  if (input !== undefined && input !== null) {
    if (typeof input.path !== 'string' || input.path === '')
      throw new Error(`The run's input file has no path; give the path it was read from. ${NOTHING}`);
    if (!Number.isSafeInteger(input.size) || input.size < 0)
      throw new Error(
        `The run's input file ${input.path} has the size ${input.size}; give its size in bytes. ${NOTHING}`,
      );
    if (typeof input.hash !== 'string' || !/^[0-9a-f]{64}$/.test(input.hash))
      throw new Error(
        `The run's input file ${input.path} has the hash ${JSON.stringify(input.hash)}; give its SHA-256 as 64 lower-case hex digits. ${NOTHING}`,
      );
  }
  const merits = numbersByName(record.merits ?? {}, 'figures of merit', { nullable: true, nonNegative: false });
  const steps = numbersByName(record.stepSeconds ?? {}, 'step times', { nullable: false, nonNegative: true });
  const clustering = record.clustering ?? null;
  if (clustering !== null) checkClustering(clustering);
  return { parameters, merits: JSON.stringify(merits), steps: JSON.stringify(steps), clustering };
}

/** Refuse a clustering that cannot be kept (see {@link RunClustering}). */
function checkClustering(clustering: RunClustering): void {
  const { method, trackIds, clusterIds, names } = clustering;
  if (typeof method !== 'string' || method.trim() === '')
    throw new Error(`The run's clustering has no method; name what made it, such as "k-means". ${NOTHING}`);
  if (trackIds.length === 0 || trackIds.length !== clusterIds.length)
    throw new Error(
      `The run's clustering has ${trackIds.length} track ids and ${clusterIds.length} cluster ids; give one cluster for each of at least one track. ${NOTHING}`,
    );
  const seen = new Set<string>();
  let largest = 0;
  for (let i = 0; i < trackIds.length; i++) {
    const id = trackIds[i];
    if (typeof id !== 'string' || id === '')
      throw new Error(
        `Track ${i} of the run's clustering has the id ${JSON.stringify(id)}; every track needs its track_id. ${NOTHING}`,
      );
    if (seen.has(id))
      throw new Error(`The track ${id} appears twice in the run's clustering; list each track once. ${NOTHING}`);
    seen.add(id);
    const cluster = clusterIds[i];
    if (!Number.isInteger(cluster) || cluster < 0 || cluster > 2 ** 31 - 1)
      throw new Error(`The track ${id} is in cluster ${cluster}; clusters are whole numbers from 0. ${NOTHING}`);
    largest = Math.max(largest, cluster);
  }
  if (names !== undefined) {
    if (names.length <= largest)
      throw new Error(
        `The run's clustering names ${names.length} clusters, but its tracks are in clusters up to ${largest}; name every cluster. ${NOTHING}`,
      );
    const blank = names.findIndex((name) => typeof name !== 'string' || name.trim() === '');
    if (blank >= 0)
      throw new Error(`Cluster ${blank} of the run's clustering has no name; name every cluster. ${NOTHING}`);
  }
}

/** A Date as DuckDB's TIMESTAMP text, in UTC. */
const timestamp = (when: Date): string => when.toISOString().replace('T', ' ').replace('Z', '');

/**
 * Record a run: one `run` row (its id one more than any kept run's) and its clustering in
 * `run_assignment`, then drop the oldest runs beyond `keep`, all in one transaction. A run of
 * notebook 01 with an input file also records that file as the stored tracks' source, which the
 * runs of the later notebooks take as their input. Every value is checked first (see
 * {@link RunRecord}); a refused record is one sentence and leaves the database as it was, and so
 * is a database that is not the project's. An older database of the project's gets the run tables.
 * @param keep how many runs to keep at most, this one included (RUNS_KEPT)
 * @example
 * await storeRun(DB_NAME, { notebook: '03', started, finished: new Date(), parameters: { K: 8 },
 *   merits: { inertia: 41234.5 }, clustering: { method: 'k-means', trackIds: ids, clusterIds: labels } }, 20)
 * // { id: 7, kept: 7, dropped: [] }
 */
export async function storeRun(path: string, record: RunRecord, keep: number): Promise<StoredRun> {
  const checked = checkRecord(record, keep);
  await readDatabase(path, async () => undefined); // another program's, newer or damaged: refused before any write
  return withDatabase(path, (connection) =>
    inTransaction(connection, async () => {
      await upgradeDatabase(connection, path);
      const [[last]] = (await connection.runAndReadAll('SELECT coalesce(max(id), 0) FROM run')).getRows();
      const id = Number(last) + 1;
      let input = record.input;
      if (input === undefined) {
        const [source] = (
          await connection.runAndReadAll('SELECT value FROM project_metadata WHERE key = $1', [TRACK_SOURCE_KEY])
        ).getRows();
        input = source === undefined ? null : (JSON.parse(String(source[0])) as RunInput);
      }
      const { clustering } = checked;
      await connection.run(
        `INSERT INTO run VALUES ($1, $2, $3::TIMESTAMP, $4::TIMESTAMP, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          id,
          record.notebook,
          timestamp(record.started),
          timestamp(record.finished),
          checked.parameters,
          input?.path ?? null,
          input === null ? null : BigInt(input.size),
          input?.hash ?? null,
          record.projectVersion ?? null,
          checked.merits,
          checked.steps,
          clustering?.method ?? null,
          clustering?.names === undefined ? null : JSON.stringify(clustering.names),
        ],
      );
      if (clustering !== null) {
        const appender = await connection.createAppender('run_assignment');
        try {
          for (let i = 0; i < clustering.trackIds.length; i++) {
            appender.appendInteger(id);
            appender.appendVarchar(clustering.trackIds[i]);
            appender.appendInteger(clustering.clusterIds[i]);
            appender.endRow();
          }
          appender.flushSync();
        } finally {
          appender.closeSync();
        }
      }
      if (record.notebook === '01' && record.input) {
        await connection.run('INSERT OR REPLACE INTO project_metadata VALUES ($1, $2)', [
          TRACK_SOURCE_KEY,
          JSON.stringify({ path: record.input.path, size: record.input.size, hash: record.input.hash }),
        ]);
      }
      const dropped = (await connection.runAndReadAll('SELECT id FROM run ORDER BY id DESC OFFSET $1', [keep]))
        .getRows()
        .map(([old]) => Number(old))
        .sort((a, b) => a - b);
      if (dropped.length > 0) {
        await connection.run(`DELETE FROM run_assignment WHERE run_id IN (${dropped.join(', ')})`);
        await connection.run(`DELETE FROM run WHERE id IN (${dropped.join(', ')})`);
      }
      return { id, kept: await countRows(connection, 'run'), dropped };
    }),
  );
}

/** A JSON text of the run table, or `fallback` for NULL. */
function parsed<T>(text: unknown, fallback: T): T {
  return text === null || text === undefined ? fallback : (JSON.parse(String(text)) as T);
}

/**
 * The kept runs, oldest first (none for a database without the run tables, such as one written
 * before schema version 4). Reads only.
 * @example (await readRuns(DB_NAME)).map((run) => [run.id, run.notebook, run.merits.inertia]) // [[1, '01', undefined], [2, '03', 41234.5]]
 */
export async function readRuns(path: string): Promise<Run[]> {
  return readDatabase(path, async (connection, state) => {
    if (!state.tables.includes('run')) return [];
    const counted = state.tables.includes('run_assignment')
      ? '(SELECT count(*) FROM run_assignment a WHERE a.run_id = r.id)'
      : '0';
    const rows = (
      await connection.runAndReadAll(`SELECT r.*, ${counted} AS tracks FROM run r ORDER BY r.id`)
    ).getRowObjectsJS();
    return rows.map((row) => {
      const started = row.started as Date;
      const finished = row.finished as Date;
      return {
        id: Number(row.id),
        notebook: String(row.notebook),
        started,
        finished,
        seconds: (finished.getTime() - started.getTime()) / 1000,
        parameters: parsed(row.parameters, {}),
        input:
          row.input_path === null
            ? null
            : { path: String(row.input_path), size: Number(row.input_size), hash: String(row.input_hash) },
        projectVersion: row.project_version === null ? null : String(row.project_version),
        merits: parsed(row.merits, {}),
        stepSeconds: parsed(row.step_seconds, {}),
        clustering: row.clustering === null ? null : String(row.clustering),
        clusterNames: parsed(row.cluster_names, null),
        tracks: Number(row.tracks),
      };
    });
  });
}

/**
 * The clustering a kept run recorded: its tracks and their clusters, in track id order. A run that
 * is not kept, or kept no clustering, is refused with a sentence naming it.
 * @example (await readRunAssignments(DB_NAME, 7)).trackIds.length // 10000
 */
export async function readRunAssignments(
  path: string,
  id: number,
): Promise<{ trackIds: string[]; clusterIds: Int32Array }> {
  return readDatabase(path, async (connection, state) => {
    const rows = state.tables.includes('run_assignment')
      ? (
          await connection.runAndReadAll(
            'SELECT track_id, cluster_id FROM run_assignment WHERE run_id = $1 ORDER BY track_id',
            [id],
          )
        ).getRows()
      : [];
    if (rows.length === 0)
      throw new DatabaseError(
        `The database ${path} keeps no clustering of run ${id} (the run is not kept, or its notebook clusters nothing); choose a run of notebook 02 or 03 that notebook 05's table lists.`,
      );
    return { trackIds: rows.map(([track]) => String(track)), clusterIds: Int32Array.from(rows, ([, c]) => Number(c)) };
  });
}
