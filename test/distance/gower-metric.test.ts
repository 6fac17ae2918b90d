import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGower, isMissing, Row } from '../../lib/distance/gower-metric';
import { gowerMatrix } from '../../lib/distance/gower';
import { gowerContributions } from '../../lib/distance/gower-contributions';
import { seededRandom } from '../../lib/random';
import { assertClose } from '../helpers';
import { randomGowerRows } from '../helpers';

test('null, undefined, NaN and the empty string count as missing; 0 and "0" do not', () => {
  for (const value of [null, undefined, Number.NaN, '']) assert.equal(isMissing(value), true);
  for (const value of [0, '0', false, ' ']) assert.equal(isMissing(value), false);
});

// The fitted metric: ranges, codes and weights fixed by one data set, applied to others.

test('a fitted metric gives the rows of gowerMatrix on the data it was fitted on, holes and weights included', () => {
  for (const seed of [11, 12]) {
    const rows = randomGowerRows(30, seed, 0.15);
    const weights = { genre: 2, loudness: 0.5 };
    const d = gowerMatrix(rows, { weights });
    const metric = fitGower(rows, { weights });
    const encoded = metric.encode(rows);
    const all = metric.rowDistances(encoded, encoded);
    for (let i = 0; i < rows.length; i++) {
      for (let j = 0; j < rows.length; j++) {
        const value = all[i * rows.length + j];
        if (i === j) continue;
        if (Number.isNaN(d.get(i, j))) assert.ok(Number.isNaN(value), `seed ${seed} (${i}, ${j}) should be NaN`);
        else assertClose(value, d.get(i, j), 1e-6, `seed ${seed} (${i}, ${j})`);
      }
    }
  }
});

test('a value beyond the fitted range contributes at most its full weight', () => {
  // Fitted energy range 0.2 .. 0.6 (0.4): 1.4 is 1.2 beyond 0.2 → clipped to 1; 0.5 is within.
  const metric = fitGower([
    { genre: 'Pop', energy: 0.2 },
    { genre: 'Jazz', energy: 0.6 },
  ]);
  const fitted = metric.encode([
    { genre: 'Pop', energy: 0.2 },
    { genre: 'Jazz', energy: 0.6 },
  ]);
  const others = metric.encode([
    { genre: 'Pop', energy: 1.4 },
    { genre: 'Pop', energy: 0.5 },
    { genre: 'Jazz', energy: -3 },
  ]);
  assert.equal(others.withinRange, false);
  assert.equal(fitted.withinRange, true);
  const fromPop = metric.distanceToRows(fitted, 0, others);
  assertClose(fromPop[0], (0 + 1) / 2, 1e-12, 'Pop 0.2 – Pop 1.4: energy clipped to 1');
  assertClose(fromPop[1], (0 + 0.3 / 0.4) / 2, 1e-12, 'Pop 0.2 – Pop 0.5: within the range');
  assertClose(fromPop[2], (1 + 1) / 2, 1e-12, 'Pop 0.2 – Jazz −3: both terms full');
  for (const value of metric.rowDistances(fitted, others)) assert.ok(value >= 0 && value <= 1);
});

test('a category the fit never saw differs from every fitted category and equals itself', () => {
  const metric = fitGower([
    { genre: 'Pop', energy: 0 },
    { genre: 'Jazz', energy: 1 },
  ]);
  const rows = metric.encode([
    { genre: 'Pop', energy: 0 },
    { genre: 'Polka', energy: 0 },
    { genre: 'Polka', energy: 0 },
    { genre: 'Jazz', energy: 0 },
  ]);
  assert.deepEqual(Array.from(metric.distanceToRows(rows, 1, rows)), [0.5, 0, 0, 0.5]);
  assert.equal(metric.features[0].categories, 2, 'the fit saw two genres');
  assert.equal(metric.featureValue(rows, 1, 0), 'Polka');
});

test('a column constant in the fit contributes nothing, whatever the new values', () => {
  const metric = fitGower([
    { mode: 'Major', level: 3 },
    { mode: 'Minor', level: 3 },
  ]);
  const rows = metric.encode([
    { mode: 'Major', level: 3 },
    { mode: 'Major', level: 99 },
  ]);
  assert.deepEqual(Array.from(metric.distanceToRows(rows, 0, rows)), [0, 0]);
});

test('withWeights keeps the ranges and codes and gives gowerMatrix with those weights', () => {
  const rows = randomGowerRows(25, 13, 0);
  const weights = { genre: 3, energy: 0, tempo: 2 };
  const metric = fitGower(rows).withWeights(weights);
  const encoded = metric.encode(rows);
  const d = gowerMatrix(rows, { weights });
  for (let j = 1; j < rows.length; j++)
    assertClose(metric.distanceToRows(encoded, 0, encoded)[j], d.get(0, j), 1e-6, `(0, ${j})`);
  assert.deepEqual(
    metric.features.map((f) => f.weight),
    [3, 1, 0, 2, 1],
  );
  assert.throws(() => fitGower(rows).withWeights({ colour: 1 }), /"colour", which is not among the columns used/);
});

