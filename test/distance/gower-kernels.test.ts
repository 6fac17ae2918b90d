import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowComparison } from '../../lib/distance/gower-kernels';
import { fitGower, isMissing, Row } from '../../lib/distance/gower-metric';
import { seededRandom } from '../../lib/random';
import { assertClose } from '../helpers';

/** Rows with `numeric` number columns n0.. and `categorical` text columns c0.., some values missing. */
function rowsOf(numeric: number, categorical: number, n: number, seed: number, holes = 0): Row[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const row: Row = {};
    for (let f = 0; f < numeric; f++) row[`n${f}`] = random() < holes ? null : 10 * random() - 3;
    for (let f = 0; f < categorical; f++) row[`c${f}`] = random() < holes ? null : 'abc'[Math.floor(random() * 3)];
    return row;
  });
}

/** Gower by the definition for one pair, with `fitted`'s ranges and each term clipped at 1 (daisy's rule for holes). */
function byDefinition(fitted: Row[], a: Row, b: Row, weights: Record<string, number>): number {
  let sum = 0;
  let weight = 0;
  for (const name of Object.keys(fitted[0])) {
    if (isMissing(a[name]) || isMissing(b[name])) continue;
    const w = weights[name] ?? 1;
    weight += w;
    if (name.startsWith('c')) sum += a[name] === b[name] ? 0 : w;
    else {
      const present = fitted.map((r) => r[name]).filter((v) => !isMissing(v)) as number[];
      const range = Math.max(...present) - Math.min(...present);
      if (range > 0) sum += w * Math.min(1, Math.abs((a[name] as number) - (b[name] as number)) / range);
    }
  }
  return weight > 0 ? sum / weight : NaN;
}

test('every count of numeric and categorical features (padded to groups of four) gives the distance by definition', () => {
  for (let numeric = 0; numeric <= 9; numeric++) {
    for (const categorical of [0, 1, 3, 4, 5]) {
      if (numeric + categorical === 0) continue;
      const rows = rowsOf(numeric, categorical, 12, 100 * numeric + categorical);
      const weights = { n0: 2, c0: 0.5 };
      const metric = fitGower(rows, {
        weights: Object.fromEntries(Object.entries(weights).filter(([k]) => k in rows[0])),
      });
      const out = new Float64Array(rows.length);
      new RowComparison(metric.specs, metric.rows, metric.rows).compare(4, 0, out);
      rows.forEach((row, j) =>
        assertClose(out[j], byDefinition(rows, rows[4], row, weights), 1e-12, `${numeric} + ${categorical}, row ${j}`),
      );
    }
  }
});

test('holes on either side take the daisy rule; values beyond the fitted range are clipped in both loops', () => {
  const fitted = rowsOf(5, 2, 15, 7);
  const others = rowsOf(5, 2, 20, 8, 0.2).map((row, j) => (j % 3 === 0 ? { ...row, n1: 40, n4: -40 } : row));
  const metric = fitGower(fitted);
  const to = metric.encode(others);
  assert.equal(to.withinRange, false);
  assert.ok(to.hasMissing);
  const out = new Float64Array(others.length);
  for (const row of [0, 6]) {
    new RowComparison(metric.specs, metric.rows, to).compare(row, 0, out);
    others.forEach((other, j) => {
      const expected = byDefinition(fitted, fitted[row], other, {});
      if (Number.isNaN(expected)) assert.ok(Number.isNaN(out[j]), `row ${row} against ${j}`);
      else assertClose(out[j], expected, 1e-12, `row ${row} against ${j}`);
    });
    const back = new Float64Array(fitted.length);
    for (const j of [0, 1, 2, 3]) {
      new RowComparison(metric.specs, to, metric.rows).compare(j, 0, back);
      assert.ok(Object.is(back[row], out[j]), `the same pair the other way round, ${row} and ${j}`);
    }
  }
});

test('compare fills the entries from `start` on and leaves the ones before it alone', () => {
  const rows = rowsOf(3, 2, 8, 9, 0.2);
  const metric = fitGower(rows);
  const comparison = new RowComparison(metric.specs, metric.rows, metric.rows);
  const full = new Float64Array(rows.length);
  comparison.compare(2, 0, full);
  const part = new Float64Array(rows.length).fill(7);
  comparison.compare(2, 3, part);
  assert.deepEqual(Array.from(part.subarray(0, 3)), [7, 7, 7]);
  assert.deepEqual(Array.from(part.subarray(3)), Array.from(full.subarray(3)));
});

test('a feature of weight 0 is left out, even where it is missing', () => {
  const rows: Row[] = [
    { x: 0, g: 'a' },
    { x: null, g: 'b' },
    { x: 1, g: 'a' },
  ];
  const metric = fitGower(rows, { weights: { x: 0 } });
  const out = new Float64Array(3);
  new RowComparison(metric.specs, metric.rows, metric.rows).compare(0, 0, out);
  assert.deepEqual(Array.from(out), [0, 1, 0]);
});

test('categorical terms are exactly the share where the codes differ, for any codes (the branch-free 0/1)', () => {
  const random = seededRandom(17);
  const extremes = [0, 1, 2, 3, 2 ** 31 - 1, 2 ** 30, 12345];
  const n = 400;
  const values = Array.from({ length: 5 }, () =>
    Int32Array.from({ length: n }, () => extremes[Math.floor(random() * extremes.length)]),
  );
  const shares = [0.1, 0.25, 0.05, 0.3, 0.3];
  const features = shares.map((share) => ({ kind: 'categorical' as const, share, coefficient: 0 }));
  const rows = { size: n, values, missing: [0, 0, 0, 0, 0] };
  const comparison = new RowComparison(features, rows, rows);
  const out = new Float64Array(n);
  for (const row of [0, 1, 57, n - 1]) {
    comparison.compare(row, 0, out);
    for (let j = 0; j < n; j++) {
      // the same additions in the same order as the kernel: four features, then the fifth (padded)
      const term = (f: number): number => (values[f][j] === values[f][row] ? 0 : shares[f]);
      const expected = 0 + (term(0) + term(1) + term(2) + term(3)) + (term(4) + 0 + 0 + 0);
      assert.equal(out[j], expected, `row ${row}, column ${j}`);
    }
  }
});
