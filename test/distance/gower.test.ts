import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gowerMatrix, Row } from '../../lib/distance/gower';
import { fitGower, isMissing } from '../../lib/distance/gower-metric';
import { seededRandom, shuffledIndices } from '../../lib/random';
import { readFixture, assertClose } from '../helpers';
import { randomGowerRows, withThreads } from '../helpers';

interface GowerCase {
  name: string;
  rows: Row[];
  categorical: string[] | null;
  weights: Record<string, number> | null;
  python: (number | null)[];
  /** The full weight array passed to the package (weighted cases only). */
  all_weights?: Record<string, number>;
}
// Made by test/reference/gower_fixtures.py with the Python `gower` package 0.1.2.
const fixtures: { cases: GowerCase[] } = readFixture('gower_mixed.json');

test('the doc example: one category and one number, worked by hand', () => {
  const d = gowerMatrix([
    { genre: 'Pop', energy: 0.2 },
    { genre: 'Pop', energy: 0.6 },
    { genre: 'Jazz', energy: 1.0 },
  ]);
  // energy range 0.8: (0 + 0.4/0.8)/2, (1 + 0.8/0.8)/2, (1 + 0.4/0.8)/2
  assertClose(d.get(0, 1), 0.25, 1e-7, '(0, 1)');
  assertClose(d.get(0, 2), 1, 1e-7, '(0, 2)');
  assertClose(d.get(1, 2), 0.75, 1e-7, '(1, 2)');
  assert.ok(d.condensed instanceof Float32Array);
  assert.deepEqual(
    d.features.map((f) => [f.name, f.kind]),
    [
      ['genre', 'categorical'],
      ['energy', 'numeric'],
    ],
  );
});

// Four rows with holes; ranges over the values present: energy 1.0 − 0.2 = 0.8, tempo 140 − 100 = 40.
const holes: Row[] = [
  { genre: 'Pop', energy: 0.2, tempo: 100 },
  { genre: 'Pop', energy: null, tempo: 140 },
  { genre: null, energy: 1.0, tempo: 120 },
  { genre: 'Jazz', energy: 0.6, tempo: undefined },
];

test('a missing value drops its feature from that pair and the weights are renormalised (daisy)', () => {
  const d = gowerMatrix(holes);
  assertClose(d.get(0, 1), 0.5, 1e-7, 'A–B: genre 0, tempo 40/40 = 1, energy left out → 1/2');
  assertClose(d.get(0, 2), 0.75, 1e-7, 'A–C: energy 1, tempo 0.5, genre left out → 1.5/2');
  assertClose(d.get(0, 3), 0.75, 1e-7, 'A–D: genre 1, energy 0.5, tempo left out → 1.5/2');
  assertClose(d.get(1, 2), 0.5, 1e-7, 'B–C: only tempo 20/40 is left');
  assertClose(d.get(1, 3), 1, 1e-7, 'B–D: only genre (different) is left');
  assertClose(d.get(2, 3), 0.5, 1e-7, 'C–D: only energy 0.4/0.8 is left');
  assert.equal(d.incomparablePairs, 0);
});

test('weights renormalise over the features present in the pair', () => {
  const d = gowerMatrix(holes, { weights: { genre: 2 } });
  assertClose(d.get(0, 1), 1 / 3, 1e-7, 'A–B: (2·0 + 1·1) / (2 + 1)');
  assertClose(d.get(0, 3), 2.5 / 3, 1e-7, 'A–D: (2·1 + 1·0.5) / (2 + 1)');
  assertClose(d.get(1, 2), 0.5, 1e-7, 'B–C: tempo alone');
});

test('a pair with no feature in common is NaN by default, or the number asked for', () => {
  const rows: Row[] = [
    { genre: '', energy: Number.NaN, tempo: 110 },
    { genre: 'Pop', energy: 0.5, tempo: null },
    { genre: 'Jazz', energy: 0.7, tempo: 90 },
  ];
  const d = gowerMatrix(rows);
  assert.ok(Number.isNaN(d.get(0, 1)));
  assert.equal(d.incomparablePairs, 1);
  assertClose(d.get(0, 2), 1, 1e-7, 'only tempo 20/20');
  const filled = gowerMatrix(rows, { incomparableDistance: 1 });
  assert.equal(filled.get(0, 1), 1);
});

