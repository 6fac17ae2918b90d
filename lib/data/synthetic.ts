/**
 * A deterministic synthetic stand-in for SpotifyFeatures.csv.
 *
 * The real Kaggle file cannot be downloaded on the project's machines and its licence does not
 * let us ship it, so `data/SpotifyFeatures.sample.csv` is made by this generator. It has the exact
 * schema (see `schema.ts`) and the properties of the real file described in docs/DATA.md:
 * 27 genre labels including both apostrophe variants of "Children's Music", rows grouped by
 * genre, tracks filed under several genres repeated with identical features (about 76% of rows
 * carry a distinct `track_id`, as in the real 232,725-row file), a popularity distribution with
 * many values at or near 0, realistic ranges, tiny `instrumentalness` values in scientific
 * notation (`8.19E-06`) and names with commas, quotes, accents and emoji that need CSV quoting.
 * Genres have different audio profiles, so the clusterings find structure.
 *
 * `mangleSpotifyCsv` turns a clean file into the awkward copies found in the wild (byte-order
 * mark, spreadsheet dates in `time_signature`, CRLF, a cut-off last line) for tests.
 */
import { writeFileSync } from 'node:fs';
import { GENRES, KEYS, MODES, ORIGINAL_EXAMPLE_TRACK_ID, SPOTIFY_COLUMN_NAMES } from './schema';
import { RandomSource, randomInt, randomNormal, seededRandom } from '../random';

/** One row of SpotifyFeatures.csv. */
export interface TrackRow {
  genre: string;
  artist_name: string;
  track_name: string;
  track_id: string;
  popularity: number;
  acousticness: number;
  danceability: number;
  duration_ms: number;
  energy: number;
  instrumentalness: number;
  key: string;
  liveness: number;
  loudness: number;
  mode: string;
  speechiness: number;
  tempo: number;
  time_signature: string;
  valence: number;
}

/** Options of the generator. */
export interface SyntheticOptions {
  /** Number of rows to write (default 20,000; the real file has 232,725). */
  rows?: number;
  /** Seed of the random source (default 2024). */
  seed?: number;
}

/** Rows per genre in the real file, used as weights (A Capella is tiny, the others 5k to 10k). */
const GENRE_WEIGHTS: Record<string, number> = {
  Movie: 7806,
  'R&B': 8992,
  'A Capella': 119,
  Alternative: 9263,
  Country: 8664,
  Dance: 8701,
  Electronic: 9377,
  Anime: 8936,
  Folk: 9299,
  Blues: 9023,
  Opera: 8280,
  'Hip-Hop': 9295,
  "Children's Music": 5403,
  'Children\u2019s Music': 9353,
  Rap: 9232,
  Indie: 9543,
  Classical: 9256,
  Pop: 9386,
  Reggae: 8771,
  Reggaeton: 8927,
  Jazz: 9441,
  Rock: 9272,
  Ska: 8874,
  Comedy: 9681,
  Soul: 9089,
  Soundtrack: 9646,
  World: 9096,
};

/** Mean popularity per genre; a few genres sit near 0, as in the real file. */
const GENRE_POPULARITY: Record<string, number> = {
  Movie: 3,
  'R&B': 52,
  'A Capella': 9,
  Alternative: 50,
  Country: 46,
  Dance: 57,
  Electronic: 38,
  Anime: 24,
  Folk: 49,
  Blues: 34,
  Opera: 13,
  'Hip-Hop': 58,
  "Children's Music": 54,
  'Children\u2019s Music': 4,
  Rap: 60,
  Indie: 54,
  Classical: 29,
  Pop: 66,
  Reggae: 35,
  Reggaeton: 37,
  Jazz: 40,
  Rock: 59,
  Ska: 28,
  Comedy: 21,
  Soul: 47,
  Soundtrack: 33,
  World: 35,
};

/**
 * Audio profile per genre family: means of acousticness, danceability, energy,
 * probability of an instrumental track, liveness, speechiness, valence, and duration in minutes.
 */
