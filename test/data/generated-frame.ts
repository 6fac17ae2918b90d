/**
 * The loader's DataFrame of a generated file, made without reading a file: the loader is
 * asynchronous (DuckDB), and many tests need the frame of `spotifyCsvText(rows)` at module level.
 * test/data/loader.test.ts checks that the loader reads that file to exactly this frame.
 */
import { DataFrame } from 'danfojs-node';
import { spotifyCsvColumns, TrackRow } from '../../lib/data/synthetic';
import { COLUMN_TYPES, frameFromColumns } from '../../lib/data/frame';
import { SPOTIFY_COLUMNS, SPOTIFY_COLUMN_NAMES } from '../../lib/data/schema';

/** What `loadSpotifyCsv` gives for `spotifyCsvText(rows)`. */
export function generatedFrame(rows: readonly TrackRow[]): DataFrame {
  return frameFromColumns(
    spotifyCsvColumns(rows),
    SPOTIFY_COLUMN_NAMES,
    SPOTIFY_COLUMNS.map((c) => COLUMN_TYPES[c.kind].dtype),
  );
}
