/**
 * Playlists from the catalogue: the tracks nearest a seed (one or more tracks, or a stored cluster),
 * at most a few per artist and one version of each song, ordered so that each track sounds like the
 * one before it. `catalogue.playlist(seed, n, options)` (catalogue.ts) calls {@link buildPlaylist}.
 *
 * Distance: the Gower distance of `similar`, to the nearest seed track (or the mean over them), to
 * a k-medoids cluster's medoid, or to a k-means cluster's k-prototypes centre in the Gower space.
 * Selection, nearest first, skips a track whose artist is full (`maxPerArtist`) or whose song is
 * already in ({@link songKey}). Order: a greedy nearest-neighbour chain, then 2-opt moves while
 * they shorten the path (Croes 1958, https://doi.org/10.1287/opre.6.6.791); the result reports the
 * mean step against a seeded random order.
 * Written here: the pieces are a few lines each over the catalogue's own Gower kernels.
 * Details: docs/catalogue.md.
 */
import type { GowerMetric, GowerRows } from '../distance/gower-metric';
import { shuffledIndices } from '../random';
import { defaultClusterName, StoredClusters } from './playlist-clusters';
import { RowText } from './catalogue-columns';

/** What a playlist starts from: a track id, several, or a stored cluster. */
export type PlaylistSeed = string | readonly string[] | { readonly kmeans: number } | { readonly kmedoids: number };

/** Options of a playlist; every field is optional. */
export interface PlaylistOptions {
  /** Most tracks by one artist (default 2; seed tracks are always kept). */
  maxPerArtist?: number;
  /** Weight per feature name, as `similar` takes them; default 1 for every feature. */
  weights?: Readonly<Record<string, number>>;
  /** Several seed tracks: distance to the nearest seed (default) or the mean distance to them. */
  seedDistance?: 'nearest' | 'mean';
  /** Whether the seed tracks open the playlist (default true). */
  includeSeed?: boolean;
  /** Whether 2-opt moves improve the greedy order (default true). */
  twoOpt?: boolean;
  /** The seed of the random order the mean step is compared with (default 42). */
  randomSeed?: number;
}

/** The defaults of {@link PlaylistOptions}. */
export const PLAYLIST_DEFAULTS = Object.freeze({
  maxPerArtist: 2,
  seedDistance: 'nearest' as 'nearest' | 'mean',
  includeSeed: true,
  twoOpt: true,
  randomSeed: 42,
});

/** One track of a playlist. */
export interface PlaylistTrack {
  /** Its place in the list, from 1. */
  readonly rank: number;
  readonly track_id: string;
  readonly track_name: string | null;
  readonly artist_name: string | null;
  readonly genre: string | null;
  /** Its length in milliseconds (null when not stored). */
  readonly duration_ms: number | null;
  /** Its Gower distance to the seed (see the file header). */
  readonly distance: number;
  /** Its Gower distance to the track before it (0 for the first). */
  readonly step: number;
}

/** What `catalogue.playlist` returns. */
export interface Playlist {
  /** The seed in words: the track(s) or the cluster's name. */
  readonly name: string;
  readonly tracks: readonly PlaylistTrack[];
  /** The mean distance between neighbours in the list (0 for fewer than two tracks). */
  readonly meanStep: number;
  /** The mean step of the same tracks in a random order (seeded by `randomSeed`). */
  readonly randomMeanStep: number;
  /** Tracks passed over: their artist was full, or the list had another version of their song. */
  readonly skipped: { readonly artistCap: number; readonly otherVersions: number };
}

/** What {@link buildPlaylist} needs of the catalogue. */
export interface PlaylistSource {
  readonly size: number;
  readonly ids: RowText;
  readonly names: RowText;
  readonly artists: RowText;
  readonly genres: RowText;
  /** Track lengths in ms (NaN where missing), or undefined when not stored. */
  readonly durations?: Float64Array;
  readonly metric: GowerMetric;
  readonly rows: GowerRows;
  readonly clusters: StoredClusters;
  /** The row of a track id; throws a sentence for an unknown id. */
  rowIndex(trackId: string): number;
}

const VERSION_WORDS =
  /\b(remaster(ed)?|re-?master|re-?recorded|edit|version|live|feat\.?|ft\.?|featuring|with|mono|stereo|radio|single|album|explicit|clean|acoustic|demo|remix|mix|deluxe|bonus|original|extended|anniversary|session|take)\b|\b\d{4}\b/;

