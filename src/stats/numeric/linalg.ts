/** Small dense linear algebra for the handful of fixed-size problems the stat tests need. */

/**
 * numpy.polyfit(x, y, deg): least squares on the Vandermonde matrix with columns scaled to unit norm (as
 * numpy does before lstsq), solved by Householder QR. Returns coefficients, highest power first.
 */
export function polyfit(x: readonly number[], y: readonly number[], deg: number): number[] {
  const rows = x.length;
  const cols = deg + 1;
  const A = x.map((xi) => Array.from({ length: cols }, (_, j) => xi ** (deg - j)));
  const scale = Array.from({ length: cols }, (_, j) => Math.sqrt(A.reduce((s, row) => s + row[j] * row[j], 0)));
  for (const row of A) for (let j = 0; j < cols; j++) row[j] /= scale[j];
  const b = [...y];
  for (let k = 0; k < cols; k++) {
    let norm = 0;
    for (let i = k; i < rows; i++) norm += A[i][k] ** 2;
    norm = Math.sqrt(norm);
    const alpha = A[k][k] > 0 ? -norm : norm;
    const v = A.map((row, i) => (i < k ? 0 : row[k]));
    v[k] -= alpha;
    const vv = v.reduce((s, vi) => s + vi * vi, 0);
    if (vv === 0) continue;
    for (let j = k; j < cols; j++) {
      const dot = v.reduce((s, vi, i) => s + vi * A[i][j], 0);
      for (let i = k; i < rows; i++) A[i][j] -= (2 * dot * v[i]) / vv;
    }
    const dotb = v.reduce((s, vi, i) => s + vi * b[i], 0);
    for (let i = k; i < rows; i++) b[i] -= (2 * dotb * v[i]) / vv;
  }
  const c = new Array<number>(cols).fill(0);
  for (let j = cols - 1; j >= 0; j--) {
    let s = b[j];
    for (let k = j + 1; k < cols; k++) s -= A[j][k] * c[k];
    c[j] = s / A[j][j];
  }
  return c.map((cj, j) => cj / scale[j]);
}

/** numpy.polyval: Horner's rule, highest power first. */
export function polyval(coeffs: readonly number[], x: number): number {
  let y = 0;
  for (const c of coeffs) y = y * x + c;
  return y;
}

/**
 * Eigen-decomposition of a symmetric matrix (row-major, n×n) by cyclic Jacobi rotations, which resolves
 * small eigenvalues to high relative accuracy; for a symmetric positive semi-definite matrix these are its
 * singular values, which is all numpy's pinv/matrix_rank look at.
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = new Float64Array(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotations = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // Negligible relative to the diagonal it couples (Demmel-Veselić), which preserves relative accuracy.
        if (Math.abs(apq) <= 1e-18 * Math.sqrt(Math.abs(app * aqq))) continue;
        rotations++;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
    if (rotations === 0) break;
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}
