/**
 * Text columns packed into a few long strings (blocks of rows) with where each value starts,
 * instead of one JavaScript string per value (some 40 bytes each, and a value split from a larger
 * string keeps all of it alive): at a million tracks the ids, names and artists cost a few long
 * strings and an Int32Array. A value is cut out of its pack when asked for. `readStoredTracks`
 * (lib/data/stored-tracks.ts) fills one from blocks DuckDB joins with `string_agg`. Written here:
 * the layout is the project's own; no npm package packs strings so.
 */

/** Text of one row (null where the table holds NULL). */
export interface RowText {
  get(row: number): string | null;
}

/** One packed column: its values row by row, or all of them in row order (made when asked for). */
export interface TextColumn extends RowText {
  values(): (string | null)[];
}

/**
 * The last place among the first `end` of `sorted` (ascending) whose entry is at most `value`
 * (0 when none is), by bisection.
 * @example lastAtMost(Int32Array.of(0, 4, 9), 5) // 1
 */
export function lastAtMost(sorted: Int32Array, value: number, end = sorted.length): number {
  let low = 0;
  let high = end - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (sorted[middle] <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The character between values in a pack (U+001F, the unit separator). */
export const SEPARATOR = '\u001f';

/**
 * Text of `width` columns packed into a few strings (blocks of rows): the values of a row follow
 * one another, every value ended by a separator (U+001F) but the block's last, so value `t` of row
 * `p` (in packing order) starts at `starts[p * width + t]` of its block and ends one character
 * before the next value starts (the block's end for its last value). Rows of the table map to
 * packing order through `position`.
 */
export class TextPack {
  constructor(
    private readonly blocks: readonly string[],
    /** The packing position of each block's first row (one more entry: the number of rows). */
    private readonly blockStarts: Int32Array,
    readonly width: number,
    private readonly starts: Int32Array,
    /** One flag per value: 1 where the table holds NULL (null when there is none). */
    private readonly nulls: Uint8Array | null,
    /** The packing position of each row. */
    private readonly position: Int32Array,
  ) {}

  /** The number of rows. */
  get size(): number {
    return this.position.length;
  }

  /** Value `t` of row `row`. */
  get(row: number, t: number): string | null {
    const p = this.position[row];
    const v = p * this.width + t;
    if (this.nulls !== null && this.nulls[v] === 1) return null;
    const { blockStarts } = this;
    const block = lastAtMost(blockStarts, p, blockStarts.length - 1);
    const text = this.blocks[block];
    const last = t === this.width - 1 && p + 1 === blockStarts[block + 1];
    return text.slice(this.starts[v], last ? text.length : this.starts[v + 1] - 1);
  }

  /** Column `t` on its own. */
  column(t: number): TextColumn {
    return {
      get: (row) => this.get(row, t),
      values: () => Array.from({ length: this.position.length }, (_, row) => this.get(row, t)),
    };
  }
}

/** Builds a {@link TextPack}, row by row or block by block, in packing order. */
export class TextPacker {
  private readonly blocks: string[] = [];
  private readonly blockStarts: number[] = [0];
  private parts: string[] = [];
  /** Where the next row of the open block starts in it. */
  private at = 0;
  private count = 0;
  private readonly starts: Int32Array;
  private nulls: Uint8Array | null = null;

  constructor(
    readonly size: number,
    readonly width: number,
  ) {
    this.starts = new Int32Array(size * width);
  }

  /** Adds a row given as its values (null for NULL) to the open block. */
  addRow(values: readonly (string | null)[]): void {
    this.checkRoom(1);
    const base = this.count * this.width;
    for (let t = 0; t < this.width; t++) {
      const value = values[t];
      this.starts[base + t] = this.at;
      if (value === null) this.markNull(base + t);
      this.parts.push(value ?? '');
      this.at += (value ?? '').length + 1;
    }
    this.count++;
  }

  /**
   * Adds a block of `rows` rows given as all their values joined by U+001F (none of which holds
   * it), with each row's NULL values as bits (bit t for value t; none when omitted).
   */
  addBlock(text: string, rows: number, nullBits?: ArrayLike<number>): void {
    this.endBlock();
    if (rows === 0) return;
    this.checkRoom(rows);
    const base = this.count * this.width;
    const values = rows * this.width;
    const uneven = (): Error =>
      new Error(`A block of ${rows} rows of ${this.width} values does not have one separator between values.`);
    let at = 0;
    for (let v = 0; v < values; v++) {
      this.starts[base + v] = at;
      if (v + 1 === values) break;
      const next = text.indexOf(SEPARATOR, at);
      if (next < 0) throw uneven();
      at = next + 1;
    }
    if (text.indexOf(SEPARATOR, at) >= 0) throw uneven();
    if (nullBits !== undefined)
      for (let r = 0; r < rows; r++) {
        const bits = nullBits[r];
        if (bits !== 0)
          for (let t = 0; t < this.width; t++) if (bits & (1 << t)) this.markNull(base + r * this.width + t);
      }
    this.count += rows;
    this.blocks.push(text);
    this.blockStarts.push(this.count);
  }

  /** Closes the open block (a block of the rows added by {@link addRow} since the last one). */
  endBlock(): void {
    if (this.parts.length === 0) return;
    this.blocks.push(this.parts.join(SEPARATOR));
    this.blockStarts.push(this.count);
    this.parts = [];
    this.at = 0;
  }

  private checkRoom(rows: number): void {
    if (this.count + rows > this.size) throw new Error(`The text pack holds ${this.size} rows; more were added.`);
  }

  private markNull(v: number): void {
    (this.nulls ??= new Uint8Array(this.size * this.width))[v] = 1;
  }

  /** The pack, its rows mapped to table rows by `position` (packing order by default). */
  finish(position?: Int32Array): TextPack {
    this.endBlock();
    if (this.count !== this.size) throw new Error(`The text pack got ${this.count} rows of ${this.size}.`);
    const order = position ?? Int32Array.from({ length: this.size }, (_, p) => p);
    return new TextPack(this.blocks, Int32Array.from(this.blockStarts), this.width, this.starts, this.nulls, order);
  }
}
