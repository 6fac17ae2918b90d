/**
 * The nearest tracks of a catalogue by Gower distance, without a pass over every track: the
 * categorical features bound a track's distance from below (each one it does not share with the
 * query adds its full share; the numeric terms only add to that), so the tracks are grouped once
 * by their combination of categories ({@link CategoryBlocks}) and a query takes the groups in the
 * order of that bound, the tracks sharing every category first, and stops when the next group's
 * bound is beyond the farthest of the n kept. On a million tracks a query computes distances for a
 * few thousand: branch-and-bound pruning (Fukunaga & Narendra, IEEE Trans. Computers 24(7), 1975)
 * with the categories as the branches. The distances come from the same kernel on the same values,
 * so the result is the full pass's, bit for bit. Written here: no package searches a Gower metric.
 */
import { GowerMetric, GowerRows } from '../distance/gower-metric';

/** A bounded max-heap of the `count` nearest (distance, row) pairs so far, ties by row (the smaller row is nearer). */
export class NearestHeap {
  readonly rows: Int32Array;
  readonly distances: Float64Array;
  filled = 0;

  constructor(readonly count: number) {
    this.rows = new Int32Array(count);
    this.distances = new Float64Array(count);
  }

  /** The farthest distance kept once full (Infinity before): a row farther than it cannot enter. */
  bound(): number {
    return this.filled < this.count ? Infinity : this.distances[0];
  }

  /** Keeps (d, row) when it is among the `count` nearest so far. */
  offer(d: number, row: number): void {
    const { rows, distances, count } = this;
    // Is (d, r) farther than (e, s)?
    const farther = (d: number, r: number, e: number, s: number): boolean => d > e || (d === e && r > s);
    if (this.filled < count) {
      let c = this.filled++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (!farther(d, row, distances[parent], rows[parent])) break;
        distances[c] = distances[parent];
        rows[c] = rows[parent];
        c = parent;
      }
      distances[c] = d;
      rows[c] = row;
      return;
    }
    if (count === 0 || !farther(distances[0], rows[0], d, row)) return;
    let c = 0;
    for (;;) {
      let child = 2 * c + 1;
      if (child >= count) break;
      if (child + 1 < count && farther(distances[child + 1], rows[child + 1], distances[child], rows[child])) child++;
      if (!farther(distances[child], rows[child], d, row)) break;
      distances[c] = distances[child];
      rows[c] = rows[child];
      c = child;
    }
    distances[c] = d;
    rows[c] = row;
  }

  /** The rows kept and their distances, nearest first, ties by row. */
  sorted(): { rows: Int32Array; distances: Float64Array } {
    const order = Array.from({ length: this.filled }, (_, p) => p).sort(
      (a, b) => this.distances[a] - this.distances[b] || this.rows[a] - this.rows[b],
    );
    return {
      rows: Int32Array.from(order, (p) => this.rows[p]),
      distances: Float64Array.from(order, (p) => this.distances[p]),
    };
  }
}

/**
 * The tracks grouped by their combination of categorical features (the blocks of a counting sort),
 * made once per catalogue.
 * @example CategoryBlocks.of(metric, metric.rows)?.combinations // 3,240 at most for genre × key × mode × time signature
 */
export class CategoryBlocks {
  private constructor(
    /** The categorical features, as positions in the metric's features. */
    readonly features: readonly number[],
    /** Each combination's codes, `features.length` per combination. */
    readonly codes: Int32Array,
    /** The combination of each row. */
    readonly combinationOf: Int32Array,
    /** Where each combination's rows start in `rows` (one more entry: the end). */
    readonly starts: Int32Array,
    /** The rows, combination by combination, in row order within each. */
    readonly rows: Int32Array,
  ) {}

  /** The number of combinations. */
  get combinations(): number {
    return this.starts.length - 1;
  }