/**
 * A song's title without what marks a version of it: lower case without accents, and without a
 * bracketed part or a " - " part that names a version (remaster, edit, live, feat., mix, mono,
 * a year …), nor a trailing "feat. …". Titles that differ only there are one song.
 * @example normaliseTitle('Hey Jude - Remastered 2015')             // 'hey jude'
 * @example normaliseTitle('Rain (feat. Ana) - Radio Edit')          // 'rain'
 * @example normaliseTitle("(I Can't Get No) Satisfaction")          // "(i can't get no) satisfaction"
 */
export function normaliseTitle(title: string): string {
  let text = title.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  let previous = '';
  while (previous !== text) {
    previous = text;
    text = text.replace(/\s*[([]([^()[\]]*)[)\]]/gu, (all, inside: string) => (VERSION_WORDS.test(inside) ? '' : all));
    text = text.replace(/\s+[-–—]\s+((?:(?!\s[-–—]\s).)*)$/u, (all, rest: string) =>
      VERSION_WORDS.test(rest) ? '' : all,
    );
    text = text.replace(/\s+(feat\.?|ft\.|featuring)\s.*$/u, '');
  }
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The key under which versions of one song by one artist count as one: the artist (lower case, no
 * accents) and the {@link normaliseTitle normalised title}.
 * @example songKey('Hey Jude - Remastered 2015', 'The Beatles') === songKey('Hey Jude', 'the beatles') // true
 */
export function songKey(title: string | null, artist: string | null): string {
  return `${normaliseTitle(artist ?? '')}\u0000${normaliseTitle(title ?? '')}`;
}

function checkWhole(value: unknown, name: string, minimum: number): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < minimum)
    throw new Error(`${name} must be a whole number of at least ${minimum}, got ${String(value)}.`);
}

/** The seed resolved: its name, the distances from it to every row, the rows it may pick from, the rows it opens with. */
interface ResolvedSeed {
  name: string;
  distances: Float64Array;
  candidates: Int32Array | null;
  opening: number[];
}

function resolveSeed(source: PlaylistSource, seed: PlaylistSeed, metric: GowerMetric, mean: boolean): ResolvedSeed {
  const { rows, clusters } = source;
  if (typeof seed === 'string' || Array.isArray(seed)) {
    const ids = typeof seed === 'string' ? [seed] : (seed as readonly string[]);
    if (ids.length === 0)
      throw new Error('The playlist needs at least one seed track id (or a cluster such as { kmedoids: 0 }).');
    const opening = [...new Set(ids.map((id) => source.rowIndex(id)))];
    const distances = new Float64Array(source.size).fill(mean ? 0 : Infinity);
    const buffer = new Float64Array(source.size);
    for (const row of opening) {
      metric.distanceToRows(rows, row, rows, buffer);
      for (let r = 0; r < source.size; r++) {
        const d = Number.isNaN(buffer[r]) ? 1 : buffer[r];
        if (mean) distances[r] += d / opening.length;
        else if (d < distances[r]) distances[r] = d;
      }
    }
    for (const row of opening) distances[row] = 0;
    const first = source.names.get(opening[0]) ?? source.ids.get(opening[0]);
    const artist = source.artists.get(opening[0]);
    const name = `${first}${artist ? ` by ${artist}` : ''}${opening.length > 1 ? ` and ${opening.length - 1} more` : ''}`;
    return { name, distances, candidates: null, opening };
  }
  const kind = seed !== null && typeof seed === 'object' && 'kmeans' in seed ? 'kmeans' : 'kmedoids';
  const id = (seed as Record<string, unknown>)?.[kind];
  const stored = clusters[kind];
  const notebook = kind === 'kmeans' ? '03' : '02';
  if (seed === null || typeof seed !== 'object' || !Number.isInteger(id))
    throw new Error(
      `The playlist seed must be a track id, a list of them, or a cluster such as { kmedoids: 0 } or { kmeans: 3 }; got ${JSON.stringify(seed)}.`,
    );
  if (stored.size === 0)
    throw new Error(
      `No ${defaultClusterName(kind, 0).replace(/ 0$/, '')}s are stored; run notebook ${notebook} first, with the same DB_PATH.`,
    );
  const cluster = stored.get(id as number);
  if (cluster === undefined)
    throw new Error(
      `There is no ${defaultClusterName(kind, id as number)}; the stored ones are ${[...stored.keys()].join(', ')}.`,
    );
  const candidates = cluster.rows ?? Int32Array.from(cluster.trackIds, (trackId) => source.rowIndex(trackId));
  if (candidates.length === 0) throw new Error(`${cluster.name} holds no tracks; run notebook ${notebook} again.`);
  if (kind === 'kmedoids') {
    const medoid = source.rowIndex(cluster.medoid ?? '');
    const distances = metric.distanceToRows(rows, medoid, rows);
    return { name: cluster.name, distances, candidates, opening: [medoid] };
  }
  const centroid = prototypeRow(metric, rows, candidates);
  const distances = metric.distanceToRows(centroid, 0, rows);
  return { name: cluster.name, distances, candidates, opening: [] };
}

