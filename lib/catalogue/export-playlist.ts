/**
 * A playlist written to a file a player or a spreadsheet opens: `csv` (RFC 4180 quoting), extended
 * `m3u` (`#EXTM3U`, then per track `#EXTINF:<seconds>,<artist> - <track>` and its Spotify link;
 * https://en.wikipedia.org/wiki/M3U#Extended_M3U) or `json`. The file is written whole or not at
 * all: the text goes to a temporary file in the same folder, which is then renamed over the path
 * (a rename within one file system is atomic), and removed if anything fails.
 * Written here: three small formats, and no CSV library in the project writes files atomically.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { PlaylistTrack } from './playlist';

/** The formats {@link exportPlaylist} writes. */
export type PlaylistFormat = 'csv' | 'm3u' | 'json';
/** Every format, in the order the messages list them. */
export const PLAYLIST_FORMATS: readonly PlaylistFormat[] = Object.freeze(['csv', 'm3u', 'json'] as PlaylistFormat[]);

/** What a track needs to be exported (a `PlaylistTrack`, or a row with these fields). */
export type ExportTrack = Pick<PlaylistTrack, 'track_id' | 'track_name' | 'artist_name' | 'genre' | 'distance'> & {
  readonly rank?: number;
  readonly duration_ms?: number | null;
};

/**
 * A track's Spotify URI.
 * @example spotifyUri('4uLU6hMCjMI75M1A2tKUQC') // 'spotify:track:4uLU6hMCjMI75M1A2tKUQC'
 */
export function spotifyUri(trackId: string): string {
  return `spotify:track:${trackId}`;
}

/**
 * A track's page on open.spotify.com (the id URL-encoded).
 * @example spotifyUrl('4uLU6hMCjMI75M1A2tKUQC') // 'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC'
 */
export function spotifyUrl(trackId: string): string {
  return `https://open.spotify.com/track/${encodeURIComponent(trackId)}`;
}

/**
 * A file name for a playlist called `name`: lower case, accents dropped, every run of other
 * characters one hyphen, at most 60 characters, then the format's extension.
 * @example playlistFileName('Dance · minor', 'm3u') // 'dance-minor.m3u'
 */
export function playlistFileName(name: string, format: PlaylistFormat): string {
  const slug = String(name)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  return `${slug || 'playlist'}.${format}`;
}

/** The CSV columns, in order. */
export const PLAYLIST_CSV_COLUMNS = Object.freeze([
  'rank',
  'track_id',
  'track',
  'artist',
  'genre',
  'distance',
  'spotify_uri',
  'spotify_url',
]);

/**
 * One CSV field: quoted (with inner quotes doubled) when it holds a comma, a quote or a line break,
 * or starts or ends with a space.
 * @example csvField('Hello, "you"') // '"Hello, ""you"""'
 */
export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The playlist as the text of a file in `format` (see the file header).
 * @example playlistText([track], 'm3u').split('\n')[0] // '#EXTM3U'
 */
