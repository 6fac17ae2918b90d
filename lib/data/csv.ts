/**
 * A small RFC 4180 CSV scanner (https://www.rfc-editor.org/rfc/rfc4180) over a file's UTF-8 bytes
 * that remembers the line each record starts on and hands out field boundaries instead of strings.
 *
 * Handles quoted fields with doubled quotes, commas and line breaks inside quotes, LF and CRLF,
 * a byte-order mark and blank lines; reports where a quoted field runs over a line break and where
 * a quote never closes, so the loader can tell a multi-line field from a stray quote.
 *
 * Written here rather than taken from papaparse (which danfojs uses) or csv-parse: the loader must
 * name the line of every bad value and cut-off row (a quoted field may span lines, so a record's
 * index is not its line number), and reading numbers straight from the bytes, without a string per
 * field, is most of what keeps loading close to pandas. Why bytes rather than decoded text:
 * docs/data-layer.md.
 */

/** Where the fields of the current record are in the bytes: reused between records. */
export interface FieldBounds {
  /** Byte offset of each field's first byte (inside the quotes for a quoted field). */
  starts: Int32Array;
  /** Byte offset one past each field's last byte. */
  ends: Int32Array;
  /** 1 where the field was quoted (its text may hold doubled quotes). */
  quoted: Uint8Array;
}

/**
 * Called once per record with its fields' bounds, their count, the line it starts on, and the line
 * on which a quoted field of the record that runs over a line break opens (0 when none does): a
 * quote that should have closed on that line swallows the lines after it into one record.
 */
export type RecordVisitor = (bounds: FieldBounds, fieldCount: number, line: number, quoteLine: number) => void;

/** What a scan saw besides the records. */
export interface CsvScanInfo {
  /** True when the text started with a UTF-8 byte-order mark (skipped). */
  hadByteOrderMark: boolean;
  /** True when any line ended with CRLF. */
  hadCrlf: boolean;
  /** Number of records (blank lines are not records). */
  records: number;
  /** The line on which a quote opens that never closes before the end of the text; 0 when none. */
  unterminatedQuoteLine: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Math.pow(10, k));
const NUMBER_PATTERN = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * Scan CSV bytes (UTF-8) record by record. The bounds object is reused: read it inside the
 * visitor. Offsets are byte offsets; separators, quotes and line breaks are ASCII, which never
 * occur inside a multi-byte UTF-8 sequence, so records, fields and line numbers are those of the
 * decoded text.
 * @example
 * scanCsv(Buffer.from('a,b\n1,2\n'), (bounds, count, line) => console.log(count, line)) // logs "2 1" then "2 2"
 */
