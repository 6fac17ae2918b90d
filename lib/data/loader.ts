/**
 * Load SpotifyFeatures.csv into a danfojs-node DataFrame, refusing or repairing what real copies of
 * the file get wrong (docs/DATA.md lists every case). Each value is valid, repaired with a count, or
 * refused with its line: the header must hold all 18 columns (extra ones are kept and reported, an
 * unnamed index column is dropped); a number that is not one, not finite or outside its domain is
 * refused; a `key`, `mode` or `time_signature` outside the known values is refused (after the
 * spreadsheet dates of lib/data/time-signature.ts are repaired), a new genre kept with a note; a
 * quote that never closes is refused; a row with the wrong number of fields is skipped with a
 * warning. What is refused before parsing (encoding, empty, binary) is in lib/data/csv-checks.ts.
 * Written here rather than with danfojs' reader because that one names no line and turns a bad
 * value into NaN or a new category; the scanner beneath it is lib/data/csv.ts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { DataFrame } from 'danfojs-node';
import { fieldText, InternedField, parseNumberField, scanCsv } from './csv';
import { checkEncoding, checkNotEmpty, lineOfByte, refuseEmpty, SpotifyCsvError } from './csv-checks';
import { COLUMN_TYPES, FrameColumn, frameFromColumns } from './frame';
import {
  CLOSED_CATEGORIES,
  ColumnKind,
  GENRES,
  NUMERIC_DOMAINS,
  SPOTIFY_COLUMNS,
  SPOTIFY_COLUMN_NAMES,
} from './schema';
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
      names,
      kinds: [...this.kinds],
      columns,
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

/** Text columns with a handful of distinct values, read without a new string per row. */
const LOW_CARDINALITY = new Set(['genre', 'key', 'mode', 'time_signature']);
const MISSING_NUMBERS = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A']);
const KNOWN_GENRES = new Set(GENRES);
const REPLACEMENT_CHARACTER = Buffer.from('\uFFFD', 'utf8');

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
  return parseSpotifyBytes(Buffer.from(text, 'utf8'), source);
}

/**
 * `parseSpotifyCsv` of the file's bytes, as `readFileSync(path)` gives them, with the encoding
 * checked first (see the file header): about twice as fast as decoding, because the 32 MB file is
 * never decoded into one 64 MB string: each text field becomes its own small string, and numbers
 * are read from the bytes.
 * @example parseSpotifyBytes(readFileSync('data/SpotifyFeatures.sample.csv')).table.rows.length // 20000
 */
export function parseSpotifyBytes(bytes: Buffer, source = 'The CSV text'): { table: TrackTable; report: LoadReport } {
  checkNotEmpty(bytes, source);
  checkEncoding(bytes, source);
  return parseSpotifyRecords(bytes, source);
}

/** A header field that names no column: empty, or pandas' `Unnamed: 0` of a re-read index. */
const isUnnamed = (name: string): boolean => name === '' || /^Unnamed: \d+$/.test(name);

/** What the rows of an unnamed header column hold, to decide whether it may be dropped. */
interface UnnamedColumn {
  field: number;
  allEmpty: boolean;
  allWhole: boolean;
  example: { value: string; line: number } | null;
}

/** Values of a closed-list column that are not on its list, with a few of their lines. */
interface UnknownValues {
  count: number;
  examples: { value: string; line: number }[];
}

function noteUnknown(unknown: Map<string, UnknownValues>, column: string, value: string, line: number): void {
  let entry = unknown.get(column);
  if (!entry) unknown.set(column, (entry = { count: 0, examples: [] }));
  entry.count++;
  if (entry.examples.length < 5) entry.examples.push({ value, line });
}

const plural = (count: number, word: string, many = `${word}s`): string =>
  `${count.toLocaleString('en-US')} ${count === 1 ? word : many}`;

function describeExamples(examples: { value: string; line: number }[]): string {
  const [first, ...rest] = examples;
  return (
    `such as ${JSON.stringify(first.value)} on line ${first.line}` +
    (rest.length ? ` (also ${rest.map((e) => `${JSON.stringify(e.value)} on line ${e.line}`).join(', ')})` : '')
  );
}