export function playlistText(tracks: readonly ExportTrack[], format: PlaylistFormat): string {
  const rankOf = (track: ExportTrack, i: number): number => track.rank ?? i + 1;
  if (format === 'csv') {
    const lines = tracks.map((t, i) =>
      [
        rankOf(t, i),
        t.track_id,
        t.track_name,
        t.artist_name,
        t.genre,
        t.distance,
        spotifyUri(t.track_id),
        spotifyUrl(t.track_id),
      ]
        .map(csvField)
        .join(','),
    );
    return [PLAYLIST_CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
  }
  if (format === 'm3u') {
    const oneLine = (text: string | null): string => (text ?? '').replace(/[\r\n]+/g, ' ');
    const lines = ['#EXTM3U'];
    for (const t of tracks) {
      const seconds =
        typeof t.duration_ms === 'number' && Number.isFinite(t.duration_ms) ? Math.round(t.duration_ms / 1000) : -1;
      lines.push(`#EXTINF:${seconds},${oneLine(t.artist_name)} - ${oneLine(t.track_name)}`, spotifyUrl(t.track_id));
    }
    return lines.join('\n') + '\n';
  }
  const rows = tracks.map((t, i) => ({
    rank: rankOf(t, i),
    track_id: t.track_id,
    track: t.track_name,
    artist: t.artist_name,
    genre: t.genre,
    distance: t.distance,
    duration_ms: t.duration_ms ?? null,
    spotify_uri: spotifyUri(t.track_id),
    spotify_url: spotifyUrl(t.track_id),
  }));
  return JSON.stringify(rows, null, 2) + '\n';
}

/** The file operations {@link writeFileAtomically} uses (tests replace them to make a write fail). */
export interface FileOperations {
  open(path: string): number;
  write(fd: number, text: string): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  remove(path: string): void;
}

const NODE_FILES: FileOperations = {
  open: (path) => openSync(path, 'wx'),
  write: (fd, text) => {
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  },
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  remove: (path) => unlinkSync(path),
};

/**
 * Writes `text` to `path` whole or not at all: into a temporary file beside it, then renamed over
 * it; on any failure the temporary file is removed and an existing file at `path` is untouched.
 * @example writeFileAtomically('build/playlists/x.csv', 'a,b\r\n')
 */
export function writeFileAtomically(path: string, text: string, files: FileOperations = NODE_FILES): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = files.open(temporary);
    files.write(fd, text);
    files.close(fd);
    fd = undefined;
    files.rename(temporary, path);
  } catch (error) {
    if (fd !== undefined) {
      try {
        files.close(fd);
      } catch {
        // already closed or never opened
      }
    }
    try {
      files.remove(temporary);
    } catch {
      // never created
    }
    throw error;
  }
}

/**
 * Writes a playlist to `path` in `format` (default: from the file's extension, `.csv`, `.m3u`,
 * `.m3u8` or `.json`), creating its folder if needed, whole or not at all (see the file header).
 * A path that is a folder, a format that is none of the three, or a place that cannot be written is
 * refused with one sentence; nothing is left behind. Returns the absolute path written.
 * @example exportPlaylist('build/playlists/radio.m3u', playlist.tracks) // '/…/build/playlists/radio.m3u'
 */
export function exportPlaylist(path: string, tracks: readonly ExportTrack[], format?: PlaylistFormat): string {
  if (typeof path !== 'string' || path.trim() === '')
    throw new Error('exportPlaylist needs the path of the file to write, such as build/playlists/radio.csv.');
  const target = resolve(path);
  const extension = extname(target).slice(1).toLowerCase();
  const chosen = format ?? (extension === 'm3u8' ? 'm3u' : (extension as PlaylistFormat));
  if (!PLAYLIST_FORMATS.includes(chosen))
    throw new Error(
      format === undefined
        ? `The playlist path ${target} does not end in .csv, .m3u or .json; give one of those, or pass the format ('csv', 'm3u' or 'json').`
        : `The playlist format ${JSON.stringify(format)} is none of 'csv', 'm3u' or 'json'; pass one of those.`,
    );
  if (!Array.isArray(tracks))
    throw new Error(`exportPlaylist needs a list of tracks (a playlist's tracks), got ${String(tracks)}.`);
  tracks.forEach((track, i) => {
    if (track === null || typeof track !== 'object' || typeof track.track_id !== 'string' || track.track_id === '')
      throw new Error(`Track ${i + 1} of the playlist has no track_id; export the tracks catalogue.playlist returns.`);
  });
  if (existsSync(target) && statSync(target).isDirectory())
    throw new Error(
      `The playlist path ${target} is a folder; give the path of a file inside it, such as ${join(target, `playlist.${chosen}`)}.`,
    );
  const text = playlistText(tracks, chosen);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomically(target, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `The playlist could not be written to ${target} (${reason}), so nothing was written; choose a path in a folder you can write.`,
    );
  }
  return target;
}
