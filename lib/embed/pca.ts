/**
 * Principal component analysis of row vectors, for t-SNE's PCA initialisation.
 *
 * The covariance matrix (d × d) of the centred rows is diagonalised with the cyclic Jacobi
 * method, which is exact to rounding and simple; it costs Θ(n·d²) to form plus Θ(d³) per sweep,
 * fine for the tens of features used here. The axes are signed as scikit-learn ≥ 1.5 signs them
 * (`svd_flip(u_based_decision=False)`): the largest loading (in absolute value) of each axis is
 * positive, so the projection matches `PCA(n_components).fit_transform(X)` up to rounding.
 * Definition: https://en.wikipedia.org/wiki/Principal_component_analysis
 */

/** The leading principal axes and the rows projected on them. */
export interface PrincipalComponents {
  /** The number of components c. */
  readonly components: number;
  /** The axes, c rows of d loadings (unit length), largest variance first. */
  readonly axes: Float64Array;
  /** The variance along each axis (divided by n − 1, as scikit-learn's `explained_variance_`). */
  readonly variances: Float64Array;
  /** The centred rows projected on the axes, n × c row-major. */
  readonly projection: Float64Array;
}

/**
 * The first `components` principal components of n rows of d values (row-major).
 * @example
 * // Points on the line y = x: one axis along (1, 1)/√2 carries all the variance.
 * const pca = principalComponents(new Float64Array([0, 0, 1, 1, 2, 2]), 3, 2, 1);
 * pca.axes;       // Float64Array [0.7071…, 0.7071…]
 * pca.projection; // Float64Array [−1.414…, 0, 1.414…]
 */
export function principalComponents(data: Float64Array, n: number, d: number, components = 2): PrincipalComponents {
  if (data.length !== n * d) throw new Error(`Expected ${n} rows of ${d} values (${n * d}), got ${data.length}.`);
  if (!Number.isInteger(components) || components < 1 || components > d) {
    throw new Error(
      `The number of components must be a whole number from 1 to ${d} (the number of columns), got ${components}.`,
    );
  }
  if (n < 2) throw new Error(`PCA needs at least 2 rows, got ${n}.`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const covariance = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      for (let b = a; b < d; b++) covariance[a * d + b] += ra * row[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      covariance[a * d + b] /= n - 1;
      covariance[b * d + a] = covariance[a * d + b];
    }
  }
  const { values, vectors } = jacobiEigen(covariance, d);
  const byVariance = Array.from({ length: d }, (_, j) => j).sort((a, b) => values[b] - values[a] || a - b);
  const axes = new Float64Array(components * d);
  const variances = new Float64Array(components);
  for (let c = 0; c < components; c++) {
    const column = byVariance[c];
    variances[c] = values[column];
    let largest = 0;
    for (let j = 0; j < d; j++) {
      const v = vectors[j * d + column];
      if (Math.abs(v) > Math.abs(largest)) largest = v;
    }
    const sign = largest < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) axes[c * d + j] = sign * vectors[j * d + column];
  }
  const projection = new Float64Array(n * components);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < components; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[i * d + j] - mean[j]) * axes[c * d + j];
      projection[i * components + c] = s;
    }
  }
  return { components, axes, variances, projection };
}

/**
 * Eigenvalues and eigenvectors (columns of `vectors`) of a symmetric d × d matrix by cyclic
 * Jacobi rotations (Golub & Van Loan, Matrix Computations, §8.5).
 */
function jacobiEigen(matrix: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let j = 0; j < d; j++) v[j * d + j] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let scale = 0;
    for (let p = 0; p < d; p++) {
      scale += a[p * d + p] * a[p * d + p];
      for (let q = p + 1; q < d; q++) off += a[p * d + q] * a[p * d + q];
    }
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        const tau = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let j = 0; j < d; j++) values[j] = a[j * d + j];
  return { values, vectors: v };
}
