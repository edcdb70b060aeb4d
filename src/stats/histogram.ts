/**
 * numpy-compatible histograms (numpy 1.24 `lib/histograms.py`, `core/function_base.py:linspace`).
 * Bin edges feed PSI/KL/JS/Hellinger shares and the report's small distributions, so they follow numpy's
 * floating-point operations exactly: a different rounding of one edge moves values between bins.
 */

/** `np.linspace(start, stop, num)` with `endpoint=True`: `i * step + start`, last element forced to `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num < 2) {
    // No step is defined; numpy's single point is `start`.
    if (num === 1) out[0] = start;
    return out;
  }
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  if (step === 0) {
    // A subnormal step underflows to 0; numpy then divides before multiplying (gh-5437).
    for (let i = 0; i < num; i++) out[i] = (i / div) * delta + start;
  } else {
    for (let i = 0; i < num; i++) out[i] = i * step + start;
  }
  out[num - 1] = stop;
  return out;
}

export interface DataRange {
  min: number;
  max: number;
  size: number;
}

/** Size, min and max of the concatenation of `parts` (numpy's `a.size`, `a.min()`, `a.max()`). */
export function dataRange(parts: readonly Float64Array[]): DataRange {
  let min = Infinity;
  let max = -Infinity;
  let size = 0;
  for (const part of parts) {
    size += part.length;
    for (let i = 0; i < part.length; i++) {
      const v = part[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max, size };
}

export interface UniformBins {
  firstEdge: number;
  lastEdge: number;
  nBins: number;
  edges: Float64Array;
}

/**
 * numpy's `_get_bin_edges` for an integer bin count or `'sturges'`, given only what it reads from the data:
 * its size, min and max. Empty data gives the range [0, 1]; a zero-width range is widened by 0.5 on each
 * side. Sturges' width is `ptp / (log2(size) + 1)` and the count `ceil((last - first) / width)`.
 * Math.log2 may differ from libm's log2 in the last bit, which could only change that count when the ratio
 * is within an ulp of an integer, i.e. when size is a power of two, where both are exact.
 */
export function uniformBinsFromRange({ min, max, size }: DataRange, bins: number | 'sturges'): UniformBins {
  if (size > 0 && !(Number.isFinite(min) && Number.isFinite(max))) {
    throw new RangeError(`autodetected range of [${min}, ${max}] is not finite`);
  }
  let firstEdge = size === 0 ? 0 : min;
  let lastEdge = size === 0 ? 1 : max;
  if (firstEdge === lastEdge) {
    firstEdge -= 0.5;
    lastEdge += 0.5;
  }
  let nBins: number;
  if (bins === 'sturges') {
    if (size === 0) {
      nBins = 1;
    } else {
      const width = (max - min) / (Math.log2(size) + 1.0);
      nBins = width ? Math.ceil((lastEdge - firstEdge) / width) : 1;
    }
  } else {
    if (!Number.isInteger(bins) || bins < 1) throw new RangeError('`bins` must be positive, when an integer');
    nBins = bins;
  }
  return { firstEdge, lastEdge, nBins, edges: linspace(firstEdge, lastEdge, nBins + 1) };
}

/** `uniformBinsFromRange` over the concatenation of `data` (several arrays bin ref+cur without a copy). */
export function uniformBins(data: Float64Array | readonly Float64Array[], bins: number | 'sturges'): UniformBins {
  return uniformBinsFromRange(dataRange(data instanceof Float64Array ? [data] : data), bins);
}

/** `np.histogram_bin_edges(data, bins)` for an integer count or `'sturges'`. */
export function histogramBinEdges(data: Float64Array | readonly Float64Array[], bins: number | 'sturges'): Float64Array {
  return uniformBins(data, bins).edges;
}

/**
 * `np.histogram(values, edges)` with explicit edges (numpy's searchsorted path): bin k holds
 * `edges[k] <= v < edges[k+1]`, the last bin also holds `v == edges[last]`, values outside are dropped.
 * Counts are integers stored as doubles.
 */
export function histogramCounts(values: Float64Array, edges: Float64Array): Float64Array {
  const nBins = edges.length - 1;
  const counts = new Float64Array(Math.max(nBins, 0));
  if (nBins < 1) return counts;
  const lo = edges[0];
  const hi = edges[nBins];
  const scale = nBins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    // A linear guess (exact for numpy's evenly spaced edges up to rounding), then walk to the bin
    // searchsorted would pick; this stays correct for any increasing edges.
    let k = Math.floor((v - lo) * scale);
    if (!(k >= 0)) k = 0;
    if (k > nBins - 1) k = nBins - 1;
    while (k > 0 && v < edges[k]) k--;
    while (k < nBins - 1 && v >= edges[k + 1]) k++;
    counts[k]++;
  }
  return counts;
}

/**
 * `np.histogram(values, bins=n)`: numpy's fast path for equal bins, which computes each index as
 * `(v - first) / (last - first) * n`, then corrects it by one step against the edges.
 */
export function histogramUniform(values: Float64Array, bins: UniformBins): Float64Array {
  const { firstEdge, lastEdge, nBins, edges } = bins;
  const counts = new Float64Array(nBins);
  const denom = lastEdge - firstEdge;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= firstEdge && v <= lastEdge)) continue;
    let k = Math.trunc(((v - firstEdge) / denom) * nBins);
    if (k === nBins) k--;
    if (v < edges[k]) k--;
    if (v >= edges[k + 1] && k !== nBins - 1) k++;
    counts[k]++;
  }
  return counts;
}

/** `density=True` normalisation: `counts / diff(edges) / counts.sum()` (nan when there is no data). */
export function toDensity(counts: Float64Array, edges: Float64Array): Float64Array {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k];
  const out = new Float64Array(counts.length);
  for (let k = 0; k < counts.length; k++) out[k] = counts[k] / (edges[k + 1] - edges[k]) / total;
  return out;
}

/**
 * `np.histogram(values, bins=nBins, density=True)` as Evidently's "small distribution" uses it:
 * `x` = the nBins + 1 edges, `y` = the densities.
 */
export function densityHistogram(values: Float64Array, nBins = 10): { x: Float64Array; y: Float64Array } {
  const bins = uniformBins(values, nBins);
  return { x: bins.edges, y: toDensity(histogramUniform(values, bins), bins.edges) };
}