test('strings and booleans are categorical by default; integer codes must be named', () => {
  const rows: Row[] = [
    { key: 1, explicit: true, genre: 'Pop' },
    { key: 11, explicit: false, genre: 'Pop' },
    { key: 2, explicit: true, genre: 'Pop' },
  ];
  const byDefault = gowerMatrix(rows);
  assertClose(byDefault.get(0, 1), (10 / 10 + 1 + 0) / 3, 1e-7, 'key numeric: |1 − 11| / 10');
  assertClose(byDefault.get(0, 2), (1 / 10 + 0 + 0) / 3, 1e-7, 'key numeric: |1 − 2| / 10');
  const named = gowerMatrix(rows, { categorical: ['key', 'explicit', 'genre'] });
  assertClose(named.get(0, 2), 1 / 3, 1e-7, 'key categorical: 1 ≠ 2');
});

test('bigint values (DuckDB BIGINT columns) count as numbers', () => {
  const d = gowerMatrix([
    { duration_ms: 200_000n, genre: 'Pop' },
    { duration_ms: 300_000n, genre: 'Pop' },
    { duration_ms: 250_000n, genre: 'Rock' },
  ]);
  assert.equal(d.features[0].kind, 'numeric');
  assertClose(d.get(0, 2), (0.5 + 1) / 2, 1e-7, '|200,000 − 250,000| / 100,000 and a different genre');
});

test('a constant column contributes 0 but keeps its weight', () => {
  const d = gowerMatrix([
    { a: 0, c: 5 },
    { a: 1, c: 5 },
  ]);
  assertClose(d.get(0, 1), 0.5, 1e-7, '(1 + 0) / 2');
});

test('the columns option restricts and orders the features', () => {
  const rows: Row[] = [
    { id: 'x', genre: 'Pop', energy: 0.2 },
    { id: 'y', genre: 'Pop', energy: 0.6 },
  ];
  const d = gowerMatrix(rows, { columns: ['energy', 'genre'] });
  assertClose(d.get(0, 1), 0.5, 1e-7, 'energy 1, genre 0');
  assert.deepEqual(
    d.features.map((f) => f.name),
    ['energy', 'genre'],
  );
});

test('bad input is refused with a sentence naming the column and row', () => {
  const rows: Row[] = [
    { genre: 'Pop', energy: 0.2 },
    { genre: 'Jazz', energy: 'loud' },
  ];
  assert.throws(() => gowerMatrix(rows, { categorical: ['genre'] }), {
    message: 'The column "energy" is treated as numeric, but row 1 holds "loud"; name it in `categorical` or clean it.',
  });
  assert.throws(
    () => gowerMatrix(rows, { columns: ['tempo'] }),
    /The column "tempo" is not in the data \(its columns are genre, energy\)/,
  );
  assert.throws(() => gowerMatrix(rows, { categorical: ['mode'] }), /categorical column "mode" is not among/);
  assert.throws(() => gowerMatrix(rows, { weights: { tempo: 1 } }), /weight is given for "tempo"/);
  assert.throws(
    () => gowerMatrix([{ a: 1 }], { weights: { a: -1 } }),
    /weight for column "a" must be a finite number ≥ 0, got -1/,
  );
  assert.throws(() => gowerMatrix([{ a: 1 }], { weights: { a: 0 } }), /add up to 0/);
  assert.throws(() => gowerMatrix([{ a: 1 }, { a: Infinity }]), /Row 1 of column "a" is Infinity/);
  assert.throws(
    () => gowerMatrix('tracks' as unknown as Row[]),
    /needs a danfojs DataFrame, an array of row objects or an object of columns, got "tracks"/,
  );
  assert.throws(() => gowerMatrix([{ a: 1 }, [2] as unknown as Row]), /Row 1 is not an object/);
});

test('a matrix too big for the memory limit is refused before allocating', () => {
  assert.throws(
    () => gowerMatrix([{ a: 1 }, { a: 2 }, { a: 3 }], { memoryLimit: 8 }),
    /needs 12 bytes, more than the 8 bytes/,
  );
});

test('progress is reported up to the total number of pairs', () => {
  const rows = Array.from({ length: 300 }, (_, i) => ({ x: i % 7, g: String(i % 3) }));
  const calls: [number, number][] = [];
  // on one thread the calling thread runs every chunk, so every chunk reports (with workers, how many
  // reports the caller sees depends on how fast they are)
  withThreads(1, () => gowerMatrix(rows, { onProgress: (done, total) => calls.push([done, total]) }));
  assert.ok(calls.length > 10);
  assert.deepEqual(calls[calls.length - 1], [44_850, 44_850]);
  for (let c = 1; c < calls.length; c++) assert.ok(calls[c][0] >= calls[c - 1][0]);
});