  /**
   * The blocks of encoded rows, or null where they do not help: rows with missing values (the
   * bound needs every feature), no categorical feature, or more than 16 of them.
   */
  static of(metric: GowerMetric, rows: GowerRows): CategoryBlocks | null {
    const features = metric.specs.flatMap((spec, f) => (spec.kind === 'categorical' ? [f] : []));
    if (rows.hasMissing || features.length === 0 || features.length > 16) return null;
    const n = rows.size;
    const columns = features.map((f) => rows.values[f] as Int32Array);
    // a number per combination (mixed radix over the codes), or a text when that could overflow
    const radix = columns.map((column) => column.reduce((most, code) => Math.max(most, code), 0) + 1);
    const numeric = radix.reduce((product, r) => product * r, 1) < 2 ** 31;
    const ids = new Map<number | string, number>();
    const combinationOf = new Int32Array(n);
    const codes: number[] = [];
    for (let j = 0; j < n; j++) {
      let key: number | string = numeric ? 0 : '';
      for (let i = 0; i < columns.length; i++)
        key = numeric ? (key as number) * radix[i] + columns[i][j] : `${key}${columns[i][j]},`;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
        for (const column of columns) codes.push(column[j]);
      }
      combinationOf[j] = id;
    }
    const starts = new Int32Array(ids.size + 1);
    for (let j = 0; j < n; j++) starts[combinationOf[j] + 1]++;
    for (let k = 0; k < ids.size; k++) starts[k + 1] += starts[k];
    const next = starts.slice(0, ids.size);
    const grouped = new Int32Array(n);
    for (let j = 0; j < n; j++) grouped[next[combinationOf[j]]++] = j;
    return new CategoryBlocks(features, Int32Array.from(codes), combinationOf, starts, grouped);
  }
}

/**
 * The `count` rows nearest to row `query` by the metric (NaN counted as 1, as `gower_topn` does),
 * leaving `query` out, nearest first and ties by row, with their distances: group by group of
 * {@link CategoryBlocks} when given (see the file header), else one pass over every row.
 * @param buffer room for one distance per row
 */
export function nearestTracks(
  metric: GowerMetric,
  rows: GowerRows,
  query: number,
  count: number,
  buffer: Float64Array,
  blocks: CategoryBlocks | null,
): { rows: Int32Array; distances: Float64Array } {
  const heap = new NearestHeap(count);
  if (blocks === null) {
    const distances = metric.distanceToRows(rows, query, rows, buffer);
    for (let row = 0; row < distances.length; row++) {
      if (row === query) continue;
      const d = distances[row];
      heap.offer(d === d ? d : 1, row);
    }
    return heap.sorted();
  }
  const c = blocks.features.length;
  const shares = blocks.features.map((f) => metric.specs[f].share);
  // each combination's differences from the query's, as bits (a feature of weight 0 never differs)
  const own = blocks.combinationOf[query];
  const byMask = new Map<number, number[]>();
  for (let k = 0; k < blocks.combinations; k++) {
    let mask = 0;
    for (let i = 0; i < c; i++)
      if (shares[i] > 0 && blocks.codes[k * c + i] !== blocks.codes[own * c + i]) mask |= 1 << i;
    const list = byMask.get(mask);
    if (list) list.push(k);
    else byMask.set(mask, [k]);
  }
  const lowest = (mask: number): number => shares.reduce((sum, share, i) => (mask & (1 << i) ? sum + share : sum), 0);
  const masks = [...byMask.keys()].sort((a, b) => lowest(a) - lowest(b) || a - b);
  for (let g = 0; g < masks.length; g++) {
    const combinations = byMask.get(masks[g])!;
    const size = combinations.reduce((sum, k) => sum + blocks.starts[k + 1] - blocks.starts[k], 0);
    const picked = new Int32Array(size);
    let at = 0;
    for (const k of combinations) {
      picked.set(blocks.rows.subarray(blocks.starts[k], blocks.starts[k + 1]), at);
      at += blocks.starts[k + 1] - blocks.starts[k];
    }
    const distances = metric.distanceToRows(rows, query, gatherRows(rows, picked), buffer.subarray(0, size));
    for (let m = 0; m < size; m++) if (picked[m] !== query) heap.offer(distances[m], picked[m]);
    // the rows of the next groups are at least as far as their bound (rounding stays far below the margin)
    if (g + 1 < masks.length && heap.bound() < lowest(masks[g + 1]) - 1e-9) break;
  }
  return heap.sorted();
}

/** The rows `picked` of encoded rows without missing values, as encoded rows of their own. */
function gatherRows(rows: GowerRows, picked: Int32Array): GowerRows {
  const values = rows.values.map((column) =>
    column instanceof Float64Array ? gatherNumbers(column, picked) : gatherCodes(column, picked),
  );
  return { size: picked.length, values, missing: rows.missing, hasMissing: false, withinRange: rows.withinRange };
}

// one loop per array type, so that each stays monomorphic
function gatherNumbers(column: Float64Array, picked: Int32Array): Float64Array {
  const out = new Float64Array(picked.length);
  for (let i = 0; i < picked.length; i++) out[i] = column[picked[i]];
  return out;
}

function gatherCodes(column: Int32Array, picked: Int32Array): Int32Array {
  const out = new Int32Array(picked.length);
  for (let i = 0; i < picked.length; i++) out[i] = column[picked[i]];
  return out;
}
