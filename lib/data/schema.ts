/**
 * The schema of SpotifyFeatures.csv (Kaggle "Spotify Tracks DB"): 18 columns in this order.
 * See docs/DATA.md for the domains of the real file. One place defines it; the loader,
 * the generator and the DuckDB layer all read it from here.
 */

/** How a column is parsed and stored. */
export type ColumnKind = 'text' | 'integer' | 'float';

/** One column of the CSV and of the DuckDB `track` table. */
export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** The 18 columns of SpotifyFeatures.csv, in file order. */
export const SPOTIFY_COLUMNS: readonly ColumnSpec[] = Object.freeze([
  { name: 'genre', kind: 'text' },
  { name: 'artist_name', kind: 'text' },
  { name: 'track_name', kind: 'text' },
  { name: 'track_id', kind: 'text' },
  { name: 'popularity', kind: 'integer' },
  { name: 'acousticness', kind: 'float' },
  { name: 'danceability', kind: 'float' },
  { name: 'duration_ms', kind: 'integer' },
  { name: 'energy', kind: 'float' },
  { name: 'instrumentalness', kind: 'float' },
  { name: 'key', kind: 'text' },
  { name: 'liveness', kind: 'float' },
  { name: 'loudness', kind: 'float' },
  { name: 'mode', kind: 'text' },
  { name: 'speechiness', kind: 'float' },
  { name: 'tempo', kind: 'float' },
  { name: 'time_signature', kind: 'text' },
  { name: 'valence', kind: 'float' },
] as const);

/** The column names, in file order. */
export const SPOTIFY_COLUMN_NAMES: readonly string[] = Object.freeze(SPOTIFY_COLUMNS.map((c) => c.name));

/**
 * The 27 genre labels of the real file, in its order. "Children's Music" appears twice: once
 * with a straight apostrophe and once with a typographic one (U+2019); they are different labels.
 */
export const GENRES: readonly string[] = Object.freeze([
  'Movie',
  'R&B',
  'A Capella',
  'Alternative',
  'Country',
  'Dance',
  'Electronic',
  'Anime',
  'Folk',
  'Blues',
  'Opera',
  'Hip-Hop',
  "Children's Music",
  'Children\u2019s Music',
  'Rap',
  'Indie',
  'Classical',
  'Pop',
  'Reggae',
  'Reggaeton',
  'Jazz',
  'Rock',
  'Ska',
  'Comedy',
  'Soul',
  'Soundtrack',
  'World',
]);

/** Musical keys as the file writes them. */
export const KEYS: readonly string[] = Object.freeze(['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B']);

/** Modes as the file writes them. */
export const MODES: readonly string[] = Object.freeze(['Major', 'Minor']);

/** Time signatures as the file writes them. */
export const TIME_SIGNATURES: readonly string[] = Object.freeze(['4/4', '3/4', '5/4', '1/4', '0/4']);

/** The original notebook's example of a track filed under several genres. */
export const ORIGINAL_EXAMPLE_TRACK_ID = '6iOvnACn4ChlAw4lWUU4dd';

/**
 * The 15 clustering features of the original notebook: every column but artist_name, track_name and track_id.
 * The first four listed here are categorical.
 */
export const CATEGORICAL_FEATURES: readonly string[] = Object.freeze(['genre', 'key', 'mode', 'time_signature']);
export const NUMERIC_FEATURES: readonly string[] = Object.freeze([
  'popularity',
  'acousticness',
  'danceability',
  'duration_ms',
  'energy',
  'instrumentalness',
  'liveness',
  'loudness',
  'speechiness',
  'tempo',
  'valence',
]);

/** The values a numeric column may hold: a closed interval. */
export interface NumericDomain {
  readonly min: number;
  readonly max: number;
}

/**
 * The domain of each numeric column, from Spotify's audio-features documentation
 * (https://developer.spotify.com/documentation/web-api/reference/get-audio-features): the
 * confidence and perception measures lie in 0..1, popularity in 0..100, a duration is positive, a
 * tempo is not negative (0 means Spotify found none), and loudness, in dB, is only required to be a
 * finite number. The loader refuses a value outside its column's domain with its line.
 */
export const NUMERIC_DOMAINS: Readonly<Record<string, NumericDomain>> = Object.freeze({
  popularity: { min: 0, max: 100 },
  acousticness: { min: 0, max: 1 },
  danceability: { min: 0, max: 1 },
  duration_ms: { min: 1, max: Number.MAX_SAFE_INTEGER },
  energy: { min: 0, max: 1 },
  instrumentalness: { min: 0, max: 1 },
  liveness: { min: 0, max: 1 },
  loudness: { min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
  speechiness: { min: 0, max: 1 },
  tempo: { min: 0, max: Number.MAX_VALUE },
  valence: { min: 0, max: 1 },
});

/**
 * The categorical columns whose values are a closed list: a value outside it is a damaged row,
 * never a new category. (Genres are an open list: a copy may hold labels of its own.)
 */
export const CLOSED_CATEGORIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  key: KEYS,
  mode: MODES,
  time_signature: TIME_SIGNATURES,
});
