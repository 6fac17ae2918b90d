/**
 * Load SpotifyFeatures.csv into a danfojs-node DataFrame, refusing or repairing what real copies
 * of the file get wrong (see docs/DATA.md). Every value is either valid, repaired with a
 * count, or refused with its line:
 *
 * - the file must be UTF-8 text: invalid UTF-8 anywhere is refused with the line of the first bad
 *   byte and how to re-save the file as UTF-8, naming Windows-1252 and UTF-16 when the bytes look
 *   like them; a compressed file or a spreadsheet is refused as such; an empty file too;
 * - the header must hold all 18 columns (a byte-order mark is tolerated); a missing or misspelt
 *   column is an error that names it; extra columns are kept and reported (they are stored, never
 *   clustered); an unnamed column (a pandas index column, a trailing comma) is dropped with a note
 *   when it holds row numbers or nothing, and refused otherwise;
 * - numbers may be written in scientific notation (`8.19E-06`); a value that is not a number, not
 *   finite (`1e400`) or outside its column's domain (`NUMERIC_DOMAINS`) is an error naming the
 *   column, the line and the value;
 * - `time_signature` values a spreadsheet turned into dates (`4-Apr`, `04-Apr`, `4-Mar`, and the
 *   month names of a few other languages: `4-avr.`, `4-abr`, `4. Mai` …) are turned back into `4/4`,
 *   `3/4` … and counted; after that, a `key`, `mode` or `time_signature` outside the known values is
 *   refused with a count and example lines, never a new category; a genre outside the 27 known
 *   labels is kept with a note;
 * - a quote that never closes, or that swallows the lines after it into one row, is refused with
 *   the line where it opens;
 * - a row with the wrong number of fields (a cut-off last line) or an empty value where a number
 *   belongs is skipped, with a warning naming its line; never a half-filled row.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { DataFrame } from 'danfojs-node';
import { fieldText, InternedField, parseNumberField, scanCsv } from './csv';
import { COLUMN_TYPES, FrameColumn, frameFromColumns } from './frame';
import {
  CLOSED_CATEGORIES,
  ColumnKind,
  GENRES,
  NUMERIC_DOMAINS,
  SPOTIFY_COLUMNS,
  SPOTIFY_COLUMN_NAMES,
} from './schema';

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
/**
 * Month names as spreadsheets abbreviate them, lower case: English, and for the months a time
 * signature can turn into (January, March, April, May, the numerators 1, 3, 4, 5 over 4) also
 * French, German, Spanish, Italian, Portuguese and Dutch.
 */
const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  janv: 1,
  jän: 1,
  ene: 1,
  enero: 1,
  gen: 1,
  mars: 3,
  mär: 3,
  märz: 3,
  mrz: 3,
  mrt: 3,
  marzo: 3,
  avr: 4,
  abr: 4,
  april: 4,
  abril: 4,
  aprile: 4,
  mai: 5,
  mayo: 5,
  mag: 5,
  maio: 5,
  mei: 5,
};
const SPREADSHEET_DATE = /^\s*(\d{1,2})\.?[-/ ]?\s*(\p{L}{3,6})\.?\s*$|^\s*(\p{L}{3,6})\.?[-/ ]\s*(\d{1,2})\s*$/u;
const KNOWN_GENRES = new Set(GENRES);
const REPLACEMENT_CHARACTER = Buffer.from('\uFFFD', 'utf8');

/**
 * Turn a spreadsheet date back into the time signature it came from. Every time signature in the
 * file has 4 as its denominator, so of the date's two numbers (day and month, in either order)
 * one is 4 and the other is the numerator: `4-Apr` → `4/4`, `3-Apr` and `4-Mar` → `3/4`,
 * `4-May` → `5/4`, `4-Jan` → `1/4`. Month names of a few other languages are read too (`4-avr.`,
 * `04. Apr`, `4-abr`, `4-mai`). Returns null when the value is not such a date.
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

const isAsciiSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);

/** The 1-based line of byte `offset`: one more than the line feeds before it. */
function lineOfByte(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let at = bytes.indexOf(10, 0); at >= 0 && at < offset; at = bytes.indexOf(10, at + 1)) line++;
  return line;
}

