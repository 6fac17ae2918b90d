/**
 * Line numbers DuckDB's CSV reader cannot give: where each record of a CSV text starts, and what
 * one record at a known offset holds (its fields, and whether a quote in it runs over line breaks or
 * to the end of the file). DuckDB reads the file (lib/data/loader.ts); these byte scans run only
 * when a message must name a line (a refused value, a skipped row, an example in a note), so a clean
 * file never pays for them. DuckDB's own line numbers leave out the line breaks inside quoted
 * fields, and it reports no line for the rows it reads; RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180)
 * quoting rules are all these scans need, so they are written here.
 */
import type { CsvBytes } from './csv-file';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * The 1-based line on which each record starts, blank lines skipped (as DuckDB skips them), the
 * header first. A quote toggles "inside a field": a doubled quote toggles twice.
 * @example recordStartLines(Buffer.from('a,b\n1,"x\ny"\n\n3,4\n')) // Int32Array [1, 2, 5]
 */
export function recordStartLines(bytes: Uint8Array): Int32Array {
  let out = new Int32Array(1024);
  let count = 0;
  let line = 1;
  let quoted = false;
  let atStart = true; // at the first byte of a record (or of a blank line)
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (atStart) {
      if (b === LF) {
        line++;
        continue;
      }
      if (b === CR && bytes[i + 1] === LF) continue;
      if (count === out.length) {
        const grown = new Int32Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[count++] = line;
      atStart = false;
    }
    if (b === QUOTE) quoted = !quoted;
    else if (b === LF) {
      line++;
      if (!quoted) atStart = true;
    }
  }
  return out.subarray(0, count);
}

/** One record read from a byte offset. */
export interface RecordAt {
  /** The fields, quotes undone (a field with text after its closing quote is kept as written). */
  fields: string[];
  /** The line on which a quoted field that runs over a line break opens; 0 when none does. */
  quoteLine: number;
  /** Line feeds inside the record (before its last field ends). */
  swallowed: number;
  /** True when its last field is a quote that never closes before the end of the bytes. */
  unterminated: boolean;
  /** The offset just after the record and its line break: where the next record starts. */
  next: number;
}

/**
 * Read the record that starts at byte `offset` (on line `line`).
 * @example readRecordAt(Buffer.from('x\n1,"a ""b""",3\n'), 2, 2).fields // ['1', 'a "b"', '3']
 */
export function readRecordAt(bytes: Uint8Array, offset: number, line = 1): RecordAt {
  const text = (from: number, to: number): string =>
    Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('utf8');
  const fields: string[] = [];
  let quoteLine = 0;
  let swallowed = 0;
  let unterminated = false;
  let i = offset;
  let next = bytes.length;
  for (;;) {
    if (bytes[i] === QUOTE) {
      const openLine = line + swallowed;
      let close = i + 1;
      for (;;) {
        while (close < bytes.length && bytes[close] !== QUOTE) {
          if (bytes[close] === LF) swallowed++;
          close++;
        }
        if (close + 1 < bytes.length && bytes[close + 1] === QUOTE) {
          close += 2;
          continue;
        }
        break;
      }
      if (openLine !== line + swallowed && quoteLine === 0) quoteLine = openLine;
      if (close >= bytes.length) {
        unterminated = true;
        fields.push(text(i + 1, bytes.length).replace(/""/g, '"'));
        if (bytes[bytes.length - 1] === LF) swallowed--; // a line feed that ends the file swallows nothing
        i = bytes.length;
        break;
      }
      let end = close + 1;
      while (end < bytes.length && bytes[end] !== COMMA && bytes[end] !== LF && bytes[end] !== CR) end++;
      fields.push(end > close + 1 ? text(i, end) : text(i + 1, close).replace(/""/g, '"'));
      i = end;
    } else {
      let end = i;
      while (end < bytes.length && bytes[end] !== COMMA && bytes[end] !== LF && bytes[end] !== CR) end++;
      fields.push(text(i, end));
      i = end;
    }
    if (i < bytes.length && bytes[i] === COMMA) {
      i++;
      continue;
    }
    if (i < bytes.length) next = bytes[i] === CR && bytes[i + 1] === LF ? i + 2 : i + 1;
    break;
  }
  return { fields, quoteLine, swallowed, unterminated, next };
}

/** The byte offset at which line `line` (1-based) starts. */
export function offsetOfLine(bytes: Uint8Array, line: number): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const at = buffer.indexOf(10, offset);
    if (at < 0) return bytes.length;
    offset = at + 1;
  }
  return offset;
}

/**
 * The line of each row of the loader's table of complete rows (lib/data/loader.ts), the rows DuckDB
 * rejected left out: where each data record starts, found once, when a message first needs a line.
 */
export class StagedLines {
  private starts: Int32Array | null = null;
  private rejected: number[] = [];
  constructor(private readonly input: CsvBytes) {}

  /** The start lines of the records DuckDB rejected (they are not rows of the staging table). */
  setRejected(lines: number[]): void {
    this.rejected = [...lines].sort((a, b) => a - b);
  }

  /** The line on which staged row `row` (its rowid) starts. */
  ofRow(row: number): number {
    this.starts ??= recordStartLines(this.input.whole());
    // the row-th data record (header excluded) that DuckDB did not reject
    let index = row + 1;
    for (const line of this.rejected) {
      if (line <= this.starts[index]) index++;
      else break;
    }
    return this.starts[Math.min(index, this.starts.length - 1)];
  }

  /** The text of field `field` (0-based) of staged row `row`, as written in the file. */
  fieldOfRow(row: number, field: number): string {
    const line = this.ofRow(row);
    const bytes = this.input.whole();
    return readRecordAt(bytes, offsetOfLine(bytes, line), line).fields[field] ?? '';
  }
}
