/**
 * The seed's cleaning steps on a tracks DataFrame: drop repeated `track_id`s keeping the first
 * (a track filed under several genres appears once per genre), and keep the tracks whose
 * popularity is above a threshold. Both work on the frame's rows directly and build the result
 * with its dtypes, which is several times faster than danfojs' own `query`.
 */
import { DataFrame } from 'danfojs-node';
import { frameFromRows } from './loader';

function columnIndex(df: DataFrame, name: string): number {
  const index = df.columns.indexOf(name);
  if (index < 0) throw new Error(`The frame has no column '${name}'; it has ${df.columns.join(', ')}.`);
  return index;
}

/**
 * A new frame of the rows at `positions` (copies, so the two frames never share a row).
 * @example takeRows(df, [0, 2]).shape // [2, 18]
 */
export function takeRows(df: DataFrame, positions: ArrayLike<number>): DataFrame {
  const all = df.values as unknown as (string | number)[][];
  const rows = new Array<(string | number)[]>(positions.length);
  for (let k = 0; k < positions.length; k++) rows[k] = all[positions[k]].slice();
  return frameFromRows(rows, df.columns, df.dtypes as string[]);
}

/**
 * Drop rows whose `column` value was seen on an earlier row: pandas'
 * `drop_duplicates(subset=[column], keep="first")`.
 * @example dropDuplicateTracks(df).dropped // 4 when four rows repeat an earlier track_id
 */
export function dropDuplicateTracks(df: DataFrame, column = 'track_id'): { df: DataFrame; dropped: number } {
  const index = columnIndex(df, column);
  const rows = df.values as unknown as (string | number)[][];
  const seen = new Set<string | number>();
  const keep: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    const id = rows[r][index];
    if (seen.has(id)) continue;
    seen.add(id);
    keep.push(r);
  }
  return { df: takeRows(df, keep), dropped: rows.length - keep.length };
}

/**
 * Keep the tracks with popularity strictly above `minimum` (the seed keeps `popularity > 10`).
 * @example keepPopularTracks(df, 10).shape[0] // tracks with popularity 11 and up
 */
export function keepPopularTracks(df: DataFrame, minimum: number, column = 'popularity'): DataFrame {
  if (!Number.isFinite(minimum)) throw new Error(`The popularity threshold must be a number, got ${minimum}.`);
  const index = columnIndex(df, column);
  const rows = df.values as unknown as (string | number)[][];
  const keep: number[] = [];
  for (let r = 0; r < rows.length; r++) if ((rows[r][index] as number) > minimum) keep.push(r);
  return takeRows(df, keep);
}

/**
 * The rows of one track (all its genres before de-duplication).
 * @example rowsOfTrack(df, '6iOvnACn4ChlAw4lWUU4dd').shape[0] // 3 in the bundled sample
 */
export function rowsOfTrack(df: DataFrame, trackId: string, column = 'track_id'): DataFrame {
  const index = columnIndex(df, column);
  const rows = df.values as unknown as (string | number)[][];
  const keep: number[] = [];
  for (let r = 0; r < rows.length; r++) if (rows[r][index] === trackId) keep.push(r);
  return takeRows(df, keep);
}

/**
 * A track filed under several genres: `preferred` when it is one, else the first such track in
 * file order, else null.
 * @example multiGenreTrackId(df, '6iOvnACn4ChlAw4lWUU4dd') // '6iOvnACn4ChlAw4lWUU4dd' when it repeats
 */
export function multiGenreTrackId(df: DataFrame, preferred?: string, column = 'track_id'): string | null {
  const index = columnIndex(df, column);
  const rows = df.values as unknown as (string | number)[][];
  const counts = new Map<string, number>();
  for (const row of rows) { const id = String(row[index]); counts.set(id, (counts.get(id) ?? 0) + 1); }
  if (preferred !== undefined && (counts.get(preferred) ?? 0) > 1) return preferred;
  for (const [id, count] of counts) if (count > 1) return id;
  return null;
}
