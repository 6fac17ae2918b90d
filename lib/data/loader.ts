/**
 * Load SpotifyFeatures.csv through DuckDB's CSV reader (`read_csv` with `store_rejects`,
 * https://duckdb.org/docs/data/csv/reading_faulty_csv_files), refusing or repairing what real
 * copies of the file get wrong (docs/DATA.md lists every case). The file is read into a staging
 * table with typed numeric columns; the rows DuckDB cannot read (wrong number of fields, a stray
 * quote, a value that is not a number) land in its rejects table with their byte offsets; then the
 * checks and repairs run as SQL over the staged columns: numbers outside their domain, unknown
 * key/mode/time_signature, spreadsheet dates in time_signature (lib/data/time-signature.ts), unnamed
 * index and trailing-comma columns, new genres. What the result is: the temporary table
 * `spotify_rows` (the file's complete rows, in file order, `rowid` their order), ready for
 * `track` to be filled by SQL (lib/data/load-tracks.ts). What stays in JavaScript: the checks before
 * parsing (encoding, empty, binary: lib/data/csv-checks.ts, on the head and one pass over the bytes
 * that never holds the whole file: lib/data/csv-file.ts), the header (lib/data/csv-header.ts), the
 * rules for numbers (lib/data/csv-numbers.ts), and the line numbers messages name
 * (lib/data/csv-lines.ts; DuckDB's leave out line breaks inside quotes and it gives none for the rows
 * it reads), computed only when a message needs one.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DataFrame } from 'danfojs-node';
import { checkFileKind, checkNotEmptyFrom, lineOfByte, refuseNotUtf8, SpotifyCsvError } from './csv-checks';
import { ByteScan, CsvBytes } from './csv-file';
import { numberProblem, numbersSettledByStatistics } from './csv-numbers';
import { readRecordAt, StagedLines } from './csv-lines';
import { HeaderColumn, readHeader } from './csv-header';
import { COLUMN_TYPES, FrameColumn, frameFromColumns } from './frame';
import { CLOSED_CATEGORIES, ColumnKind, GENRES, NUMERIC_DOMAINS } from './schema';
import { repairTimeSignature } from './time-signature';

/** The values of a loaded file, column by column. */
export interface TrackTable {
  /** Column names in file order (the 18 of the schema, then any extra ones). */
  names: string[];
  /** How each column was parsed. */
  kinds: ColumnKind[];
  /** One array per column, in `names` order: a Float64Array for a numeric column, strings for a text one. */
  columns: FrameColumn[];
  /** One array per row, values in column order (made from `columns` each time it is read). */
  readonly rows: (string | number)[][];
}

/** What the loader did to the file besides reading it. */
export interface LoadReport {
  /** The file read (or `<text>`). */
  source: string;
  /** Data rows in the file, skipped ones included. */
  rowsInFile: number;
  /** Rows loaded. */
  rows: number;
  /** Lines of the rows skipped because they had the wrong number of fields or an empty number. */
  skippedLines: number[];
  /** How many `time_signature` values were spreadsheet dates turned back into `n/4`. */
  repairedTimeSignatures: number;
  /** Columns beyond the 18 of the schema, kept in the frame. */
  extraColumns: string[];
  /** Unnamed header columns that were dropped (1-based positions in the header). */
  droppedColumns: number[];
  /** The file started with a UTF-8 byte-order mark. */
  hadByteOrderMark: boolean;
  /** The file had CRLF line endings. */
  hadCrlf: boolean;
  /** One sentence per thing the reader should know (repairs, skipped rows, extra columns). */
  warnings: string[];
}

/** A loaded file: the frame the notebooks use, and the report of what the loader did. */
export interface LoadedTracks {
  df: DataFrame;
  report: LoadReport;
}

/** A file staged in DuckDB: the temporary table `spotify_rows`, its columns, and the report. */
export interface StagedCsv {
  /** Column names of `spotify_rows` in file order (the 18 of the schema, then any extra ones). */
  names: string[];
  kinds: ColumnKind[];
  report: LoadReport;
}

/** The table `stageSpotifyCsv` leaves in the connection (temporary: gone when it closes). */
export const STAGED_TABLE = 'spotify_rows';

