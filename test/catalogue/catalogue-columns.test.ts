import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogueFromColumns, loadCatalogue } from '../../lib/catalogue/catalogue';
import { readTrackColumns } from './track-columns-reference';
import {
  arrayColumn,
  codedColumn,
  compareCodePoints,
  IdIndex,
  readCatalogueColumns,
  RowText,
} from '../../lib/catalogue/catalogue-columns';
import { readStoredClusters } from '../../lib/catalogue/playlist-clusters';
import { storeClustering, storeGowerClustering, storeTracks, tracksFromFrame } from '../../lib/data/db';
import { dropDuplicateTracks } from '../../lib/data/clean';
import { generateSpotifyRows } from '../../lib/data/synthetic';
import { generatedFrame } from '../data/generated-frame';

test('a coded column gives each row its label; values() lists them for fitting', () => {
  const column = codedColumn(Int32Array.of(1, 0, 2, 1), [null, 'Pop', 'Jazz']);
  assert.deepEqual(
    [0, 1, 2, 3].map((row) => column.get(row)),
    ['Pop', null, 'Jazz', 'Pop'],
  );
  assert.deepEqual(Array.from(column.values()), ['Pop', null, 'Jazz', 'Pop']);
});

test('compareCodePoints orders texts as their UTF-8 bytes (as DuckDB sorts them), where < does not', () => {
  const texts = ['a', 'ab', '', 'b', '\uffff', '\u{1f600}', '\ue000x', 'é', 'z\u{10000}', 'z\uffff', 'Z'];
  const byBytes = [...texts].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  assert.deepEqual([...texts].sort(compareCodePoints), byBytes);
  assert.ok('\uffff' > '\u{1f600}' && compareCodePoints('\uffff', '\u{1f600}') < 0);
  assert.equal(compareCodePoints('same', 'same'), 0);
});

test('IdIndex finds every row, by bisection for ids in order and by hashing otherwise, and refuses empty or repeated ids', () => {
  const sorted = ['a', 'b', 'c\u{1f600}', 'c\uffff'.replace('\uffff', '\u{1f601}'), 'é'];
  const shuffled = ['q', 'b', 'zz', 'a', '', 'é'];
  for (const ids of [sorted, shuffled]) {
    const index = new IdIndex(arrayColumn(ids) as RowText, ids.length);
    ids.forEach((id, row) => assert.equal(index.row(id), row, JSON.stringify(id)));
    assert.equal(index.row('missing'), undefined);
  }
  const known = new IdIndex(arrayColumn(sorted) as RowText, sorted.length, true);
  assert.equal(known.row('é'), 4);
  assert.throws(
    () => new IdIndex(arrayColumn(['a', 'b', 'a']) as RowText, 3),
    /^Error: The track id a in row 2 is repeated; the catalogue needs one id per track\.$/,
  );
  assert.throws(() => new IdIndex(arrayColumn(['a', null]) as RowText, 2), /The track id null in row 1 is empty/);
});

/** A database of generated tracks, with awkward text: a NULL artist, accents, characters beyond U+FFFF. */
async function awkwardDatabase(rows: number, seed: number, odd: string | null = null): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'catalogue-columns-')), 'test.duckdb');
  const frame = dropDuplicateTracks(generatedFrame(generateSpotifyRows({ rows, seed }))).df;
  const stored = tracksFromFrame(frame);
  const at = (name: string): number => stored.columns.findIndex((c) => c.name === name);
  const values = stored.rows.map((row) => [...row]);
  values[0][at('artist_name')] = null;
  values[1][at('track_name')] = 'Crème 😀 日本';
  values[2][at('track_name')] = '';
  if (odd !== null) values[3][at('track_name')] = odd;
  await storeTracks(path, { columns: stored.columns, rows: values });
  return path;
}

for (const [what, odd] of [
  ['joined by DuckDB', null],
  ['value by value, as one name holds the separator', 'odd\u001fname'],
] as const) {
  test(`readCatalogueColumns gives readTrackColumns' values, row by row, across blocks (${what})`, async () => {
    const path = await awkwardDatabase(300, 21, odd);
    const plain = await readTrackColumns(path);
    for (const blockRows of [7, 65536]) {
      const { columns: light } = await readCatalogueColumns(path, { blockRows });
      assert.equal(light.size, plain.size);
      assert.deepEqual(light.names, plain.names);
      assert.equal(light.idsInOrder, true);
      for (const name of plain.names) {
        const expected = plain.columns[name];
        for (let row = 0; row < plain.size; row++) {
          const value = light.columns[name].get(row);
          if (typeof value === 'number' && Number.isNaN(value)) assert.ok(Number.isNaN(expected[row] as number));
          else assert.equal(value, expected[row], `${name} of row ${row} (blocks of ${blockRows})`);
        }
      }
    }
  });
}

test('readCatalogueColumns refuses a database without tracks, and bad options', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'catalogue-columns-')), 'none.duckdb');
  await assert.rejects(readCatalogueColumns(path), /holds no tracks yet: run notebook 01/);
  await assert.rejects(readCatalogueColumns(path, { blockRows: 0 }), /blockRows must be a whole number of at least 1/);
});

test('loadCatalogue answers as the catalogue of readTrackColumns and readStoredClusters: similar, search, track, playlists', async () => {
  const path = await awkwardDatabase(400, 22);
  const plain = await readTrackColumns(path);
  const ids = (plain.columns.track_id as string[]).slice();
  const labels = Int32Array.from(ids, (_, i) => (i * 7) % 3);
  const count = (c: number): number => labels.filter((l) => l === c).length;
  await storeClustering(
    path,
    [0, 1, 2].map((c) => ({ id: c, x: 0, y: 0, size: count(c), name: `cluster ${c}` })),
    { trackIds: ids, clusterIds: labels },
  );
  await storeGowerClustering(path, {
    clusters: [0, 1, 2].map((c) => ({ id: c, medoidTrackId: ids[c], size: count(c), name: `medoids ${c}` })),
    assignments: { trackIds: ids, clusterIds: labels, distances: new Float64Array(ids.length) },
  });
  const light = await loadCatalogue(path);
  const reference = catalogueFromColumns(await readTrackColumns(path), await readStoredClusters(path));
  for (const id of [ids[0], ids[1], ids[57], ids[ids.length - 1]]) {
    assert.deepEqual(light.similar(id, 12), reference.similar(id, 12));
    assert.deepEqual(
      light.similar(id, 5, { weights: { genre: 0, tempo: 3 } }),
      reference.similar(id, 5, { weights: { genre: 0, tempo: 3 } }),
    );
    assert.deepEqual(light.track(id), reference.track(id));
  }
  for (const query of ['', 'a', 'crème', '😀', 'zzz-none'])
    assert.deepEqual(light.search(query, 20), reference.search(query, 20));
  for (const kind of ['kmeans', 'kmedoids'] as const) {
    assert.ok(
      light.clusters(kind).every((c) => c.rows instanceof Int32Array),
      'the clusters come as catalogue rows',
    );
    assert.deepEqual(
      light.clusters(kind).map((c) => [c.id, c.name, c.medoid, [...c.trackIds]]),
      reference.clusters(kind).map((c) => [c.id, c.name, c.medoid, [...c.trackIds]]),
    );
    for (const c of [0, 1, 2]) {
      const seed = kind === 'kmeans' ? { kmeans: c } : { kmedoids: c };
      assert.deepEqual(light.playlist(seed, 10), reference.playlist(seed, 10));
    }
  }
  assert.deepEqual(light.playlist([ids[3], ids[9]], 8), reference.playlist([ids[3], ids[9]], 8));
});
