/**
 * A small RFC 4180 CSV scanner that remembers the line each record starts on and hands out
 * field boundaries instead of strings.
 *
 * Written here rather than taken from papaparse (which danfojs uses) or csv-parse for two
 * reasons: the loader must name the line of every bad value and every cut-off row, and a quoted
 * field may span lines, so a record's index is not its line number; and reading numbers straight
 * from the text, without making a string for each of the 2.5 million numeric fields of the real
 * file, is what lets loading keep up with pandas (see `npm run bench`).
 *
 * Handles: quoted fields with doubled quotes, commas and line breaks inside quotes, LF and CRLF
 * line endings, a UTF-8 byte-order mark, blank lines (skipped).
 */

/** Where the fields of the current record are in the text: reused between records. */
export interface FieldBounds {
  /** Offset of each field's first character (inside the quotes for a quoted field). */
  starts: Int32Array;
  /** Offset one past each field's last character. */
  ends: Int32Array;
  /** 1 where the field was quoted (its text may hold doubled quotes). */
  quoted: Uint8Array;
}

/** Called once per record with its fields' bounds, their count and the line it starts on. */
export type RecordVisitor = (bounds: FieldBounds, fieldCount: number, line: number) => void;

/** What a scan saw besides the records. */
export interface CsvScanInfo {
  /** True when the text started with a UTF-8 byte-order mark (skipped). */
  hadByteOrderMark: boolean;
  /** True when any line ended with CRLF. */
  hadCrlf: boolean;
  /** Number of records (blank lines are not records). */
  records: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Scan CSV text record by record. The bounds object is reused: read it inside the visitor.
 * @example
 * scanCsv('a,b\n1,2\n', (bounds, count, line) => console.log(count, line)) // logs "2 1" then "2 2"
 */
export function scanCsv(text: string, visit: RecordVisitor): CsvScanInfo {
  let capacity = 64;
  let bounds: FieldBounds = { starts: new Int32Array(capacity), ends: new Int32Array(capacity), quoted: new Uint8Array(capacity) };
  const hadByteOrderMark = text.charCodeAt(0) === 0xfeff;
  const length = text.length;
  let i = hadByteOrderMark ? 1 : 0;
  let line = 1;
  let hadCrlf = false;
  let records = 0;
  while (i < length) {
    const recordLine = line;
    let count = 0;
    for (;;) {
      if (count === capacity) {
        capacity *= 2;
        const grown: FieldBounds = { starts: new Int32Array(capacity), ends: new Int32Array(capacity), quoted: new Uint8Array(capacity) };
        grown.starts.set(bounds.starts); grown.ends.set(bounds.ends); grown.quoted.set(bounds.quoted);
        bounds = grown;
      }
      let code = text.charCodeAt(i);
      if (code === QUOTE) {
        const from = i + 1;
        let close = from - 1;
        for (;;) {
          close = text.indexOf('"', close + 1);
          if (close < 0) { close = length; break; } // unterminated: the rest of the text
          if (text.charCodeAt(close + 1) === QUOTE) { close++; continue; }
          break;
        }
        for (let k = text.indexOf('\n', from); k >= 0 && k < close; k = text.indexOf('\n', k + 1)) line++;
        bounds.starts[count] = from;
        bounds.ends[count] = close;
        bounds.quoted[count] = 1;
        i = close + 1;
        // anything between the closing quote and the separator is malformed: keep it in the field
        while (i < length) { code = text.charCodeAt(i); if (code === COMMA || code === LF || code === CR) break; i++; }
        if (i > close + 1) { bounds.starts[count] = from - 1; bounds.ends[count] = i; bounds.quoted[count] = 0; }
      } else {
        const from = i;
        while (i < length) { code = text.charCodeAt(i); if (code === COMMA || code === LF || code === CR) break; i++; }
        bounds.starts[count] = from;
        bounds.ends[count] = i;
        bounds.quoted[count] = 0;
      }
      count++;
      if (i >= length) break;
      code = text.charCodeAt(i);
      if (code === COMMA) {
        i++;
        if (i >= length) { bounds.starts[count] = i; bounds.ends[count] = i; bounds.quoted[count] = 0; count++; break; }
        continue;
      }
      if (code === CR) { i++; if (text.charCodeAt(i) === LF) { hadCrlf = true; i++; } } else i++;
      line++;
      break;
    }
    if (count === 1 && bounds.ends[0] === bounds.starts[0] && !bounds.quoted[0]) continue; // blank line
    records++;
    visit(bounds, count, recordLine);
  }
  return { hadByteOrderMark, hadCrlf, records };
}

/**
 * The text of field `index` of the current record, with doubled quotes undone.
 * @example fieldText('"say ""hi"""', { starts: Int32Array.of(1), ends: Int32Array.of(11), quoted: Uint8Array.of(1) }, 0) // 'say "hi"'
 */
export function fieldText(text: string, bounds: FieldBounds, index: number): string {
  const value = text.slice(bounds.starts[index], bounds.ends[index]);
  return bounds.quoted[index] && value.includes('"') ? value.replace(/""/g, '"') : value;
}

/**
 * Reads fields of a column with few distinct values (genre, key, mode …) without making a new
 * string for each: a field equal to a value seen before returns that same string.
 * @example
 * const genres = new InternedField();
 * genres.read(text, bounds, 0) === genres.read(text, otherBounds, 0) // true when both say 'Pop'
 */
export class InternedField {
  private readonly seen = new Map<number, string[]>();
  /** Give up interning after this many distinct values (the column is not low-cardinality). */
  constructor(private readonly limit = 256) {}
  private count = 0;

