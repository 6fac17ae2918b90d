/**
 * Notebook 01's steps in SQL: the file staged in an in-memory DuckDB database by the loader
 * (lib/data/loader.ts), its repeated `track_id`s dropped keeping the first row (pandas'
 * `drop_duplicates(subset=['track_id'], keep='first')`), the tracks with popularity above the
 * threshold written to `track` of the project's database by one `INSERT … SELECT`. Only what a
 * notebook shows or computes on comes into JavaScript: a few rows as danfojs frames, the popularity
 * column. Written here because the steps are the project's own; the reading is DuckDB's.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DataFrame } from 'danfojs-node';
import { inTransaction, quoteIdentifier } from './db-open';
import { checkBeforeWriting, replaceTracks, StoreReport } from './store';
import { COLUMN_TYPES, FrameColumn, frameFromColumns } from './frame';
import { LoadReport, STAGED_TABLE, stageSpotifyFile } from './loader';
import { ColumnKind } from './schema';

/** The staged rows (a temporary table; its rowid is their order in the file). */
const STAGED = `temp.main.${STAGED_TABLE}`;
/** The first row of each track id. */
const FIRST_OF_EACH_TRACK = `rowid IN (SELECT min(rowid) FROM ${STAGED} GROUP BY track_id)`;

/**
 * A loaded file held in an in-memory DuckDB database (no file is locked), with the steps of
 * notebook 01 on it. Close it when done (`close()`); the memory is freed then.
 * @example
 * const staged = await StagedTracks.load('data/SpotifyFeatures.sample.csv');
 * staged.report.rows // 20000
 * await staged.store('data/spotify.duckdb', 10) // { tracks: …, … }
 */
export class StagedTracks {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** Column names in file order (the 18 of the schema, then any extra ones). */
    readonly names: string[],
    readonly kinds: ColumnKind[],
    /** What the loader repaired, skipped or noticed. */
    readonly report: LoadReport,
  ) {}

  /** Load the CSV file at `path` (throws a `SpotifyCsvError` for a file it cannot use). */
  static async load(path: string): Promise<StagedTracks> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const staged = await stageSpotifyFile(connection, path);
      return new StagedTracks(instance, connection, staged.names, staged.kinds, staged.report);
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      throw error;
    }
  }

  private async frame(sql: string): Promise<DataFrame> {
    const reader = await this.connection.runAndReadAll(sql);
    const columns: FrameColumn[] = reader
      .getColumns()
      .map((values, c) => (this.kinds[c] === 'text' ? (values as string[]) : Float64Array.from(values as number[])));
    return frameFromColumns(
      columns,
      this.names,
      this.kinds.map((kind) => COLUMN_TYPES[kind].dtype),
    );
  }

  /** The first `count` rows of the file as a DataFrame. */
  head(count = 5): Promise<DataFrame> {
    return this.frame(`SELECT * FROM ${STAGED} ORDER BY rowid LIMIT ${Math.max(0, Math.floor(count))}`);
  }

  /** The rows of one track, in file order (all its genres; with `unique`, only the one kept). */
  rowsOfTrack(trackId: string, options: { unique?: boolean } = {}): Promise<DataFrame> {
    const id = `'${trackId.replace(/'/g, "''")}'`;
    const first = options.unique ? ` AND ${FIRST_OF_EACH_TRACK}` : '';
    return this.frame(`SELECT * FROM ${STAGED} WHERE track_id = ${id}${first} ORDER BY rowid`);
  }

  /** A track filed under several genres: `preferred` when it is one, else the first in file order; null when none. */
  async multiGenreTrackId(preferred?: string): Promise<string | null> {
    const rows = (
      await this.connection.runAndReadAll(
        `SELECT track_id, min(rowid) AS first FROM ${STAGED} GROUP BY track_id HAVING count(*) > 1
         ORDER BY track_id = $1 DESC, first LIMIT 1`,
        [preferred ?? ''],
      )
    ).getRows();
    return rows.length ? String(rows[0][0]) : null;
  }

  /** Distinct tracks (the rows left after dropping repeated track ids). */
  async uniqueCount(): Promise<number> {
    const reader = await this.connection.runAndReadAll(`SELECT count(DISTINCT track_id) FROM ${STAGED}`);
    return Number(reader.getRows()[0][0]);
  }

  /** Distinct tracks with popularity above `popularityMin`: the tracks `store` writes. */
  async keptCount(popularityMin: number): Promise<number> {
    // one aggregation: the popularity of each track's first row (not a join back to the rows)
    const reader = await this.connection.runAndReadAll(
      `SELECT count(*) FROM (SELECT arg_min(popularity, rowid) AS first FROM ${STAGED} GROUP BY track_id)
       WHERE first > ${Number(popularityMin)}`,
    );
    return Number(reader.getRows()[0][0]);
  }

  /** The popularity of each distinct track (the first row of each track id), in file order. */
  async popularity(): Promise<Float64Array> {
    const reader = await this.connection.runAndReadAll(
      `SELECT popularity FROM ${STAGED} WHERE ${FIRST_OF_EACH_TRACK} ORDER BY rowid`,
    );
    return Float64Array.from(reader.getColumns()[0] as number[]);
  }

  /**
   * Replace `track` of the database at `path` with the distinct tracks whose popularity is above
   * `popularityMin`, by SQL, in one transaction (see `storeTracks`: the clusterings that referred
   * to the old tracks go too). Nothing is written when no track is kept or the database is refused.
   */
  async store(path: string, popularityMin: number): Promise<StoreReport> {
    if (!Number.isFinite(popularityMin))
      throw new Error(`The popularity threshold must be a number, got ${popularityMin}.`);
    const kept = `FROM ${STAGED} WHERE ${FIRST_OF_EACH_TRACK} AND popularity > ${popularityMin}`;
    const count = await this.keptCount(popularityMin);
    if (count === 0) {
      throw new Error(
        'There are no tracks to store, and storing none would empty the track table and the clustering; the database was left as it was. Loosen the filter (POPULARITY_MIN) or check the input file.',
      );
    }
    await checkBeforeWriting(path);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const columns = this.names.map((name, c) => ({ name, kind: this.kinds[c] }));
    const values = columns
      .map((c) => (c.kind === 'integer' ? `CAST(${quoteIdentifier(c.name)} AS BIGINT)` : quoteIdentifier(c.name)))
      .join(', ');
    await this.connection.run(`ATTACH '${path.replace(/'/g, "''")}' AS project_db`);
    try {
      await this.connection.run('USE project_db');
      return await inTransaction(this.connection, () =>
        replaceTracks(this.connection, path, columns, async () => {
          await this.connection.run(`INSERT INTO track SELECT ${values} ${kept}`); // in file order, as DuckDB keeps it
          return count;
        }),
      );
    } finally {
      await this.connection.run('USE memory');
      await this.connection.run('DETACH project_db');
    }
  }

  /** Free the in-memory database. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