const REPLACEMENT_CHARACTER = Buffer.from('\uFFFD', 'utf8');
const QUOTE_HOW_TO =
  'Fix the quote on that line (a quote inside a field is written twice, "", and such a field is put in quotes).';

const plural = (count: number, word: string, many = `${word}s`): string =>
  `${count.toLocaleString('en-US')} ${count === 1 ? word : many}`;

function describeExamples(examples: { value: string; line: number }[]): string {
  const [first, ...rest] = examples;
  return (
    `such as ${JSON.stringify(first.value)} on line ${first.line}` +
    (rest.length ? ` (also ${rest.map((e) => `${JSON.stringify(e.value)} on line ${e.line}`).join(', ')})` : '')
  );
}

const sqlString = (value: string): string => `'${value.replace(/'/g, "''")}'`;
const sqlList = (values: readonly string[]): string => values.map(sqlString).join(', ');

async function rowsOf(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await connection.runAndReadAll(sql)).getRows() as unknown[][];
}

/**
 * Read CSV bytes (written at `file`: the file's own bytes, or a {@link CsvBytes} that reads them as
 * needed) into the temporary table `spotify_rows` of `connection`, checking and repairing as the
 * file header says. Throws a `SpotifyCsvError` for a file it cannot use; nothing but temporary
 * tables is written, and a refused file leaves none of them behind.
 */
export async function stageSpotifyCsv(
  connection: DuckDBConnection,
  file: string,
  bytes: Buffer | CsvBytes,
  source: string,
): Promise<StagedCsv> {
  const input = bytes instanceof CsvBytes ? bytes : CsvBytes.fromBuffer(bytes);
  const head = input.head;
  checkNotEmptyFrom(head, () => input.whole(), source);
  checkFileKind(head, source);
  const scan = input.scan();
  if (!scan.utf8) refuseNotUtf8(input.whole(), source);
  const hadByteOrderMark = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const start = hadByteOrderMark ? 3 : 0;
  const headerInHead = input.headIsWhole || readRecordAt(head, start, 1).next < head.length;
  const header = readHeader(headerInHead ? head : input.whole(), start, source);
  await connection.run('DROP TABLE IF EXISTS spotify_csv_rejects; DROP TABLE IF EXISTS spotify_csv_scans');
  await connection.run(`DROP TABLE IF EXISTS ${STAGED_TABLE}`);
  try {
    return await stageChecked(connection, file, input, source, header, hadByteOrderMark, scan);
  } catch (error) {
    await connection.run(`DROP TABLE IF EXISTS ${STAGED_TABLE}`);
    throw error;
  } finally {
    await connection.run('DROP TABLE IF EXISTS spotify_csv_rejects; DROP TABLE IF EXISTS spotify_csv_scans');
  }
}