  read(text: string, bounds: FieldBounds, index: number): string {
    const start = bounds.starts[index];
    const length = bounds.ends[index] - start;
    if (bounds.quoted[index] || this.count > this.limit) return fieldText(text, bounds, index);
    const key = length * 65536 + text.charCodeAt(start);
    const candidates = this.seen.get(key);
    if (candidates) {
      for (const candidate of candidates) if (text.startsWith(candidate, start)) return candidate;
    }
    const value = text.slice(start, start + length);
    if (candidates) candidates.push(value); else this.seen.set(key, [value]);
    this.count++;
    return value;
  }
}

/** The records of a CSV text as arrays of strings. */
export interface CsvRecords extends CsvScanInfo {
  /** Every record's fields, the header first. */
  rows: string[][];
  /** The 1-based line on which each record starts. */
  lines: number[];
}

/**
 * Split CSV text into records of string fields (convenient for small texts and tests).
 * @example
 * parseCsvRecords('a,b\n1,"x, ""y"""\n').rows // [['a', 'b'], ['1', 'x, "y"']]
 */
export function parseCsvRecords(text: string): CsvRecords {
  const rows: string[][] = [];
  const lines: number[] = [];
  const info = scanCsv(text, (bounds, count, line) => {
    const fields = new Array<string>(count);
    for (let f = 0; f < count; f++) fields[f] = fieldText(text, bounds, f);
    rows.push(fields);
    lines.push(line);
  });
  return { ...info, rows, lines };
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Math.pow(10, k));
const NUMBER_PATTERN = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * Read a decimal number from `text[start, end)` without making a string: returns NaN when the
 * field is not a plain decimal number (empty, words, hex, several dots …). Results are the
 * correctly rounded doubles `Number()` gives: the fast path multiplies or divides an exact integer
 * mantissa of at most 15 digits by an exact power of ten (Clinger's fast path); anything longer
 * goes through `Number()`.
 * @example parseNumberField('x,8.19E-06,', 2, 10) // 0.00000819
 */
export function parseNumberField(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  let code = text.charCodeAt(i);
  if (code === 45 /* - */ || code === 43 /* + */) { negative = code === 45; i++; }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let sawDigit = false;
  while (i < end && (code = text.charCodeAt(i)) >= 48 && code <= 57) {
    if (mantissa !== 0 || code !== 48) digits++;
    mantissa = mantissa * 10 + (code - 48); sawDigit = true; i++;
  }
  if (i < end && code === 46 /* . */) {
    i++;
    while (i < end && (code = text.charCodeAt(i)) >= 48 && code <= 57) {
      if (mantissa !== 0 || code !== 48) digits++;
      mantissa = mantissa * 10 + (code - 48); fraction++; sawDigit = true; i++;
    }
  }
  if (!sawDigit) return slowNumber(text, start, end);
  let exponent = 0;
  if (i < end && (code === 101 || code === 69) /* e E */) {
    i++;
    let exponentNegative = false;
    code = text.charCodeAt(i);
    if (code === 45 || code === 43) { exponentNegative = code === 45; i++; }
    let exponentDigits = 0;
    while (i < end && (code = text.charCodeAt(i)) >= 48 && code <= 57) { exponent = exponent * 10 + (code - 48); exponentDigits++; i++; }
    if (exponentDigits === 0) return NaN;
    if (exponentNegative) exponent = -exponent;
  }
  if (i !== end || digits > 15) return slowNumber(text, start, end);
  const scale = exponent - fraction;
  let value: number;
  if (scale === 0) value = mantissa;
  else if (scale > 0 && scale <= 22) value = mantissa * POWERS_OF_TEN[scale];
  else if (scale < 0 && scale >= -22) value = mantissa / POWERS_OF_TEN[-scale];
  else return slowNumber(text, start, end);
  return negative ? -value : value;
}

function slowNumber(text: string, start: number, end: number): number {
  const raw = text.slice(start, end);
  return NUMBER_PATTERN.test(raw) ? Number(raw) : NaN;
}