function parseSpotifyRecords(text: Buffer, source: string): { table: TrackTable; report: LoadReport } {
  let header: string[] | null = null;
  let width = 0; // fields in the header
  let shortest = 0; // fewest fields a row may have: trailing unnamed columns may be left out
  let names: string[] = [];
  let kinds: ColumnKind[] = [];
  let rows = new ColumnsBuilder([]);
  let row: (string | number)[] = []; // one row's values, reused: the builder copies them into its columns
  let target: Int32Array = new Int32Array(0); // where each field goes in the row, −1 when dropped
  let numeric: Uint8Array = new Uint8Array(0);
  let lowest: Float64Array = new Float64Array(0);
  let highest: Float64Array = new Float64Array(0);
  let listed: (ReadonlySet<string> | null)[] = []; // the known values of key, mode, time_signature and genre
  let lastListed: (string | null)[] = [];
  let timeSignatureColumn = -1;
  let trackIdColumn = -1;
  let rowsInFile = 0;
  let repaired = 0;
  const skippedLines: number[] = [];
  const extraColumns: string[] = [];
  const unnamed: UnnamedColumn[] = [];
  const unknown = new Map<string, UnknownValues>();
  let interned: (InternedField | null)[] = [];

  const info = scanCsv(text, (bounds, count, line, quoteLine) => {
    if (header === null) {
      header = Array.from({ length: count }, (_, f) => fieldText(text, bounds, f).trim());
      if (count < 2) {
        throw new SpotifyCsvError(
          `${source} does not look like a CSV file: its first line has no commas. Expected a header with the 18 columns ${SPOTIFY_COLUMN_NAMES.join(', ')}.`,
        );
      }
      const found = new Set(header);
      const missing = SPOTIFY_COLUMN_NAMES.filter((name) => !found.has(name));
      const unknownNames = header.filter((name) => !SPOTIFY_COLUMN_NAMES.includes(name) && !isUnnamed(name));
      if (missing.length) {
        const hints = missing.map((name) => {
          const guess = unknownNames.find((other) => editDistance(other.toLowerCase(), name) <= 2);
          return guess !== undefined ? `'${name}' (found '${guess}': misspelt?)` : `'${name}'`;
        });
        throw new SpotifyCsvError(
          `${source} is missing the column${missing.length > 1 ? 's' : ''} ${hints.join(', ')}. SpotifyFeatures.csv has the 18 columns ${SPOTIFY_COLUMN_NAMES.join(', ')}; fix the header line.`,
        );
      }
      const named = header.filter((name) => !isUnnamed(name));
      const lower = named.map((name) => name.toLowerCase());
      const twice = lower.findIndex((name, i) => lower.indexOf(name) !== i);
      if (twice >= 0) {
        const first = named[lower.indexOf(lower[twice])];
        const spelling =
          first === named[twice]
            ? ''
            : ` (as '${first}' and '${named[twice]}', which the database does not tell apart)`;
        throw new SpotifyCsvError(`${source} names the column '${first}' twice in its header${spelling}; keep one.`);
      }
      width = count;
      target = new Int32Array(count).fill(-1);
      header.forEach((name, f) => {
        if (isUnnamed(name)) {
          unnamed.push({ field: f, allEmpty: true, allWhole: true, example: null });
          return;
        }
        target[f] = names.length;
        names.push(name);
      });
      shortest = width;
      while (shortest > 0 && isUnnamed(header[shortest - 1])) shortest--;
      kinds = names.map((name) => SPOTIFY_COLUMNS.find((c) => c.name === name)?.kind ?? 'text');
      extraColumns.push(...unknownNames);
      const columnOf = (f: number): string | null => (target[f] >= 0 ? names[target[f]] : null);
      numeric = Uint8Array.from(header, (_, f) => (target[f] >= 0 && kinds[target[f]] !== 'text' ? 1 : 0));
      lowest = Float64Array.from(header, (_, f) => NUMERIC_DOMAINS[columnOf(f) ?? '']?.min ?? -Infinity);
      highest = Float64Array.from(header, (_, f) => NUMERIC_DOMAINS[columnOf(f) ?? '']?.max ?? Infinity);
      listed = header.map((_, f) => {
        const name = columnOf(f) ?? '';
        return CLOSED_CATEGORIES[name] ? new Set(CLOSED_CATEGORIES[name]) : name === 'genre' ? KNOWN_GENRES : null;
      });
      lastListed = header.map(() => null);
      timeSignatureColumn = header.indexOf('time_signature');
      trackIdColumn = header.indexOf('track_id');
      interned = header.map((name) => (LOW_CARDINALITY.has(name) ? new InternedField() : null));
      rows = new ColumnsBuilder(kinds);
      row = new Array<string | number>(names.length);
      return;
    }
    rowsInFile++;
    const complete = count === width || (count >= shortest && count < width);
    if (quoteLine > 0) {
      // a quoted field ran over line breaks: fine when the row is whole, a stray quote otherwise
      const last = count - 1;
      const end = Math.min(bounds.ends[last], text.length - 1); // a line feed that ends the file swallows nothing
      let swallowed = 0;
      for (let at = text.indexOf(10, bounds.starts[0]); at >= 0 && at < end; at = text.indexOf(10, at + 1)) swallowed++;
      if (swallowed > 0 && bounds.quoted[last] && bounds.ends[last] === text.length) {
        throw new SpotifyCsvError(
          `${source}, line ${quoteLine}: a quote (") opens a field that never closes, so everything after it up to the end of the file would be one value. ` +
            'Fix the quote on that line (a quote inside a field is written twice, "", and such a field is put in quotes).',
        );
      }
      if (swallowed > 0 && !complete) {
        throw new SpotifyCsvError(
          `${source}, line ${quoteLine}: a quote (") opens a field that does not close on that line, so the ${plural(swallowed, 'line')} after it ${swallowed === 1 ? 'was' : 'were'} read into one row of ${count} fields instead of ${width}. ` +
            'Fix the quote on that line (a quote inside a field is written twice, "", and such a field is put in quotes).',
        );
      }
    }
    if (!complete) {
      skippedLines.push(line);
      return;
    }
    for (let f = 0; f < count; f++) {
      const at = target[f];
      if (at < 0) {
        const raw = fieldText(text, bounds, f).trim();
        const column = unnamed.find((u) => u.field === f)!;
        if (raw !== '') {
          column.allEmpty = false;
          if (!/^\d+$/.test(raw)) column.allWhole = false;
          if (column.example === null) column.example = { value: raw, line };
        }
        continue;
      }
      if (numeric[f]) {
        const value = parseNumberField(text, bounds.starts[f], bounds.ends[f]);
        if (!(value >= lowest[f] && value <= highest[f])) {
          const raw = fieldText(text, bounds, f);
          if (Number.isNaN(value)) {
            if (MISSING_NUMBERS.has(raw.trim())) {
              skippedLines.push(line);
              return;
            }
            throw new SpotifyCsvError(
              `${source}, line ${line}: the column '${names[at]}' holds ${JSON.stringify(raw)}, which is not a number. Fix or delete that line.`,
            );
          }
          if (!Number.isFinite(value)) {
            throw new SpotifyCsvError(
              `${source}, line ${line}: the column '${names[at]}' holds ${raw.trim()}, which is too large to be a number (it would be stored as ${value}). Fix or delete that line.`,
            );
          }
          const domain = NUMERIC_DOMAINS[names[at]];
          const range =
            domain.max === Number.MAX_SAFE_INTEGER || domain.max === Number.MAX_VALUE
              ? `${domain.min} or more`
              : `from ${domain.min} to ${domain.max}`;
          throw new SpotifyCsvError(
            `${source}, line ${line}: the column '${names[at]}' holds ${raw.trim()}, outside its range (${range}). Fix or delete that line.`,
          );
        }
        if (kinds[at] === 'integer' && !Number.isInteger(value)) {
          throw new SpotifyCsvError(
            `${source}, line ${line}: the column '${names[at]}' holds ${fieldText(text, bounds, f)}, which is not a whole number. Fix or delete that line.`,
          );
        }
        row[at] = value;
      } else {
        const intern = interned[f];
        let value = intern ? intern.read(text, bounds, f) : fieldText(text, bounds, f);
        if (f === trackIdColumn && value.trim() === '') {
          const what = value === '' ? 'is empty' : `holds only spaces (${JSON.stringify(value)})`;
          throw new SpotifyCsvError(
            `${source}, line ${line}: the column 'track_id' ${what}, but every track needs an id (the key of the stored track table). Fix or delete that line.`,
          );
        }
        const known = listed[f];
        // the last value found on the list is remembered: rows come grouped by genre, and most are 4/4
        if (known !== null && value !== lastListed[f]) {
          let fixed: string | null;
          if (known.has(value)) lastListed[f] = value;
          else if (f === timeSignatureColumn && (fixed = repairTimeSignature(value)) !== null && known.has(fixed)) {
            value = fixed;
            repaired++;
          } else noteUnknown(unknown, names[at], value, line);
        }
        row[at] = value;
      }
    }
    rows.push(row);
  });
  if (header === null) refuseEmpty(source);
  for (const [column, values] of unknown) {
    if (column === 'genre') continue;
    throw new SpotifyCsvError(
      `${source}: the column '${column}' holds ${plural(values.count, 'value')} that ${values.count === 1 ? 'is' : 'are'} not one of ${CLOSED_CATEGORIES[column].join(', ')}, ${describeExamples(values.examples)}; ` +
        `they would become categories of their own in the clustering. Fix ${values.count === 1 ? 'that line' : 'those lines'}` +
        (column === 'time_signature'
          ? ' (a spreadsheet may have turned time signatures into dates: re-export without that, or write them as 4/4, 3/4 …)'
          : '') +
        '.',
    );
  }
  const droppedColumns: number[] = [];
  const warnings: string[] = [];
  for (const column of unnamed) {
    const position = column.field + 1;
    if (column.allEmpty)
      warnings.push(`Dropped column ${position} of the header, which has no name and no values (a trailing comma?).`);
    else if (column.allWhole)
      warnings.push(
        `Dropped column ${position} of the header, which has no name and holds row numbers (an index column written by pandas?).`,
      );
    else {
      throw new SpotifyCsvError(
        `${source}: column ${position} of the header has no name but holds values, such as ${JSON.stringify(column.example!.value)} on line ${column.example!.line}. Give it a name in the header (it is then kept as an extra column) or delete it.`,
      );
    }
    droppedColumns.push(position);
  }
  if (rowsInFile === 0)
    throw new SpotifyCsvError(
      `${source} has a header but no data rows. Point SPOTIFY_CSV at a copy of SpotifyFeatures.csv with its data (see the README).`,
    );
  if (rows.length === 0)
    throw new SpotifyCsvError(
      `${source} has no complete row: all ${rowsInFile} data rows have the wrong number of fields or empty numbers. Is it really SpotifyFeatures.csv?`,
    );

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
  const genres = unknown.get('genre');
  if (genres)
    warnings.push(
      `Kept ${plural(genres.count, 'row')} whose genre is not one of the 27 of SpotifyFeatures.csv, ${describeExamples(genres.examples)}; each such label is a genre of its own.`,
    );
  if (extraColumns.length)
    warnings.push(
      `Kept ${extraColumns.length} extra column${extraColumns.length > 1 ? 's' : ''} not in the schema: ${extraColumns.join(', ')} (stored with the tracks, not used for clustering).`,
    );
  const replacement = text.indexOf(REPLACEMENT_CHARACTER);
  if (replacement >= 0) {
    let count = 0;
    for (let at = replacement; at >= 0; at = text.indexOf(REPLACEMENT_CHARACTER, at + 3)) count++;
    warnings.push(
      `The file holds the replacement character \uFFFD ${plural(count, 'time')}, first on line ${lineOfByte(text, replacement)}: a sign that an earlier program read it in the wrong encoding and lost those characters.`,
    );
  }
  const report: LoadReport = {
    source,
    rowsInFile,
    rows: rows.length,
    skippedLines,
    repairedTimeSignatures: repaired,
    extraColumns,
    droppedColumns,
    hadByteOrderMark: info.hadByteOrderMark,
    hadCrlf: info.hadCrlf,
    warnings,
  };
  return { table: rows.table(names), report };
}

/**
 * A danfojs DataFrame of a table, built from its columns (see lib/data/frame.ts: the frame makes
 * danfojs' row arrays only when something asks for them). The columns become the frame's own.
 * @example tableToDataFrame(parseSpotifyCsv(text).table).shape // [20000, 18]
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
 * const { df, report } = loadSpotifyCsv('data/SpotifyFeatures.sample.csv');
 * df.shape // [20000, 18]
 * report.warnings // []
 */
export function loadSpotifyCsv(path: string): LoadedTracks {
  if (!existsSync(path)) {
    throw new SpotifyCsvError(
      `There is no file at ${path}. Download SpotifyFeatures.csv from Kaggle ("Spotify Tracks DB") into data/, or set SPOTIFY_CSV to its path (see the README).`,
    );
  }
  if (statSync(path).isDirectory())
    throw new SpotifyCsvError(
      `${path} is a folder, not a CSV file. Set SPOTIFY_CSV to the path of SpotifyFeatures.csv.`,
    );
  const { table, report } = parseSpotifyBytes(readFileSync(path), path);
  return { df: tableToDataFrame(table), report };
}