/** Where the first byte that breaks UTF-8 is (the text is known not to be valid UTF-8). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    if (!isUtf8(bytes.subarray(i, i + length))) return i; // overlong forms and surrogates
    i += length;
  }
  return bytes.length;
}

/**
 * Windows-1252's characters for the bytes 0x80–0x9F (the rest of its upper half is Latin-1):
 * https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT. Written out because
 * Node 20's TextDecoder decodes 'windows-1252' as Latin-1 (0x92 stays U+0092, not ’).
 */
const WINDOWS_1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

const ENCODING_HOW_TO =
  'Re-save it as UTF-8 (Excel: Save As, "CSV UTF-8"; LibreOffice: Save As, character set "Unicode (UTF-8)"; or iconv';

/**
 * Refuse what is not UTF-8 CSV text, before parsing: compressed files and spreadsheets by their
 * signature, UTF-16 by its byte-order mark or its zero bytes, other binary data by zero bytes in its
 * first 64 kB, and
 * any byte sequence that is not UTF-8, with its line (Windows-1252, the usual other encoding of a
 * CSV saved on Windows, is named and shown).
 */
function checkEncoding(bytes: Buffer, source: string): void {
  const starts = (...signature: number[]): boolean => signature.every((b, k) => bytes[k] === b);
  if (
    starts(0x1f, 0x8b) ||
    starts(0x50, 0x4b, 0x03, 0x04) ||
    starts(0xd0, 0xcf, 0x11, 0xe0) ||
    starts(0x42, 0x5a, 0x68) ||
    starts(0xfd, 0x37, 0x7a, 0x58, 0x5a)
  ) {
    throw new SpotifyCsvError(
      `${source} is not a CSV text file (it is compressed or a spreadsheet). Export or unzip it to SpotifyFeatures.csv first.`,
    );
  }
  const head = bytes.subarray(0, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < head.length; i++)
    if (head[i] === 0) {
      if (i % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff) || Math.max(evenZeros, oddZeros) > head.length / 4) {
    throw new SpotifyCsvError(
      `${source} is UTF-16 text (Excel's "Unicode Text"), not UTF-8. ${ENCODING_HOW_TO} -f UTF-16 -t UTF-8 old.csv > new.csv) and point SPOTIFY_CSV at the new file.`,
    );
  }
  if (bytes.subarray(0, 65536).includes(0)) {
    throw new SpotifyCsvError(
      `${source} is not a CSV text file (it holds binary data: is it compressed or a spreadsheet?). Export or unzip it to SpotifyFeatures.csv first.`,
    );
  }
  if (isUtf8(bytes)) return;
  const offset = firstInvalidUtf8(bytes);
  const line = lineOfByte(bytes, offset);
  let from = offset;
  while (from > 0 && offset - from < 24 && bytes[from - 1] !== 10 && bytes[from - 1] !== 44) from--;
  let to = offset + 1;
  while (to < bytes.length && to - offset < 24 && bytes[to] !== 10 && bytes[to] !== 13 && bytes[to] !== 44) to++;
  const asWindows1252 = Array.from(bytes.subarray(from, to), (b) =>
    b >= 0x80 && b <= 0x9f ? WINDOWS_1252_80_9F[b - 0x80] : String.fromCharCode(b),
  ).join('');
  const byte = `0x${bytes[offset].toString(16).toUpperCase().padStart(2, '0')}`;
  throw new SpotifyCsvError(
    `${source} is not UTF-8 text: line ${line} holds the byte ${byte}, which in Windows-1252 (the encoding Excel and Windows programs often save CSV in) reads ${JSON.stringify(asWindows1252)}. ` +
      `${ENCODING_HOW_TO} -f WINDOWS-1252 -t UTF-8 old.csv > new.csv) and point SPOTIFY_CSV at the new file.`,
  );
}

/** Refuse a file that holds nothing but blanks and byte-order marks. */
function checkNotEmpty(bytes: Buffer, source: string): void {
  let i = 0;
  for (;;) {
    if (i < bytes.length && isAsciiSpace(bytes[i])) {
      i++;
      continue;
    }
    if (i + 2 < bytes.length && bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
      i += 3;
      continue;
    } // U+FEFF, which trim() removes too
    break;
  }
  // all blank, or a character beyond ASCII that may be a Unicode space (trim() removes those): decide on the whole text
  if (i >= bytes.length || (bytes[i] >= 0x80 && bytes.toString('utf8').trim() === '')) refuseEmpty(source);
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