export function scanCsv(bytes: Uint8Array, visit: RecordVisitor): CsvScanInfo {
  let capacity = 64;
  let bounds: FieldBounds = {
    starts: new Int32Array(capacity),
    ends: new Int32Array(capacity),
    quoted: new Uint8Array(capacity),
  };
  const length = bytes.length;
  const hadByteOrderMark = length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let i = hadByteOrderMark ? 3 : 0;
  let line = 1;
  let hadCrlf = false;
  let records = 0;
  let unterminatedQuoteLine = 0;
  while (i < length) {
    const recordLine = line;
    let quoteLine = 0;
    let count = 0;
    for (;;) {
      if (count === capacity) {
        capacity *= 2;
        const grown: FieldBounds = {
          starts: new Int32Array(capacity),
          ends: new Int32Array(capacity),
          quoted: new Uint8Array(capacity),
        };
        grown.starts.set(bounds.starts);
        grown.ends.set(bounds.ends);
        grown.quoted.set(bounds.quoted);
        bounds = grown;
      }
      let code = i < length ? bytes[i] : -1;
      if (code === QUOTE) {
        const from = i + 1;
        const openLine = line;
        let close = from;
        for (;;) {
          while (close < length && (code = bytes[close]) !== QUOTE) {
            if (code === LF) line++;
            close++;
          }
          if (close >= length) {
            close = length;
            unterminatedQuoteLine = openLine;
            break;
          } // unterminated: the rest of the text
          if (close + 1 < length && bytes[close + 1] === QUOTE) {
            close += 2;
            continue;
          }
          break;
        }
        if (line !== openLine && quoteLine === 0) quoteLine = openLine;
        bounds.starts[count] = from;
        bounds.ends[count] = close;
        bounds.quoted[count] = 1;
        i = close + 1;
        // anything between the closing quote and the separator is malformed: keep it in the field
        while (i < length) {
          code = bytes[i];
          if (code === COMMA || code === LF || code === CR) break;
          i++;
        }
        if (i > close + 1) {
          bounds.starts[count] = from - 1;
          bounds.ends[count] = i;
          bounds.quoted[count] = 0;
        }
      } else {
        const from = i;
        while (i < length) {
          code = bytes[i];
          if (code > COMMA || (code !== COMMA && code !== LF && code !== CR)) {
            i++;
            continue;
          }
          break;
        }
        bounds.starts[count] = from;
        bounds.ends[count] = i;
        bounds.quoted[count] = 0;
      }
      count++;
      if (i >= length) break;
      code = bytes[i];
      if (code === COMMA) {
        i++;
        if (i >= length) {
          bounds.starts[count] = i;
          bounds.ends[count] = i;
          bounds.quoted[count] = 0;
          count++;
          break;
        }
        continue;
      }
      if (code === CR) {
        i++;
        if (i < length && bytes[i] === LF) {
          hadCrlf = true;
          i++;
        }
      } else i++;
      line++;
      break;
    }
    if (count === 1 && bounds.ends[0] === bounds.starts[0] && !bounds.quoted[0]) continue; // blank line
    records++;
    visit(bounds, count, recordLine, quoteLine);
  }
  return { hadByteOrderMark, hadCrlf, records, unterminatedQuoteLine };
}

/**
 * The text of the UTF-8 bytes `[start, end)`: a plain ASCII run is copied as Latin-1 into a flat
 * one-byte string (cheaper to make, to hash and to compare than a slice of a decoded text), anything
 * else is decoded as UTF-8 the way `readFileSync(path, 'utf8')` does.
 * @example bytesText(Buffer.from('a,’b'), 2, 6) // '’b'
 */
export function bytesText(bytes: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return bytes.toString('utf8', start, end);
  return HAS_LATIN1_SLICE
    ? (bytes as unknown as LatinSliceable).latin1Slice(start, end)
    : bytes.toString('latin1', start, end);
}

/** Node's Buffers have `latin1Slice`, what `toString('latin1', start, end)` calls after checking its arguments. */
interface LatinSliceable {
  latin1Slice(start: number, end: number): string;
}
const HAS_LATIN1_SLICE = typeof (Buffer.prototype as unknown as Partial<LatinSliceable>).latin1Slice === 'function';

/**
 * The text of field `index` of the current record, decoded, with doubled quotes undone.
 * @example fieldText(Buffer.from('"say ""hi"""'), { starts: Int32Array.of(1), ends: Int32Array.of(11), quoted: Uint8Array.of(1) }, 0) // 'say "hi"'
 */
export function fieldText(bytes: Buffer, bounds: FieldBounds, index: number): string {
  const value = bytesText(bytes, bounds.starts[index], bounds.ends[index]);
  return bounds.quoted[index] && value.includes('"') ? value.replace(/""/g, '"') : value;
}

/**
 * Reads fields of a column with few distinct values (genre, key, mode …) without making a new
 * string for each: a field equal to a value seen before returns that same string.
 * @example
 * const genres = new InternedField();
 * genres.read(bytes, bounds, 0) === genres.read(bytes, otherBounds, 0) // true when both say 'Pop'
 */
export class InternedField {
  private readonly seen = new Map<number, { bytes: Uint8Array; value: string }[]>();
  private count = 0;
  /** Give up interning after this many distinct values (the column is not low-cardinality). */
  constructor(private readonly limit = 256) {}