/**
 * One encoded row holding the mean of each numeric feature and the most common category of each
 * categorical one over `members` (missing values left out; ties: the smaller code).
 */
export function prototypeRow(metric: GowerMetric, rows: GowerRows, members: ArrayLike<number>): GowerRows {
  const missing: number[] = [];
  const values = metric.specs.map((spec, f) => {
    const column = rows.values[f];
    if (spec.kind === 'numeric') {
      let sum = 0;
      let present = 0;
      for (let i = 0; i < members.length; i++) {
        const value = column[members[i]];
        if (!Number.isNaN(value)) {
          sum += value;
          present++;
        }
      }
      missing.push(present === 0 ? 1 : 0);
      return Float64Array.of(present === 0 ? NaN : sum / present);
    }
    const counts = new Map<number, number>();
    for (let i = 0; i < members.length; i++) {
      const code = column[members[i]];
      if (code >= 0) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    let best = -1;
    let bestCount = 0;
    for (const [code, n] of counts)
      if (n > bestCount || (n === bestCount && code < best)) [best, bestCount] = [code, n];
    missing.push(best < 0 ? 1 : 0);
    return Int32Array.of(best);
  });
  return { size: 1, values, missing, hasMissing: missing.some((m) => m > 0), withinRange: true };
}

/** The rows `picked` of `rows`, as their own encoded rows. */
function subsetRows(rows: GowerRows, picked: readonly number[]): GowerRows {
  const missing: number[] = [];
  const values = rows.values.map((column) => {
    const out = column instanceof Float64Array ? new Float64Array(picked.length) : new Int32Array(picked.length);
    let holes = 0;
    picked.forEach((row, i) => {
      out[i] = column[row];
      if (column instanceof Float64Array ? Number.isNaN(column[row]) : column[row] < 0) holes++;
    });
    missing.push(holes);
    return out;
  });
  return {
    size: picked.length,
    values,
    missing,
    hasMissing: missing.some((m) => m > 0),
    withinRange: rows.withinRange,
  };
}

/**
 * The order of `m` points (by their row-major distance matrix) as a path from point 0: each next
 * point the nearest one not yet taken, then 2-opt reversals while one shortens the path (the first
 * point stays first; at most `m` passes).
 * @example chainOrder(Float64Array.of(0, 3, 1, 3, 0, 2, 1, 2, 0), 3) // [0, 2, 1]
 */
export function chainOrder(distances: Float64Array, m: number, twoOpt = true): number[] {
  if (m === 0) return [];
  const d = (a: number, b: number): number => distances[a * m + b];
  const order = [0];
  const taken = new Uint8Array(m);
  taken[0] = 1;
  for (let step = 1; step < m; step++) {
    const last = order[order.length - 1];
    let best = -1;
    for (let j = 0; j < m; j++) if (!taken[j] && (best < 0 || d(last, j) < d(last, best))) best = j;
    taken[best] = 1;
    order.push(best);
  }
  if (!twoOpt) return order;
  for (let pass = 0, improved = true; improved && pass < m; pass++) {
    improved = false;
    for (let i = 1; i < m - 1; i++) {
      for (let j = i + 1; j < m; j++) {
        const before = d(order[i - 1], order[i]) + (j + 1 < m ? d(order[j], order[j + 1]) : 0);
        const after = d(order[i - 1], order[j]) + (j + 1 < m ? d(order[i], order[j + 1]) : 0);
        if (after < before - 1e-12) {
          for (let a = i, b = j; a < b; a++, b--) [order[a], order[b]] = [order[b], order[a]];
          improved = true;
        }
      }
    }
  }
  return order;
}

/** The mean distance between neighbours of `order` (0 for fewer than two points). */
export function meanStep(distances: Float64Array, m: number, order: ArrayLike<number>): number {
  if (order.length < 2) return 0;
  let sum = 0;
  for (let i = 1; i < order.length; i++) sum += distances[order[i - 1] * m + order[i]];
  return sum / (order.length - 1);
}

/**
 * A playlist of up to `n` tracks from `seed` (see the file header).
 * @example
 * const list = catalogue.playlist(trackId, 20);
 * list.meanStep < list.randomMeanStep // true: neighbours sound alike
 */
export function buildPlaylist(
  source: PlaylistSource,
  seed: PlaylistSeed,
  n: number,
  options: PlaylistOptions = {},
): Playlist {
  checkWhole(n, 'The playlist size n', 1);
  const settings = { ...PLAYLIST_DEFAULTS, ...options };
  checkWhole(settings.maxPerArtist, 'maxPerArtist', 1);
  checkWhole(settings.randomSeed, 'randomSeed', 0);
  if (settings.seedDistance !== 'nearest' && settings.seedDistance !== 'mean')
    throw new Error(`seedDistance must be 'nearest' or 'mean', got ${JSON.stringify(settings.seedDistance)}.`);
  const metric = options.weights === undefined ? source.metric : source.metric.withWeights(options.weights);
  const { name, distances, candidates, opening } = resolveSeed(source, seed, metric, settings.seedDistance === 'mean');
  const distanceOf = (row: number): number => (Number.isNaN(distances[row]) ? 1 : distances[row]);

  const order = candidates ? Int32Array.from(candidates) : Int32Array.from({ length: source.size }, (_, r) => r);
  order.sort((a, b) => distanceOf(a) - distanceOf(b) || a - b);

  const picked: number[] = [];
  const perArtist = new Map<string, number>();
  const songs = new Set<string>();
  const skipped = { artistCap: 0, otherVersions: 0 };
  const openingRows = new Set(opening);
  for (const row of opening) {
    songs.add(songKey(source.names.get(row), source.artists.get(row)));
    if (!settings.includeSeed || picked.length >= n) continue;
    picked.push(row);
    const artist = normaliseTitle(source.artists.get(row) ?? '');
    perArtist.set(artist, (perArtist.get(artist) ?? 0) + 1);
  }
  for (let i = 0; i < order.length && picked.length < n; i++) {
    const row = order[i];
    if (openingRows.has(row)) continue;
    const song = songKey(source.names.get(row), source.artists.get(row));
    if (songs.has(song)) {
      skipped.otherVersions++;
      continue;
    }
    const artist = normaliseTitle(source.artists.get(row) ?? '');
    const already = perArtist.get(artist) ?? 0;
    if (already >= settings.maxPerArtist) {
      skipped.artistCap++;
      continue;
    }
    perArtist.set(artist, already + 1);
    songs.add(song);
    picked.push(row);
  }

  const m = picked.length;
  const between = metric.rowDistances(subsetRows(source.rows, picked), subsetRows(source.rows, picked));
  for (let i = 0; i < between.length; i++) if (Number.isNaN(between[i])) between[i] = 1;
  const path = chainOrder(between, m, settings.twoOpt);
  const tracks = path.map((p, i): PlaylistTrack => {
    const row = picked[p];
    const duration = source.durations?.[row];
    return {
      rank: i + 1,
      track_id: source.ids.get(row) as string,
      track_name: source.names.get(row),
      artist_name: source.artists.get(row),
      genre: source.genres.get(row),
      duration_ms: duration === undefined || Number.isNaN(duration) ? null : duration,
      distance: distanceOf(row),
      step: i === 0 ? 0 : between[path[i - 1] * m + p],
    };
  });
  return {
    name,
    tracks,
    meanStep: meanStep(between, m, path),
    randomMeanStep: meanStep(between, m, shuffledIndices(m, settings.randomSeed)),
    skipped,
  };
}

/**
 * A playlist's tracks as table rows: rank, track, artist, genre, distance to the seed and step
 * (rounded to 4 decimals), and the track id (for links).
 * @example playlistRows(list)[0] // { rank: 1, track: 'Yellow', artist: 'Coldplay', …, track_id: '…' }
 */
export function playlistRows(list: Playlist): Record<string, string | number | null>[] {
  const round = (value: number): number => Number(value.toFixed(4));
  return list.tracks.map((t) => ({
    rank: t.rank,
    track: t.track_name,
    artist: t.artist_name,
    genre: t.genre,
    distance: round(t.distance),
    step: round(t.step),
    track_id: t.track_id,
  }));
}

/**
 * The playlist's order in one sentence: its mean step against the random order's.
 * @example describePlaylistOrder(list) // 'mean step 0.0412 against 0.1210 in a random order (2.9 times closer)'
 */
export function describePlaylistOrder(list: Playlist): string {
  const ratio = list.meanStep > 0 ? `; ${(list.randomMeanStep / list.meanStep).toFixed(1)} times closer` : '';
  const { artistCap, otherVersions } = list.skipped;
  return (
    `${list.tracks.length} tracks, mean step ${list.meanStep.toFixed(4)} against ${list.randomMeanStep.toFixed(4)} ` +
    `in a random order${ratio}; passed over ${artistCap} (artist full) and ${otherVersions} (another version of a song)`
  );
}