interface Profile {
  acoustic: number;
  dance: number;
  energy: number;
  instrumental: number;
  live: number;
  speech: number;
  valence: number;
  minutes: number;
}
const PROFILES: Record<string, Profile> = {
  acoustic: {
    acoustic: 0.85,
    dance: 0.33,
    energy: 0.2,
    instrumental: 0.55,
    live: 0.15,
    speech: 0.05,
    valence: 0.25,
    minutes: 5.2,
  },
  electronic: {
    acoustic: 0.08,
    dance: 0.68,
    energy: 0.78,
    instrumental: 0.45,
    live: 0.18,
    speech: 0.07,
    valence: 0.4,
    minutes: 4.2,
  },
  urban: {
    acoustic: 0.16,
    dance: 0.74,
    energy: 0.64,
    instrumental: 0.02,
    live: 0.18,
    speech: 0.22,
    valence: 0.5,
    minutes: 3.6,
  },
  rock: {
    acoustic: 0.1,
    dance: 0.5,
    energy: 0.78,
    instrumental: 0.1,
    live: 0.2,
    speech: 0.06,
    valence: 0.48,
    minutes: 3.9,
  },
  speech: {
    acoustic: 0.78,
    dance: 0.56,
    energy: 0.65,
    instrumental: 0.0,
    live: 0.72,
    speech: 0.85,
    valence: 0.4,
    minutes: 4.4,
  },
  warm: {
    acoustic: 0.45,
    dance: 0.58,
    energy: 0.52,
    instrumental: 0.08,
    live: 0.17,
    speech: 0.06,
    valence: 0.58,
    minutes: 3.9,
  },
};
const GENRE_FAMILY: Record<string, string> = {
  Movie: 'acoustic',
  'A Capella': 'acoustic',
  Opera: 'acoustic',
  Classical: 'acoustic',
  Soundtrack: 'acoustic',
  "Children's Music": 'warm',
  'Children\u2019s Music': 'acoustic',
  Electronic: 'electronic',
  Dance: 'electronic',
  Anime: 'rock',
  'R&B': 'urban',
  'Hip-Hop': 'urban',
  Rap: 'urban',
  Reggaeton: 'urban',
  Alternative: 'rock',
  Rock: 'rock',
  Indie: 'rock',
  Ska: 'rock',
  Comedy: 'speech',
  Country: 'warm',
  Folk: 'warm',
  Blues: 'warm',
  Pop: 'warm',
  Reggae: 'warm',
  Jazz: 'warm',
  Soul: 'warm',
  World: 'warm',
};

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ra',
  'ven',
  'tor',
  'el',
  'sa',
  'ni',
  'bo',
  'dre',
  'an',
  'ju',
  'li',
  'mar',
  'co',
  'ze',
  'pha',
  'ri',
  'os',
  'qui',
  'ny',
  'ta',
  'be',
];
const ACCENTED = ['Beyoncé', 'Björk', 'Mötley', 'Niño', 'Sigur Rós', 'Zoë', 'Ñandú', 'Céline', 'Antônio', 'Håkan'];
const WORDS = [
  'Love',
  'Night',
  'Fire',
  'Dream',
  'Rain',
  'Heart',
  'Summer',
  'City',
  'Gold',
  'River',
  'Ghost',
  'Light',
  'Home',
  'Stars',
  'Road',
  'Blue',
  'Time',
  'Dance',
  'Sky',
  'Moon',
  'Echo',
  'Wild',
  'Sugar',
  'Stone',
];
const SUFFIXES = [
  ' - Remastered',
  ' (feat. Lil Example)',
  ' - Live',
  ', Pt. 2',
  ' (Radio Edit)',
  ': Act I',
  ', Op. 27',
];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[randomInt(random, items.length)];
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function makeArtist(random: RandomSource, index: number): string {
  const roll = random();
  const name =
    capitalised(pick(random, SYLLABLES) + pick(random, SYLLABLES)) +
    ' ' +
    capitalised(pick(random, SYLLABLES) + pick(random, SYLLABLES) + pick(random, SYLLABLES));
  if (roll < 0.04) return `${pick(random, ACCENTED)} ${capitalised(pick(random, SYLLABLES))}`;
  if (roll < 0.06) return `${name}, The ${pick(random, WORDS)}s`;
  if (roll < 0.07) return `"${capitalised(pick(random, SYLLABLES))}" ${name}`;
  if (roll < 0.075) return `${name} \u{1F3B5}`;
  if (roll < 0.09) return `DJ ${capitalised(pick(random, SYLLABLES) + pick(random, SYLLABLES))} ${index % 100}`;
  return name;
}