test('the contributions of the features add up to the distance', () => {
  const metric = fitGower([
    { genre: 'Pop', energy: 0.2 },
    { genre: 'Jazz', energy: 0.6 },
  ]);
  const rows = metric.encode([
    { genre: 'Pop', energy: 0.2 },
    { genre: 'Jazz', energy: 0.4 },
  ]);
  // genre differs: 1/2; energy 0.2/0.4 = 0.5, halved: 0.25.
  assert.deepEqual(Array.from(metric.contributions(rows, 0, rows, 1)), [0.5, 0.25]);
  const random = randomGowerRows(20, 14, 0.1);
  const fitted = fitGower(random, { weights: { tempo: 3 } });
  const encoded = fitted.encode(random);
  for (let j = 0; j < random.length; j++) {
    const distance = fitted.distanceToRows(encoded, 2, encoded)[j];
    if (Number.isNaN(distance)) continue;
    const sum = Array.from(fitted.contributions(encoded, 2, encoded, j))
      .filter((v) => !Number.isNaN(v))
      .reduce((a, b) => a + b, 0);
    assertClose(sum, distance, 1e-12, `row 2 against ${j}`);
  }
});

test('rows to encode need every column of the fit', () => {
  const metric = fitGower([
    { genre: 'Pop', energy: 0.2 },
    { genre: 'Jazz', energy: 0.6 },
  ]);
  assert.throws(() => metric.encode([{ genre: 'Pop' }]), /The column "energy" of the fitted metric is not in the data/);
  assert.throws(() => metric.encode([{ genre: 'Pop', energy: 'loud' }]), /row 0 holds "loud"/);
  assert.throws(
    () =>
      metric.distanceToRows(
        metric.encode([{ genre: 'Pop', energy: 1 }]),
        3,
        metric.encode([{ genre: 'Pop', energy: 1 }]),
      ),
    /Row 3 is not a row/,
  );
});

// Fitted once: the matrix and the contributions read the metric's rows, never the data again.

/** The rows as an object of columns that counts how often each column is read. */
function countingColumns(rows: Row[]): { columns: Record<string, unknown[]>; reads: Record<string, number> } {
  const columns: Record<string, unknown[]> = {};
  const reads: Record<string, number> = {};
  for (const name of Object.keys(rows[0])) {
    const values = rows.map((row) => row[name]);
    reads[name] = 0;
    Object.defineProperty(columns, name, {
      enumerable: true,
      get: () => {
        reads[name]++;
        return values;
      },
    });
  }
  return { columns, reads };
}

test('one fitted metric gives the matrix and contributions that data and options give, reading the data once', () => {
  const rows = randomGowerRows(40, 21, 0.1);
  const options = { categorical: ['genre', 'mode'], weights: { genre: 2, tempo: 0.5 } };
  const { columns, reads } = countingColumns(rows);
  const metric = fitGower(columns, options);
  const readsByFit = { ...reads };
  const matrix = gowerMatrix(metric);
  const contributions = gowerContributions(metric, { seed: 3, sampleSize: 500 });
  assert.deepEqual(reads, readsByFit, 'the matrix and the contributions read no column');
  assert.deepEqual(Array.from(matrix.condensed), Array.from(gowerMatrix(rows, options).condensed));
  assert.deepEqual(matrix.features, gowerMatrix(rows, options).features);
  assert.deepEqual(contributions, gowerContributions(rows, { ...options, seed: 3, sampleSize: 500 }));
  assert.equal(metric.rows.size, rows.length);
  assert.deepEqual(metric.rows.values, metric.encode(rows).values, 'the rows kept are the rows encoded');
});

test('bad weights are refused once, when the metric is fitted; a fitted metric refuses the fit options again', () => {
  const rows = randomGowerRows(10, 22, 0);
  assert.throws(
    () => fitGower(rows, { weights: { genre: -1 } }),
    /The weight for column "genre" must be a finite number ≥ 0, got -1/,
  );
  assert.throws(() => fitGower(rows, { weights: { colour: 1 } }), /A weight is given for "colour"/);
  const metric = fitGower(rows, { weights: { genre: 2 } });
  assert.throws(() => gowerMatrix(metric, { weights: { genre: 2 } } as Parameters<typeof gowerMatrix>[1]), {
    message:
      'gowerMatrix was given a fitted metric and `weights`, which the metric fixed when it was fitted; pass them to fitGower instead.',
  });
  assert.throws(
    () => gowerContributions(metric, { categorical: ['genre'], columns: ['genre'] }),
    /gowerContributions was given a fitted metric and `columns`, `categorical`, which the metric fixed/,
  );
  assert.doesNotThrow(() => gowerMatrix(metric, { weights: undefined } as Parameters<typeof gowerMatrix>[1]));
});