  read(bytes: Buffer, bounds: FieldBounds, index: number): string {
    const start = bounds.starts[index];
    const length = bounds.ends[index] - start;
    if (bounds.quoted[index] || this.count > this.limit) return fieldText(bytes, bounds, index);
    const key = length * 256 + (length > 0 ? bytes[start] : 0);
    const candidates = this.seen.get(key);
    if (candidates) {
      for (const candidate of candidates) {
        const known = candidate.bytes;
        let k = 1;
        while (k < length && known[k] === bytes[start + k]) k++;
        if (k >= length) return candidate.value;
      }
    }
    const value = bytesText(bytes, start, start + length);
    const entry = { bytes: new Uint8Array(bytes.subarray(start, start + length)), value };
    if (candidates) candidates.push(entry);
    else this.seen.set(key, [entry]);
    this.count++;
    return value;
  }
}

/**
 * Read a decimal number from the bytes `[start, end)` without making a string: returns NaN when
 * the field is not a plain decimal number (empty, words, hex, several dots …). Results are the
 * correctly rounded doubles `Number()` gives: the fast path multiplies or divides an exact integer
 * mantissa of at most 15 digits by an exact power of ten (Clinger's fast path); anything longer
 * goes through `Number()`.
 * @example parseNumberField(Buffer.from('x,8.19E-06,'), 2, 10) // 0.00000819
 */
export function parseNumberField(bytes: Buffer, start: number, end: number): number {
  let i = start;
  let negative = false;
  let code = i < end ? bytes[i] : -1;
  if (code === 45 /* - */ || code === 43 /* + */) {
    negative = code === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let sawDigit = false;
  while (i < end && (code = bytes[i]) >= 48 && code <= 57) {
    if (mantissa !== 0 || code !== 48) digits++;
    mantissa = mantissa * 10 + (code - 48);
    sawDigit = true;
    i++;
  }
  if (i < end && code === 46 /* . */) {
    i++;
    while (i < end && (code = bytes[i]) >= 48 && code <= 57) {
      if (mantissa !== 0 || code !== 48) digits++;
      mantissa = mantissa * 10 + (code - 48);
      fraction++;
      sawDigit = true;
      i++;
    }
  }
  if (!sawDigit) return slowNumber(bytes, start, end);
  let exponent = 0;
  if (i < end && (code === 101 || code === 69) /* e E */) {
    i++;
    let exponentNegative = false;
    code = i < end ? bytes[i] : -1;
    if (code === 45 || code === 43) {
      exponentNegative = code === 45;
      i++;
    }
    let exponentDigits = 0;
    while (i < end && (code = bytes[i]) >= 48 && code <= 57) {
      exponent = exponent * 10 + (code - 48);
      exponentDigits++;
      i++;
    }
    if (exponentDigits === 0) return NaN;
    if (exponentNegative) exponent = -exponent;
  }
  if (i !== end || digits > 15) return slowNumber(bytes, start, end);
  const scale = exponent - fraction;
  let value: number;
  if (scale === 0) value = mantissa;
  else if (scale > 0 && scale <= 22) value = mantissa * POWERS_OF_TEN[scale];
  else if (scale < 0 && scale >= -22) value = mantissa / POWERS_OF_TEN[-scale];
  else return slowNumber(bytes, start, end);
  return negative ? -value : value;
}

function slowNumber(bytes: Buffer, start: number, end: number): number {
  const raw = bytesText(bytes, start, end);
  return NUMBER_PATTERN.test(raw) ? Number(raw) : NaN;
}

/** The records of a CSV text as arrays of strings. */
export interface CsvRecords extends CsvScanInfo {
  /** Every record's fields, the header first. */
  rows: string[][];
  /** The 1-based line on which each record starts. */
  lines: number[];
}

/**
 * Split CSV text (or its UTF-8 bytes) into records of string fields (convenient for small texts and tests).
 * @example
 * parseCsvRecords('a,b\n1,"x, ""y"""\n').rows // [['a', 'b'], ['1', 'x, "y"']]
 */
export function parseCsvRecords(text: string | Buffer): CsvRecords {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const rows: string[][] = [];
  const lines: number[] = [];
  const info = scanCsv(bytes, (bounds, count, line) => {
    const fields = new Array<string>(count);
    for (let f = 0; f < count; f++) fields[f] = fieldText(bytes, bounds, f);
    rows.push(fields);
    lines.push(line);
  });
  return { ...info, rows, lines };
}