function makeTitle(random: RandomSource): string {
  const roll = random();
  let title = `${pick(random, WORDS)} ${pick(random, WORDS).toLowerCase()}`;
  if (random() < 0.3) title = `${pick(random, WORDS)} of the ${pick(random, WORDS)}`;
  if (roll < 0.08) title += pick(random, SUFFIXES);
  else if (roll < 0.11) title = `Say "${pick(random, WORDS)}"`;
  else if (roll < 0.14) title = `${pick(random, WORDS)}, ${pick(random, WORDS)}, ${pick(random, WORDS)}`;
  else if (roll < 0.15) title = `Don't Stop the ${pick(random, WORDS)}`;
  return title;
}

function makeTrackId(random: RandomSource): string {
  let id = '';
  for (let i = 0; i < 22; i++) id += BASE62[randomInt(random, 62)];
  return id;
}

function beta01(random: RandomSource, mean: number, spread: number): number {
  return clamp(mean + spread * randomNormal(random), 0, 1);
}

function makePopularity(random: RandomSource, genre: string): number {
  const mean = GENRE_POPULARITY[genre];
  if (mean < 15) return Math.min(100, Math.floor(-mean * Math.log(1 - random() * 0.999)));
  if (random() < 0.06) return randomInt(random, 4); // stray near-zero tracks in every genre
  return Math.round(clamp(mean + 14 * randomNormal(random), 0, 100));
}

function makeFeatures(
  random: RandomSource,
  genre: string,
): Omit<TrackRow, 'genre' | 'artist_name' | 'track_name' | 'track_id'> {
  const profile = PROFILES[GENRE_FAMILY[genre]];
  const energy = beta01(random, profile.energy, 0.18);
  const instrumental =
    random() < profile.instrumental ? beta01(random, 0.75, 0.2) : random() < 0.35 ? 0 : Math.pow(10, -6 + 4 * random());
  const minutes = profile.minutes * Math.exp(0.35 * randomNormal(random));
  const roll = random();
  const timeSignature = roll < 0.86 ? '4/4' : roll < 0.96 ? '3/4' : roll < 0.985 ? '5/4' : roll < 0.999 ? '1/4' : '0/4';
  return {
    popularity: makePopularity(random, genre),
    acousticness: beta01(random, profile.acoustic, 0.22),
    danceability: clamp(beta01(random, profile.dance, 0.15), 0.0569, 0.989),
    duration_ms: Math.round(clamp(minutes * 60000, 15387, 5552917)),
    energy,
    instrumentalness: instrumental,
    key: pick(random, KEYS),
    liveness: clamp(profile.live + 0.15 * Math.abs(randomNormal(random)), 0.00967, 1),
    loudness: clamp(-24 + 20 * energy + 3 * randomNormal(random), -52.457, 3.744),
    mode: random() < 0.65 ? MODES[0] : MODES[1],
    speechiness: clamp(profile.speech * Math.exp(0.5 * randomNormal(random)), 0.0222, 0.967),
    tempo: clamp(118 + 29 * randomNormal(random), 30.379, 242.903),
    time_signature: timeSignature,
    valence: beta01(random, profile.valence, 0.22),
  };
}

function weightedGenre(random: RandomSource, cumulative: Float64Array): string {
  const target = random() * cumulative[cumulative.length - 1];
  let i = 0;
  while (cumulative[i] < target) i++;
  return GENRES[i];
}

