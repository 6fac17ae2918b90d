/**
 * What the DuckDB store tests share: fresh paths, generated tracks, SQL run on a file with DuckDB
 * alone, a file's exact state (bytes, modification time, the files beside it), and the assertion
 * that every entry point the notebooks use refuses a file with one sentence and leaves it as it was.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  DatabaseError,
  queryRows,
  requireStored,
  storeClustering,
  storedTrackCount,
  storeGowerClustering,
  storeTracks,
  tableCounts,
  tracksFromFrame,
  withDatabase,
} from '../../lib/data/db';
import { readTracks } from '../../lib/data/sample';
import { readStoredTracks } from '../../lib/data/stored-tracks';
import { loadCatalogue } from '../../lib/catalogue/catalogue';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { generatedFrame } from './generated-frame';

export const freshPath = (): string => join(mkdtempSync(join(tmpdir(), 'db-schema-')), 'test.duckdb');
export const tracks = () =>
  tracksFromFrame(dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows: 300, seed: 1 }))).df);
export const idsOf = (t: ReturnType<typeof tracks>): string[] => t.rows.map((row) => String(row[3]));

/** The file's bytes, modification time and the files beside it (a .wal would show there). */
export function fileState(path: string): string {
  const bytes = createHash('sha256').update(readFileSync(path)).digest('hex');
  return JSON.stringify({
    bytes,
    mtime: statSync(path).mtimeMs,
    size: statSync(path).size,
    folder: readdirSync(dirname(path)).sort(),
  });
}

/** Run SQL on a file with DuckDB (withDatabase does not ask whose database it is). */
export const raw = (path: string, ...statements: string[]) =>
  withDatabase(path, async (con) => {
    for (const sql of statements) await con.run(sql);
  });

/** Every entry point the notebooks use refuses the file with `message`, and the file stays exactly as it was. */
export async function assertRefusedUntouched(path: string, message: RegExp): Promise<void> {
  const before = fileState(path);
  const t = tracks();
  const ids = idsOf(t).slice(0, 2);
  const steps: [string, () => Promise<unknown>][] = [
    ['storeTracks', () => storeTracks(path, t)],
    [
      'storeClustering',
      () => storeClustering(path, [{ id: 0, x: 0, y: 0, size: 2 }], { trackIds: ids, clusterIds: [0, 0] }),
    ],
    [
      'storeGowerClustering',
      () =>
        storeGowerClustering(path, {
          clusters: [{ id: 0, medoidTrackId: ids[0] }],
          assignments: { trackIds: ids, clusterIds: [0, 0], distances: [0, 0.5] },
        }),
    ],
    ['storedTrackCount', () => storedTrackCount(path)],
    ['tableCounts', () => tableCounts(path)],
    ['queryRows', () => queryRows(path, 'SELECT count(*) FROM track')],
    ['readTracks', () => readTracks(path)],
    ['readStoredTracks', () => readStoredTracks(path)],
    ['loadCatalogue', () => loadCatalogue(path)],
    ['requireStored', () => requireStored(path, ['track'])],
  ];
  for (const [name, step] of steps) {
    await assert.rejects(step(), (error: unknown) => {
      assert.ok(error instanceof DatabaseError, `${name}: ${String(error)}`);
      assert.match(error.message, message, name);
      assert.equal(error.message.split(/(?<=[.!?])\s+(?=[A-Z])/).length, 1, `${name}: one sentence`);
      return true;
    });
    assert.equal(fileState(path), before, `${name} left the file as it was`);
  }
}
