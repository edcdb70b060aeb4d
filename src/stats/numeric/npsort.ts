/**
 * numpy 1.24's `argsort(kind='quicksort')` (npysort/quicksort.cpp `aquicksort_`, an introsort that is not
 * stable), reduced to the one answer pandas' tie-breaking needs: which index it puts last. Partitioning
 * never moves an element across the pivot, so only the partitions holding the last position are followed:
 * about 2n comparisons instead of n log n.
 */
const SMALL_QUICKSORT = 15;

function msb(n: number): number {
  let depth = 0;
  while ((n >>= 1) > 0) depth++;
  return depth;
}

/** numpy's `aheapsort_` on tosort[pl..pl+n-1] (1-based heap over that slice). */
function argHeapsort(v: ArrayLike<number>, tosort: Int32Array, pl: number, n: number): void {
  const a = (i: number) => tosort[pl + i - 1];
  const set = (i: number, x: number) => {
    tosort[pl + i - 1] = x;
  };
  const sift = (top: number, size: number) => {
    const tmp = a(top);
    let i = top;
    let j = top << 1;
    while (j <= size) {
      if (j < size && v[a(j)] < v[a(j + 1)]) j++;
      if (v[tmp] < v[a(j)]) {
        set(i, a(j));
        i = j;
        j += j;
      } else break;
    }
    set(i, tmp);
  };
  for (let l = n >> 1; l > 0; l--) sift(l, n);
  for (; n > 1; ) {
    const tmp = a(n);
    set(n, a(1));
    n--;
    set(1, tmp);
    sift(1, n);
  }
}

/** `np.argsort(v, kind='quicksort')[-1]` for numpy 1.24 on a non-AVX-512 dispatch (argsort has none there). */
export function npArgsortLast(v: ArrayLike<number>): number {
  const num = v.length;
  const t = new Int32Array(num);
  for (let i = 0; i < num; i++) t[i] = i;
  let pl = 0;
  const pr = num - 1;
  let depth = msb(num) * 2;
  const swap = (i: number, j: number) => {
    const x = t[i];
    t[i] = t[j];
    t[j] = x;
  };
  // numpy checks the depth limit only when it starts a range taken from its stack, never while it keeps
  // partitioning the range in hand.
  let fromStack = false;
  for (;;) {
    if (fromStack && depth < 0) {
      argHeapsort(v, t, pl, pr - pl + 1);
      return t[pr];
    }
    if (pr - pl <= SMALL_QUICKSORT) break;
    const pm = pl + ((pr - pl) >> 1);
    if (v[t[pm]] < v[t[pl]]) swap(pm, pl);
    if (v[t[pr]] < v[t[pm]]) swap(pr, pm);
    if (v[t[pm]] < v[t[pl]]) swap(pm, pl);
    const vp = v[t[pm]];
    let pi = pl;
    let pj = pr - 1;
    swap(pm, pj);
    for (;;) {
      do pi++;
      while (v[t[pi]] < vp);
      do pj--;
      while (vp < v[t[pj]]);
      if (pi >= pj) break;
      swap(pi, pj);
    }
    swap(pi, pr - 1);
    // The last position lies right of the pivot; numpy stacks that side when it is the larger one.
    fromStack = pi - pl < pr - pi;
    pl = pi + 1;
    depth--;
  }
  for (let pi = pl + 1; pi <= pr; pi++) {
    const vi = t[pi];
    const vp = v[vi];
    let pj = pi;
    while (pj > pl && vp < v[t[pj - 1]]) {
      t[pj] = t[pj - 1];
      pj--;
    }
    t[pj] = vi;
  }
  return t[pr];
}

/**
 * The key pandas 1.5's `value_counts()` lists first: counts are in first-seen key order and sorted
 * descending with numpy's unstable quicksort (nargsort reverses, argsorts ascending, reverses again), so
 * among tied counts the winner is whatever the introsort leaves last. Returns an index into `counts`.
 */
export function pandasMostCommonIndex(counts: ArrayLike<number>): number {
  const n = counts.length;
  const reversed = new Float64Array(n);
  for (let i = 0; i < n; i++) reversed[i] = counts[n - 1 - i];
  return n - 1 - npArgsortLast(reversed);
}