test('equals the Python gower package within 1e-6 wherever the package gives a number for rows without holes', () => {
  for (const fixture of fixtures.cases) {
    const d = gowerMatrix(fixture.rows, {
      categorical: fixture.categorical ?? undefined,
      weights: fixture.weights ?? undefined,
    });
    const complete = fixture.rows.map((row) => !Object.values(row).some(isMissing));
    let compared = 0;
    let k = 0;
    for (let i = 0; i < d.size; i++) {
      for (let j = i + 1; j < d.size; j++, k++) {
        const expected = fixture.python[k];
        if (expected === null || !complete[i] || !complete[j]) continue;
        assertClose(d.get(i, j), expected, 1e-6, `${fixture.name} (${i}, ${j})`);
        compared++;
      }
    }
    assert.ok(compared >= 15, `${fixture.name}: only ${compared} pairs compared`);
  }
});

test('equals gower.gower_matrix(X, weight=array) within 1e-6 for halved, zero and doubled weights', () => {
  const weighted = fixtures.cases.filter((c) => c.all_weights);
  assert.equal(weighted.length, 2);
  for (const fixture of weighted) {
    // Only the changed weights are given here; the rest default to 1, as in the package's array.
    assert.ok(
      Object.entries(fixture.all_weights!).every(([name, w]) => (fixture.weights![name] ?? 1) === w),
      fixture.name,
    );
    const d = gowerMatrix(fixture.rows, { categorical: fixture.categorical!, weights: fixture.weights! });
    assert.equal(fixture.python.length, d.condensed.length);
    fixture.python.forEach((expected, k) => assertClose(d.condensed[k], expected!, 1e-6, `${fixture.name} pair ${k}`));
  }
});

test('the package gives NaN for every pair touching a missing number, where this gives a distance', () => {
  const fixture = fixtures.cases[0];
  const d = gowerMatrix(fixture.rows, { categorical: fixture.categorical ?? undefined });
  const nanPairs = fixture.python.filter((v) => v === null).length;
  assert.ok(nanPairs > 0);
  assert.ok(Array.from(d.condensed).every((v) => v >= 0 && v <= 1));
});

/** Gower by the definition, one pair at a time (daisy's rule for missing values). */
function gowerByDefinition(rows: Row[], categorical: string[], weights: Record<string, number> = {}): number[][] {
  const columns = Object.keys(rows[0]);
  const range: Record<string, number> = {};
  for (const c of columns) {
    if (categorical.includes(c)) continue;
    const present = rows.map((r) => r[c]).filter((v) => !isMissing(v)) as number[];
    range[c] = Math.max(...present) - Math.min(...present);
  }
  return rows.map((a) =>
    rows.map((b) => {
      let sum = 0;
      let weight = 0;
      for (const c of columns) {
        if (isMissing(a[c]) || isMissing(b[c])) continue;
        const w = weights[c] ?? 1;
        weight += w;
        if (categorical.includes(c)) sum += a[c] === b[c] ? 0 : w;
        else if (range[c] > 0) sum += (w * Math.abs((a[c] as number) - (b[c] as number))) / range[c];
      }
      return weight > 0 ? sum / weight : NaN;
    }),
  );
}

test('property: equals the pair-by-pair definition on random frames with holes', () => {
  for (const seed of [1, 2, 3]) {
    const rows = randomGowerRows(40, seed, 0.15);
    const weights = { genre: 2, tempo: 0.5 };
    const d = gowerMatrix(rows, { weights });
    const expected = gowerByDefinition(rows, ['genre', 'mode'], weights);
    for (let i = 0; i < rows.length; i++) {
      for (let j = 0; j < rows.length; j++) {
        if (Number.isNaN(expected[i][j])) assert.ok(Number.isNaN(d.get(i, j)));
        else assertClose(d.get(i, j), expected[i][j], 1e-6, `seed ${seed} (${i}, ${j})`);
      }
    }
  }
});

