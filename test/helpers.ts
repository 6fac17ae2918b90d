/**
 * What many tests share: reading a fixture made by a script in test/reference/, turning a
 * base64 condensed Float32 matrix from such a fixture into a `DistanceMatrix`, and closeness
 * assertions with a stated tolerance.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DistanceMatrix } from '../lib/matrix/distance-matrix';
import { PROJECT_ROOT } from '../lib/data/config';

/** The folder of the reference fixtures, test/fixtures/. */
export const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures');

/** A JSON fixture from test/fixtures/, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are JSON; each test states the shape it reads
export function readFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

/** A condensed Float32 matrix stored as base64 by a reference script (numpy's `tobytes()`), over `n` rows. */
export function condensedFromBase64(base64: string, n: number): DistanceMatrix {
  const bytes = Buffer.from(base64, 'base64');
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return new DistanceMatrix(n, values);
}

/** `actual` is within `tolerance` of `expected` (absolute). */
export function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} differs from ${expected} by more than ${tolerance}`);
}

/** `actual` is within `tolerance` of `expected` relative to |expected| (at least 1e-12). */
export function assertCloseRelative(actual: number, expected: number, tolerance: number, what: string): void {
  const scale = Math.max(Math.abs(expected), 1e-12);
  assert.ok(Math.abs(actual - expected) / scale <= tolerance, `${what}: ${actual} vs ${expected} (relative tolerance ${tolerance})`);
}

/** Every element of `actual` is within `tolerance` of the same element of `expected`, and the lengths agree. */
export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], tolerance, `${what}[${i}]`);
}