/**
 * Generate the rows of a synthetic SpotifyFeatures.csv, grouped by genre as the real file is.
 * The original notebook's example track `6iOvnACn4ChlAw4lWUU4dd` is filed under three genres.
 * @example
 * const rows = generateSpotifyRows({ rows: 100, seed: 1 });
 * rows.length // 100, and the same rows for seed 1 on every run
 */
export function generateSpotifyRows(options: SyntheticOptions = {}): TrackRow[] {
  const total = options.rows ?? 20000;
  const seed = options.seed ?? 2024;
  if (!Number.isInteger(total) || total < 10)
    throw new Error(`The synthetic file needs at least 10 rows, got ${total}.`);
  const random = seededRandom(seed);
  const cumulative = new Float64Array(GENRES.length);
  GENRES.forEach((genre, i) => {
    cumulative[i] = (i ? cumulative[i - 1] : 0) + GENRE_WEIGHTS[genre];
  });

  // 176,774 distinct ids in 232,725 rows: the rest are the same tracks under other genres.
  const distinct = Math.max(1, Math.round(total * (176774 / 232725)));
  const artists = Array.from({ length: Math.max(1, Math.round(distinct / 4)) }, (_, i) => makeArtist(random, i));
  const ids = new Set<string>([ORIGINAL_EXAMPLE_TRACK_ID]);
  const tracks: TrackRow[] = [];
  const genresOf: Set<string>[] = [];
  for (let t = 0; t < distinct; t++) {
    let id = t === 0 ? ORIGINAL_EXAMPLE_TRACK_ID : makeTrackId(random);
    while (t > 0 && ids.has(id)) id = makeTrackId(random);
    ids.add(id);
    const genre = t === 0 ? 'R&B' : weightedGenre(random, cumulative);
    tracks.push({
      genre,
      artist_name: pick(random, artists),
      track_name: makeTitle(random),
      track_id: id,
      ...makeFeatures(random, genre),
    });
    genresOf.push(new Set([genre]));
  }
  // The original notebook's example is filed under three genres; the other repeats go to random tracks.
  const rows: TrackRow[] = [...tracks];
  const addGenre = (t: number, genre: string): boolean => {
    if (genresOf[t].has(genre)) return false;
    genresOf[t].add(genre);
    rows.push({ ...tracks[t], genre });
    return true;
  };
  if (total - distinct >= 2) {
    addGenre(0, 'Hip-Hop');
    addGenre(0, 'Pop');
  }
  while (rows.length < total) {
    const t = randomInt(random, distinct);
    addGenre(t, weightedGenre(random, cumulative));
  }
  const order = new Map(GENRES.map((genre, i) => [genre, i]));
  // A stable sort keeps generation order within a genre, so the output is deterministic.
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => order.get(a.row.genre)! - order.get(b.row.genre)! || a.i - b.i)
    .map(({ row }) => row);
}