test('property: zero diagonal, symmetric, every value in [0, 1]', () => {
  const d = gowerMatrix(randomGowerRows(60, 4, 0.1), { incomparableDistance: 1 });
  for (let i = 0; i < d.size; i++) {
    assert.equal(d.get(i, i), 0);
    for (let j = 0; j < d.size; j++) {
      assert.equal(d.get(i, j), d.get(j, i));
      assert.ok(d.get(i, j) >= 0 && d.get(i, j) <= 1);
    }
  }
});

test('property: shuffling the rows shuffles the matrix and changes no value', () => {
  const rows = randomGowerRows(50, 5, 0.1);
  const order = shuffledIndices(rows.length, 9);
  const d = gowerMatrix(rows);
  const shuffled = gowerMatrix(Array.from(order, (i) => rows[i]));
  for (let a = 0; a < rows.length; a++) {
    for (let b = 0; b < rows.length; b++) assert.ok(Object.is(shuffled.get(a, b), d.get(order[a], order[b])));
  }
});

test('property: the input rows are not modified', () => {
  const rows = Object.freeze(randomGowerRows(10, 6, 0.2).map((r) => Object.freeze(r))) as Row[];
  assert.doesNotThrow(() => gowerMatrix(rows));
});

test('a danfojs DataFrame gives the same matrix as its rows', async () => {
  const dfd = await import('danfojs-node');
  const rows = randomGowerRows(30, 7, 0.1).map((r) => ({ ...r, genre: r.genre ?? 'Pop', mode: r.mode ?? 'Minor' }));
  const frame = new dfd.DataFrame(rows);
  const fromFrame = gowerMatrix(frame as unknown as Parameters<typeof gowerMatrix>[0]);
  const fromRows = gowerMatrix(rows);
  assert.deepEqual(Array.from(fromFrame.condensed), Array.from(fromRows.condensed));
  assert.deepEqual(
    fromFrame.features.map((f) => f.kind),
    ['categorical', 'categorical', 'numeric', 'numeric', 'numeric'],
  );
  // The loader builds frames in danfojs' low-memory mode (rows only); columns still read the same.
  const columns = Object.keys(rows[0]);
  const lowMemory = new dfd.DataFrame(
    rows.map((r) => columns.map((c) => (r as Row)[c])),
    { columns, config: { lowMemoryMode: true } },
  );
  assert.deepEqual(
    Array.from(gowerMatrix(lowMemory as unknown as Parameters<typeof gowerMatrix>[0]).condensed),
    Array.from(fromRows.condensed),
  );
});

test('plain columns give the same matrix as the rows they hold', () => {
  const rows = randomGowerRows(20, 15, 0.1);
  const columns: Record<string, unknown[]> = {};
  for (const name of Object.keys(rows[0])) columns[name] = rows.map((r) => r[name]);
  assert.deepEqual(Array.from(gowerMatrix(columns).condensed), Array.from(gowerMatrix(rows).condensed));
  const metric = fitGower(rows);
  assert.deepEqual(
    Array.from(
      metric.encode({ ...columns, energy: Float64Array.from(columns.energy as (number | null)[], (v) => v ?? NaN) })
        .values[2],
    ),
    Array.from(metric.encode(rows).values[2]),
  );
});

test('1, 2 and 3 threads give the bit-identical matrix, filled in place in a shared buffer', () => {
  for (const holes of [0, 0.3]) {
    const metric = fitGower(randomGowerRows(700, 17, holes));
    const [one, two, three] = [1, 2, 3].map((threads) => withThreads(threads, () => gowerMatrix(metric)));
    assert.ok(one.condensed.buffer instanceof SharedArrayBuffer);
    assert.deepEqual(two.condensed, one.condensed, `holes ${holes}`);
    assert.deepEqual(three.condensed, one.condensed, `holes ${holes}`);
    assert.equal(two.incomparablePairs, one.incomparablePairs);
    assert.equal(three.incomparablePairs, one.incomparablePairs);
  }
  // with incomparable pairs (a row whose only values are missing where the others have them)
  const rows = [
    { a: 1, b: null },
    { a: null, b: 'x' },
    ...randomGowerRows(200, 3, 0).map((r) => ({ a: r.energy, b: r.genre })),
  ];
  const [one, two] = [1, 2].map((threads) =>
    withThreads(threads, () => gowerMatrix(rows, { incomparableDistance: 1 })),
  );
  assert.equal(one.incomparablePairs, 1);
  assert.equal(two.incomparablePairs, 1);
  assert.deepEqual(two.condensed, one.condensed);
});
