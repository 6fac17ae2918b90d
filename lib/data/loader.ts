/**
 * Load SpotifyFeatures.csv into a danfojs-node DataFrame, refusing or repairing what real copies
 * of the file get wrong (see docs/DATA.md):
 *
 * - the header must hold all 18 columns (a byte-order mark is tolerated); a missing or misspelt
 *   column is an error that names it; extra columns are kept and reported;
 * - numbers may be written in scientific notation (`8.19E-06`); a value that is not a number in a
 *   numeric column is an error naming the column, the line and the value;
 * - `time_signature` values a spreadsheet turned into dates (`4-Apr`, `04-Apr`, `4-Mar` …) are
 *   turned back into `4/4`, `3/4` … and counted;
 * - a row with the wrong number of fields (a cut-off last line) or an empty value where a number
 *   belongs is skipped, with a warning naming its line; never a half-filled row;
 * - an empty file, or a file that is not CSV text, is refused with a sentence saying so.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { DataFrame } from 'danfojs-node';
import { fieldText, InternedField, parseNumberField, scanCsv } from './csv';
import { COLUMN_TYPES, FrameColumn, frameFromColumns } from './frame';
import { ColumnKind, SPOTIFY_COLUMNS, SPOTIFY_COLUMN_NAMES } from './schema';

/** An input file the loader refuses, with a sentence that says what is wrong and what to do. */
export class SpotifyCsvError extends Error {
  override name = 'SpotifyCsvError';
}

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

/**
 * Collects parsed rows into columns: a Float64Array per numeric column (grown by doubling) and an
 * array of strings per text column, so that no array per row is kept.
 */
class ColumnsBuilder {
  length = 0;
  private capacity = 1024;
  private readonly numbers: (Float64Array | null)[];
  private readonly texts: (string[] | null)[];

  constructor(private readonly kinds: readonly ColumnKind[]) {
    this.numbers = kinds.map((kind) => (kind === 'text' ? null : new Float64Array(this.capacity)));
    this.texts = kinds.map((kind) => (kind === 'text' ? [] : null));
  }

  /** Append one row (values in column order: numbers in numeric columns, strings in text ones). */
  push(row: readonly (string | number)[]): void {
    const r = this.length;
    if (r === this.capacity) this.grow();
    for (let c = 0; c < row.length; c++) {
      const numbers = this.numbers[c];
      if (numbers) numbers[r] = row[c] as number;
      else this.texts[c]!.push(row[c] as string);
    }
    this.length = r + 1;
  }

  private grow(): void {
    this.capacity *= 2;
    this.numbers.forEach((numbers, c) => {
      if (!numbers) return;
      const grown = new Float64Array(this.capacity);
      grown.set(numbers);
      this.numbers[c] = grown;
    });
  }

  /** The table of the rows pushed. */
  table(names: string[]): TrackTable {
    const columns: FrameColumn[] = this.kinds.map((_, c) => this.texts[c] ?? this.numbers[c]!.subarray(0, this.length));
    return {
      names, kinds: [...this.kinds], columns,
      get rows() {
        const count = columns.length ? columns[0].length : 0;
        return Array.from({ length: count }, (_, r) => columns.map((column) => column[r] as string | number));
      },
    };
  }
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

/** Text columns with a handful of distinct values, read without a new string per row. */
const LOW_CARDINALITY = new Set(['genre', 'key', 'mode', 'time_signature']);
const MISSING_NUMBERS = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A']);
const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const SPREADSHEET_DATE = /^\s*(\d{1,2})-([A-Za-z]{3})\s*$|^\s*([A-Za-z]{3})-(\d{1,2})\s*$/;

/**
 * Turn a spreadsheet date back into the time signature it came from. Every time signature in the
 * file has 4 as its denominator, so of the date's two numbers (day and month, in either order)
 * one is 4 and the other is the numerator: `4-Apr` → `4/4`, `3-Apr` and `4-Mar` → `3/4`,
 * `4-May` → `5/4`, `4-Jan` → `1/4`. Returns null when the value is not such a date.
 * @example repairTimeSignature('04-Apr') // '4/4'
 */
export function repairTimeSignature(value: string): string | null {
  const match = SPREADSHEET_DATE.exec(value);
  if (!match) return null;
  const day = Number(match[1] ?? match[4]);
  const month = MONTHS[(match[2] ?? match[3]).toLowerCase()];
  if (!month) return null;
  if (month === 4) return `${day}/4`;
  if (day === 4) return `${month}/4`;
  return null;
}

/** Levenshtein distance, to suggest the column a misspelt header meant. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

function refuseEmpty(source: string): never {
  throw new SpotifyCsvError(`${source} is empty. Point SPOTIFY_CSV at a copy of SpotifyFeatures.csv (see the README).`);
}

/** Refuse binary data, judged on the first 4096 characters of the text. */
function checkHeadIsText(head: string, source: string): void {
  // eslint-disable-next-line no-control-regex
  if (/\u0000/.test(head) || (head.match(/\uFFFD/g)?.length ?? 0) > 8) {
    throw new SpotifyCsvError(`${source} is not a CSV text file (it holds binary data: is it compressed or a spreadsheet?). Export or unzip it to SpotifyFeatures.csv first.`);
  }
}

function checkLooksLikeText(text: string, source: string): void {
  if (text.trim() === '' || text === '\uFEFF') refuseEmpty(source);
  checkHeadIsText(text.slice(0, 4096), source);
}

const isAsciiSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);

