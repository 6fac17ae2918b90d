/**
 * The catalogue: every stored track read once into light columns (lib/catalogue/catalogue-columns.ts,
 * on the one reader of the `track` table, lib/data/stored-tracks.ts), with a text search and a
 * "similar tracks" lookup by Gower distance.
 *
 * - `search(text)`: tracks whose name or artist contains the text, without case or accents
 *   ("Beyonce" finds "Beyoncé"), most popular first.
 * - `similar(trackId, n)`: the n tracks nearest by Gower distance over the 15 clustering features
 *   with the catalogue's ranges, as the Python `gower` package's `gower_topn` (Gower 1971,
 *   https://doi.org/10.2307/2528823) but without the track itself and with ties by track id; each
 *   result gives each feature's share of the distance.
 * - `playlist(seed, n)`: tracks near one or more tracks or a stored cluster (lib/catalogue/playlist.ts).
 * Written here because no npm package has `gower_topn`; the Gower metric is fitted once
 * (lib/distance/gower-metric.ts) and a bounded heap keeps the n nearest. Details: docs/catalogue.md.
 */
import { CATEGORICAL_FEATURES, NUMERIC_FEATURES, SPOTIFY_COLUMNS } from '../data/schema';
import { lastAtMost } from '../data/text-pack';
import { fitGower, GowerMetric, GowerRows } from '../distance/gower-metric';
import { buildPlaylist, Playlist, PlaylistOptions, PlaylistSeed } from './playlist';
import { CategoryBlocks, nearestTracks } from './nearest';
import { NO_CLUSTERS, StoredCluster, StoredClusters } from './playlist-clusters';
import {
  arrayColumn,
  CatalogueColumn,
  CatalogueColumns,
  fromTrackColumns,
  IdIndex,
  readCatalogueColumns,
  RowText,
} from './catalogue-columns';

/** The stored tracks column by column: numbers in Float64Arrays (NaN for NULL), text in arrays. */
export interface TrackColumns {
  /** The number of tracks. */
  readonly size: number;
  /** The column names, in table order. */
  readonly names: readonly string[];
  /** One array per column, `size` values each, in `track_id` order. */
  readonly columns: Readonly<Record<string, Float64Array | (string | null)[]>>;
}

/** One stored track: every column of the `track` table. */
export type CatalogueTrack = Record<string, string | number | null>;

/** A feature's part in the distance between the query track and a similar track. */
export interface FeatureDifference {
  /** The feature's name. */
  readonly feature: string;
  /** The query track's value. */
  readonly query: string | number | null;
  /** The similar track's value. */
  readonly track: string | number | null;
  /** The feature's share of the distance (the shares of all features add up to it). */
  readonly contribution: number;
}

/** One result of `similar`. */
export interface SimilarTrack {
  readonly track_id: string;
  readonly track_name: string | null;
  readonly artist_name: string | null;
  readonly genre: string | null;
  /** The Gower distance to the query track, in [0, 1]. */
  readonly distance: number;
  /** The features that add most to the distance, largest first (features that differ at all). */
  readonly differs: readonly FeatureDifference[];
}

/** Options of `similar`; every field is optional. */
export interface SimilarOptions {
  /** Weight per feature name, as `gowerMatrix` takes them (finite, ≥ 0); default 1 for every feature. */
  weights?: Readonly<Record<string, number>>;
  /** How many differing features each result lists (default 3). */
  differences?: number;
}

/** The defaults of {@link SimilarOptions}. */
export const SIMILAR_DEFAULTS = Object.freeze({ differences: 3 });

/** What {@link loadCatalogue} returns. */
export interface Catalogue {
  /** The number of stored tracks. */
  readonly size: number;
  /** The 15 features `similar` compares, in table order. */
  readonly features: readonly string[];
  /**
   * Tracks whose name or artist contains `text`, ignoring case and accents, most popular first
   * (ties by track id); at most `limit` (default 10). An empty text matches every track.
   */
  search(text: string, limit?: number): CatalogueTrack[];
  /** The `n` (default 10) stored tracks nearest to `trackId` by Gower distance, nearest first, the track itself left out. */
  similar(trackId: string, n?: number, options?: SimilarOptions): SimilarTrack[];
  /** Every column of one stored track. */
  track(trackId: string): CatalogueTrack;
  /**
   * Up to `n` tracks near a seed (track ids, or a stored cluster `{ kmeans: c }` / `{ kmedoids: c }`),
   * a few per artist, one version per song, neighbours alike (lib/catalogue/playlist.ts).
   */
  playlist(seed: PlaylistSeed, n: number, options?: PlaylistOptions): Playlist;
  /** The stored clusters of one clustering (empty when it is not stored), by id, with their names. */
  clusters(kind: 'kmeans' | 'kmedoids'): StoredCluster[];
}

