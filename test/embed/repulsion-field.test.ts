import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RepulsionField } from '../../lib/embed/repulsion-field';
import { seededRandom, randomNormal } from '../../lib/random';
import { assertClose } from '../helpers';

function directSums(embedding: Float64Array, x: number, y: number): [number, number, number] {
  let z = 0;
  let rx = 0;
  let ry = 0;
  for (let j = 0; j < embedding.length / 2; j++) {
    const dx = x - embedding[2 * j];
    const dy = y - embedding[2 * j + 1];
    const w = 1 / (1 + dx * dx + dy * dy);
    z += w;
    rx += w * w * dx;
    ry += w * w * dy;
  }
  return [z, rx, ry];
}

function clusters(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const centres = Array.from({ length: 8 }, () => [60 * random() - 30, 60 * random() - 30]);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = centres[i % 8][0] + 3 * randomNormal(random);
    out[2 * i + 1] = centres[i % 8][1] + 3 * randomNormal(random);
  }
  return out;
}

test('one reference point, worked by hand: at distance 1, w = 1/2, Z = 1/2, R = (1/4, 0)', () => {
  const field = new RepulsionField(new Float64Array([0, 0]), 1, { grid: false });
  const out = new Float64Array(3);
  field.at(1, 0, out);
  assert.deepEqual(Array.from(out), [0.5, 0.25, 0]);
});

test('with θ = 0 the tree gives the direct sums', () => {
  const embedding = clusters(700, 1);
  const field = new RepulsionField(embedding, 700, { theta: 0, grid: false });
  const out = new Float64Array(3);
  const random = seededRandom(2);
  for (let q = 0; q < 50; q++) {
    const x = 70 * random() - 35;
    const y = 70 * random() - 35;
    field.walk(x, y, out);
    const expected = directSums(embedding, x, y);
    expected.forEach((e, c) => assertClose(out[c], e, 1e-9 * Math.max(1, Math.abs(e)), `query ${q} sum ${c}`));
  }
});

test('the grid reproduces the repulsion R / Z within 2 % on average near the reference points, and off the grid it walks the tree', () => {
  const embedding = clusters(2000, 3);
  const field = new RepulsionField(embedding, 2000);
  assert.ok(field.columns > 100 && field.rows > 100);
  const out = new Float64Array(3);
  const random = seededRandom(4);
  let error = 0;
  let size = 0;
  for (let q = 0; q < 500; q++) {
    const i = q % 2000;
    const x = embedding[2 * i] + randomNormal(random);
    const y = embedding[2 * i + 1] + randomNormal(random);
    field.at(x, y, out);
    const [z, rx, ry] = directSums(embedding, x, y);
    error += Math.hypot(out[1] / out[0] - rx / z, out[2] / out[0] - ry / z);
    size += Math.hypot(rx / z, ry / z);
    assert.ok(Math.abs(out[0] - z) / z < 0.02, `Z at query ${q}`);
  }
  assert.ok(error / size < 0.02, `mean relative error ${error / size}`);
  const far = new Float64Array(3);
  field.at(1000, 1000, far);
  const exact = directSums(embedding, 1000, 1000);
  assertClose(far[0], exact[0], 1e-3 * exact[0], 'Z far away');
});

test('bad input is refused with a sentence', () => {
  assert.throws(() => new RepulsionField(new Float64Array([0, 0, 1]), 2), /must hold n × 2 values/);
  assert.throws(() => new RepulsionField(new Float64Array([0, NaN]), 1), /Reference point 0 is at \(0, NaN\)/);
  assert.throws(
    () => new RepulsionField(new Float64Array([0, 0]), 1, { theta: -1 }),
    /θ \(theta\) must be a number ≥ 0/,
  );
});
