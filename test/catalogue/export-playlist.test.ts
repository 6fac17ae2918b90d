import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  csvField,
  exportPlaylist,
  ExportTrack,
  FileOperations,
  PLAYLIST_CSV_COLUMNS,
  playlistFileName,
  spotifyUrl,
  writeFileAtomically,
} from '../../lib/catalogue/export-playlist';

const tracks: readonly ExportTrack[] = Object.freeze([
  {
    rank: 1,
    track_id: 'id1',
    track_name: 'Plain',
    artist_name: 'Band',
    genre: 'Pop',
    distance: 0,
    duration_ms: 200400,
  },
  {
    rank: 2,
    track_id: 'id2',
    track_name: 'Comma, "quote" and\nnewline',
    artist_name: 'Ünïcode <b>',
    genre: "Children's Music",
    distance: 0.125,
    duration_ms: null,
  },
]);

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'export-playlist-'));
}

/** A small RFC 4180 reader: quoted fields with doubled quotes, CRLF or LF between records. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (record.push(field), (field = ''));
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

test('csv: the columns, quoting that survives commas, quotes and line breaks, read back field by field', () => {
  const path = join(folder(), 'list.csv');
  assert.equal(exportPlaylist(path, tracks), path);
  const records = readCsv(readFileSync(path, 'utf8'));
  assert.deepEqual(records[0], [...PLAYLIST_CSV_COLUMNS]);
  assert.deepEqual(records[0], [
    'rank',
    'track_id',
    'track',
    'artist',
    'genre',
    'distance',
    'spotify_uri',
    'spotify_url',
  ]);
  assert.deepEqual(records[2], [
    '2',
    'id2',
    'Comma, "quote" and\nnewline',
    'Ünïcode <b>',
    "Children's Music",
    '0.125',
    'spotify:track:id2',
    'https://open.spotify.com/track/id2',
  ]);
  assert.equal(records.length, 3);
  assert.equal(csvField(' lead'), '" lead"');
  assert.equal(csvField(null), '');
});

test('m3u: #EXTM3U, then per track an #EXTINF line (seconds, artist - track, one line) and its link', () => {
  const path = join(folder(), 'list.m3u');
  exportPlaylist(path, tracks);
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.deepEqual(lines, [
    '#EXTM3U',
    '#EXTINF:200,Band - Plain',
    'https://open.spotify.com/track/id1',
    '#EXTINF:-1,Ünïcode <b> - Comma, "quote" and newline',
    'https://open.spotify.com/track/id2',
    '',
  ]);
  // an explicit format wins over the extension; .m3u8 is m3u
  const other = join(folder(), 'list.m3u8');
  exportPlaylist(other, tracks);
  assert.equal(readFileSync(other, 'utf8').split('\n')[0], '#EXTM3U');
});

test('json: parsed back, one object per track with the links', () => {
  const path = join(folder(), 'list.txt');
  exportPlaylist(path, tracks, 'json');
  const rows = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[1], {
    rank: 2,
    track_id: 'id2',
    track: 'Comma, "quote" and\nnewline',
    artist: 'Ünïcode <b>',
    genre: "Children's Music",
    distance: 0.125,
    duration_ms: null,
    spotify_uri: 'spotify:track:id2',
    spotify_url: 'https://open.spotify.com/track/id2',
  });
  assert.equal(spotifyUrl('a/b?c'), 'https://open.spotify.com/track/a%2Fb%3Fc');
});

test('the atomic write: a write that fails midway leaves no partial file, no temporary file, and the old file as it was', () => {
  const dir = folder();
  const path = join(dir, 'list.csv');
  writeFileSync(path, 'the old playlist\n');
  let written = '';
  const failing: FileOperations = {
    open: (p) => {
      writeFileSync(p, '');
      return 99;
    },
    write: (_fd, text) => {
      written = text.slice(0, 5);
      writeFileSync(
        join(
          dir,
          readdirSync(dir).find((f) => f.endsWith('.tmp'))!,
        ),
        written,
      );
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    },
    close: () => undefined,
    rename: () => assert.fail('never renamed'),
    remove: (p) => unlinkSync(p),
  };
  assert.throws(() => writeFileAtomically(path, 'rank,track_id\r\n1,a\r\n', failing), /no space left/);
  assert.equal(written, 'rank,');
  assert.equal(readFileSync(path, 'utf8'), 'the old playlist\n');
  assert.deepEqual(readdirSync(dir), ['list.csv']);
  // and a fresh path stays absent
  assert.throws(() => writeFileAtomically(join(dir, 'new.csv'), 'x', failing), /no space left/);
  assert.ok(!existsSync(join(dir, 'new.csv')));
  assert.deepEqual(readdirSync(dir), ['list.csv']);
  // the real write replaces the file whole
  writeFileAtomically(path, 'new\n');
  assert.equal(readFileSync(path, 'utf8'), 'new\n');
  assert.deepEqual(readdirSync(dir), ['list.csv']);
});

test('the refusals: a folder, a place that cannot be written, an unknown format or extension, bad tracks; nothing left behind', () => {
  const dir = folder();
  mkdirSync(join(dir, 'sub'));
  assert.throws(
    () => exportPlaylist(join(dir, 'sub'), tracks, 'csv'),
    /^Error: The playlist path .*sub is a folder; give the path of a file inside it, such as .*sub\/playlist\.csv\.$/,
  );
  writeFileSync(join(dir, 'file'), 'x');
  assert.throws(
    () => exportPlaylist(join(dir, 'file', 'list.csv'), tracks),
    /^Error: The playlist could not be written to .*file\/list\.csv \((ENOTDIR|EEXIST)\), so nothing was written; choose a path in a folder you can write\.$/,
  );
  assert.throws(() => exportPlaylist(join(dir, 'list.xlsx'), tracks), /does not end in \.csv, \.m3u or \.json/);
  assert.throws(() => exportPlaylist(join(dir, 'list.csv'), tracks, 'pls' as 'csv'), /format "pls" is none of/);
  assert.throws(() => exportPlaylist('', tracks), /needs the path of the file/);
  assert.throws(
    () => exportPlaylist(join(dir, 'list.csv'), [{ track_name: 'x' } as ExportTrack]),
    /Track 1 of the playlist has no track_id/,
  );
  assert.deepEqual(readdirSync(dir).sort(), ['file', 'sub']);
  // a missing folder is made
  exportPlaylist(join(dir, 'new', 'deeper', 'list.json'), tracks);
  assert.equal(JSON.parse(readFileSync(join(dir, 'new', 'deeper', 'list.json'), 'utf8')).length, 2);
});

test('playlistFileName: a safe file name from a cluster or track name', () => {
  assert.equal(playlistFileName('Dance · minor', 'm3u'), 'dance-minor.m3u');
  assert.equal(playlistFileName('k-medoids cluster 2', 'csv'), 'k-medoids-cluster-2.csv');
  assert.equal(playlistFileName('../../etc/passwd', 'json'), 'etc-passwd.json');
  assert.equal(playlistFileName('Beyoncé', 'csv'), 'beyonce.csv');
  assert.equal(playlistFileName('★★★', 'csv'), 'playlist.csv');
  assert.ok(playlistFileName('x'.repeat(200), 'csv').length <= 64);
});
