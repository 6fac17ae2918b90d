/**
 * Standardisation (z-scores) of each column, as scikit-learn's `StandardScaler` does it:
 * https://scikit-learn.org/stable/modules/generated/sklearn.preprocessing.StandardScaler.html
 *
 * Written here rather than taken from a library because the two details that make results
 * comparable with the original notebook are easy to get wrong: the standard deviation is the population one
 * (divide by n, numpy's `ddof=0`), and a constant column gets scale 1 (so it becomes all zeros)
 * instead of a division by zero. The test for "constant" is scikit-learn's `_is_constant_feature`
 * (a variance within the rounding error of the two-pass algorithm, Chan, Golub and LeVeque).
 */
import { NumericMatrix, matrixFromData } from '../matrix/numeric-matrix';

/**
 * Fits per-column means and scales, then maps each value `x` of column `j` to
 * `(x - means[j]) / scales[j]`.
 * @example
 * const scaler = new StandardScaler().fit(matrixFromRows([[1, 5], [3, 5]], ['a', 'b']));
 * scaler.means;  // Float64Array [2, 5]
 * scaler.scales; // Float64Array [1, 1] (column b is constant, so its scale is 1)
 * scaler.transform(matrixFromRows([[1, 5], [3, 5]], ['a', 'b'])).data; // Float64Array [-1, 0, 1, 0]
 */
export class StandardScaler {
  /** Mean of each column, set by `fit`. */
  means: Float64Array = new Float64Array(0);
  /** Population variance (divide by n) of each column, set by `fit`. */
  variances: Float64Array = new Float64Array(0);
  /** Scale of each column: the population standard deviation, or 1 for a constant column. */
  scales: Float64Array = new Float64Array(0);
  /** Names of the columns seen by `fit`. */
  columns: readonly string[] = [];
  /** Number of rows seen by `fit`. */
  nSamplesSeen = 0;

  /**
   * Learns the mean and scale of each column (two passes, as numpy does).
   * @example new StandardScaler().fit(matrixFromRows([[0], [2]])).scales // Float64Array [1]
   */
  fit(matrix: NumericMatrix): this {
    const { data, n, d } = matrix;
    if (n === 0) throw new Error('The scaler needs at least one row to fit.');
    checkFinite(matrix);
    const means = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j] += data[i * d + j];
    for (let j = 0; j < d; j++) means[j] /= n;
    // Corrected two-pass variance, as scikit-learn's _incremental_mean_and_var computes it:
    // sum((x - mean)^2) - (sum(x - mean))^2 / n.
    const squares = new Float64Array(d);
    const corrections = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const centred = data[i * d + j] - means[j];
        squares[j] += centred * centred;
        corrections[j] += centred;
      }
    }
    const variances = new Float64Array(d);
    const scales = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      variances[j] = (squares[j] - (corrections[j] * corrections[j]) / n) / n;
      scales[j] = isConstantFeature(variances[j], means[j], n) ? 1 : Math.sqrt(variances[j]);
    }
    this.means = means;
    this.variances = variances;
    this.scales = scales;
    this.columns = [...matrix.columns];
    this.nSamplesSeen = n;
    return this;
  }

  /**
   * Returns a new matrix of z-scores; the input is not changed.
   * @example new StandardScaler().fitTransform(matrixFromRows([[0], [2]])).data // Float64Array [-1, 1]
   */
  transform(matrix: NumericMatrix): NumericMatrix {
    this.checkFitted(matrix);
    const { data, n, d } = matrix;
    checkFinite(matrix);
    const out = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) out[i * d + j] = (data[i * d + j] - this.means[j]) / this.scales[j];
    }
    return matrixFromData(out, n, d, matrix.columns);
  }

  /**
   * `fit` then `transform` on the same matrix.
   * @example new StandardScaler().fitTransform(matrixFromRows([[1], [2], [3]])).data[2] // 1.224744871391589
   */
  fitTransform(matrix: NumericMatrix): NumericMatrix {
    return this.fit(matrix).transform(matrix);
  }

  /**
   * Maps z-scores back to the original units: `z * scales[j] + means[j]`.
   * @example
   * const s = new StandardScaler().fit(matrixFromRows([[0], [2]]));
   * s.inverseTransform(matrixFromRows([[1]])).data // Float64Array [2]
   */
  inverseTransform(matrix: NumericMatrix): NumericMatrix {
    this.checkFitted(matrix);
    const { data, n, d } = matrix;
    const out = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) out[i * d + j] = data[i * d + j] * this.scales[j] + this.means[j];
    }
    return matrixFromData(out, n, d, matrix.columns);
  }

  private checkFitted(matrix: NumericMatrix): void {
    if (this.nSamplesSeen === 0) throw new Error('The scaler must be fitted before it can transform.');
    if (matrix.d !== this.means.length) {
      throw new Error(`The scaler was fitted on ${this.means.length} columns but was given ${matrix.d}.`);
    }
  }
}

/**
 * scikit-learn's test for a column indistinguishable from a constant: its variance is within the
 * rounding error bound of the two-pass algorithm, `n eps var + (n mean eps)^2`.
 * @example isConstantFeature(0, 5, 10) // true
 */
export function isConstantFeature(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  const upperBound = n * eps * variance + (n * mean * eps) ** 2;
  return variance <= upperBound;
}

function checkFinite(matrix: NumericMatrix): void {
  const { data, n, d, columns } = matrix;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const value = data[i * d + j];
      if (!Number.isFinite(value)) {
        throw new Error(`Column ${columns[j]} holds ${value} in row ${i}; the scaler needs finite numbers.`);
      }
    }
  }
}
