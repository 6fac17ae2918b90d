/**
 * The light columns of a tracks frame without a database: what `readStoredTracks` gives for the
 * frame's tracks once stored (numbers in Float64Arrays with NaN for null, the categorical features
 * as codes), with the distinct values in reverse order of first appearance, so a test cannot pass
 * by codes that happen to equal a fit's.
 */
import { FrameLike, frameColumn } from '../../lib/data/frame';
import { CATEGORICAL_FEATURES, SPOTIFY_COLUMNS } from '../../lib/data/schema';
import { CodedColumn, StoredTracks } from '../../lib/data/stored-tracks';

export function storedTracksOf(frame: FrameLike, dbPath = 'not-a-database.duckdb'): StoredTracks {
  const numbers: Record<string, Float64Array> = {};
  const categories: Record<string, CodedColumn> = {};
  const withNulls = new Set<string>();
  for (const { name, kind } of SPOTIFY_COLUMNS) {
    if (kind === 'text') continue;
    numbers[name] = Float64Array.from(frameColumn(frame, name), (value) => {
      if (value === null || value === undefined) withNulls.add(name);
      return value === null || value === undefined ? NaN : Number(value);
    });
  }
  for (const name of CATEGORICAL_FEATURES) {
    const column = Array.from(frameColumn(frame, name), (value) => (value === null ? null : String(value)));
    const values = [...new Set(column)].reverse();
    const codeOf = new Map(values.map((value, code) => [value, code]));
    categories[name] = { codes: Int32Array.from(column, (value) => codeOf.get(value)!), values };
  }
  const ids = Array.from(frameColumn(frame, 'track_id'), String);
  return new StoredTracks({ dbPath, ids, numbers, categories, withNulls });
}