/** The features `similar` compares: the 15 clustering features, in the table's column order. */
const CATALOGUE_FEATURES: readonly string[] = SPOTIFY_COLUMNS.map((c) => c.name).filter(
  (name) => CATEGORICAL_FEATURES.includes(name) || NUMERIC_FEATURES.includes(name),
);

/**
 * Opens the catalogue: reads every stored track and both stored clusterings once
 * (`readCatalogueColumns`: numbers in typed arrays, categories as codes, text packed; a process
 * peak of about 0.8 GB for 1.25 million tracks, 2 GB before) and returns an object that searches them and finds similar ones (see
 * the file header). It answers exactly as `catalogueFromColumns` on the same tracks in plain arrays.
 * @param dbPath the DuckDB file notebook 01 wrote
 * @example
 * const catalogue = await loadCatalogue(DB_NAME);
 * const [hit] = catalogue.search('beyonce', 1);           // accents and case ignored
 * catalogue.similar(String(hit.track_id), 10)[0].distance; // the nearest other track
 */
export async function loadCatalogue(dbPath: string): Promise<Catalogue> {
  const { columns, clusters } = await readCatalogueColumns(dbPath);
  return catalogueOf(columns, clusters);
}

/**
 * The catalogue of tracks already in columns (plain arrays: any columns holding `track_id`, `track_name`, `artist_name`, `popularity` and the 15 features), with
 * the stored clusters playlists can be seeded on (none by default).
 * @example
 * catalogueFromColumns({ size: 2, names, columns }).similar('a', 1)[0].track_id // 'b'
 */
export function catalogueFromColumns(data: TrackColumns, clusters: StoredClusters = NO_CLUSTERS): Catalogue {
  return catalogueOf(fromTrackColumns(data), clusters);
}

/** The catalogue of light columns (lib/catalogue/catalogue-columns.ts): see {@link catalogueFromColumns}. */
function catalogueOf(data: CatalogueColumns, clusters: StoredClusters): Catalogue {
  const { size, names } = data;
  for (const name of ['track_id', 'track_name', 'artist_name', 'popularity', ...CATALOGUE_FEATURES]) {
    if (!(name in data.columns))
      throw new Error(
        `The tracks have no column "${name}", which the catalogue needs; its columns are ${names.join(', ')}.`,
      );
  }
  const ids = data.columns.track_id as RowText;
  const index = new IdIndex(ids, size, data.idsInOrder === true);
  const featureColumns: Record<string, ArrayLike<unknown>> = {};
  for (const name of CATALOGUE_FEATURES) featureColumns[name] = data.columns[name].values();
  const metric = fitGower(featureColumns, { columns: CATALOGUE_FEATURES, categorical: CATEGORICAL_FEATURES });
  const rows = metric.rows;
  // the numeric features as the metric holds them (the same numbers), so that they are kept once
  const columns: Record<string, CatalogueColumn> = { ...data.columns };
  CATALOGUE_FEATURES.forEach((name, f) => {
    if (columns[name].numbers !== undefined) columns[name] = arrayColumn(rows.values[f] as Float64Array);
  });
  const buffer = new Float64Array(size);
  // built on the first similar(): the tracks grouped by their categories
  let categoryBlocks: CategoryBlocks | null | undefined;
  const blocks = (): CategoryBlocks | null => (categoryBlocks ??= CategoryBlocks.of(metric, rows));
  const popularity = rows.values[CATALOGUE_FEATURES.indexOf('popularity')] as Float64Array;
  const text = (name: string): RowText => columns[name] as RowText;

  // Built on the first search: the rows by popularity, and each row's folded name and artist in one string.
  let rankOf: Int32Array | undefined;
  let byPopularity: Int32Array | undefined;
  let haystack: { text: string; starts: Int32Array } | undefined;
  const rowIndex = (trackId: string): number => {
    const row = typeof trackId === 'string' ? index.row(trackId) : undefined;
    if (row === undefined) {
      throw new Error(
        `No stored track has the id ${JSON.stringify(trackId)}; find a track's id with search(text), by a part of its name or artist.`,
      );
    }
    return row;
  };
  const record = (row: number): CatalogueTrack => {
    const out: CatalogueTrack = {};
    for (const name of names) {
      const value = columns[name].get(row);
      out[name] = typeof value === 'number' && Number.isNaN(value) ? null : value;
    }
    return out;
  };

  return {
    size,
    features: CATALOGUE_FEATURES,
    search(query: string, limit = 10): CatalogueTrack[] {
      if (typeof query !== 'string') throw new Error(`search needs a text to look for, got ${String(query)}.`);
      checkCount(limit, 'limit');
      if (byPopularity === undefined || rankOf === undefined) {
        byPopularity = popularityOrder(popularity);
        rankOf = new Int32Array(size);
        for (let p = 0; p < size; p++) rankOf[byPopularity[p]] = p;
      }
      const needle = foldText(query).replace(/[\n\u0000]/g, ' ');
      if (needle === '') return Array.from(byPopularity.subarray(0, limit), record);
      if (haystack === undefined) haystack = buildHaystack(size, text('track_name'), text('artist_name'));
      const { text: hay, starts } = haystack;
      const found: number[] = [];
      for (let at = hay.indexOf(needle); at >= 0;) {
        const row = lastAtMost(starts, at);
        found.push(row);
        at = row + 1 < size ? hay.indexOf(needle, starts[row + 1]) : -1;
      }
      const ranks = rankOf;
      found.sort((a, b) => ranks[a] - ranks[b]);
      return found.slice(0, limit).map(record);
    },
    similar(trackId: string, n = 10, options: SimilarOptions = {}): SimilarTrack[] {
      const query = rowIndex(trackId);
      checkCount(n, 'n');
      const differences = options.differences ?? SIMILAR_DEFAULTS.differences;
      checkCount(differences, 'differences', 0);
      const used = options.weights === undefined ? metric : metric.withWeights(options.weights);
      const nearest = nearestTracks(used, rows, query, Math.min(n, size - 1), buffer, blocks());
      return Array.from(nearest.rows, (row, i) => ({
        track_id: ids.get(row) as string,
        track_name: text('track_name').get(row),
        artist_name: text('artist_name').get(row),
        genre: text('genre').get(row),
        distance: nearest.distances[i],
        differs: featureDifferences(used, rows, query, row, differences),
      }));
    },
    track(trackId: string): CatalogueTrack {
      return record(rowIndex(trackId));
    },
    playlist(seed: PlaylistSeed, n: number, options: PlaylistOptions = {}): Playlist {
      const durations = columns.duration_ms.numbers;
      return buildPlaylist(
        {
          size,
          ids,
          names: text('track_name'),
          artists: text('artist_name'),
          genres: text('genre'),
          durations,
          metric,
          rows,
          clusters,
          rowIndex,
        },
        seed,
        n,
        options,
      );
    },
    clusters(kind: 'kmeans' | 'kmedoids'): StoredCluster[] {
      if (kind !== 'kmeans' && kind !== 'kmedoids')
        throw new Error(`clusters takes 'kmeans' or 'kmedoids', got ${JSON.stringify(kind)}.`);
      return [...clusters[kind].values()];
    },
  };
}