/** Quote a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Write a number the way the real file does: 3 significant digits, tiny values as `8.19E-06`. */
function formatNumber(value: number, kind: 'integer' | 'float'): string {
  if (kind === 'integer') return String(Math.round(value));
  if (value === 0) return '0.0';
  if (Math.abs(value) < 1e-4) {
    const [mantissa, exponent] = value.toExponential(2).split('e');
    const power = Number(exponent);
    return `${mantissa}E${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
  }
  return String(Math.abs(value) >= 1 ? Number(value.toFixed(3)) : Number(value.toPrecision(3)));
}

/**
 * The text of a CSV file with the 18 columns of SpotifyFeatures.csv.
 * @example
 * spotifyCsvText(generateSpotifyRows({ rows: 10 })).split('\n')[0]
 * // 'genre,artist_name,track_name,track_id,popularity,...,valence'
 */
export function spotifyCsvText(rows: readonly TrackRow[]): string {
  const integer = new Set(['popularity', 'duration_ms']);
  const lines = [SPOTIFY_COLUMN_NAMES.join(',')];
  for (const row of rows) {
    const record = row as unknown as Record<string, string | number>;
    lines.push(
      SPOTIFY_COLUMN_NAMES.map((name) => {
        const value = record[name];
        return typeof value === 'number'
          ? formatNumber(value, integer.has(name) ? 'integer' : 'float')
          : csvField(value);
      }).join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * The values of `spotifyCsvText(rows)` column by column, as a CSV reader gets them back (numbers
 * rounded as the file writes them): a Float64Array per numeric column, strings per text column.
 * Tests use it to make the loader's frame of a generated file without reading a file.
 * @example spotifyCsvColumns(generateSpotifyRows({ rows: 3 }))[4] // Float64Array of 3 popularities
 */
export function spotifyCsvColumns(rows: readonly TrackRow[]): (Float64Array | string[])[] {
  const integer = new Set(['popularity', 'duration_ms']);
  return SPOTIFY_COLUMN_NAMES.map((name) => {
    const values = rows.map((row) => (row as unknown as Record<string, string | number>)[name]);
    if (typeof values[0] !== 'number') return values as string[];
    return Float64Array.from(values as number[], (value) =>
      Number(formatNumber(value, integer.has(name) ? 'integer' : 'float')),
    );
  });
}

/**
 * Generate a synthetic file and write it to `path`. Returns the number of rows written.
 * @example writeSyntheticSpotifyCsv('build/full.csv', { rows: 232725 }) // 232725
 */
export function writeSyntheticSpotifyCsv(path: string, options: SyntheticOptions = {}): number {
  const rows = generateSpotifyRows(options);
  writeFileSync(path, spotifyCsvText(rows));
  return rows.length;
}

/** The ways real copies of the file are damaged (see docs/DATA.md). */
export interface MangleOptions {
  /** Put a UTF-8 byte-order mark before the header. */
  bom?: boolean;
  /** CRLF line endings. */
  crlf?: boolean;
  /** Turn this share (0..1) of `time_signature` values into spreadsheet dates (`4-Apr`, `04-Apr`, `4-Mar` …). */
  spreadsheetDates?: number;
  /** Cut the last line off in the middle of the row. */
  cutLastLine?: boolean;
  /** Seed for choosing which values to mangle (default 7). */
  seed?: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Damage a clean CSV text the way copies passed around are damaged, for tests.
 * @example mangleSpotifyCsv(text, { bom: true, crlf: true, spreadsheetDates: 0.5, cutLastLine: true })
 */
export function mangleSpotifyCsv(text: string, options: MangleOptions): string {
  const random = seededRandom(options.seed ?? 7);
  let lines = text.replace(/\n$/, '').split('\n');
  if (options.spreadsheetDates) {
    const column = SPOTIFY_COLUMN_NAMES.indexOf('time_signature');
    lines = lines.map((line, i) => {
      if (i === 0 || random() >= options.spreadsheetDates!) return line;
      // time_signature is an unquoted field: swap it in place by counting commas outside quotes
      const fields = splitSimple(line);
      const [numerator] = fields[column].split('/').map(Number);
      if (!(numerator >= 1)) return line; // 0/4 is no date
      const dayFirst = random() < 0.5;
      const day = dayFirst ? numerator : 4;
      const month = dayFirst ? 4 : numerator;
      fields[column] = `${random() < 0.3 ? String(day).padStart(2, '0') : day}-${MONTHS[month - 1]}`;
      return fields.join(',');
    });
  }
  if (options.cutLastLine) {
    const last = lines[lines.length - 1];
    lines[lines.length - 1] = last.slice(0, Math.floor(last.length / 2));
  }
  let out = lines.join(options.crlf ? '\r\n' : '\n');
  if (!options.cutLastLine) out += options.crlf ? '\r\n' : '\n';
  return (options.bom ? '\uFEFF' : '') + out;
}

/** Split one CSV line into its raw fields (quotes kept), for `mangleSpotifyCsv`. */
function splitSimple(line: string): string[] {
  const fields: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      fields.push(line.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(line.slice(start));
  return fields;
}