/**
 * `checkLooksLikeText(bytes.toString('utf8'))`, with the same verdicts, without decoding the
 * whole file.
 */
function checkLooksLikeBytes(bytes: Buffer, source: string): void {
  let i = 0;
  for (;;) {
    if (i < bytes.length && isAsciiSpace(bytes[i])) { i++; continue; }
    if (i + 2 < bytes.length && bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) { i += 3; continue; } // U+FEFF, which trim() removes too
    break;
  }
  // all blank, or a character beyond ASCII that may be a Unicode space (trim() removes those): decide on the whole text
  if (i >= bytes.length || bytes[i] >= 0x80) { checkLooksLikeText(bytes.toString('utf8'), source); return; }
  // a printable ASCII character: not empty. The first 4096 UTF-16 units of the text come from at
  // most 3 × 4096 bytes, so decoding 4 × 4096 leaves any sequence cut at the end past them.
  checkHeadIsText(bytes.toString('utf8', 0, Math.min(bytes.length, 4 * 4096)).slice(0, 4096), source);
}

/**
 * Parse the text of SpotifyFeatures.csv into columns (through its UTF-8 bytes, like a file: a lone
 * surrogate, which no decoded file holds, reads as U+FFFD).
 * @param text the file's contents
 * @param source how messages name the file
 * @example
 * const { table, report } = parseSpotifyCsv(readFileSync('data/SpotifyFeatures.sample.csv', 'utf8'));
 * table.rows.length // 20000
 */
export function parseSpotifyCsv(text: string, source = 'The CSV text'): { table: TrackTable; report: LoadReport } {
  checkLooksLikeText(text, source);
  return parseSpotifyRecords(Buffer.from(text, 'utf8'), source);
}

/**
 * `parseSpotifyCsv` of the file's UTF-8 bytes, as `readFileSync(path)` gives them: the same
 * table, report and errors as `parseSpotifyCsv(bytes.toString('utf8'))`, about twice as fast,
 * because the 32 MB file is never decoded into one 64 MB string: each text field becomes its own
 * small string, and numbers are read from the bytes.
 * @example parseSpotifyBytes(readFileSync('data/SpotifyFeatures.sample.csv')).table.rows.length // 20000
 */
export function parseSpotifyBytes(bytes: Buffer, source = 'The CSV text'): { table: TrackTable; report: LoadReport } {
  checkLooksLikeBytes(bytes, source);
  return parseSpotifyRecords(bytes, source);
}