/** The read and the checks of {@link stageSpotifyCsv}, once the bytes and the header have passed. */
async function stageChecked(
  connection: DuckDBConnection,
  file: string,
  input: CsvBytes,
  source: string,
  { columns, extraColumns, trailingUnnamed }: ReturnType<typeof readHeader>,
  hadByteOrderMark: boolean,
  scan: ByteScan,
): Promise<StagedCsv> {
  const width = columns.length;
  const quoted = (c: HeaderColumn): string => `"${c.name.replace(/"/g, '""')}"`;
  const numeric = columns.filter((c) => !c.unnamed && c.kind !== 'text');
  const text = columns.filter((c) => c.unnamed || c.kind === 'text');
  const types = columns.map((c) => `${sqlString(c.name)}: '${c.kind === 'text' ? 'VARCHAR' : 'DOUBLE'}'`).join(', ');
  try {
    await connection.run(
      `CREATE TEMP TABLE ${STAGED_TABLE} AS SELECT * FROM read_csv(${sqlString(file)}, header = true, auto_detect = false,
        columns = {${types}}, delim = ',', quote = '"', escape = '"', nullstr = '',
        force_not_null = [${sqlList(text.map((c) => c.name))}], store_rejects = true,
        rejects_table = 'spotify_csv_rejects', rejects_scan = 'spotify_csv_scans'` +
        // DuckDB pads short rows only when reading on one thread; needed only for a trailing comma in the header
        (trailingUnnamed ? ', null_padding = true, parallel = false)' : ')'),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new SpotifyCsvError(`${source} could not be read as CSV (${message}). Is it really SpotifyFeatures.csv?`);
  }
  const lines = new StagedLines(input);
  const skippedLines: number[] = [];

  // 1. The records DuckDB could not read, in file order: a stray quote is refused, a row with the
  // wrong number of fields skipped, a value that is not a number refused (or skipped when it says "missing").
  const rejects = await rowsOf(
    connection,
    `SELECT line_byte_position, min(byte_position), min(column_idx) FILTER (WHERE error_type = 'CAST'),
       bool_or(error_type <> 'CAST') FROM spotify_csv_rejects GROUP BY line_byte_position ORDER BY 1`,
  );
  const rejectedLines: number[] = [];
  const bytes = rejects.length ? input.whole() : input.head;
  let line = 1;
  let lineStart = 0;
  for (const [position, , castColumn, structural] of rejects) {
    let at = Number(position);
    while (at < bytes.length && (bytes[at] === 10 || bytes[at] === 13)) at++;
    for (let next = bytes.indexOf(10, lineStart); next >= 0 && next < at; next = bytes.indexOf(10, lineStart)) {
      line++;
      lineStart = next + 1;
    }
    const record = readRecordAt(bytes, lineStart, line);
    rejectedLines.push(line);
    if (record.swallowed > 0 && record.unterminated) {
      throw new SpotifyCsvError(
        `${source}, line ${record.quoteLine}: a quote (") opens a field that never closes, so everything after it up to the end of the file would be one value. ${QUOTE_HOW_TO}`,
      );
    }
    const complete = record.fields.length <= width && (record.fields.length === width || trailingUnnamed);
    if (record.swallowed > 0 && record.quoteLine > 0 && !complete) {
      const swallowed = record.swallowed;
      throw new SpotifyCsvError(
        `${source}, line ${record.quoteLine}: a quote (") opens a field that does not close on that line, so the ${plural(swallowed, 'line')} after it ${swallowed === 1 ? 'was' : 'were'} read into one row of ${record.fields.length} fields instead of ${width}. ${QUOTE_HOW_TO}`,
      );
    }
    if (structural || castColumn === null) {
      skippedLines.push(line);
      continue;
    }
    let skip = false;
    for (let f = 0; f < width && !skip; f++) {
      const column = columns[f];
      if (column.unnamed || column.kind === 'text') continue;
      const problem = numberProblem(record.fields[f] ?? '', column.name, column.kind);
      if (problem === 'missing') skip = true;
      else if (problem !== null)
        throw new SpotifyCsvError(`${source}, line ${line}: ${problem}. Fix or delete that line.`);
    }
    skippedLines.push(line);
  }
  lines.setRejected(rejectedLines);

  // 2. The rows DuckDB read: empty numbers skip the row; other bad values are refused with their line.
  const missing = numeric.map((c) => `${quoted(c)} IS NULL OR isnan(${quoted(c)})`).join(' OR ') || 'false';
  const problems: { column: HeaderColumn; where: string }[] = [];
  for (const c of numeric) {
    const domain = NUMERIC_DOMAINS[c.name] ?? { min: -Number.MAX_VALUE, max: Number.MAX_VALUE };
    let where = `NOT isfinite(${quoted(c)}) OR ${quoted(c)} < ${domain.min} OR ${quoted(c)} > ${domain.max}`;
    if (c.kind === 'integer') where += ` OR ${quoted(c)} <> round(${quoted(c)})`;
    problems.push({ column: c, where });
  }
  const trackId = columns.find((c) => c.name === 'track_id')!;
  const timeSignature = columns.find((c) => c.name === 'time_signature')!;
  const emptyId = `trim(${quoted(trackId)}) = ''`;
  // one pass of cheap aggregates for a clean file (min, max, counts, the distinct values of the
  // listed columns); the rows behind anything unusual are looked up only then
  const listedNames = [...Object.keys(CLOSED_CATEGORIES), 'genre'];
  const integers = numeric.filter((c) => c.kind === 'integer');
  const integerCheck = integers.map((c) => `${quoted(c)} <> round(${quoted(c)})`).join(' OR ') || 'false';
  // the table's own statistics (bounds DuckDB keeps as it writes; free to read) settle the numbers of
  // a clean file; only when they do not (a missing, infinite or out-of-range value, or statistics
  // this code cannot read) are the numbers aggregated
  const settled = numeric.length > 0 && (await numbersSettledByStatistics(connection, STAGED_TABLE, numeric));
  const numberAggregates = settled ? [] : numeric;
  const [summary] = await rowsOf(
    connection,
    `SELECT count(*), min(${quoted(trackId)}),
       ${numberAggregates.map((c) => `count(${quoted(c)}), min(${quoted(c)}), max(${quoted(c)}),`).join(' ')}
       bool_or(${integerCheck}),
       ${listedNames.map((name) => `list(DISTINCT ${quoted(columns.find((c) => c.name === name)!)})`).join(', ')}
     FROM ${STAGED_TABLE}`,
  );
  const stagedCount = Number(summary[0]);
  let suspect = summary[1] !== null && String(summary[1]) < '!'; // '' or leading blanks: maybe a blank id
  let anyMissing = false;
  numberAggregates.forEach((c, k) => {
    const [count, low, high] = summary
      .slice(2 + 3 * k, 5 + 3 * k)
      .map((value) => (value === null ? NaN : Number(value)));
    const domain = NUMERIC_DOMAINS[c.name] ?? { min: -Number.MAX_VALUE, max: Number.MAX_VALUE };
    if (count < stagedCount || Number.isNaN(high)) anyMissing = true;
    if (!(low >= domain.min && high <= domain.max)) suspect = true;
  });
  if (summary[2 + 3 * numberAggregates.length] === true) suspect = true;
  const distinctValues = Object.fromEntries(
    listedNames.map((name, k) => [
      name,
      ((summary[3 + 3 * numberAggregates.length + k] as { items: unknown[] } | null)?.items ?? []).map(String),
    ]),
  );
  const missingCount = anyMissing
    ? Number((await rowsOf(connection, `SELECT count(*) FROM ${STAGED_TABLE} WHERE ${missing}`))[0][0])
    : 0;
  const stats = !suspect
    ? [null, null, ...problems.map(() => null), null]
    : (
        await rowsOf(
          connection,
          `SELECT 0, 0, ${problems.map((p) => `min(rowid) FILTER (WHERE NOT (${missing}) AND (${p.where}))`).join(', ')},
               min(rowid) FILTER (WHERE NOT (${missing}) AND ${emptyId}) FROM ${STAGED_TABLE}`,
        )
      )[0];
  const firstProblem = problems
    .map((p, k) => ({ ...p, row: stats[2 + k] === null ? Infinity : Number(stats[2 + k]) }))
    .concat([
      {
        column: trackId,
        where: '',
        row: stats[2 + problems.length] === null ? Infinity : Number(stats[2 + problems.length]),
      },
    ])
    .reduce((best, p) =>
      p.row < best.row || (p.row === best.row && p.column.position < best.column.position) ? p : best,
    );
  if (firstProblem.row !== Infinity) {
    const at = lines.ofRow(firstProblem.row);
    const raw = lines.fieldOfRow(firstProblem.row, firstProblem.column.position - 1);
    if (firstProblem.column === trackId) {
      const what = raw === '' ? 'is empty' : `holds only spaces (${JSON.stringify(raw)})`;
      throw new SpotifyCsvError(
        `${source}, line ${at}: the column 'track_id' ${what}, but every track needs an id (the key of the stored track table). Fix or delete that line.`,
      );
    }
    const problem = numberProblem(raw, firstProblem.column.name, firstProblem.column.kind);
    throw new SpotifyCsvError(
      `${source}, line ${at}: ${problem ?? 'a value is not a number'}. Fix or delete that line.`,
    );
  }
  if (missingCount > 0) {
    for (const [row] of await rowsOf(connection, `SELECT rowid FROM ${STAGED_TABLE} WHERE ${missing} ORDER BY rowid`))
      skippedLines.push(lines.ofRow(Number(row)));
    skippedLines.sort((a, b) => a - b);
  }
  const rowsInFile = stagedCount + rejectedLines.length;
  if (rowsInFile === 0)
    throw new SpotifyCsvError(
      `${source} has a header but no data rows. Point SPOTIFY_CSV at a copy of SpotifyFeatures.csv with its data (see the README).`,
    );

  // 3. Closed lists (key, mode, time_signature, after repairing spreadsheet dates) and genres.
  const complete = `NOT (${missing})`;
  const unlisted = (name: string, known: readonly string[]): string[] =>
    distinctValues[name].filter((value) => !known.includes(value));
  const repairs = new Map<string, string>();
  for (const value of unlisted('time_signature', CLOSED_CATEGORIES.time_signature)) {
    const fixed = repairTimeSignature(value);
    if (fixed !== null && CLOSED_CATEGORIES.time_signature.includes(fixed)) repairs.set(value, fixed);
  }
  const unknownOf = async (name: string, known: readonly string[]) => {
    const c = quoted(columns.find((column) => column.name === name)!);
    const where = `${complete} AND ${c} NOT IN (${sqlList(known)})`;
    const [[count]] = await rowsOf(connection, `SELECT count(*) FROM ${STAGED_TABLE} WHERE ${where}`);
    if (Number(count) === 0) return null;
    const examples = (
      await rowsOf(connection, `SELECT rowid, ${c} FROM ${STAGED_TABLE} WHERE ${where} ORDER BY rowid LIMIT 5`)
    ).map(([row, value]) => ({ value: String(value), line: lines.ofRow(Number(row)) }));
    return { count: Number(count), examples };
  };
  for (const name of Object.keys(CLOSED_CATEGORIES)) {
    const known = name === 'time_signature' ? [...CLOSED_CATEGORIES[name], ...repairs.keys()] : CLOSED_CATEGORIES[name];
    if (unlisted(name, known).length === 0) continue;
    const values = await unknownOf(name, known);
    if (values === null) continue;
    throw new SpotifyCsvError(
      `${source}: the column '${name}' holds ${plural(values.count, 'value')} that ${values.count === 1 ? 'is' : 'are'} not one of ${CLOSED_CATEGORIES[name].join(', ')}, ${describeExamples(values.examples)}; ` +
        `they would become categories of their own in the clustering. Fix ${values.count === 1 ? 'that line' : 'those lines'}` +
        (name === 'time_signature'
          ? ' (a spreadsheet may have turned time signatures into dates: re-export without that, or write them as 4/4, 3/4 …)'
          : '') +
        '.',
    );
  }

  // 4. Unnamed columns: dropped when empty or row numbers, refused when they hold anything else.
  const warnings: string[] = [];
  const droppedColumns: number[] = [];
  for (const column of columns.filter((c) => c.unnamed)) {
    const c = `trim(coalesce(${quoted(column)}, ''))`;
    const [[filled, other]] = await rowsOf(
      connection,
      `SELECT min(rowid) FILTER (WHERE ${c} <> ''), min(rowid) FILTER (WHERE ${c} <> '' AND NOT regexp_full_match(${c}, '[0-9]+'))
       FROM ${STAGED_TABLE} WHERE ${complete}`,
    );
    if (filled === null)
      warnings.push(
        `Dropped column ${column.position} of the header, which has no name and no values (a trailing comma?).`,
      );
    else if (other === null)
      warnings.push(
        `Dropped column ${column.position} of the header, which has no name and holds row numbers (an index column written by pandas?).`,
      );
    else {
      const [[value]] = await rowsOf(connection, `SELECT ${c} FROM ${STAGED_TABLE} WHERE rowid = ${Number(filled)}`);
      throw new SpotifyCsvError(
        `${source}: column ${column.position} of the header has no name but holds values, such as ${JSON.stringify(String(value))} on line ${lines.ofRow(Number(filled))}. Give it a name in the header (it is then kept as an extra column) or delete it.`,
      );
    }
    droppedColumns.push(column.position);
  }

  // 5. The complete rows, repaired, in file order: the staging table itself (a copy of it would
  // cost as much as reading the file)
  const rows = stagedCount - missingCount;
  if (rows === 0)
    throw new SpotifyCsvError(
      `${source} has no complete row: all ${rowsInFile} data rows have the wrong number of fields or empty numbers. Is it really SpotifyFeatures.csv?`,
    );
  const genres = unlisted('genre', GENRES).length ? await unknownOf('genre', GENRES) : null;
  let repaired = 0;
  if (repairs.size) {
    const ts = quoted(timeSignature);
    const dates = `${ts} IN (${sqlList([...repairs.keys()])})`;
    repaired = Number(
      (await rowsOf(connection, `SELECT count(*) FROM ${STAGED_TABLE} WHERE ${complete} AND ${dates}`))[0][0],
    );
    const cases = [...repairs].map(([from, to]) => `WHEN ${sqlString(from)} THEN ${sqlString(to)}`).join(' ');
    await connection.run(`UPDATE ${STAGED_TABLE} SET ${ts} = CASE ${ts} ${cases} END WHERE ${dates}`);
  }
  if (missingCount > 0) await connection.run(`DELETE FROM ${STAGED_TABLE} WHERE ${missing}`);
  for (const column of columns.filter((c) => c.unnamed))
    await connection.run(`ALTER TABLE ${STAGED_TABLE} DROP COLUMN ${quoted(column)}`);
  const kept = columns.filter((c) => !c.unnamed);

  if (skippedLines.length) {
    const shown =
      skippedLines.slice(0, 10).join(', ') + (skippedLines.length > 10 ? ` and ${skippedLines.length - 10} more` : '');
    warnings.push(
      `Skipped ${skippedLines.length} incomplete row${skippedLines.length > 1 ? 's' : ''} (wrong number of fields or an empty number) on line${skippedLines.length > 1 ? 's' : ''} ${shown}.`,
    );
  }
  if (repaired)
    warnings.push(
      `Repaired ${repaired} time_signature value${repaired > 1 ? 's' : ''} that a spreadsheet had turned into dates (such as 4-Apr) back into n/4.`,
    );
  if (genres)
    warnings.push(
      `Kept ${plural(genres.count, 'row')} whose genre is not one of the 27 of SpotifyFeatures.csv, ${describeExamples(genres.examples)}; each such label is a genre of its own.`,
    );
  if (extraColumns.length)
    warnings.push(
      `Kept ${extraColumns.length} extra column${extraColumns.length > 1 ? 's' : ''} not in the schema: ${extraColumns.join(', ')} (stored with the tracks, not used for clustering).`,
    );
  const replacement = scan.replacement ? input.whole().indexOf(REPLACEMENT_CHARACTER) : -1;
  if (replacement >= 0) {
    const bytes = input.whole();
    let count = 0;
    for (let at = replacement; at >= 0; at = bytes.indexOf(REPLACEMENT_CHARACTER, at + 3)) count++;
    warnings.push(
      `The file holds the replacement character \uFFFD ${plural(count, 'time')}, first on line ${lineOfByte(bytes, replacement)}: a sign that an earlier program read it in the wrong encoding and lost those characters.`,
    );
  }
  return {
    names: kept.map((c) => c.name),
    kinds: kept.map((c) => c.kind),
    report: {
      source,
      rowsInFile,
      rows,
      skippedLines,
      repairedTimeSignatures: repaired,
      extraColumns,
      droppedColumns,
      hadByteOrderMark,
      hadCrlf: scan.crlf,
      warnings,
    },
  };
}

/** Refuse a path that is no file, saying where the real one goes. */
function checkPath(path: string): void {
  if (!existsSync(path)) {
    throw new SpotifyCsvError(
      `There is no file at ${path}. Download SpotifyFeatures.csv from Kaggle ("Spotify Tracks DB") into data/, or set SPOTIFY_CSV to its path (see the README).`,
    );
  }
  if (statSync(path).isDirectory())
    throw new SpotifyCsvError(
      `${path} is a folder, not a CSV file. Set SPOTIFY_CSV to the path of SpotifyFeatures.csv.`,
    );
}

/**
 * Stage the CSV file at `path` in `connection` (see {@link stageSpotifyCsv}), its bytes checked first.
 * @example const { report } = await stageSpotifyFile(connection, 'data/SpotifyFeatures.sample.csv');
 */
export async function stageSpotifyFile(connection: DuckDBConnection, path: string): Promise<StagedCsv> {
  checkPath(path);
  return stageSpotifyCsv(connection, path, CsvBytes.fromFile(path), path);
}

/** The staged rows as columns: a Float64Array per numeric column, strings per text column. */
export async function stagedTable(connection: DuckDBConnection, staged: StagedCsv): Promise<TrackTable> {
  const reader = await connection.runAndReadAll(`SELECT * FROM ${STAGED_TABLE}`);
  const columns: FrameColumn[] = reader
    .getColumns()
    .map((values, c) =>
      staged.kinds[c] === 'text' ? (values as string[]) : Float64Array.from(values as number[], Number),
    );
  return {
    names: staged.names,
    kinds: staged.kinds,
    columns,
    get rows() {
      const count = columns.length ? columns[0].length : 0;
      return Array.from({ length: count }, (_, r) => columns.map((column) => column[r] as string | number));
    },
  };
}

/** Run `work` with a connection to a new in-memory DuckDB database, closed afterwards. */
async function withMemoryDb<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * Parse CSV bytes (as `readFileSync(path)` gives them) into columns, through DuckDB (the bytes are
 * written to a temporary file for its reader).
 * @example (await parseSpotifyBytes(readFileSync('data/SpotifyFeatures.sample.csv'))).table.rows.length // 20000
 */
export async function parseSpotifyBytes(
  bytes: Buffer,
  source = 'The CSV text',
): Promise<{ table: TrackTable; report: LoadReport }> {
  // stageSpotifyCsv checks the bytes (empty, binary, not UTF-8) before DuckDB reads the file
  const dir = mkdtempSync(join(tmpdir(), 'spotify-csv-'));
  try {
    const file = join(dir, 'input.csv');
    writeFileSync(file, bytes);
    return await withMemoryDb(async (connection) => {
      const staged = await stageSpotifyCsv(connection, file, bytes, source);
      return { table: await stagedTable(connection, staged), report: staged.report };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Parse the text of SpotifyFeatures.csv into columns (through its UTF-8 bytes, like a file: a lone
 * surrogate, which no decoded file holds, reads as U+FFFD).
 * @example (await parseSpotifyCsv(readFileSync('data/SpotifyFeatures.sample.csv', 'utf8'))).table.rows.length // 20000
 */
export async function parseSpotifyCsv(
  text: string,
  source = 'The CSV text',
): Promise<{ table: TrackTable; report: LoadReport }> {
  return parseSpotifyBytes(Buffer.from(text, 'utf8'), source);
}

/**
 * A danfojs DataFrame of a table, built from its columns (see lib/data/frame.ts: the frame makes
 * danfojs' row arrays only when something asks for them). The columns become the frame's own.
 * @example tableToDataFrame((await parseSpotifyCsv(text)).table).shape // [20000, 18]
 */
export function tableToDataFrame(table: TrackTable): DataFrame {
  return frameFromColumns(
    table.columns,
    table.names,
    table.kinds.map((kind) => COLUMN_TYPES[kind].dtype),
  );
}

/**
 * Read SpotifyFeatures.csv (or a copy of it) into a DataFrame, with a report of what was repaired
 * or skipped. Throws a `SpotifyCsvError` that says what is wrong for a file it cannot use.
 * @example
 * const { df, report } = await loadSpotifyCsv('data/SpotifyFeatures.sample.csv');
 * df.shape // [20000, 18]
 * report.warnings // []
 */
export async function loadSpotifyCsv(path: string): Promise<LoadedTracks> {
  checkPath(path);
  return withMemoryDb(async (connection) => {
    const staged = await stageSpotifyCsv(connection, path, CsvBytes.fromFile(path), path);
    return { df: tableToDataFrame(await stagedTable(connection, staged)), report: staged.report };
  });
}