/**
 * Every row's folded name and artist (`name\nartist`), joined by NUL, with where each row starts
 * (joined a block of rows at a time, so that only one block's parts are held at once).
 */
function buildHaystack(size: number, names: RowText, artists: RowText): { text: string; starts: Int32Array } {
  const blocks: string[] = [];
  const starts = new Int32Array(size);
  let at = 0;
  for (let from = 0; from < size; from += HAYSTACK_BLOCK) {
    const parts: string[] = [];
    for (let i = from; i < Math.min(size, from + HAYSTACK_BLOCK); i++) {
      const part = `${foldText(names.get(i) ?? '')}\n${foldText(artists.get(i) ?? '')}`;
      starts[i] = at;
      parts.push(part);
      at += part.length + 1;
    }
    blocks.push(parts.join('\u0000'));
  }
  return { text: blocks.join('\u0000'), starts };
}

const HAYSTACK_BLOCK = 65536;

/**
 * Text compared without case or accents: Unicode NFD, combining marks removed, lower case.
 * @example foldText('Beyoncé') // 'beyonce'
 */
export function foldText(value: string): string {
  // eslint-disable-next-line no-control-regex -- plain ASCII has no accents to remove
  if (!/[^\u0000-\u007f]/.test(value)) return value.toLowerCase();
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function checkCount(value: number, name: string, minimum = 1): void {
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(`${name} must be a whole number of at least ${minimum}, got ${String(value)}.`);
}

/** Row numbers by popularity, highest first, ties by track id (the rows are in track id order). */
function popularityOrder(popularity: Float64Array): Int32Array {
  const order = Int32Array.from(popularity.keys());
  const key = (row: number): number => (Number.isNaN(popularity[row]) ? -Infinity : popularity[row]);
  order.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return kb > ka ? 1 : kb < ka ? -1 : a - b;
  });
  return order;
}

function featureDifferences(
  metric: GowerMetric,
  rows: GowerRows,
  query: number,
  row: number,
  count: number,
): FeatureDifference[] {
  if (count === 0) return [];
  const parts = metric.contributions(rows, query, rows, row);
  const features = Array.from(parts.keys()).filter((f) => parts[f] > 0);
  features.sort((a, b) => parts[b] - parts[a] || a - b);
  return features.slice(0, count).map((f) => ({
    feature: metric.columns[f],
    query: metric.featureValue(rows, query, f) as string | number | null,
    track: metric.featureValue(rows, row, f) as string | number | null,
    contribution: parts[f],
  }));
}