function parseSpotifyRecords(text: Buffer, source: string): { table: TrackTable; report: LoadReport } {
  let header: string[] | null = null;
  let names: string[] = [];
  let kinds: ColumnKind[] = [];
  let rows = new ColumnsBuilder([]);
  let row: (string | number)[] = []; // one row's values, reused: the builder copies them into its columns
  let numeric: Uint8Array = new Uint8Array(0);
  let timeSignatureColumn = -1;
  let rowsInFile = 0;
  let repaired = 0;
  const skippedLines: number[] = [];
  const extraColumns: string[] = [];
  let interned: (InternedField | null)[] = [];

  const info = scanCsv(text, (bounds, count, line) => {
    if (header === null) {
      header = Array.from({ length: count }, (_, f) => fieldText(text, bounds, f).trim());
      const found = new Set(header);
      const missing = SPOTIFY_COLUMN_NAMES.filter((name) => !found.has(name));
      if (count < 2) {
        throw new SpotifyCsvError(`${source} does not look like a CSV file: its first line has no commas. Expected a header with the 18 columns ${SPOTIFY_COLUMN_NAMES.join(', ')}.`);
      }
      const unknown = header.filter((name) => !SPOTIFY_COLUMN_NAMES.includes(name));
      if (missing.length) {
        const hints = missing.map((name) => {
          const guess = unknown.find((other) => editDistance(other.toLowerCase(), name) <= 2);
          return guess !== undefined ? `'${name}' (found '${guess}': misspelt?)` : `'${name}'`;
        });
        throw new SpotifyCsvError(`${source} is missing the column${missing.length > 1 ? 's' : ''} ${hints.join(', ')}. SpotifyFeatures.csv has the 18 columns ${SPOTIFY_COLUMN_NAMES.join(', ')}; fix the header line.`);
      }
      const duplicated = header.filter((name, i) => header!.indexOf(name) !== i);
      if (duplicated.length) throw new SpotifyCsvError(`${source} names the column '${duplicated[0]}' twice in its header; keep one.`);
      names = header;
      kinds = names.map((name) => SPOTIFY_COLUMNS.find((c) => c.name === name)?.kind ?? 'text');
      extraColumns.push(...unknown);
      numeric = Uint8Array.from(kinds, (kind) => (kind === 'text' ? 0 : 1));
      timeSignatureColumn = names.indexOf('time_signature');
      interned = names.map((name) => (LOW_CARDINALITY.has(name) ? new InternedField() : null));
      rows = new ColumnsBuilder(kinds);
      row = new Array<string | number>(names.length);
      return;
    }
    rowsInFile++;
    if (count !== names.length) { skippedLines.push(line); return; }
    for (let f = 0; f < count; f++) {
      if (numeric[f]) {
        let value = parseNumberField(text, bounds.starts[f], bounds.ends[f]);
        if (Number.isNaN(value)) {
          const raw = fieldText(text, bounds, f);
          if (MISSING_NUMBERS.has(raw.trim())) { skippedLines.push(line); return; }
          throw new SpotifyCsvError(`${source}, line ${line}: the column '${names[f]}' holds ${JSON.stringify(raw)}, which is not a number. Fix or delete that line.`);
        }
        if (kinds[f] === 'integer' && !Number.isInteger(value)) {
          throw new SpotifyCsvError(`${source}, line ${line}: the column '${names[f]}' holds ${fieldText(text, bounds, f)}, which is not a whole number. Fix or delete that line.`);
        }
        row[f] = value;
      } else {
        const intern = interned[f];
        let value = intern ? intern.read(text, bounds, f) : fieldText(text, bounds, f);
        if (f === timeSignatureColumn && value.length > 3 && value.includes('-')) {
          const fixed = repairTimeSignature(value);
          if (fixed !== null) { value = fixed; repaired++; }
        }
        row[f] = value;
      }
    }
    rows.push(row);
  });
  if (header === null) throw new SpotifyCsvError(`${source} is empty. Point SPOTIFY_CSV at a copy of SpotifyFeatures.csv (see the README).`);
  if (rowsInFile === 0) throw new SpotifyCsvError(`${source} has a header but no data rows. Point SPOTIFY_CSV at a copy of SpotifyFeatures.csv with its data (see the README).`);
  if (rows.length === 0) throw new SpotifyCsvError(`${source} has no complete row: all ${rowsInFile} data rows have the wrong number of fields or empty numbers. Is it really SpotifyFeatures.csv?`);

  const warnings: string[] = [];
  if (skippedLines.length) {
    const shown = skippedLines.slice(0, 10).join(', ') + (skippedLines.length > 10 ? ` and ${skippedLines.length - 10} more` : '');
    warnings.push(`Skipped ${skippedLines.length} incomplete row${skippedLines.length > 1 ? 's' : ''} (wrong number of fields or an empty number) on line${skippedLines.length > 1 ? 's' : ''} ${shown}.`);
  }
  if (repaired) warnings.push(`Repaired ${repaired} time_signature value${repaired > 1 ? 's' : ''} that a spreadsheet had turned into dates (such as 4-Apr) back into n/4.`);
  if (extraColumns.length) warnings.push(`Kept ${extraColumns.length} extra column${extraColumns.length > 1 ? 's' : ''} not in the schema: ${extraColumns.join(', ')}.`);
  const report: LoadReport = {
    source, rowsInFile, rows: rows.length, skippedLines, repairedTimeSignatures: repaired, extraColumns,
    hadByteOrderMark: info.hadByteOrderMark, hadCrlf: info.hadCrlf, warnings,
  };
  return { table: rows.table(names), report };
}

/**
 * A danfojs DataFrame of a table, built from its columns (see lib/data/frame.ts: the frame makes
 * danfojs' row arrays only when something asks for them). The columns become the frame's own.
 * @example tableToDataFrame(parseSpotifyCsv(text).table).shape // [20000, 18]
 */
export function tableToDataFrame(table: TrackTable): DataFrame {
  return frameFromColumns(table.columns, table.names, table.kinds.map((kind) => COLUMN_TYPES[kind].dtype));
}

/**
 * Read SpotifyFeatures.csv (or a copy of it) into a DataFrame, with a report of what was repaired
 * or skipped. Throws a `SpotifyCsvError` that says what is wrong for a file it cannot use.
 * @example
 * const { df, report } = loadSpotifyCsv('data/SpotifyFeatures.sample.csv');
 * df.shape // [20000, 18]
 * report.warnings // []
 */
export function loadSpotifyCsv(path: string): LoadedTracks {
  if (!existsSync(path)) {
    throw new SpotifyCsvError(`There is no file at ${path}. Download SpotifyFeatures.csv from Kaggle ("Spotify Tracks DB") into data/, or set SPOTIFY_CSV to its path (see the README).`);
  }
  if (statSync(path).isDirectory()) throw new SpotifyCsvError(`${path} is a folder, not a CSV file. Set SPOTIFY_CSV to the path of SpotifyFeatures.csv.`);
  const { table, report } = parseSpotifyBytes(readFileSync(path), path);
  return { df: tableToDataFrame(table), report };
}
